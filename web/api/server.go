// Package api is placeteam's HTTP API. For now it serves a health check and
// the store summary; the configuration, feature and tile endpoints follow.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/dataset"
)

// ConfigurationInfo describes a stored configuration.
type ConfigurationInfo struct {
	Name       string    `json:"name"`
	Title      string    `json:"title,omitempty"`
	Version    int       `json:"version"`
	UpdatedAt  time.Time `json:"updated_at"`
	Teams      int       `json:"teams"`
	Localities int       `json:"localities"`
}

// Catalog lists what the store holds; the store satisfies it through a thin
// adapter in cmd.
type Catalog interface {
	Configurations(ctx context.Context) ([]ConfigurationInfo, error)
}

// Config configures a Server.
type Config struct {
	// Summary is the dataset the server was started on.
	Summary dataset.Summary
	Catalog Catalog
	Logger  *slog.Logger
}

// New builds the HTTP handler.
func New(cfg Config) http.Handler {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	r := gin.New()
	r.Use(recoverer(logger), requestLog(logger))
	r.NoRoute(func(c *gin.Context) {
		writeProblem(c, problem{Status: http.StatusNotFound, Title: "Not Found", Detail: "no resource at " + c.Request.URL.Path})
	})
	r.NoMethod(func(c *gin.Context) {
		writeProblem(c, problem{Status: http.StatusMethodNotAllowed, Title: "Method Not Allowed", Detail: c.Request.Method + " is not allowed on " + c.Request.URL.Path})
	})
	r.HandleMethodNotAllowed = true
	r.GET("/healthz", health)
	r.GET("/api/summary", summaryHandler(cfg))
	return r
}
