package api_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/areaindex"
	"github.com/placeteam/placeteam/web/api"
)

// assignServer is the demo city's API with the serve defaults that touch
// bodies: a small MaxBodyBytes and a MaxInFlight (so the middleware
// buffers bodies).
func assignServer(t *testing.T) (*httptest.Server, *dataset.Dataset, map[string]string) {
	t.Helper()
	core, baseline := testCore(t, noJobs)
	srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.DiscardHandler), MaxBodyBytes: 64 << 10, MaxInFlight: 4}))
	t.Cleanup(srv.Close)
	return srv, core.Dataset(), baseline.WardTeams()
}

func post(t *testing.T, url, contentType string, body io.Reader) (*http.Response, string) {
	t.Helper()
	resp, err := http.Post(url, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// wardsSharing returns a vertex two of the demo city's wards share (its
// areas share vertices exactly) and the codes of the wards that have it.
func wardsSharing(t *testing.T, wards []dataset.Ward) (orb.Point, []string) {
	t.Helper()
	owners := map[orb.Point][]string{}
	for _, w := range wards {
		for _, poly := range w.Geometry {
			for _, ring := range poly {
				for _, p := range ring {
					if !slices.Contains(owners[p], w.Code) {
						owners[p] = append(owners[p], w.Code)
					}
				}
			}
		}
	}
	for _, p := range wards[len(wards)-1].Geometry[0][0] {
		if len(owners[p]) >= 2 {
			return p, owners[p]
		}
	}
	t.Fatal("no shared vertex")
	return orb.Point{}, nil
}

func g(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func TestAssignCSV(t *testing.T) {
	srv, ds, wardTeam := assignServer(t)
	l := ds.LSOAs[0]
	for _, x := range ds.LSOAs {
		if x.WardCode != "" {
			l = x
			break
		}
	}
	inside := areaindex.InteriorPoint(l.Geometry)
	vertex, owners := wardsSharing(t, ds.Wards)
	body := "\ufeffref,x,y\n" +
		"a," + g(inside[0]) + "," + g(inside[1]) + "\n" +
		"b," + g(vertex[0]) + "," + g(vertex[1]) + "\n" +
		"c,20,60\n" +
		"d,-2.0,\n" +
		"e,-2.0,91\n"
	resp, out := post(t, srv.URL+"/api/configurations/demo-baseline/assign?lon=x&lat=y&version=1", "text/csv", strings.NewReader(body))
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("status %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), out)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil || len(rows) != 6 {
		t.Fatalf("answer (%v):\n%s", err, out)
	}
	want := []struct{ ward, status, line string }{
		{l.WardCode, "ok", ""},
		{slices.Min(owners), "ok", ""}, // the shared vertex: lowest ward code
		{"", "outside-city", "line 4: "},
		{"", "missing-location", "line 5: "},
		{"", "bad-coordinates", "line 6: "},
	}
	for i, w := range want {
		r := rows[i+1]
		if r[3] != w.ward || r[6] != wardTeam[w.ward] || r[9] != w.status || !strings.HasPrefix(r[10], w.line) {
			t.Errorf("row %s: %v, want ward %s team %s status %s reason %q…", r[0], r, w.ward, wardTeam[w.ward], w.status, w.line)
		}
	}
}

func TestAssignGeoJSON(t *testing.T) {
	srv, ds, wardTeam := assignServer(t)
	p := ds.Practices[0]
	body := fmt.Sprintf(`{"type":"FeatureCollection","features":[
		{"type":"Feature","id":"p","geometry":{"type":"Point","coordinates":[%s,%s]},"properties":{"code":%q}},
		{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":{}}]}`, g(p.Location[0]), g(p.Location[1]), p.Code)
	resp, out := post(t, srv.URL+"/api/configurations/demo-baseline/assign", "application/geo+json", strings.NewReader(body))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("status %d %s: %s", resp.StatusCode, resp.Header.Get("Content-Type"), out)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any
		}
		Summary struct{ Rows, Placed int }
	}
	if err := json.Unmarshal([]byte(out), &fc); err != nil || len(fc.Features) != 2 {
		t.Fatalf("answer (%v): %s", err, out)
	}
	f := fc.Features[0].Properties
	wantStatus := "ok"
	if p.WardCode == "" {
		wantStatus = "outside-city"
	}
	if f["code"] != p.Code || f["status"] != wantStatus || (p.WardCode != "" && (f["ward_code"] != p.WardCode || f["team_id"] != wardTeam[p.WardCode])) {
		t.Errorf("practice %s in %s: %v", p.Code, p.WardCode, f)
	}
	if fc.Features[1].Properties["status"] != "not-a-point" || fc.Summary.Rows != 2 {
		t.Errorf("second feature %v, summary %+v", fc.Features[1].Properties, fc.Summary)
	}
}

// TestAssignStreamsLargeBodies sends 40,000 rows (about 1 MB, past the
// 64 KiB body limit of other requests) in a chunked body and reads every
// row back: the body is read while the answer streams out.
func TestAssignStreamsLargeBodies(t *testing.T) {
	srv, ds, _ := assignServer(t)
	p := areaindex.InteriorPoint(ds.Wards[0].Geometry)
	const n = 40_000
	pr, pw := io.Pipe()
	go func() {
		w := io.Writer(pw)
		io.WriteString(w, "id,lon,lat,padding\n")
		for i := range n {
			fmt.Fprintf(w, "%d,%s,%s,xxxxxxxxxx\n", i, g(p[0]), g(p[1]))
		}
		pw.Close()
	}()
	resp, err := http.Post(srv.URL+"/api/configurations/demo-baseline/assign", "text/csv", pr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	r := csv.NewReader(resp.Body)
	rows, placed := 0, 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rows > 0 && rec[4] == ds.Wards[0].Code && rec[len(rec)-2] == "ok" {
			placed++
		}
		rows++
	}
	if rows != n+1 || placed != n {
		t.Errorf("%d rows back (%d placed in %s), want %d", rows-1, placed, ds.Wards[0].Code, n)
	}
}

func TestAssignProblems(t *testing.T) {
	srv, _, _ := assignServer(t)
	url := srv.URL + "/api/configurations/demo-baseline/assign"
	for _, tt := range []struct {
		name, query, contentType, body string
		status                         int
		says                           string
	}{
		{"missing column", "?lon=x&lat=latitude", "text/csv", "x,y\n1,2\n", http.StatusBadRequest, `line 1: no such column \"latitude\"`},
		{"half a pair", "?lon=x", "text/csv", "x,y\n1,2\n", http.StatusBadRequest, "lon and lat"},
		{"no location columns", "", "text/csv", "a,b\n1,2\n", http.StatusBadRequest, "line 1"},
		{"empty body", "", "text/csv", "", http.StatusBadRequest, "empty"},
		{"not a collection", "", "application/geo+json", `{"type":"Feature"}`, http.StatusBadRequest, "FeatureCollection"},
		{"columns for GeoJSON", "?lon=x&lat=y", "application/geo+json", `{"type":"FeatureCollection","features":[]}`, http.StatusBadRequest, "CSV columns"},
		{"postcodes", "?postcode=pc", "text/csv", "pc\nM1 1AA\n", http.StatusBadRequest, "postcode centroids"},
		{"unknown parameter", "?crs=27700", "text/csv", "x,y\n", http.StatusBadRequest, "crs"},
		{"JSON", "", "application/json", "{}", http.StatusUnsupportedMediaType, "text/csv or application/geo+json"},
		{"bad version", "?version=0", "text/csv", "lon,lat\n", http.StatusBadRequest, "version"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := post(t, url+tt.query, tt.contentType, strings.NewReader(tt.body))
			if resp.StatusCode != tt.status || resp.Header.Get("Content-Type") != problemCT || !strings.Contains(out, tt.says) {
				t.Errorf("status %d %s, want %d with %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), tt.status, tt.says, out)
			}
		})
	}
	resp, out := post(t, srv.URL+"/api/configurations/no-such/assign", "text/csv", strings.NewReader("lon,lat\n"))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown configuration: %d %s", resp.StatusCode, out)
	}
}
