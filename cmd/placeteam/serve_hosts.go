package main

import (
	"fmt"
	"net/netip"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/web/api"
)

// hostFlags are serve's settings for proxies, host names and links.
type hostFlags struct {
	trustedProxies []string
	allowedHosts   []string
	publicURL      string
}

func (f *hostFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringSliceVar(&f.trustedProxies, "trusted-proxies", nil, "addresses or CIDR prefixes of reverse proxies whose X-Forwarded-For/-Host/-Proto are believed (from anyone else they are dropped)")
	cmd.Flags().StringSliceVar(&f.allowedHosts, "allowed-hosts", nil, "host names requests may name (others get 421); default: the loopback names in single-user mode, the --public-url host when set, else any")
	cmd.Flags().StringVar(&f.publicURL, "public-url", "", "the URL users reach the server at (e.g. https://plans.example.org/placeteam): every link uses it")
}

// hosts checks the flags and gives the API's settings. In single-user mode
// on a loopback address only loopback host names are answered unless --allowed-hosts says
// otherwise: everything is allowed there, so a page on another site must
// not reach the server through a DNS name rebound to 127.0.0.1.
func (f *hostFlags) hosts(access *api.Access, onLoopback bool) (api.Hosts, error) {
	var h api.Hosts
	for _, s := range f.trustedProxies {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return h, fmt.Errorf("--trusted-proxies %q: want an address (10.0.0.1) or a prefix (10.0.0.0/8)", s)
			}
			p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen())
		}
		h.TrustedProxies = append(h.TrustedProxies, p.Masked())
	}
	if f.publicURL != "" {
		u, err := url.Parse(f.publicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return h, fmt.Errorf("--public-url %q: want http(s)://host[:port][/path]", f.publicURL)
		}
		h.PublicURL = strings.TrimSuffix(u.String(), "/")
	}
	for _, s := range f.allowedHosts {
		h.Allowed = append(h.Allowed, strings.ToLower(strings.TrimSpace(s)))
	}
	switch {
	case len(h.Allowed) > 0:
	case access != nil && access.Local && onLoopback:
		h.Allowed = []string{"localhost", "127.0.0.1", "::1"}
		if h.PublicURL != "" {
			u, _ := url.Parse(h.PublicURL)
			h.Allowed = append(h.Allowed, strings.ToLower(u.Hostname()))
		}
	case h.PublicURL != "":
		u, _ := url.Parse(h.PublicURL)
		h.Allowed = []string{strings.ToLower(u.Hostname())}
	}
	return h, nil
}
