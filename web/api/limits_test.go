package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/placeteam/placeteam/web/api"
)

// TestWriteRateLimit: with a rate of 1 a second in bursts of 3, a token's
// fourth write at once is 429 with Retry-After and a problem body; its
// reads and another token's writes are unaffected; single-user mode is
// never limited.
func TestWriteRateLimit(t *testing.T) {
	core, _ := testCore(t, noJobs)
	ctx := context.Background()
	ann, _, err := core.CreateToken(ctx, "ann", "editor", 0)
	if err != nil {
		t.Fatal(err)
	}
	bob, _, err := core.CreateToken(ctx, "bob", "editor", 0)
	if err != nil {
		t.Fatal(err)
	}
	newServer := func(access api.Access) *httptest.Server {
		srv := httptest.NewServer(api.New(api.Config{Core: core, Access: &access, Logger: slog.New(slog.DiscardHandler), WriteRate: 1, WriteBurst: 3}))
		t.Cleanup(srv.Close)
		return srv
	}
	// A write refused by its handler (malformed JSON) still counts: the
	// limit is on what a token sends.
	write := func(srv *httptest.Server, secret string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("POST", srv.URL+"/api/configurations", strings.NewReader(`{"name":`))
		req.Header.Set("Content-Type", "application/json")
		if secret != "" {
			req.Header.Set("Authorization", "Bearer "+secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp
	}
	srv := newServer(api.Access{})
	for i := range 3 {
		if resp := write(srv, ann); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("ann's write %d: %d, want 400 (within the burst)", i+1, resp.StatusCode)
		}
	}
	resp, body := do(t, srv, exchange{"past the burst", "POST", "/api/configurations", map[string]string{"Authorization": "Bearer " + ann}, `{"name":`,
		429, problemCT, []string{`"status":429`, "ann has sent too many writes", "at most 1 a second, in bursts of 3"}})
	if ra := resp.Header.Get("Retry-After"); ra != "1" {
		t.Errorf("Retry-After %q, want 1; %s", ra, body)
	}
	do(t, srv, exchange{"ann still reads", "GET", "/api/configurations", map[string]string{"Authorization": "Bearer " + ann}, "", 200, jsonCT, nil})
	if resp := write(srv, bob); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("bob's first write: %d, want 400 (not limited by ann's)", resp.StatusCode)
	}
	if resp := write(srv, ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a write with no token: %d, want 401", resp.StatusCode)
	}
	local := newServer(api.Access{Local: true})
	for i := range 6 {
		if resp := write(local, ""); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("single-user write %d: %d, want 400 (never limited)", i+1, resp.StatusCode)
		}
	}
}

// TestRequestDeadline: with a tiny request timeout a computed answer (a
// hub-siting run) is 503 "took too long"; the job endpoints (a queued run,
// the job, an optimiser run) are not subject to it.
func TestRequestDeadline(t *testing.T) {
	core, _ := testCore(t, queueOnly)
	srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.DiscardHandler), RequestTimeout: time.Nanosecond}))
	t.Cleanup(srv.Close)
	scenario := `{"configuration":"demo-baseline","k":2}`
	for _, x := range []exchange{
		{"computed", "POST", "/api/scenarios", nil, scenario, 503, problemCT, []string{`"status":503`, "took too long"}},
		{"computed read", "GET", "/api/configurations/demo-baseline/profile?out_of_city_threshold=0.2", nil, "", 503, problemCT, []string{"took too long"}},
		{"queued", "POST", "/api/scenarios", map[string]string{"Prefer": "respond-async"}, scenario, 202, jsonCT, []string{`"state":"queued"`}},
		{"the job", "GET", "/api/jobs/1", nil, "", 200, jsonCT, []string{`"id":1`}},
		{"optimiser", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"min_local"}`, 202, jsonCT, []string{`"id":2`}},
		{"health", "GET", "/healthz", nil, "", 200, jsonCT, nil},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}

// TestOversizedHeaders: headers past the limit are 431 with a problem
// body; far past it (past net/http's own limit, twice ours) net/http
// answers 431 itself, as text/plain, before any handler runs.
func TestOversizedHeaders(t *testing.T) {
	core, _ := testCore(t, noJobs)
	srv := startLoopback(t, core, api.Config{}, api.ServerConfig{MaxHeaderBytes: 8 << 10})
	for _, tc := range []struct {
		name        string
		header      int
		status      int
		contentType string
	}{
		{"within", 6 << 10, 200, "application/json"},
		{"past ours", 12 << 10, 431, "application/problem+json"},
		{"past net/http's", 24 << 10, 431, "text/plain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.url+"/healthz", nil)
			req.Header.Set("X-Padding", strings.Repeat("p", tc.header))
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.contentType) {
				t.Errorf("%d, %s: %s; want %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"), b, tc.status, tc.contentType)
			}
			if tc.contentType == "application/problem+json" && !strings.Contains(string(b), "at most 8192 are accepted") {
				t.Errorf("problem body %s", b)
			}
		})
	}
}
