package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

//go:embed openapi.json
var openAPIDocument []byte

func (a *api) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/vnd.oai.openapi+json;version=3.0", openAPIDocument)
}
