package api_test

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/web/api"
)

// TestForwardedHeaders: X-Forwarded-* are believed only from a trusted
// proxy (links and the audited address); a public URL fixes every link; a
// host allow-list refuses other hosts with a 421 problem.
func TestForwardedHeaders(t *testing.T) {
	core, base := testCore(t, noJobs)
	ward := base.Localities[0].Teams[0].Wards[0]
	proxy := netip.MustParsePrefix("10.0.0.0/8")
	serve := func(hosts api.Hosts, remote, host string, header map[string]string, method, path, body string) *httptest.ResponseRecorder {
		h := api.New(api.Config{Core: core, Hosts: hosts})
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.RemoteAddr, req.Host = remote, host
		for k, v := range header {
			req.Header.Set(k, v)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	spoof := map[string]string{"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example", "X-Forwarded-For": "203.0.113.9"}
	for _, tc := range []struct {
		name       string
		hosts      api.Hosts
		remote     string
		host       string
		status     int
		want, lack []string
	}{
		{"untrusted peer", api.Hosts{TrustedProxies: []netip.Prefix{proxy}}, "192.0.2.7:5000", "planner.example:8080", 200,
			[]string{`"http://planner.example:8080/collections"`}, []string{"evil.example", "https://"}},
		{"no proxies at all", api.Hosts{}, "10.1.2.3:5000", "planner.example", 200,
			[]string{`"http://planner.example/collections"`}, []string{"evil.example"}},
		{"trusted proxy", api.Hosts{TrustedProxies: []netip.Prefix{proxy}}, "10.1.2.3:5000", "internal:8080", 200,
			[]string{`"https://evil.example/collections"`}, nil},
		{"public URL", api.Hosts{PublicURL: "https://plans.nhs.example/placeteam/"}, "192.0.2.7:5000", "evil.example", 200,
			[]string{`"https://plans.nhs.example/placeteam/collections"`}, []string{"evil.example"}},
		{"host not allowed", api.Hosts{Allowed: []string{"localhost", "127.0.0.1"}}, "127.0.0.1:5000", "rebound.example:8080", 421,
			[]string{`"status":421`, "rebound.example", "localhost, 127.0.0.1"}, nil},
		{"host allowed", api.Hosts{Allowed: []string{"localhost", "127.0.0.1"}}, "127.0.0.1:5000", "LOCALHOST:8080", 200,
			[]string{`"http://LOCALHOST:8080/collections"`}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(tc.hosts, tc.remote, tc.host, spoof, "GET", "/?f=json", "")
			if rec.Code != tc.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
			for _, w := range tc.want {
				if !strings.Contains(rec.Body.String(), w) {
					t.Errorf("body lacks %s: %s", w, rec.Body)
				}
			}
			for _, l := range tc.lack {
				if strings.Contains(rec.Body.String(), l) {
					t.Errorf("body has %s: %s", l, rec.Body)
				}
			}
		})
	}

	// The audited address: the forwarded client only through a trusted
	// proxy (the nearest untrusted hop of the chain), the peer otherwise.
	move := `{"moves":[{"ward":"` + ward + `","team":"N2"}]}`
	trusted := api.Hosts{TrustedProxies: []netip.Prefix{proxy}}
	for i, tc := range []struct {
		remote, xff, want string
	}{
		{"192.0.2.7:5000", "203.0.113.9", "192.0.2.7"},
		{"10.1.2.3:5000", "198.51.100.1, 203.0.113.9, 10.9.9.9", "203.0.113.9"},
	} {
		rec := serve(trusted, tc.remote, "planner.example", map[string]string{"X-Forwarded-For": tc.xff, "If-Match": "*", "Content-Type": "application/json"},
			"POST", "/api/configurations/demo-baseline/moves", strings.Replace(move, "N2", []string{"N2", "N3"}[i], 1))
		if rec.Code != http.StatusOK {
			t.Fatalf("move: %d %s", rec.Code, rec.Body)
		}
		audit := serve(trusted, "192.0.2.7:5000", "planner.example", nil, "GET", "/api/audit?limit=1", "")
		if !strings.Contains(audit.Body.String(), `"from":"`+tc.want+`"`) {
			t.Errorf("X-Forwarded-For %q from %s: audit %s, want from %s", tc.xff, tc.remote, audit.Body, tc.want)
		}
	}
}
