package api

import (
	"errors"
	"log/slog"
	"net/http"
	"os"
	"syscall"
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
		if len(c.Errors) > 0 && !allClientGone(c.Errors) {
			attrs = append(attrs, "error", c.Errors.String())
			logger.Error("request", attrs...)
			return
		}
		if len(c.Errors) > 0 {
			// Nothing went wrong here: the client left, or read too slowly
			// to take the answer within the write timeout.
			attrs = append(attrs, "client_gone", c.Errors.String())
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

// allClientGone reports whether every error is a failed write of the
// answer to a client that closed the connection or stopped reading.
func allClientGone(errs []*gin.Error) bool {
	for _, e := range errs {
		if !errors.Is(e.Err, syscall.EPIPE) && !errors.Is(e.Err, syscall.ECONNRESET) && !errors.Is(e.Err, os.ErrDeadlineExceeded) {
			return false
		}
	}
	return true
}
