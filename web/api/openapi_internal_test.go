package api

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestEveryAPIRouteIsDocumented: each /api route the server answers has
// its path and method in the embedded OpenAPI document.
func TestEveryAPIRouteIsDocumented(t *testing.T) {
	gin.SetMode(gin.TestMode)
	engine, ok := New(Config{}).(*gin.Engine)
	if !ok {
		t.Fatal("New does not return a gin engine")
	}
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		t.Fatal(err)
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	n := 0
	for _, r := range engine.Routes() {
		if !strings.HasPrefix(r.Path, "/api/") {
			continue
		}
		n++
		path := param.ReplaceAllString(r.Path, "{$1}")
		method := strings.ToLower(r.Method)
		if method == "head" {
			method = "get" // every GET answers HEAD too; the document says so once
		}
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("%s %s is not in openapi.json", r.Method, path)
		}
	}
	if n < 10 {
		t.Errorf("only %d /api routes found", n)
	}
}
