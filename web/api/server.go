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
	r.GET("/healthz", a.health)
	r.GET("/api/summary", a.summaryHandler)

	cfgs := r.Group("/api/configurations")
	cfgs.GET("", a.listConfigurations)
	cfgs.POST("", a.createConfiguration)
	cfgs.GET("/:name", a.getConfiguration)
	cfgs.DELETE("/:name", a.deleteConfiguration)
	cfgs.GET("/:name/versions", a.listVersions)
	cfgs.GET("/:name/versions/:version", a.getVersion)
	cfgs.POST("/:name/moves", a.applyMoves)
	cfgs.POST("/:name/revert", a.revert)
	cfgs.POST("/:name/optimise", a.optimise)
	cfgs.POST("/:name/evaluate", a.evaluate)
	cfgs.GET("/:name/export", a.exportConfiguration)
	cfgs.GET("/:name/profile", a.profile)
	cfgs.GET("/:name/flows", a.flows)
	cfgs.GET("/:name/indicators/:id", a.indicator)
	cfgs.GET("/:name/practice-groups", a.practiceGroups)
	cfgs.GET("/:name/breakdowns/:characteristic", a.breakdown)
	r.GET("/api/indicators", a.listIndicators)
	r.GET("/api/compare", a.compare)
	r.GET("/api/compare/indicators/:id", a.compareIndicator)
	r.POST("/api/scenarios", a.runScenario)
	r.GET("/api/scenarios", a.listScenarios)
	r.GET("/api/scenarios/:name", a.getScenario)
	r.GET("/api/jobs/:id", a.getJob)
	r.DELETE("/api/jobs/:id", a.cancelJob)

	r.GET("/", a.landing)
	r.GET("/api", a.openAPI)
	r.GET("/conformance", a.conformance)
	r.GET("/collections", a.collections)
	r.GET("/collections/:collection", a.getCollection)
	r.GET("/collections/:collection/items", a.items)
	r.GET("/collections/:collection/items/:fid", a.item)

	r.GET("/tiles/:config", a.tileJSON)
	r.GET("/tiles/:config/:z/:x/:y", a.tile)
	r.GET("/styles/:config", a.style)
	return r
}

func (a *api) health(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) }
