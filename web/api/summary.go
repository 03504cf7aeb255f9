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

func summaryHandler(cfg Config) gin.HandlerFunc {
	return func(c *gin.Context) {
		configs, err := cfg.Catalog.Configurations(c.Request.Context())
		if err != nil {
			internalError(c, err)
			return
		}
		if configs == nil {
			configs = []ConfigurationInfo{}
		}
		c.JSON(http.StatusOK, summaryBody{Summary: cfg.Summary, Configurations: configs})
	}
}
