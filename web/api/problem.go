package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}

func writeProblem(c *gin.Context, p problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Instance == "" {
		p.Instance = c.Request.URL.Path
	}
	c.Header("Content-Type", "application/problem+json")
	c.AbortWithStatusJSON(p.Status, p)
}

func internalError(c *gin.Context, err error) {
	_ = c.Error(err)
	writeProblem(c, problem{Status: http.StatusInternalServerError, Title: "Internal Server Error", Detail: "the server could not answer this request"})
}
