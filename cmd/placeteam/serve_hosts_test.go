package main

import (
	"net/netip"
	"reflect"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/web/api"
)

// TestHostFlags: proxies parse as addresses or prefixes, the public URL is
// checked, and single-user mode on loopback answers only loopback names.
func TestHostFlags(t *testing.T) {
	local, tokens := &api.Access{Local: true}, &api.Access{}
	for _, tc := range []struct {
		name     string
		flags    hostFlags
		access   *api.Access
		loopback bool
		want     api.Hosts
		err      string
	}{
		{"local on loopback", hostFlags{}, local, true, api.Hosts{Allowed: []string{"localhost", "127.0.0.1", "::1"}}, ""},
		{"open server", hostFlags{}, local, false, api.Hosts{}, ""},
		{"tokens", hostFlags{}, tokens, false, api.Hosts{}, ""},
		{"proxies", hostFlags{trustedProxies: []string{"10.0.0.0/8", "192.0.2.7", "10.1.2.3/8"}}, tokens, false,
			api.Hosts{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("10.0.0.0/8")}}, ""},
		{"public URL", hostFlags{publicURL: "https://Plans.example.org/placeteam/"}, tokens, false,
			api.Hosts{PublicURL: "https://Plans.example.org/placeteam", Allowed: []string{"plans.example.org"}}, ""},
		{"explicit hosts", hostFlags{allowedHosts: []string{"Plans.example.org"}}, local, true, api.Hosts{Allowed: []string{"plans.example.org"}}, ""},
		{"bad proxy", hostFlags{trustedProxies: []string{"proxy.local"}}, tokens, false, api.Hosts{}, "--trusted-proxies"},
		{"bad URL", hostFlags{publicURL: "plans.example.org"}, tokens, false, api.Hosts{}, "--public-url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.flags.hosts(tc.access, tc.loopback)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one naming %s", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("hosts = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}
