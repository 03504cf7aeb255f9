package api_test

// Fuzz targets for the HTTP inputs: the assignment-CSV upload, the moves
// and evaluate bodies, the If-Match header of a save, the scenario body,
// the bbox (and paging) query of feature items and the tile paths.
//
// Each target starts one demo server (server(f)) and sends every input to
// it over HTTP, so successful writes accumulate: a target checks that the
// store is unchanged only around a request that was refused (4xx), by
// comparing a read of the store before and after it. Every answer must
// satisfy fuzzCheck: never a 5xx, and a 4xx is an RFC 9457 problem
// (application/problem+json, a JSON object whose status is the answer's).

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/hubplan"
)

// fuzzAnswer is a response, read whole.
type fuzzAnswer struct {
	status int
	header http.Header
	body   []byte
}

// fuzzClient follows no redirects: a 3xx is an answer like any other.
var fuzzClient = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// fuzzValidHeaderValue reports whether net/http will send v as a header value
// (no control characters but tab): other values are the client's refusal,
// not the server's, so the targets skip them.
func fuzzValidHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// fuzzSend makes one request; path is already escaped. A request net/http
// cannot make at all is fatal: the targets build only valid ones.
func fuzzSend(t testing.TB, srv *httptest.Server, method, path string, headers map[string]string, body []byte) fuzzAnswer {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, r)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := fuzzClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: no answer: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, path, err)
	}
	return fuzzAnswer{resp.StatusCode, resp.Header, b}
}

// fuzzCheck: never 5xx; a 4xx is a problem+json object with its status.
func fuzzCheck(t testing.TB, what string, a fuzzAnswer) {
	t.Helper()
	t.Logf("%.300s: %d", what, a.status)
	if a.status >= 500 {
		t.Fatalf("%s: status %d; body %.2000s", what, a.status, a.body)
	}
	if a.status < 400 {
		return
	}
	ct := a.header.Get("Content-Type")
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != problemCT {
		t.Fatalf("%s: status %d with Content-Type %q, want %s; body %.2000s", what, a.status, ct, problemCT, a.body)
	}
	var p struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}
	if err := json.Unmarshal(a.body, &p); err != nil {
		t.Fatalf("%s: status %d, problem body is not a JSON object (%v): %.2000s", what, a.status, err, a.body)
	}
	if p.Status != a.status || p.Title == "" || p.Type == "" {
		t.Fatalf("%s: status %d, problem %+v", what, a.status, p)
	}
}

// fuzzSnapshot reads a resource that must exist (the store's state around a
// write).
func fuzzSnapshot(t testing.TB, srv *httptest.Server, path string) string {
	t.Helper()
	a := fuzzSend(t, srv, "GET", path, nil, nil)
	if a.status != http.StatusOK {
		t.Fatalf("GET %s: status %d: %.2000s", path, a.status, a.body)
	}
	return string(a.body)
}

// fuzzUnchangedAfter4xx: a refused write left the state as before.
func fuzzUnchangedAfter4xx(t testing.TB, srv *httptest.Server, what string, a fuzzAnswer, path, before string) {
	t.Helper()
	if a.status < 400 || a.status >= 500 {
		return
	}
	if after := fuzzSnapshot(t, srv, path); after != before {
		t.Fatalf("%s: refused with %d (%.500s) but GET %s changed:\nbefore %.2000s\nafter  %.2000s", what, a.status, a.body, path, before, after)
	}
}

// fuzzCheckWards: a configuration body from the API holds every ward of the
// baseline in exactly one team, and no other ward.
func fuzzCheckWards(t testing.TB, what string, body []byte, base *configuration.Configuration) {
	t.Helper()
	var c configuration.Configuration
	if err := json.Unmarshal(body, &c); err != nil {
		t.Fatalf("%s: configuration body: %v: %.2000s", what, err, body)
	}
	count := map[string]int{}
	for _, l := range c.Localities {
		for _, tm := range l.Teams {
			if len(tm.Wards) == 0 {
				t.Fatalf("%s: team %s has no wards", what, tm.ID)
			}
			for _, w := range tm.Wards {
				count[w]++
			}
		}
	}
	want := base.WardTeams()
	if len(count) != len(want) {
		t.Fatalf("%s: %d wards, want %d: %v", what, len(count), len(want), count)
	}
	for w := range want {
		if count[w] != 1 {
			t.Fatalf("%s: ward %s in %d teams", what, w, count[w])
		}
	}
}

// version reads the version of a configuration body.
func (a fuzzAnswer) version(t testing.TB) int {
	t.Helper()
	var v struct{ Version int }
	if err := json.Unmarshal(a.body, &v); err != nil || v.Version < 1 {
		t.Fatalf("no version in %.500s (%v)", a.body, err)
	}
	return v.Version
}

// fuzzBaselineCSV is the baseline as an assignment file.
func fuzzBaselineCSV(t testing.TB, base *configuration.Configuration) []byte {
	var b bytes.Buffer
	if err := configuration.WriteAssignments(&b, base); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzCreateConfigurationCSV posts an assignment CSV (with a fuzzed name
// and title) to POST /api/configurations. Besides fuzzCheck: a refusal
// leaves the configuration list unchanged; a 201 names the configuration
// in Location and holds every ward of the city once.
func FuzzCreateConfigurationCSV(f *testing.F) {
	srv, base := server(f)
	csvBody := fuzzBaselineCSV(f, base)
	ward := base.Localities[0].Teams[0].Wards[0]
	otherWard := base.Localities[0].Teams[0].Wards[1]
	fourColumns := bytes.ReplaceAll(csvBody, []byte(",locality_name\n"), []byte("\n"))
	for _, name := range []string{"North", "Central", "South"} {
		fourColumns = bytes.ReplaceAll(fourColumns, []byte(","+name+"\n"), []byte("\n"))
	}
	f.Add("fuzz-a", "From CSV", csvBody)                                         // valid
	f.Add("fuzz-b", "", append([]byte("\xef\xbb\xbf"), csvBody...))              // with a BOM
	f.Add("fuzz-c", "", bytes.ReplaceAll(csvBody, []byte("\n"), []byte("\r\n"))) // CRLF
	f.Add("fuzz-d", "", fourColumns)                                             // without locality names
	f.Add("demo-baseline", "", csvBody)                                          // name taken: 409
	f.Add("", "", csvBody)                                                       // no name
	f.Add("a b", "", csvBody)                                                    // bad name
	f.Add(strings.Repeat("n", 101), "", csvBody)                                 // name too long
	f.Add("fuzz-e", "", []byte("ward_code,team_id,team_name,locality\n"))        // no rows
	f.Add("fuzz-f", "", []byte(""))
	f.Add("fuzz-g", "", []byte("ward,team\n"))
	f.Add("fuzz-h", "", []byte("ward_code,team_id,team_name,locality\n"+ward+",N1,A,N\n"))                       // wards missing
	f.Add("fuzz-i", "", []byte("ward_code,team_id,team_name,locality\nE05000001,N1,A,N\n"))                      // unknown ward
	f.Add("fuzz-j", "", append(bytes.Clone(csvBody), []byte(ward+",S1,South one,S,South\n")...))                 // ward twice
	f.Add("fuzz-k", "", bytes.Replace(csvBody, []byte(otherWard+",N1,"), []byte(otherWard+",N,"), 1))            // team id = a locality id
	f.Add("fuzz-l", "", bytes.Replace(csvBody, []byte(ward+",N1,"), []byte(`"`+ward+`",N1,`), 1))                // quoted
	f.Add("fuzz-m", "", bytes.Replace(csvBody, []byte(ward+",N1,"), []byte(`"`+ward+`,N1,`), 1))                 // open quote
	f.Add("fuzz-n", "", bytes.Replace(csvBody, []byte(ward+",N1,"), []byte(ward+",N1,,"), 1))                    // extra field
	f.Add("fuzz-o", "", bytes.Replace(csvBody, []byte(ward+",N1,"), []byte(","+"N1,"), 1))                       // empty ward
	f.Add("fuzz-p", "", bytes.Replace(csvBody, []byte("ward_code,team_id"), []byte(" WARD_CODE , Team_Id "), 1)) // header case and spaces
	f.Add("fuzz-q", "", bytes.Replace(csvBody, []byte(ward+",N1,North one"), []byte(ward+",N1,"), 1))            // empty team name
	f.Add("fuzz-r", "", bytes.Replace(csvBody, []byte(ward+",N1,"), []byte(ward+",N1\x00,"), 1))                 // NUL in an id
	f.Add("fuzz-s", "\u00e9\x00", csvBody)                                                                       // odd title
	f.Add("fuzz-t", "", bytes.ReplaceAll(csvBody, []byte(",N,"), []byte(",S,")))                                 // localities merged
	f.Add("fuzz-u", "", bytes.Replace(csvBody, []byte("locality_name\n"), []byte("locality_name,extra\n"), 1))   // six columns
	// No seed over the 64 KiB body limit: its 413 is covered by TestErrors,
	// and inputs that large only slow the fuzzer down.
	f.Fuzz(func(t *testing.T, name, title string, body []byte) {
		q := url.Values{"name": {name}, "title": {title}}
		before := fuzzSnapshot(t, srv, "/api/configurations")
		a := fuzzSend(t, srv, "POST", "/api/configurations?"+q.Encode(), map[string]string{"Content-Type": "text/csv"}, body)
		what := fmt.Sprintf("POST /api/configurations?%s (CSV %q)", q.Encode(), body)
		fuzzCheck(t, what, a)
		fuzzUnchangedAfter4xx(t, srv, what, a, "/api/configurations", before)
		if a.status == http.StatusCreated {
			if loc := a.header.Get("Location"); loc != "/api/configurations/"+name {
				t.Fatalf("%s: Location %q", what, loc)
			}
			fuzzCheckWards(t, what, a.body, base)
		} else if a.status < 400 {
			t.Fatalf("%s: status %d: %.2000s", what, a.status, a.body)
		}
	})
}

// FuzzMovesBody posts a fuzzed moves body to
// POST /api/configurations/demo-baseline/moves (with the current ETag in
// If-Match) or to .../evaluate. Besides fuzzCheck: evaluate never changes
// the versions; a refused save does not either; a saved move makes the
// next version and keeps every ward in exactly one team.
func FuzzMovesBody(f *testing.F) {
	srv, base := server(f)
	w0 := base.Localities[0].Teams[0].Wards[0]
	w1 := base.Localities[0].Teams[0].Wards[1]
	var s4 []string
	for _, tm := range base.Teams() {
		if tm.ID == "S4" {
			for _, w := range tm.Wards {
				s4 = append(s4, `{"ward":"`+w+`","team":"S3"}`)
			}
		}
	}
	empty := `[` + strings.Join(s4, ",") + `]`
	tooMany := `[` + strings.Repeat(`{"ward":"`+w0+`","team":"N2"},`, 1000) + `{"ward":"` + w0 + `","team":"N2"}]`
	for _, evaluate := range []bool{true, false} {
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N2"}],"author":"ann","note":"fuzz"}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N1"}]}`, evaluate) // back (or a no-op)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"C1"},{"ward":"`+w1+`","team":"S2"}],"out_of_city_threshold":0.2}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"C1"},{"ward":"`+w0+`","team":"N1"}]}`, evaluate) // there and back
		f.Add(`{"moves":`+empty+`}`, evaluate)                                                     // empties S4: refused
		f.Add(`{"moves":`+empty+`,"allow_empty_teams":true}`, evaluate)                            // empties S4: allowed
		f.Add(`{"moves":[{"ward":"E05000001","team":"N2"}]}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"Z9"}]}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N"}]}`, evaluate) // a locality
		f.Add(`{"moves":[{"ward":"","team":""}]}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`"}]}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N2","x":1}]}`, evaluate) // unknown field
		f.Add(`{"moves":[{"Ward":"`+w0+`","TEAM":"N2"}]}`, evaluate)       // case-insensitive keys
		f.Add(`{"moves":[]}`, evaluate)
		f.Add(`{"moves":null}`, evaluate)
		f.Add(`{}`, evaluate)
		f.Add(`null`, evaluate)
		f.Add(`[]`, evaluate)
		f.Add(``, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N2"}],"out_of_city_threshold":1}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N2"}],"out_of_city_threshold":-0.1}`, evaluate)
		f.Add(`{"moves":[],"out_of_city_threshold":0.999999}`, evaluate)
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N2"}]}{"moves":[]}`, evaluate) // trailing value
		f.Add(`{"moves":[{"ward":"`+w0+`","team":"N2"}]}]`, evaluate)            // trailing bracket
		f.Add(`{"moves":[{"ward":1,"team":true}]}`, evaluate)
		f.Add(`{"moves":`+tooMany+`}`, evaluate)
	}
	const versions = "/api/configurations/demo-baseline/versions"
	f.Fuzz(func(t *testing.T, body string, evaluate bool) {
		before := fuzzSnapshot(t, srv, versions)
		cur := fuzzSend(t, srv, "GET", "/api/configurations/demo-baseline", nil, nil)
		if cur.status != http.StatusOK {
			t.Fatalf("GET demo-baseline: %d %s", cur.status, cur.body)
		}
		tag := cur.header.Get("ETag")
		path, headers := "/api/configurations/demo-baseline/moves", map[string]string{"Content-Type": "application/json", "If-Match": tag}
		if evaluate {
			path, headers = "/api/configurations/demo-baseline/evaluate", map[string]string{"Content-Type": "application/json"}
		}
		a := fuzzSend(t, srv, "POST", path, headers, []byte(body))
		what := fmt.Sprintf("POST %s %q", path, body)
		fuzzCheck(t, what, a)
		switch {
		case evaluate:
			if after := fuzzSnapshot(t, srv, versions); after != before {
				t.Fatalf("%s: status %d, and evaluate changed the versions", what, a.status)
			}
			if a.status == http.StatusOK && !json.Valid(a.body) {
				t.Fatalf("%s: 200 with a body that is not JSON: %.2000s", what, a.body)
			}
		case a.status >= 400:
			fuzzUnchangedAfter4xx(t, srv, what, a, versions, before)
		case a.status == http.StatusOK:
			var v struct{ Version int }
			if err := json.Unmarshal(a.body, &v); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if want := fmt.Sprintf(`"demo-baseline.v%d"`, cur.version(t)+1); v.Version != cur.version(t)+1 || a.header.Get("ETag") != want {
				t.Fatalf("%s: saved version %d with ETag %q after %q", what, v.Version, a.header.Get("ETag"), tag)
			}
			fuzzCheckWards(t, what, a.body, base)
		default:
			t.Fatalf("%s: status %d: %.2000s", what, a.status, a.body)
		}
	})
}

// fuzzIfMatchWellFormed reports whether h follows If-Match's grammar
// (RFC 9110): "*", or a comma list of entity tags (W/ optional, then
// double-quoted visible bytes other than '"', obs-text included), empty
// elements and spaces or tabs around them allowed. Byte by byte: a regexp
// would read the obs-text bytes as UTF-8.
func fuzzIfMatchWellFormed(h string) bool {
	if h == "*" {
		return true
	}
	for _, elem := range strings.Split(h, ",") {
		elem = strings.Trim(elem, " \t")
		if elem == "" {
			continue
		}
		elem = strings.TrimPrefix(elem, "W/")
		if len(elem) < 2 || elem[0] != '"' || elem[len(elem)-1] != '"' {
			return false
		}
		for i := 1; i < len(elem)-1; i++ {
			if b := elem[i]; b == '"' || b <= ' ' || b == 0x7f {
				return false
			}
		}
	}
	return true
}

// fuzzOtherVersion is a strong ETag of a version of demo-baseline, written
// plainly.
var fuzzOtherVersion = regexp.MustCompile(`^"demo-baseline\.v[1-9][0-9]{0,8}"$`)

// FuzzMovesIfMatch saves a valid move (a ward of N1 toggled between N1 and
// N2) with a fuzzed If-Match. Besides fuzzCheck and "a refusal changes
// no version": a blank header is 428; "*" or exactly the current ETag
// saves (200), a strong ETag of another version of this configuration is
// 412; a header outside If-Match's grammar is 400; anything else is 200 or
// 412, and 200 only when the header names this configuration's version or
// "*".
func FuzzMovesIfMatch(f *testing.F) {
	srv, base := server(f)
	ward := base.Localities[0].Teams[0].Wards[0]
	for _, h := range []string{
		`"demo-baseline.v1"`, `*`, ` * `, `"demo-baseline.v2"`, `W/"demo-baseline.v3"`, `"x", "demo-baseline.v3"`,
		`"demo-baseline.v99"`, `demo-baseline.v4`, `""demo-baseline.v4""`, `"demo-baseline.v-1"`, `"demo-baseline.v+5"`,
		`"demo-baseline.v05"`, `"demo-baseline.v0"`, `"demo-baseline.v99999999999999999999"`, `"demo-baseline.v"`,
		`"other.v1"`, `"demo-baseline"`, `""`, `"`, `,`, `, ,`, ``, "\t", "\u00a0", `*, "demo-baseline.v1"`, `"demo-baseline.v1`,
		`"DEMO-BASELINE.v1"`, `"demo-baseline.V1"`, `"demo-baseline.v 1"`, `"demo-baseline.v1" , W/"demo-baseline.v1"`,
	} {
		f.Add(h)
	}
	const versions = "/api/configurations/demo-baseline/versions"
	f.Fuzz(func(t *testing.T, ifMatch string) {
		if !fuzzValidHeaderValue(ifMatch) {
			return // net/http would not fuzzSend it
		}
		before := fuzzSnapshot(t, srv, versions)
		cur := fuzzSend(t, srv, "GET", "/api/configurations/demo-baseline", nil, nil)
		if cur.status != http.StatusOK {
			t.Fatalf("GET demo-baseline: %d %s", cur.status, cur.body)
		}
		var c struct {
			configuration.Configuration
			Version int `json:"version"`
		}
		if err := json.Unmarshal(cur.body, &c); err != nil {
			t.Fatal(err)
		}
		to := "N1"
		if c.WardTeams()[ward] == "N1" {
			to = "N2"
		}
		body := `{"moves":[{"ward":"` + ward + `","team":"` + to + `"}]}`
		a := fuzzSend(t, srv, "POST", "/api/configurations/demo-baseline/moves", map[string]string{"Content-Type": "application/json", "If-Match": ifMatch}, []byte(body))
		what := fmt.Sprintf("POST moves with If-Match %q (latest v%d)", ifMatch, c.Version)
		fuzzCheck(t, what, a)
		fuzzUnchangedAfter4xx(t, srv, what, a, versions, before)
		// What the answer should be. The header arrives with spaces and
		// tabs trimmed (RFC 9110 field values).
		h := strings.Trim(ifMatch, " \t")
		want := 0 // 200 or 412
		switch {
		case h == "":
			want = http.StatusPreconditionRequired
		case h == "*" || h == fmt.Sprintf(`"demo-baseline.v%d"`, c.Version):
			want = http.StatusOK
		case fuzzOtherVersion.MatchString(h):
			want = http.StatusPreconditionFailed // the current version is the case above
		case !fuzzIfMatchWellFormed(h):
			want = http.StatusBadRequest
		}
		switch {
		case want != 0 && a.status != want:
			t.Fatalf("%s: status %d, want %d: %.2000s", what, a.status, want, a.body)
		case want == http.StatusBadRequest:
			// refused as malformed, checked above
		case a.status != http.StatusOK && a.status != http.StatusPreconditionFailed && a.status != http.StatusPreconditionRequired:
			t.Fatalf("%s: status %d: %.2000s", what, a.status, a.body)
		case a.status == http.StatusPreconditionRequired && h != "":
			t.Fatalf("%s: 428 for a non-blank If-Match", what)
		case a.status == http.StatusOK && !strings.Contains(h, "*") && !strings.Contains(h, "demo-baseline.v"):
			t.Fatalf("%s: saved although If-Match names no version of demo-baseline", what)
		case a.status == http.StatusOK:
			if got, want := a.header.Get("ETag"), fmt.Sprintf(`"demo-baseline.v%d"`, c.Version+1); got != want {
				t.Fatalf("%s: ETag %q, want %q", what, got, want)
			}
			fuzzCheckWards(t, what, a.body, base)
		}
	})
}

// fuzzScenarioRequest mirrors the API's scenario request, to keep the
// fuzzed runs small before they are sent.
type fuzzScenarioRequest struct {
	Name          string `json:"name,omitempty"`
	Configuration string `json:"configuration"`
	hubplan.Options
}

// FuzzScenario posts a fuzzed hub-siting scenario to POST /api/scenarios
// (synchronously). Bodies that would ask for more than 15 hubs beyond one
// per team, 20 extra sites or 50 fixed sites, or are over 8 KiB, are not
// sent (they would only be slow). Besides fuzzCheck: a refusal leaves the
// stored scenarios unchanged; a named run answers 201 with its Location.
func FuzzScenario(f *testing.F) {
	srv, _ := server(f)
	for _, s := range []string{
		`{"configuration":"demo-baseline","k":3}`,
		`{"name":"hubs-12","configuration":"demo-baseline","one_per_team":true,"model":"p-median","weight":"imd"}`,
		`{"configuration":"demo-baseline","k":5,"model":"max-coverage","threshold_km":1}`,
		`{"configuration":"demo-baseline","k":2,"model":"p-centre","weight":"60plus"}`,
		`{"configuration":"demo-baseline","k":0}`,
		`{"configuration":"demo-baseline","k":0,"one_per_team":true,"no_hospitals":true}`,
		`{"configuration":"demo-baseline","k":1,"sites":[{"id":"s1","name":"Site","point":[-2.24,53.48]}],"fixed":["site:s1"]}`,
		`{"configuration":"demo-baseline","k":1,"sites":[{"id":"s1","name":"Site","point":[500,-100]}]}`,
		`{"configuration":"demo-baseline","k":1,"sites":[{"id":"","point":[0,0]},{"id":"","point":[0,0]}]}`,
		`{"configuration":"demo-baseline","k":2,"fixed":["hospital:0","hospital:0"]}`,
		`{"configuration":"demo-baseline","k":3,"threshold_km":1e300}`,
		`{"configuration":"demo-baseline","k":3,"travel_times":"matrix.csv"}`,
		`{"configuration":"demo-baseline","k":3,"fixed":["practice:X1"]}`,
		`{"configuration":"demo-baseline","k":3,"model":"best"}`,
		`{"configuration":"demo-baseline","k":3,"weight":"wealth"}`,
		`{"configuration":"demo-baseline","k":-1}`,
		`{"configuration":"demo-baseline","k":10001}`,
		`{"configuration":"demo-baseline","threshold_km":-1}`,
		`{"configuration":"nope","k":3}`,
		`{"k":3}`,
		`{"name":"a b","configuration":"demo-baseline","k":1}`,
		`{"name":"s-1","configuration":"demo-baseline","k":1,"extra":true}`,
		`{"configuration":"demo-baseline","k":1.5}`,
		`{"configuration":"demo-baseline","k":3}]`,
		`{"configuration":"demo-baseline","k":3}{}`,
		`{"configuration":"demo-baseline","K":2,"Model":"max-coverage"}`,
		`{"configuration":`, `null`, `[]`, ``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if len(body) > 8<<10 {
			return
		}
		// Decode as the server does (its first JSON value, fields matched
		// without regard to case), but leniently: what fails here fails
		// there.
		var req fuzzScenarioRequest
		if err := json.NewDecoder(strings.NewReader(body)).Decode(&req); err == nil {
			if req.K > 15 || len(req.Sites) > 20 || len(req.Fixed) > 50 {
				return
			}
		}
		before := fuzzSnapshot(t, srv, "/api/scenarios")
		a := fuzzSend(t, srv, "POST", "/api/scenarios", map[string]string{"Content-Type": "application/json"}, []byte(body))
		what := fmt.Sprintf("POST /api/scenarios %q", body)
		fuzzCheck(t, what, a)
		fuzzUnchangedAfter4xx(t, srv, what, a, "/api/scenarios", before)
		switch a.status {
		case http.StatusCreated:
			if loc := a.header.Get("Location"); loc != "/api/scenarios/"+req.Name || req.Name == "" {
				t.Fatalf("%s: 201 with Location %q", what, loc)
			}
			fallthrough
		case http.StatusOK:
			if !json.Valid(a.body) {
				t.Fatalf("%s: %d with a body that is not JSON: %.2000s", what, a.status, a.body)
			}
		default:
			if a.status < 400 {
				t.Fatalf("%s: status %d: %.2000s", what, a.status, a.body)
			}
		}
	})
}

// FuzzItems asks /collections/{collection}/items with fuzzed bbox, limit,
// offset and version query parameters. Besides fuzzCheck: a 200 is a
// GeoJSON FeatureCollection with numberReturned features, at most the
// (capped) limit and at most numberMatched.
func FuzzItems(f *testing.F) {
	srv, _ := server(f)
	var doc struct {
		Extent struct {
			Spatial struct{ BBox [][]float64 } `json:"spatial"`
		} `json:"extent"`
	}
	if err := json.Unmarshal([]byte(fuzzSnapshot(f, srv, "/collections/wards")), &doc); err != nil {
		f.Fatal(err)
	}
	bb := doc.Extent.Spatial.BBox[0]
	city := fmt.Sprintf("%g,%g,%g,%g", bb[0], bb[1], bb[2], bb[3])
	part := fmt.Sprintf("%g,%g,%g,%g", bb[0], bb[1], (bb[0]+bb[2])/2, (bb[1]+bb[3])/2)
	point := fmt.Sprintf("%g,%g,%g,%g", bb[0], bb[1], bb[0], bb[1])
	for _, coll := range []string{"wards", "lsoas", "practices", "hospitals", "teams-demo-baseline", "localities-demo-baseline"} {
		f.Add(coll, city, "", "", "")
		f.Add(coll, part, "5", "1", "")
	}
	for _, s := range [][5]string{
		{"wards", point, "", "", ""},
		{"wards", "-180,-90,180,90", "10000", "0", ""},
		{"wards", "-180.0001,-90,180,90", "", "", ""},
		{"wards", "0,0,0,0", "", "", ""},
		{"wards", "1,2,0,3", "", "", ""},
		{"wards", "1,2,3", "", "", ""},
		{"wards", "1,2,3,4,5", "", "", ""},
		{"wards", ",,,", "", "", ""},
		{"wards", "NaN,0,1,1", "", "", ""},
		{"wards", "-Inf,0,+Inf,1", "", "", ""},
		{"wards", "1e400,0,1,1", "", "", ""},
		{"wards", " -2.3 , 53.4 , -2.1 , 53.5 ", "", "", ""},
		{"wards", "0x1p-2,0,1,1", "", "", ""},
		{"wards", "-0,-0,0,0", "", "", ""},
		{"wards", "1_0,0,20,1", "", "", ""},
		{"wards", "", "0", "", ""},
		{"wards", "", "-1", "", ""},
		{"wards", "", "10001", "", ""},
		{"wards", "", "2147483647", "2147483647", ""},
		{"wards", "", "2147483648", "", ""},
		{"wards", "", "1", "-1", ""},
		{"wards", "", "x", "y", ""},
		{"teams-demo-baseline", city, "", "", "1"},
		{"teams-demo-baseline", "", "", "", "2"},
		{"teams-demo-baseline", "", "", "", "0"},
		{"localities-demo-baseline", "", "", "", "x"},
		{"teams-nope", city, "", "", ""},
		{"teams-", "", "", "", ""},
		{"nope", city, "", "", ""},
		{"wards/items", "", "", "", ""},
		{"", "", "", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, collection, bbox, limit, offset, version string) {
		q := url.Values{}
		for k, v := range map[string]string{"bbox": bbox, "limit": limit, "offset": offset, "version": version} {
			if v != "" {
				q.Set(k, v)
			}
		}
		path := "/collections/" + url.PathEscape(collection) + "/items?" + q.Encode()
		a := fuzzSend(t, srv, "GET", path, nil, nil)
		fuzzCheck(t, "GET "+path, a)
		if a.status != http.StatusOK {
			return
		}
		if mt, _, _ := mime.ParseMediaType(a.header.Get("Content-Type")); mt != "application/geo+json" {
			t.Fatalf("GET %s: 200 with Content-Type %q", path, a.header.Get("Content-Type"))
		}
		var fc struct {
			Type           string            `json:"type"`
			Features       []json.RawMessage `json:"features"`
			NumberMatched  int               `json:"numberMatched"`
			NumberReturned int               `json:"numberReturned"`
		}
		if err := json.Unmarshal(a.body, &fc); err != nil {
			t.Fatalf("GET %s: %v: %.2000s", path, err, a.body)
		}
		capped := 100
		if n, err := strconv.Atoi(limit); err == nil {
			capped = min(n, 10000)
		}
		if fc.Type != "FeatureCollection" || fc.NumberReturned != len(fc.Features) || fc.NumberReturned > fc.NumberMatched || fc.NumberReturned > capped {
			t.Fatalf("GET %s: type %q, %d features, numberReturned %d, numberMatched %d (limit %d)", path, fc.Type, len(fc.Features), fc.NumberReturned, fc.NumberMatched, capped)
		}
	})
}

// FuzzTilePath asks /tiles/{configuration}/{z}/{x}/{y} (y normally ends in
// .mvt) with fuzzed path segments and ?version=. Besides fuzzCheck: a
// 200 is a vector tile, and a well-formed tile address out of range is a
// 400.
func FuzzTilePath(f *testing.F) {
	srv, _ := server(f)
	for _, tl := range cityTiles(f, srv.URL, 12)[:2] {
		f.Add("demo-baseline", strconv.Itoa(int(tl.Z)), strconv.Itoa(int(tl.X)), strconv.Itoa(int(tl.Y))+".mvt", "")
		f.Add("demo-baseline", strconv.Itoa(int(tl.Z)), strconv.Itoa(int(tl.X)), strconv.Itoa(int(tl.Y))+".mvt", "1")
	}
	for _, s := range [][5]string{
		{"demo-baseline", "0", "0", "0.mvt", ""},
		{"demo-baseline", "16", "65535", "65535.mvt", ""},
		{"demo-baseline", "17", "0", "0.mvt", ""},
		{"demo-baseline", "1", "2", "0.mvt", ""},
		{"demo-baseline", "1", "0", "2.mvt", ""},
		{"demo-baseline", "-1", "0", "0.mvt", ""},
		{"demo-baseline", "0", "-1", "0.mvt", ""},
		{"demo-baseline", "63", "0", "0.mvt", ""},
		{"demo-baseline", "64", "0", "0.mvt", ""},
		{"demo-baseline", "99999999999999999999", "0", "0.mvt", ""},
		{"demo-baseline", "+1", "+0", "+1.mvt", ""},
		{"demo-baseline", "01", "00", "01.mvt", ""},
		{"demo-baseline", "0x1", "0", "0.mvt", ""},
		{"demo-baseline", " 1", "0", "0.mvt", ""},
		{"demo-baseline", "0", "0", "0", ""},
		{"demo-baseline", "0", "0", "0.png", ""},
		{"demo-baseline", "0", "0", ".mvt", ""},
		{"demo-baseline", "0", "0", "0.mvt.mvt", ""},
		{"demo-baseline", "0", "0", "0.mvt", "2"},
		{"demo-baseline", "0", "0", "0.mvt", "0"},
		{"demo-baseline", "0", "0", "0.mvt", "-1"},
		{"demo-baseline", "0", "0", "0.mvt", "x"},
		{"nope", "0", "0", "0.mvt", ""},
		{"demo-baseline.json", "0", "0", "0.mvt", ""},
		{"", "0", "0", "0.mvt", ""},
		{"demo-baseline", "", "", "", ""},
		{"demo-baseline", "0/0", "0", "0.mvt", ""},
		{"..", "0", "0", "0.mvt", ""},
		{"demo-baseline", "0", "0", "0.mvt/", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	f.Fuzz(func(t *testing.T, config, z, x, y, version string) {
		path := "/tiles/" + url.PathEscape(config) + "/" + url.PathEscape(z) + "/" + url.PathEscape(x) + "/" + url.PathEscape(y)
		if version != "" {
			path += "?version=" + url.QueryEscape(version)
		}
		a := fuzzSend(t, srv, "GET", path, nil, nil)
		fuzzCheck(t, "GET "+path, a)
		if a.status == http.StatusOK {
			if ct := a.header.Get("Content-Type"); ct != "application/vnd.mapbox-vector-tile" {
				t.Fatalf("GET %s: 200 with Content-Type %q", path, ct)
			}
		}
		// A plain decimal tile address out of range is refused as such,
		// whatever the configuration.
		yNum, isMVT := strings.CutSuffix(y, ".mvt")
		zi, errZ := strconv.Atoi(z)
		xi, errX := strconv.Atoi(x)
		yi, errY := strconv.Atoi(yNum)
		plain := isMVT && errZ == nil && errX == nil && errY == nil && config != "" && !strings.ContainsAny(config+z+x+y, "/") && config != "." && config != ".."
		if plain && (zi < 0 || zi > 16 || xi < 0 || yi < 0 || xi >= 1<<zi || yi >= 1<<zi) && a.status != http.StatusBadRequest {
			t.Fatalf("GET %s: tile out of range answered %d, want 400: %.2000s", path, a.status, a.body)
		}
	})
}
