package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// ready answers /readyz: 200 when the core has its dataset's tables loaded
// and the store answers, 503 with the reason otherwise. /healthz is
// liveness only (the process answers).
func (a *api) ready(c *gin.Context) {
	if err := a.core.Ready(c.Request.Context()); err != nil {
		writeProblem(c, problem{Status: http.StatusServiceUnavailable, Detail: err.Error()})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
