package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/dataset"
)

type summaryBody struct {
	dataset.Summary
	Configurations []ConfigurationInfo `json:"configurations"`
}

func (a *api) summaryHandler(c *gin.Context) {
	configs, err := a.cfg.Store.Configurations(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	if configs == nil {
		configs = []ConfigurationInfo{}
	}
	c.JSON(http.StatusOK, summaryBody{Summary: a.summary, Configurations: configs})
}
