package api

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// requestLog writes one structured line per request.
func requestLog(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		attrs := []any{
			"method", c.Request.Method, "path", c.Request.URL.Path, "status", c.Writer.Status(),
			"bytes", c.Writer.Size(), "duration_ms", float64(time.Since(start).Microseconds()) / 1000,
		}
		if len(c.Errors) > 0 {
			attrs = append(attrs, "error", c.Errors.String())
			logger.Error("request", attrs...)
			return
		}
		logger.Info("request", attrs...)
	}
}

// recoverer turns a panic in a handler into a 500 problem.
func recoverer(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				logger.Error("panic", "path", c.Request.URL.Path, "panic", r)
				writeProblem(c, problem{Status: http.StatusInternalServerError, Title: "Internal Server Error"})
			}
		}()
		c.Next()
	}
}
