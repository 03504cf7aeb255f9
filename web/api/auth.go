package api

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// Access says who may do what.
type Access struct {
	// Local is single-user mode: every request acts as "local", an admin.
	// For a server on a loopback address with no tokens.
	Local bool
	// PublicRead lets requests without a token read (as "public", a
	// viewer); writes still need a token.
	PublicRead bool
}

// actorKey is where a request's actor is kept in the gin context.
const actorKey = "placeteam.actor"

// clientAddr is the client's address as the connection gives it (proxies'
// headers are not trusted).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// identify finds who a request acts as, from its bearer token (or the
// mode), and puts the actor in the request's context for the core; a
// request with a bad token is refused here, one with none goes on without
// an actor (the route decides whether it needs one).
func (a *api) identify(access Access) gin.HandlerFunc {
	return func(c *gin.Context) {
		from := clientAddr(c.Request)
		var actor *planning.Actor
		switch auth := c.GetHeader("Authorization"); {
		case access.Local:
			actor = &planning.Actor{Name: "local", Role: store.RoleAdmin}
		case auth != "":
			scheme, secret, _ := strings.Cut(auth, " ")
			if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(secret) == "" {
				unauthorized(c, "use Authorization: Bearer <token>")
				return
			}
			got, err := a.core.Authenticate(c.Request.Context(), strings.TrimSpace(secret))
			if errors.Is(err, planning.ErrUnauthenticated) {
				unauthorized(c, err.Error())
				return
			}
			if errors.Is(err, planning.ErrNoRole) {
				// Proven, but the identity provider grants no role here:
				// signing in again will not help.
				writeProblem(c, problem{Status: http.StatusForbidden, Detail: err.Error()})
				c.Abort()
				return
			}
			if err != nil {
				fail(c, err)
				c.Abort()
				return
			}
			actor = &got
		case access.PublicRead && (c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead):
			actor = &planning.Actor{Name: "public", Role: store.RoleViewer}
		}
		if actor != nil {
			actor.From = from
			c.Set(actorKey, *actor)
			c.Request = c.Request.WithContext(planning.WithActor(c.Request.Context(), *actor))
		}
		c.Next()
	}
}

// need refuses a request whose actor lacks role: 401 with no actor, 403
// with too small a role.
func need(role string) gin.HandlerFunc {
	return func(c *gin.Context) {
		v, ok := c.Get(actorKey)
		if !ok {
			unauthorized(c, "this needs a token: Authorization: Bearer <token> (placeteam token create)")
			return
		}
		actor := v.(planning.Actor)
		if store.RoleRank(actor.Role) < store.RoleRank(role) {
			writeProblem(c, problem{Status: http.StatusForbidden,
				Detail: "this needs the " + role + " role; " + actor.Name + " is a " + actor.Role})
			c.Abort()
			return
		}
		c.Next()
	}
}

func unauthorized(c *gin.Context, detail string) {
	c.Header("WWW-Authenticate", `Bearer realm="placeteam"`)
	writeProblem(c, problem{Status: http.StatusUnauthorized, Detail: detail})
	c.Abort()
}

// Roles the routes need.
var (
	viewer = need(store.RoleViewer)
	editor = need(store.RoleEditor)
	admin  = need(store.RoleAdmin)
)

// securityHeaders: no content sniffing, no referrer, and a content
// security policy for the pages served here (the map page loads its
// scripts, styles, tiles and workers from this origin only).
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	c.Next()
}

// whoami says who the request acts as.
func (a *api) whoami(c *gin.Context) {
	v, _ := c.Get(actorKey)
	c.JSON(http.StatusOK, v)
}

// auditTrail lists the audit trail, newest first: ?limit (≤ 1000),
// ?before (an entry id, for the next page), ?target.
func (a *api) auditTrail(c *gin.Context) {
	var q store.AuditQuery
	var err error
	if q.Limit, err = intQuery(c, "limit", 100, 1, 1000); err != nil {
		fail(c, err)
		return
	}
	before, err := intQuery(c, "before", 0, 0, 1<<62)
	if err != nil {
		fail(c, err)
		return
	}
	q.Before, q.Target = int64(before), c.Query("target")
	list, err := a.core.Audit(c.Request.Context(), q)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, gin.H{"entries": list})
}

// intQuery reads an integer query parameter within [lo, hi] (def when
// absent).
func intQuery(c *gin.Context, name string, def, lo, hi int) (int, error) {
	s := c.Query(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(fmt.Sprintf("%s %q: want an integer from %d to %d", name, s, lo, hi))
	}
	return n, nil
}
