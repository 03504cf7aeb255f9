package api

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"
)

// cors answers cross-origin requests from the allowed origins ("*" for
// any), including preflight OPTIONS requests. With no origins configured it
// adds nothing.
func cors(origins []string) gin.HandlerFunc {
	any := slices.Contains(origins, "*")
	return func(c *gin.Context) {
		origin := c.GetHeader("Origin")
		if len(origins) > 0 && !any {
			c.Writer.Header().Add("Vary", "Origin")
		}
		if origin == "" || len(origins) == 0 || (!any && !slices.Contains(origins, origin)) {
			c.Next()
			return
		}
		h := c.Writer.Header()
		if any {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		h.Set("Access-Control-Expose-Headers", "ETag, Location")
		if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, If-Match, If-None-Match")
			h.Set("Access-Control-Max-Age", "600")
			c.AbortWithStatus(http.StatusNoContent)
			return
		}
		c.Next()
	}
}
