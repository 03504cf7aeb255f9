package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/placeteam/placeteam/web/api"
)

// TestThresholdNotANumber: NaN and infinities are not between 0 and 1.
func TestThresholdNotANumber(t *testing.T) {
	srv, _ := server(t)
	for _, v := range []string{"NaN", "nan", "+Inf", "-Inf", "Inf", "1e400"} {
		for _, path := range []string{"/api/configurations/demo-baseline/profile", "/api/configurations/demo-baseline/profile?format=csv&x=1"} {
			sep := "?"
			if strings.Contains(path, "?") {
				sep = "&"
			}
			x := exchange{"threshold " + v, "GET", path + sep + "out_of_city_threshold=" + v, nil, "", 400, problemCT,
				[]string{`"status":400`, "out_of_city_threshold", "between 0 and 1"}}
			t.Run(v, func(t *testing.T) { do(t, srv, x) })
		}
	}
}

// contextServer is the API over the test core with its log in buf.
func contextServer(t *testing.T, buf *bytes.Buffer) http.Handler {
	t.Helper()
	core, _ := testCore(t, noJobs)
	return api.New(api.Config{Core: core, Logger: slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelInfo}))})
}

// TestClientGone: a request whose context ends before the answer is a 499
// (the client closed it) and is not logged as an error; one whose deadline
// passes is a 503 saying the answer took too long.
func TestClientGone(t *testing.T) {
	var logs bytes.Buffer
	h := contextServer(t, &logs)

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		status int
		detail string
	}{
		{"cancelled", cancelled, 499, "closed"},
		{"deadline", expired, http.StatusServiceUnavailable, "took too long"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			req := httptest.NewRequestWithContext(tc.ctx, "GET", "/api/configurations/demo-baseline/profile", nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tc.status, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, problemCT) {
				t.Errorf("Content-Type %q", ct)
			}
			if !strings.Contains(rec.Body.String(), tc.detail) {
				t.Errorf("body lacks %q: %s", tc.detail, rec.Body)
			}
			if tc.status == 499 && strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("a closed request is logged as an error:\n%s", logs.String())
			}
		})
	}
}

// TestSameWardMovedTwice: a batch that moves one ward twice is refused, for
// saving and for a what-if, and saves nothing.
func TestSameWardMovedTwice(t *testing.T) {
	srv, base := server(t)
	ward := base.Localities[0].Teams[0].Wards[0]
	twice := `{"moves":[{"ward":"` + ward + `","team":"N2"},{"ward":"` + ward + `","team":"N3"}]}`
	want := []string{`ward ` + ward + ` is moved twice in one batch (moves 0 and 1)`}
	do(t, srv, exchange{"moves", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`}, twice, 422, problemCT, want})
	do(t, srv, exchange{"evaluate", "POST", "/api/configurations/demo-baseline/evaluate", nil, twice, 422, problemCT, want})
	do(t, srv, exchange{"nothing saved", "GET", "/api/configurations/demo-baseline", nil, "", 200, jsonCT, []string{`"version":1`}})
}

// TestUnknownFormats: every endpoint that answers in one format refuses
// another, naming what it accepts; the OGC endpoints refuse unknown f and
// unknown query parameters but keep their own.
func TestUnknownFormats(t *testing.T) {
	srv, base := server(t)
	ward := base.Localities[0].Teams[0].Wards[0]
	move := `{"moves":[{"ward":"` + ward + `","team":"N2"}]}`
	for _, x := range []exchange{
		{"evaluate csv", "POST", "/api/configurations/demo-baseline/evaluate?format=csv", nil, move, 400, problemCT, []string{`format \"csv\": want json`}},
		{"evaluate unknown parameter", "POST", "/api/configurations/demo-baseline/evaluate?out_of_city_threshold=0.5", nil, move, 400, problemCT, []string{"out_of_city_threshold", "version"}},
		{"evaluate json", "POST", "/api/configurations/demo-baseline/evaluate?format=json&version=1", nil, move, 200, jsonCT, nil},
		{"practice groups csv", "GET", "/api/configurations/demo-baseline/practice-groups?format=csv", nil, "", 400, problemCT, []string{`format \"csv\": want json`}},
		{"practice groups unknown parameter", "GET", "/api/configurations/demo-baseline/practice-groups?knd=pcn", nil, "", 400, problemCT, []string{`knd`, "kind"}},
		{"practice groups", "GET", "/api/configurations/demo-baseline/practice-groups?kind=pcn&version=1&format=json", nil, "", 200, jsonCT, nil},
		{"summary csv", "GET", "/api/summary?format=csv", nil, "", 400, problemCT, []string{`format \"csv\": want json`}},
		{"scenario xml", "GET", "/api/scenarios/none?format=xml", nil, "", 400, problemCT, []string{"json, geojson or csv"}},
		{"landing xml", "GET", "/?f=xml", nil, "", 400, problemCT, []string{`f \"xml\": want json`}},
		{"conformance xml", "GET", "/conformance?f=xml", nil, "", 400, problemCT, []string{`f \"xml\"`}},
		{"collections xml", "GET", "/collections?f=xml", nil, "", 400, problemCT, []string{`f \"xml\"`}},
		{"collection xml", "GET", "/collections/wards?f=xml", nil, "", 400, problemCT, []string{`f \"xml\"`}},
		{"items xml", "GET", "/collections/wards/items?f=xml", nil, "", 400, problemCT, []string{`f \"xml\": want json or geojson`}},
		{"item xml", "GET", "/collections/wards/items/" + ward + "?f=xml", nil, "", 400, problemCT, []string{`f \"xml\"`}},
		{"items unknown parameter", "GET", "/collections/wards/items?colour=red", nil, "", 400, problemCT, []string{`colour`, "bbox"}},
		{"landing json", "GET", "/?f=json", nil, "", 200, jsonCT, nil},
		{"collection json", "GET", "/collections/wards?f=json", nil, "", 200, jsonCT, nil},
		{"items with their parameters", "GET", "/collections/wards/items?f=geojson&bbox=-180,-90,180,90&limit=5&offset=1", nil, "", 200, "application/geo+json", []string{`"numberReturned":5`}},
		{"team items by version", "GET", "/collections/teams-demo-baseline/items?f=json&version=1", nil, "", 200, "application/geo+json", nil},
		{"item json", "GET", "/collections/wards/items/" + ward + "?f=json", nil, "", 200, "application/geo+json", nil},
		{"tiles keep their parameters", "GET", "/tiles/demo-baseline.json?version=1&cachebust=1", nil, "", 200, jsonCT, nil},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}

// TestValidationErrorsCapped: a configuration with many problems lists the
// first few and counts the rest.
func TestValidationErrorsCapped(t *testing.T) {
	srv, _ := server(t)
	var csv strings.Builder
	csv.WriteString("ward_code,team_id,team_name,locality\n")
	for i := range 100 {
		fmt.Fprintf(&csv, "X%03d,N1,North 1,N\n", i)
	}
	_, body := do(t, srv, exchange{"many unknown wards", "POST", "/api/configurations?name=many", map[string]string{"Content-Type": "text/csv"}, csv.String(), 422, problemCT,
		[]string{`unknown ward \"X000\"`, `unknown ward \"X019\"`, "… and 81 more"}})
	if strings.Contains(body, "X020") {
		t.Errorf("the 21st problem is listed: %s", body)
	}
	if len(body) > 4000 {
		t.Errorf("problem body is %d bytes", len(body))
	}
}

// TestHEAD: HEAD answers like GET, without a body.
func TestHEAD(t *testing.T) {
	srv, _ := server(t)
	for _, path := range []string{"/api/configurations", "/api/configurations/demo-baseline", "/tiles/demo-baseline.json", "/tiles/demo-baseline/0/0/0.mvt"} {
		t.Run(path, func(t *testing.T) {
			resp, err := http.Head(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			get, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			get.Body.Close()
			if resp.StatusCode != get.StatusCode || resp.StatusCode >= 300 || body != "" || resp.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
				t.Errorf("HEAD %s: status %d, Content-Type %q (GET %q), body %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), get.Header.Get("Content-Type"), body)
			}
		})
	}
}

// TestNoPackageNamesInDetails: 4xx details say what is wrong without the Go
// package that found it.
func TestNoPackageNamesInDetails(t *testing.T) {
	srv, _ := server(t)
	for _, x := range []exchange{
		{"unknown configuration", "GET", "/api/configurations/nope", nil, "", 404, problemCT, []string{`"detail":"configuration \"nope\"`}},
		{"unknown version", "GET", "/api/configurations/demo-baseline?version=9", nil, "", 404, problemCT, nil},
		{"unknown scenario", "GET", "/api/scenarios/nope", nil, "", 404, problemCT, nil},
		{"unknown indicator", "GET", "/api/configurations/demo-baseline/indicators/nope", nil, "", 404, problemCT, nil},
		{"unknown collection", "GET", "/collections/teams-nope/items", nil, "", 404, problemCT, nil},
		{"revert to unknown version", "POST", "/api/configurations/demo-baseline/revert", map[string]string{"If-Match": `"demo-baseline.v1"`}, `{"version":9}`, 404, problemCT, nil},
		{"no change", "POST", "/api/configurations/demo-baseline/revert", map[string]string{"If-Match": `"demo-baseline.v1"`}, `{"version":1}`, 422, problemCT, nil},
	} {
		t.Run(x.name, func(t *testing.T) {
			_, body := do(t, srv, x)
			for _, pkg := range []string{"sqlitestore", "pgstore", "planning", "placeprofile", "store", "indicatorprofile", "jobqueue", "hubplan"} {
				if strings.Contains(body, `"detail":"`+pkg+": ") {
					t.Errorf("detail names package %s: %s", pkg, body)
				}
			}
		})
	}
}

// TestScenarioInputRefused: sites a plan could not name or place, and a
// travel-time matrix named over the API (which takes none), are refused.
func TestScenarioInputRefused(t *testing.T) {
	srv, _ := server(t)
	for _, x := range []exchange{
		{"empty site id", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":1,"sites":[{"id":"","point":[-2,53]}]}`, 422, problemCT, []string{"site 1 has no id"}},
		{"repeated site id", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":1,"sites":[{"id":"a","point":[-2,53]},{"id":"a","point":[-2,53.01]}]}`, 422, problemCT, []string{`sites 1 and 2 share the id \"a\"`}},
		{"site off the globe", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":1,"sites":[{"id":"a","point":[530000,180000]}]}`, 422, problemCT, []string{"not a longitude, latitude"}},
		{"travel times by name", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":1,"travel_times":"matrix.csv"}`, 400, problemCT, []string{"travel_times"}},
		{"trailing bracket", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":1}]`, 400, problemCT, []string{"data after the JSON value"}},
		{"one good site", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":1,"sites":[{"id":"a","point":[-2,53]}]}`, 200, jsonCT, []string{`"hubs"`}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}
