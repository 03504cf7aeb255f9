package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/data/jobqueue"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

// server starts the API over a fresh demo-city store, without a job queue.
func server(t testing.TB) (*httptest.Server, *configuration.Configuration) {
	t.Helper()
	return serverWithJobs(t, noJobs)
}

// jobsMode says what job queue the test server has.
type jobsMode int

const (
	noJobs    jobsMode = iota
	runJobs            // a queue in the store's file, worked by the server
	queueOnly          // a queue nobody works: jobs stay queued
)

// serverWithJobs is server with a job queue as mode says.
func serverWithJobs(t testing.TB, mode jobsMode) (*httptest.Server, *configuration.Configuration) {
	t.Helper()
	core, baseline := testCore(t, mode)
	srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})), MaxBodyBytes: 64 << 10, AllowedOrigins: []string{"https://map.example"}}))
	t.Cleanup(srv.Close)
	return srv, baseline
}

// testCore is the core of the test servers: the demo city with two
// indicators, in a fresh SQLite store, with a job queue as mode says.
func testCore(t testing.TB, mode jobsMode) (*planning.Service, *configuration.Configuration) {
	t.Helper()
	return testCoreWith(t, mode, nil)
}

// testCoreWith is testCore with the core's configuration amended by
// amend (when not nil).
func testCoreWith(t testing.TB, mode jobsMode, amend func(*planning.Config)) (*planning.Service, *configuration.Configuration) {
	t.Helper()
	ctx := context.Background()
	ds, baseline, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// Indicators for the indicator endpoints: the share of residents aged
	// 60 and over, from the LSOA populations, and a practice indicator (a
	// made-up register of 5% of each list).
	ds.Indicators = append(ds.Indicators, dataset.Indicator{ID: "older-share", Name: "Residents aged 60+", Domain: "population-health",
		Unit: "proportion", Polarity: "no-judgement", Level: "lsoa", Period: "mid-2015", Source: ds.Sources[0].ID})
	for _, l := range ds.LSOAs {
		ds.IndicatorValues = append(ds.IndicatorValues, dataset.IndicatorValue{Indicator: "older-share", AreaCode: l.Code,
			Numerator: float64(l.Population.Age60Plus), Denominator: float64(l.Population.Total), Known: true})
	}
	ds.Indicators = append(ds.Indicators, dataset.Indicator{ID: "test-register", Name: "A register", Domain: "population-health",
		Unit: "proportion", Polarity: "higher-is-worse", Level: dataset.IndicatorLevelPractice, Period: "2015", Source: ds.Sources[0].ID})
	for i, l := range ds.ListSizes {
		if i > 0 && ds.ListSizes[i-1].PracticeCode == l.PracticeCode {
			continue
		}
		ds.IndicatorValues = append(ds.IndicatorValues, dataset.IndicatorValue{Indicator: "test-register", AreaCode: l.PracticeCode,
			Numerator: float64(l.Patients / 20), Denominator: float64(l.Patients), Known: true})
	}
	st, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: filepath.Join(t.TempDir(), "api.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.ReplaceDataset(ctx, ds, []*configuration.Configuration{baseline}, store.ImportRecord{Manifest: "demo", Report: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	var core *planning.Service
	var queue *jobqueue.Queue
	if mode != noJobs {
		cfg := jobqueue.Config{}
		if mode == runJobs {
			cfg.Handler = func(ctx context.Context, j jobqueue.Job) (json.RawMessage, error) { return core.RunJob(ctx, j) }
		}
		if queue, err = st.JobQueue(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	pcfg := planning.Config{Store: st, Dataset: ds}
	if queue != nil {
		pcfg.Jobs = queue
	}
	if amend != nil {
		amend(&pcfg)
	}
	core, err = planning.New(ctx, pcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { core.Close() })
	if mode == runJobs {
		if err := queue.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stopCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
			defer cancel()
			queue.Stop(stopCtx)
		})
	}
	return core, baseline
}

// exchange is one request and the answer expected.
type exchange struct {
	name        string
	method      string
	path        string
	headers     map[string]string
	body        string
	status      int
	contentType string // prefix
	contains    []string
}

func do(t *testing.T, srv *httptest.Server, x exchange) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(x.method, srv.URL+x.path, strings.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	if x.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range x.headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	body := string(b)
	if resp.StatusCode != x.status {
		t.Fatalf("%s %s: status %d, want %d; body %s", x.method, x.path, resp.StatusCode, x.status, body)
	}
	if x.contentType != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), x.contentType) {
		t.Errorf("%s %s: Content-Type %q, want %q", x.method, x.path, resp.Header.Get("Content-Type"), x.contentType)
	}
	for _, want := range x.contains {
		if !strings.Contains(body, want) {
			t.Errorf("%s %s: body lacks %q:\n%.600s", x.method, x.path, want, body)
		}
	}
	return resp, body
}

const (
	jsonCT    = "application/json"
	problemCT = "application/problem+json"
)

func TestReadEndpoints(t *testing.T) {
	srv, base := server(t)
	ward := base.Localities[0].Teams[0].Wards[0]
	for _, x := range []exchange{
		{"health", "GET", "/healthz", nil, "", 200, jsonCT, []string{`"status":"ok"`}},
		{"summary", "GET", "/api/summary", nil, "", 200, jsonCT, []string{`"name":"demo"`, `"configurations":[{"name":"demo-baseline"`}},
		{"list", "GET", "/api/configurations", nil, "", 200, jsonCT, []string{`"name":"demo-baseline","title"`, `"teams":12`}},
		{"get", "GET", "/api/configurations/demo-baseline", nil, "", 200, jsonCT, []string{`"version":1`, `"id":"N1"`, ward}},
		{"get version", "GET", "/api/configurations/demo-baseline?version=1", nil, "", 200, jsonCT, []string{`"version":1`}},
		{"not modified", "GET", "/api/configurations/demo-baseline", map[string]string{"If-None-Match": `"demo-baseline.v1"`}, "", 304, "", nil},
		{"versions", "GET", "/api/configurations/demo-baseline/versions", nil, "", 200, jsonCT, []string{`"author":"import"`}},
		{"one version", "GET", "/api/configurations/demo-baseline/versions/1", nil, "", 200, jsonCT, []string{`"configuration":{"name":"demo-baseline"`}},
		{"export csv", "GET", "/api/configurations/demo-baseline/export", nil, "", 200, "text/csv", []string{"ward_code,team_id,team_name,locality,locality_name\n" + ward + ",N1,"}},
		{"export json", "GET", "/api/configurations/demo-baseline/export?format=json", nil, "", 200, jsonCT, []string{`"localities"`}},
		{"profile", "GET", "/api/configurations/demo-baseline/profile", nil, "", 200, jsonCT, []string{`"local_registration_share"`, `"modelled_fields"`, `"sources"`, `"figure_dates"`}},
		{"profile csv", "GET", "/api/configurations/demo-baseline/profile?format=csv", nil, "", 200, "text/csv", []string{"level,id,name,locality,wards", "\nteam,N1,"}},
		{"flows", "GET", "/api/configurations/demo-baseline/flows?level=locality", nil, "", 200, jsonCT, []string{`"units":["N","C","S","outside"]`}},
		{"flows csv", "GET", "/api/configurations/demo-baseline/flows?format=csv", nil, "", 200, "text/csv", []string{"residence,practice,patients,modelled\nN1,N1,"}},
		{"compare", "GET", "/api/compare?a=demo-baseline&b=demo-baseline", nil, "", 200, jsonCT, []string{`"wards_moved":[]`, `"summary_a"`}},
		{"compare csv", "GET", "/api/compare?a=demo-baseline&b=demo-baseline&format=csv", nil, "", 200, "text/csv", []string{"team,name_a,name_b,resident_population_a", "\nN1,"}},
		{"CORS preflight", "OPTIONS", "/api/configurations", map[string]string{"Origin": "https://map.example", "Access-Control-Request-Method": "POST"}, "", 204, "", nil},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}

func TestErrors(t *testing.T) {
	srv, base := server(t)
	ward := base.Localities[0].Teams[0].Wards[0]
	big := `{"name":"x","note":"` + strings.Repeat("a", 70<<10) + `"}`
	for _, x := range []exchange{
		{"unknown path", "GET", "/nope", nil, "", 404, problemCT, []string{`"status":404`, `"detail":"no resource at /nope"`}},
		{"wrong method", "PUT", "/healthz", nil, "", 405, problemCT, []string{`"title":"Method Not Allowed"`}},
		{"unknown configuration", "GET", "/api/configurations/nope", nil, "", 404, problemCT, []string{`configuration \"nope\"`}},
		{"unknown version", "GET", "/api/configurations/demo-baseline?version=9", nil, "", 404, problemCT, nil},
		{"bad version", "GET", "/api/configurations/demo-baseline?version=x", nil, "", 400, problemCT, []string{`version \"x\" is not a positive integer`}},
		{"bad format", "GET", "/api/configurations/demo-baseline/profile?format=xml", nil, "", 400, problemCT, []string{`format \"xml\"`}},
		{"bad level", "GET", "/api/configurations/demo-baseline/flows?level=ward", nil, "", 400, problemCT, []string{`level \"ward\"`}},
		{"bad threshold", "GET", "/api/configurations/demo-baseline/profile?out_of_city_threshold=2", nil, "", 400, problemCT, nil},
		{"compare needs two", "GET", "/api/compare?a=demo-baseline", nil, "", 400, problemCT, []string{"?a=NAME&b=NAME"}},
		{"malformed JSON", "POST", "/api/configurations", nil, `{"name":`, 400, problemCT, []string{"malformed JSON body"}},
		{"unknown field", "POST", "/api/configurations", nil, `{"name":"x","colour":"red"}`, 400, problemCT, []string{`unknown field \"colour\"`}},
		{"wrong content type", "POST", "/api/configurations", map[string]string{"Content-Type": "text/plain"}, `name=x`, 415, problemCT, []string{"text/plain"}},
		{"oversized body", "POST", "/api/configurations", nil, big, 413, problemCT, []string{"larger than 65536 bytes"}},
		{"bad name", "POST", "/api/configurations", nil, `{"name":"a b","copy_of":"demo-baseline"}`, 400, problemCT, []string{`name \"a b\"`}},
		{"invalid configuration", "POST", "/api/configurations", nil, `{"name":"x","city":{"id":"C","name":"C"},"localities":[{"id":"L","name":"L","teams":[{"id":"T","name":"T","wards":["E05000001"]}]}]}`, 422, problemCT, []string{`unknown ward \"E05000001\"`}},
		{"duplicate name", "POST", "/api/configurations", nil, `{"name":"demo-baseline","copy_of":"demo-baseline"}`, 409, problemCT, []string{"already exists"}},
		{"copy of unknown", "POST", "/api/configurations", nil, `{"name":"x","copy_of":"nope"}`, 404, problemCT, nil},
		{"moves without If-Match", "POST", "/api/configurations/demo-baseline/moves", nil, `{"moves":[{"ward":"` + ward + `","team":"N2"}]}`, 428, problemCT, []string{"If-Match"}},
		{"moves on stale version", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v7"`}, `{"moves":[{"ward":"` + ward + `","team":"N2"}]}`, 412, problemCT, []string{"version 7 but the latest is 1"}},
		{"move unknown ward", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`}, `{"moves":[{"ward":"E05000001","team":"N2"}]}`, 422, problemCT, []string{"unknown ward"}},
		{"move to unknown team", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`}, `{"moves":[{"ward":"` + ward + `","team":"Z9"}]}`, 422, problemCT, []string{"unknown team"}},
		{"no moves", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`}, `{"moves":[]}`, 400, problemCT, []string{"no moves given"}},
		{"delete without If-Match", "DELETE", "/api/configurations/demo-baseline", nil, "", 428, problemCT, nil},
		{"CSV without name", "POST", "/api/configurations", map[string]string{"Content-Type": "text/csv"}, "ward_code,team_id,team_name,locality\n" + ward + ",N1,A,N\n", 400, problemCT, []string{"needs a name"}},
		{"CSV bad header", "POST", "/api/configurations?name=c", map[string]string{"Content-Type": "text/csv"}, "ward,team\n", 400, problemCT, []string{"CSV"}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
	// Nothing above changed the stored configuration.
	do(t, srv, exchange{"still v1", "GET", "/api/configurations/demo-baseline/versions", nil, "", 200, jsonCT, []string{`"version":1`}})
	_, body := do(t, srv, exchange{"list", "GET", "/api/configurations", nil, "", 200, jsonCT, nil})
	if strings.Contains(body, `"version":2`) || strings.Count(body, `"name"`) != 1 {
		t.Errorf("a failed request changed the store: %s", body)
	}
}

// TestEditingSession: copy the baseline, evaluate a what-if move, save it
// with If-Match, see a second planner's stale save refused, export and
// re-import as CSV, delete.
func TestEditingSession(t *testing.T) {
	srv, base := server(t)
	ward := base.Localities[0].Teams[0].Wards[0]
	resp, _ := do(t, srv, exchange{"copy", "POST", "/api/configurations", nil, `{"name":"option-b","copy_of":"demo-baseline","title":"Option B","author":"ann"}`, 201, jsonCT, []string{`"title":"Option B"`, `"version":1`}})
	if resp.Header.Get("Location") != "/api/configurations/option-b" || resp.Header.Get("ETag") != `"option-b.v1"` {
		t.Errorf("Location %q, ETag %q", resp.Header.Get("Location"), resp.Header.Get("ETag"))
	}
	move := `{"moves":[{"ward":"` + ward + `","team":"N2"}],"author":"ann","note":"test"}`
	_, body := do(t, srv, exchange{"what-if", "POST", "/api/configurations/option-b/evaluate", nil, move, 200, jsonCT, []string{`"changed_teams":["N1","N2"]`, `"wards_moved":[{"ward":"` + ward + `","team_a":"N1","team_b":"N2"}]`}})
	var ev struct {
		Comparison struct {
			Teams []struct {
				ID            string   `json:"id"`
				ResidentDelta *float64 `json:"resident_population_delta"`
			} `json:"teams"`
		} `json:"comparison"`
	}
	if err := json.Unmarshal([]byte(body), &ev); err != nil {
		t.Fatal(err)
	}
	if d := ev.Comparison.Teams[0].ResidentDelta; d == nil || *d >= 0 || *ev.Comparison.Teams[1].ResidentDelta != -*d {
		t.Errorf("what-if deltas: %+v", ev.Comparison.Teams[:2])
	}
	do(t, srv, exchange{"what-if saved nothing", "GET", "/api/configurations/option-b", nil, "", 200, jsonCT, []string{`"version":1`}})

	resp, _ = do(t, srv, exchange{"save", "POST", "/api/configurations/option-b/moves", map[string]string{"If-Match": `"option-b.v1"`}, move, 200, jsonCT, []string{`"version":2`}})
	if resp.Header.Get("ETag") != `"option-b.v2"` {
		t.Errorf("ETag after save = %q", resp.Header.Get("ETag"))
	}
	do(t, srv, exchange{"stale save", "POST", "/api/configurations/option-b/moves", map[string]string{"If-Match": `"option-b.v1"`}, move, 412, problemCT, []string{"latest is 2"}})
	do(t, srv, exchange{"history", "GET", "/api/configurations/option-b/versions", nil, "", 200, jsonCT, []string{`"author":"local","note":"test"`, `"changes":{"changed_teams":["N1","N2"],"moves":[{"ward":"` + ward + `","team":"N2"}]}`}})
	do(t, srv, exchange{"compare", "GET", "/api/compare?a=demo-baseline&b=option-b", nil, "", 200, jsonCT, []string{`"wards_moved":[{"ward":"` + ward + `"`}})
	do(t, srv, exchange{"compare versions", "GET", "/api/compare?a=option-b&a_version=1&b=option-b&b_version=2", nil, "", 200, jsonCT, []string{`"wards_moved":[{"ward":"` + ward + `"`}})
	do(t, srv, exchange{"compare bad version", "GET", "/api/compare?a=option-b&a_version=x&b=option-b", nil, "", 400, problemCT, []string{"a_version"}})
	// The indicator under both options: N1 lost a ward and N2 gained it, so
	// both change; every other team keeps its value exactly.
	_, body = do(t, srv, exchange{"indicator options", "GET", "/api/compare/indicators/older-share?a=demo-baseline&b=option-b", nil, "", 200, jsonCT, []string{`"a":"demo-baseline"`, `"b":"option-b"`, `"significance"`}})
	var ic struct {
		Changes []struct {
			Team        string   `json:"team"`
			Change      *float64 `json:"change"`
			Significant *bool    `json:"significant"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(body), &ic); err != nil {
		t.Fatal(err)
	}
	for _, ch := range ic.Changes {
		moved := ch.Team == "N1" || ch.Team == "N2"
		if ch.Change == nil || (*ch.Change != 0) != moved || ch.Significant == nil || (*ch.Significant && !moved) {
			t.Errorf("indicator change for %s: %v (significant %v)", ch.Team, ch.Change, ch.Significant)
		}
	}
	if len(ic.Changes) != 12 {
		t.Errorf("%d teams compared", len(ic.Changes))
	}
	do(t, srv, exchange{"indicator options csv", "GET", "/api/compare/indicators/older-share?a=option-b&a_version=1&b=option-b&b_version=2&format=csv", nil, "", 200, "text/csv", []string{"team,value_a,value_b,change,significant\nN1,"}})
	do(t, srv, exchange{"indicator options missing b", "GET", "/api/compare/indicators/older-share?a=option-b", nil, "", 400, problemCT, []string{"two configurations"}})
	do(t, srv, exchange{"indicator options unknown", "GET", "/api/compare/indicators/nope?a=option-b&b=demo-baseline", nil, "", 404, problemCT, []string{"unknown indicator"}})

	_, csvBody := do(t, srv, exchange{"export", "GET", "/api/configurations/option-b/export", nil, "", 200, "text/csv", []string{ward + ",N2,"}})
	do(t, srv, exchange{"import CSV", "POST", "/api/configurations?name=option-c&title=From+CSV", map[string]string{"Content-Type": "text/csv"}, csvBody, 201, jsonCT, []string{`"name":"option-c"`, `"title":"From CSV"`}})
	do(t, srv, exchange{"same assignment", "GET", "/api/compare?a=option-b&b=option-c", nil, "", 200, jsonCT, []string{`"wards_moved":[]`}})
	// The round trip keeps the locality names; a file without them names
	// localities by their ids.
	do(t, srv, exchange{"locality names kept", "GET", "/api/configurations/option-c", nil, "", 200, jsonCT, []string{`"id":"N","name":"North"`}})
	fourColumns := strings.ReplaceAll(strings.ReplaceAll(csvBody, ",locality_name\n", "\n"), ",North\n", "\n")
	fourColumns = strings.ReplaceAll(strings.ReplaceAll(fourColumns, ",Central\n", "\n"), ",South\n", "\n")
	do(t, srv, exchange{"import 4-column CSV", "POST", "/api/configurations?name=option-d", map[string]string{"Content-Type": "text/csv"}, fourColumns, 201, jsonCT, []string{`"id":"N","name":"N"`}})
	do(t, srv, exchange{"import bad header", "POST", "/api/configurations?name=option-e", map[string]string{"Content-Type": "text/csv"}, "ward_code,team_id\nW1,N1\n", 400, problemCT, []string{"header must be ward_code,team_id,team_name,locality[,locality_name]"}})

	do(t, srv, exchange{"empty a team refused", "POST", "/api/configurations/option-c/moves", map[string]string{"If-Match": `"option-c.v1"`}, emptyTeamMoves(base), 422, problemCT, []string{"with no wards"}})
	do(t, srv, exchange{"delete", "DELETE", "/api/configurations/option-c", map[string]string{"If-Match": `"option-c.v1"`}, "", 204, "", nil})
	do(t, srv, exchange{"deleted", "GET", "/api/configurations/option-c", nil, "", 404, problemCT, nil})
	// Created again, the name continues its numbering: old ETags never match.
	do(t, srv, exchange{"recreate", "POST", "/api/configurations?name=option-c", map[string]string{"Content-Type": "text/csv"}, csvBody, 201, jsonCT, []string{`"version":2`}})
	do(t, srv, exchange{"old ETag refused", "POST", "/api/configurations/option-c/moves", map[string]string{"If-Match": `"option-c.v1"`}, move, 412, problemCT, nil})
	do(t, srv, exchange{"weak ETag refused", "POST", "/api/configurations/option-c/moves", map[string]string{"If-Match": `W/"option-c.v2"`}, move, 412, problemCT, nil})
	do(t, srv, exchange{"no-op move", "POST", "/api/configurations/option-c/moves", map[string]string{"If-Match": `"option-c.v2"`}, move, 422, problemCT, []string{"change nothing"}})
	do(t, srv, exchange{"stale delete", "DELETE", "/api/configurations/option-c", map[string]string{"If-Match": `"option-c.v1"`}, "", 412, problemCT, nil})
	do(t, srv, exchange{"evaluate bad threshold", "POST", "/api/configurations/option-b/evaluate", nil, `{"moves":[],"out_of_city_threshold":5}`, 400, problemCT, []string{"out_of_city_threshold"}})
	do(t, srv, exchange{"evaluate unknown ward", "POST", "/api/configurations/option-b/evaluate", nil, `{"moves":[{"ward":"X","team":"N1"}]}`, 422, problemCT, []string{"unknown ward"}})
}

// emptyTeamMoves moves every ward of S4 to S3.
func emptyTeamMoves(c *configuration.Configuration) string {
	var moves []string
	for _, t := range c.Teams() {
		if t.ID == "S4" {
			for _, w := range t.Wards {
				moves = append(moves, `{"ward":"`+w+`","team":"S3"}`)
			}
		}
	}
	return `{"moves":[` + strings.Join(moves, ",") + `]}`
}
