package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
)

// landingOrPage answers / with the map page to browsers (Accept naming
// text/html, no ?f=) and with the OGC landing document otherwise.
func (a *api) landingOrPage(page http.Handler) gin.HandlerFunc {
	return func(c *gin.Context) {
		if page != nil && c.Query("f") == "" && prefersHTML(c.GetHeader("Accept")) {
			page.ServeHTTP(c.Writer, c.Request)
			return
		}
		a.landing(c)
	}
}

// prefersHTML says whether an Accept header lists text/html before any JSON
// type (browsers send text/html first; API clients send JSON or nothing).
func prefersHTML(accept string) bool {
	for _, e := range acceptEntries(accept) {
		switch {
		case e.refused:
		case e.value == "text/html" || e.value == "application/xhtml+xml":
			return true
		case strings.Contains(e.value, "json"):
			return false
		}
	}
	return false
}
