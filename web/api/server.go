// Package api is placeteam's HTTP API: team configurations as versioned
// resources with ward moves and what-if evaluation, place profiles, flows and
// comparisons as JSON and CSV. Errors are RFC 9457 problem details.
package api

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/planning"
)

// DefaultMaxBodyBytes limits request bodies.
const DefaultMaxBodyBytes = 1 << 20

// Config configures the API.
type Config struct {
	// Core answers every request: the handlers decode, call it, encode.
	Core   *planning.Service
	Logger *slog.Logger
	// MaxBodyBytes limits request bodies; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// AllowedOrigins enables CORS for these origins ("*" for any).
	AllowedOrigins []string
	// Access says who may do what; nil is single-user mode (everything
	// allowed, as "local"), which serve uses only on a loopback address
	// with no tokens.
	Access *Access
	// Hosts says which proxies, host names and public URL to believe.
	Hosts Hosts
	// MaxInFlight caps the requests handled at once (/healthz aside):
	// beyond it, 503 with Retry-After at once. Zero: no cap (serve uses
	// DefaultMaxInFlight).
	MaxInFlight int
	// RequestTimeout is the deadline of each request's context, job
	// endpoints aside: a computation past it answers 503. Zero: none.
	RequestTimeout time.Duration
	// WriteRate limits each identity's writes (POST, PUT, PATCH, DELETE)
	// to this many a second, in bursts of WriteBurst: beyond it, 429 with
	// Retry-After. Zero: no limit. Single-user mode is never limited.
	WriteRate  float64
	WriteBurst int
	// Page, when set, serves the map page: / to browsers and /map/….
	Page http.Handler
	// Metrics counts and times the requests (nil: New makes its own);
	// /metrics serves them to viewers unless MetricsElsewhere, when the
	// caller serves Metrics.Handler on a listener of its own.
	Metrics          *Metrics
	MetricsElsewhere bool
}

// api holds the handlers' dependencies; it keeps no state of its own.
type api struct {
	core      *planning.Service
	maxBody   int64
	publicURL string
}

// New builds the HTTP handler.
func New(cfg Config) http.Handler {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a := &api{core: cfg.Core, maxBody: cfg.MaxBodyBytes, publicURL: strings.TrimSuffix(cfg.Hosts.PublicURL, "/")}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	metrics := cfg.Metrics
	if metrics == nil {
		metrics = NewMetrics(cfg.Core)
	}
	r.Use(metrics.observe)
	r.Use(forwarded(cfg.Hosts))
	r.Use(recoverer(logger), requestLog(logger), cors(cfg.AllowedOrigins),
		limitInFlight(cfg.MaxInFlight, a.maxBody), requestDeadline(cfg.RequestTimeout))
	r.NoRoute(func(c *gin.Context) {
		writeProblem(c, problem{Status: http.StatusNotFound, Detail: "no resource at " + c.Request.URL.Path})
	})
	r.NoMethod(func(c *gin.Context) {
		writeProblem(c, problem{Status: http.StatusMethodNotAllowed, Detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path})
	})
	access := Access{Local: true}
	if cfg.Access != nil {
		access = *cfg.Access
	}
	r.Use(securityHeaders, a.identify(access))
	if cfg.WriteRate > 0 && !access.Local {
		r.Use(newWriteLimiter(cfg.WriteRate, cfg.WriteBurst).limitWrites)
	}
	get(r, "/healthz", a.health)
	get(r, "/readyz", a.ready)
	if !cfg.MetricsElsewhere {
		get(r, "/metrics", viewer, gin.WrapH(metrics.Handler()))
	}
	get(r, "/", a.landingOrPage(cfg.Page))
	if cfg.Page != nil {
		get(r, "/map/*file", gin.WrapH(cfg.Page))
	}
	get(r, "/api", a.openAPI)
	get(r, "/conformance", a.conformance)

	get(r, "/api/summary", viewer, a.summaryHandler)
	cfgs := r.Group("/api/configurations")
	get(cfgs, "", viewer, a.listConfigurations)
	cfgs.POST("", editor, a.createConfiguration)
	get(cfgs, "/:name", viewer, a.getConfiguration)
	cfgs.DELETE("/:name", admin, a.deleteConfiguration)
	cfgs.POST("/:name/restore", admin, a.restoreConfiguration)
	get(r, "/api/deleted-configurations", admin, a.deletedConfigurations)
	get(cfgs, "/:name/versions", viewer, a.listVersions)
	get(cfgs, "/:name/versions/:version", viewer, a.getVersion)
	cfgs.POST("/:name/moves", editor, a.applyMoves)
	cfgs.POST("/:name/revert", editor, a.revert)
	cfgs.POST("/:name/optimise", editor, a.optimise)
	cfgs.POST("/:name/evaluate", viewer, a.evaluate) // a what-if: nothing is written
	cfgs.POST("/:name/assign", viewer, a.assignPoints)
	cfgs.POST("/:name/carry", viewer, a.carryConfiguration) // a what-if: nothing is written
	get(cfgs, "/:name/export", viewer, a.exportConfiguration)
	get(cfgs, "/:name/profile", viewer, a.profile)
	get(cfgs, "/:name/report", viewer, a.placeReport)
	get(cfgs, "/:name/flows", viewer, a.flows)
	get(cfgs, "/:name/indicators/:id", viewer, a.indicator)
	get(cfgs, "/:name/practice-groups", viewer, a.practiceGroups)
	get(cfgs, "/:name/breakdowns/:characteristic", viewer, a.breakdown)
	get(r, "/api/indicators", viewer, a.listIndicators)
	get(r, "/api/compare", viewer, a.compare)
	get(r, "/api/compare/indicators/:id", viewer, a.compareIndicator)
	r.POST("/api/scenarios", editor, a.runScenario)
	get(r, "/api/scenarios", viewer, a.listScenarios)
	get(r, "/api/scenarios/:name", viewer, a.getScenario)
	get(r, "/api/jobs/:id", viewer, a.getJob)
	r.DELETE("/api/jobs/:id", editor, a.cancelJob)
	get(r, "/api/audit", admin, a.auditTrail)
	get(r, "/api/whoami", viewer, a.whoami)

	get(r, "/collections", viewer, a.collections)
	get(r, "/collections/:collection", viewer, a.getCollection)
	get(r, "/collections/:collection/items", viewer, a.items)
	get(r, "/collections/:collection/items/:fid", viewer, a.item)

	get(r, "/tiles/:config", viewer, a.tileJSON)
	get(r, "/tiles/:config/:z/:x/:y", viewer, a.tile)
	get(r, "/styles/:config", viewer, a.style)
	get(r, "/values/:config/:layer", viewer, a.mapValues)
	return r
}

func (a *api) health(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }

// get routes GET and HEAD to the same handlers: net/http sends a HEAD
// answer's headers and drops its body.
func get(r gin.IRoutes, path string, handlers ...gin.HandlerFunc) {
	r.GET(path, handlers...)
	r.HEAD(path, handlers...)
}
