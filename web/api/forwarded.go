package api

import (
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
)

// Hosts says which requests' addressing the server believes: the proxies
// whose X-Forwarded-* headers it honours, the host names it answers to,
// and the URL its links use.
type Hosts struct {
	// TrustedProxies are the peers whose X-Forwarded-For, -Host and -Proto
	// are believed (a reverse proxy in front of the server). From any other
	// peer those headers are dropped, so no client can choose the address
	// audited for it or the host its links name.
	TrustedProxies []netip.Prefix
	// Allowed, when set, are the only host names (without port) requests
	// may name in Host; others get 421. Serve sets the loopback names in
	// single-user mode, so that a web page elsewhere cannot reach the
	// server through a DNS name rebound to 127.0.0.1.
	Allowed []string
	// PublicURL, when set, is the scheme and authority (and any path
	// prefix) every link uses, whatever the request says.
	PublicURL string
}

// forwardedHeaders are the headers only a trusted proxy may send.
var forwardedHeaders = []string{"X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Forwarded"}

// forwarded applies h to each request: it drops forwarded headers from
// untrusted peers; from a trusted proxy it takes the client's address from
// X-Forwarded-For (the nearest address that is not itself a trusted proxy)
// and the host from X-Forwarded-Host; then it refuses hosts not allowed.
func forwarded(h Hosts) gin.HandlerFunc {
	trusted := func(addr string) bool {
		ip, err := netip.ParseAddr(addr)
		if err != nil {
			return false
		}
		ip = ip.Unmap()
		return slices.ContainsFunc(h.TrustedProxies, func(p netip.Prefix) bool { return p.Contains(ip) })
	}
	return func(c *gin.Context) {
		r := c.Request
		if peer := clientAddr(r); !trusted(peer) {
			for _, k := range forwardedHeaders {
				r.Header.Del(k)
			}
		} else {
			if client := forwardedClient(r.Header.Values("X-Forwarded-For"), trusted); client != "" {
				r.RemoteAddr = net.JoinHostPort(client, "0")
			}
			if host := lastValue(r.Header.Values("X-Forwarded-Host")); host != "" {
				r.Host = host
			}
		}
		if len(h.Allowed) > 0 && !slices.Contains(h.Allowed, strings.ToLower(hostName(r.Host))) {
			writeProblem(c, problem{Status: http.StatusMisdirectedRequest,
				Detail: "this server does not answer for host " + hostName(r.Host) + "; use one of " + strings.Join(h.Allowed, ", ")})
			c.Abort()
			return
		}
		c.Next()
	}
}

// forwardedClient is the client address X-Forwarded-For gives: walking
// from the nearest hop, the first address that is not a trusted proxy.
func forwardedClient(values []string, trusted func(string) bool) string {
	var hops []string
	for _, v := range values {
		for _, hop := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(hop))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(hops[i])
		if err != nil {
			return "" // not an address: believe none of it
		}
		if !trusted(hops[i]) || i == 0 {
			return ip.Unmap().String()
		}
	}
	return ""
}

// lastValue is the last element of a comma-separated header: the one the
// nearest proxy added.
func lastValue(values []string) string {
	if len(values) == 0 {
		return ""
	}
	parts := strings.Split(values[len(values)-1], ",")
	return strings.TrimSpace(parts[len(parts)-1])
}

// hostName is host without its port (and without IPv6 brackets).
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return strings.Trim(host, "[]")
}
