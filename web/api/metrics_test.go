package api_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

// metric is the value of the sample named name with exactly these labels
// in a Prometheus text exposition, and whether it is there.
func metric(t *testing.T, exposition, name string, labels map[string]string) (float64, bool) {
	t.Helper()
	for _, line := range strings.Split(exposition, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		series, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		got, rest, _ := strings.Cut(series, "{")
		if got != name {
			continue
		}
		have := map[string]string{}
		for _, m := range labelPair.FindAllStringSubmatch(strings.TrimSuffix(rest, "}"), -1) {
			have[m[1]] = m[2]
		}
		if len(have) != len(labels) {
			continue
		}
		match := true
		for k, v := range labels {
			if have[k] != v {
				match = false
			}
		}
		if !match {
			continue
		}
		f, err := strconv.ParseFloat(value, 64)
		if err != nil {
			t.Fatalf("%s: value %q: %v", name, value, err)
		}
		return f, true
	}
	return 0, false
}

var labelPair = regexp.MustCompile(`(\w+)="((?:[^"\\]|\\.)*)"`)

// scrape is the metrics text.
func scrape(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	_, body := do(t, srv, exchange{"metrics", "GET", "/metrics", nil, "", 200, "text/plain", nil})
	return body
}

// TestReadyz: /readyz is 200 on a loaded core and the store answering, 503
// with the reason when the store is closed or no dataset is loaded; like
// /healthz it needs no token.
func TestReadyz(t *testing.T) {
	ctx := context.Background()
	ds, baseline, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: filepath.Join(t.TempDir(), "ready.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.ReplaceDataset(ctx, ds, []*configuration.Configuration{baseline}, store.ImportRecord{Manifest: "demo", Report: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	core, err := planning.New(ctx, planning.Config{Store: st, Dataset: ds})
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	guarded := httptest.NewServer(api.New(api.Config{Core: core, Access: &api.Access{}, Logger: slog.New(slog.DiscardHandler)}))
	defer guarded.Close()
	unloaded := httptest.NewServer(api.New(api.Config{Logger: slog.New(slog.DiscardHandler)}))
	defer unloaded.Close()

	do(t, guarded, exchange{"ready", "GET", "/readyz", nil, "", 200, jsonCT, []string{`"status":"ready"`}})
	do(t, guarded, exchange{"ready head", "HEAD", "/readyz", nil, "", 200, "", nil})
	do(t, guarded, exchange{"metrics need a token", "GET", "/metrics", nil, "", 401, problemCT, nil})
	do(t, unloaded, exchange{"not loaded", "GET", "/readyz", nil, "", 503, problemCT, []string{"not loaded"}})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	do(t, guarded, exchange{"store closed", "GET", "/readyz", nil, "", 503, problemCT, []string{"store does not answer"}})
	do(t, guarded, exchange{"still alive", "GET", "/healthz", nil, "", 200, jsonCT, nil})
}

// TestMetrics: after a few requests /metrics counts them by route template
// and status, times them, counts tile-cache hits and queued jobs, and keeps
// one label value for every unknown path.
func TestMetrics(t *testing.T) {
	srv, _ := serverWithJobs(t, queueOnly)
	tile := cityTiles(t, srv.URL, 10)[0]
	tilePath := fmt.Sprintf("/tiles/demo-baseline/%d/%d/%d.mvt", tile.Z, tile.X, tile.Y)
	for _, x := range []exchange{
		{"list", "GET", "/api/configurations", nil, "", 200, jsonCT, nil},
		{"one", "GET", "/api/configurations/demo-baseline", nil, "", 200, jsonCT, nil},
		{"missing", "GET", "/api/configurations/nope", nil, "", 404, problemCT, nil},
		{"missing again", "GET", "/api/configurations/nada", nil, "", 404, problemCT, nil},
		{"tile", "GET", tilePath, nil, "", 200, "", nil},
	} {
		do(t, srv, x)
	}
	before := scrape(t, srv)
	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"placeteam_http_requests_total", map[string]string{"route": "/api/configurations", "method": "GET", "code": "200"}, 1},
		{"placeteam_http_requests_total", map[string]string{"route": "/api/configurations/:name", "method": "GET", "code": "200"}, 1},
		{"placeteam_http_requests_total", map[string]string{"route": "/api/configurations/:name", "method": "GET", "code": "404"}, 2},
		{"placeteam_http_request_duration_seconds_count", map[string]string{"route": "/api/configurations/:name", "method": "GET"}, 3},
		{"placeteam_http_requests_in_flight", map[string]string{}, 1}, // the scrape itself
	} {
		if got, ok := metric(t, before, c.name, c.labels); !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	if _, ok := metric(t, before, "placeteam_http_request_duration_seconds_bucket",
		map[string]string{"route": "/api/configurations", "method": "GET", "le": "+Inf"}); !ok {
		t.Error("no latency histogram buckets for /api/configurations")
	}
	if !strings.Contains(before, "go_goroutines") || !strings.Contains(before, "process_cpu_seconds_total") {
		t.Error("no Go runtime or process metrics")
	}
	if strings.Contains(before, "demo-baseline") || strings.Contains(before, "/nope") {
		t.Error("a raw URL leaked into a label")
	}

	tileHit := map[string]string{"cache": "tiles", "result": "hit"}
	hitsBefore, _ := metric(t, before, "placeteam_cache_lookups_total", tileHit)
	do(t, srv, exchange{"tile again", "GET", tilePath, nil, "", 200, "", nil})
	do(t, srv, exchange{"queue", "POST", "/api/scenarios", async, `{"configuration":"demo-baseline","k":2}`, 202, jsonCT, nil})
	for i := range 100 {
		do(t, srv, exchange{"unknown", "GET", fmt.Sprintf("/no/such/path/%d", i), nil, "", 404, problemCT, nil})
	}
	after := scrape(t, srv)
	if hits, _ := metric(t, after, "placeteam_cache_lookups_total", tileHit); hits <= hitsBefore {
		t.Errorf("tile cache hits %v after a repeated tile, were %v", hits, hitsBefore)
	}
	if got, _ := metric(t, after, "placeteam_jobs_total", map[string]string{"kind": planning.JobSiting, "state": "queued"}); got != 1 {
		t.Errorf("queued siting jobs %v, want 1", got)
	}
	if got, _ := metric(t, after, "placeteam_http_requests_total", map[string]string{"route": "unmatched", "method": "GET", "code": "404"}); got != 100 {
		t.Errorf("unmatched 404s %v, want 100", got)
	}
	if n := strings.Count(after, "placeteam_http_requests_total{"); n > 12 {
		t.Errorf("%d request series after 100 unknown paths: the label set grows", n)
	}
	if strings.Contains(after, "/no/such") {
		t.Error("an unknown path became a label")
	}
}

// TestMetricsElsewhere: with MetricsElsewhere the API has no /metrics and
// the caller's handler serves the same registry.
func TestMetricsElsewhere(t *testing.T) {
	core, _ := testCore(t, noJobs)
	metrics := api.NewMetrics(core)
	srv := httptest.NewServer(api.New(api.Config{Core: core, Metrics: metrics, MetricsElsewhere: true, Logger: slog.New(slog.DiscardHandler)}))
	defer srv.Close()
	side := httptest.NewServer(metrics.Handler())
	defer side.Close()
	do(t, srv, exchange{"no metrics route", "GET", "/metrics", nil, "", 404, problemCT, nil})
	do(t, srv, exchange{"summary", "GET", "/api/summary", nil, "", 200, jsonCT, nil})
	_, body := do(t, side, exchange{"side listener", "GET", "/metrics", nil, "", 200, "text/plain", nil})
	if got, _ := metric(t, body, "placeteam_http_requests_total", map[string]string{"route": "/api/summary", "method": "GET", "code": "200"}); got != 1 {
		t.Errorf("summary requests %v on the side listener, want 1", got)
	}
}
