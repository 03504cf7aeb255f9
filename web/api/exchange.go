package api

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
)

// exportConfiguration writes a configuration as an assignment CSV
// (ward_code, team_id, team_name, locality, locality_name) or JSON.
func (a *api) exportConfiguration(c *gin.Context) {
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	format, err := formatParam(c, "format", "csv", "json")
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("ETag", etag(v.Name, v.Number))
	switch format {
	case "json":
		c.JSON(http.StatusOK, configurationBody{Configuration: v.Configuration, Version: v.Number})
	case "csv":
		var buf bytes.Buffer
		if err := configuration.WriteAssignments(&buf, v.Configuration); err != nil {
			fail(c, err)
			return
		}
		c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-v%d.csv"`, v.Name, v.Number))
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
}
