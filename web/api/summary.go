package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
)

type summaryBody struct {
	dataset.Summary
	Configurations []store.ConfigurationInfo `json:"configurations"`
}

func (a *api) summaryHandler(c *gin.Context) {
	if _, err := formatParam(c, "format", "json"); err != nil {
		fail(c, err)
		return
	}
	configs, err := a.core.Configurations(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, summaryBody{Summary: a.core.Summary(), Configurations: configs})
}
