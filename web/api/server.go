// Package api is placeteam's HTTP API: team configurations as versioned
// resources with ward moves and what-if evaluation, place profiles, flows and
// comparisons as JSON and CSV. Errors are RFC 9457 problem details.
package api

import (
	"log/slog"
	"net/http"

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
}

// api holds the handlers' dependencies; it keeps no state of its own.
type api struct {
	core    *planning.Service
	maxBody int64
}

// New builds the HTTP handler.
func New(cfg Config) http.Handler {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a := &api{core: cfg.Core, maxBody: cfg.MaxBodyBytes}
	if a.maxBody <= 0 {
		a.maxBody = DefaultMaxBodyBytes
	}
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.Use(recoverer(logger), requestLog(logger), cors(cfg.AllowedOrigins))
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
	r.GET("/healthz", a.health)
	r.GET("/", a.landing)
	r.GET("/api", a.openAPI)
	r.GET("/conformance", a.conformance)

	r.GET("/api/summary", viewer, a.summaryHandler)
	cfgs := r.Group("/api/configurations")
	cfgs.GET("", viewer, a.listConfigurations)
	cfgs.POST("", editor, a.createConfiguration)
	cfgs.GET("/:name", viewer, a.getConfiguration)
	cfgs.DELETE("/:name", admin, a.deleteConfiguration)
	cfgs.GET("/:name/versions", viewer, a.listVersions)
	cfgs.GET("/:name/versions/:version", viewer, a.getVersion)
	cfgs.POST("/:name/moves", editor, a.applyMoves)
	cfgs.POST("/:name/revert", editor, a.revert)
	cfgs.POST("/:name/optimise", editor, a.optimise)
	cfgs.POST("/:name/evaluate", viewer, a.evaluate) // a what-if: nothing is written
	cfgs.GET("/:name/export", viewer, a.exportConfiguration)
	cfgs.GET("/:name/profile", viewer, a.profile)
	cfgs.GET("/:name/flows", viewer, a.flows)
	cfgs.GET("/:name/indicators/:id", viewer, a.indicator)
	cfgs.GET("/:name/practice-groups", viewer, a.practiceGroups)
	cfgs.GET("/:name/breakdowns/:characteristic", viewer, a.breakdown)
	r.GET("/api/indicators", viewer, a.listIndicators)
	r.GET("/api/compare", viewer, a.compare)
	r.GET("/api/compare/indicators/:id", viewer, a.compareIndicator)
	r.POST("/api/scenarios", editor, a.runScenario)
	r.GET("/api/scenarios", viewer, a.listScenarios)
	r.GET("/api/scenarios/:name", viewer, a.getScenario)
	r.GET("/api/jobs/:id", viewer, a.getJob)
	r.DELETE("/api/jobs/:id", editor, a.cancelJob)
	r.GET("/api/audit", admin, a.auditTrail)
	r.GET("/api/whoami", viewer, a.whoami)

	r.GET("/collections", viewer, a.collections)
	r.GET("/collections/:collection", viewer, a.getCollection)
	r.GET("/collections/:collection/items", viewer, a.items)
	r.GET("/collections/:collection/items/:fid", viewer, a.item)

	r.GET("/tiles/:config", viewer, a.tileJSON)
	r.GET("/tiles/:config/:z/:x/:y", viewer, a.tile)
	r.GET("/styles/:config", viewer, a.style)
	return r
}

func (a *api) health(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }
