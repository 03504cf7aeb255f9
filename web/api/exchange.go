package api

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/planning"
)

// exportConfiguration writes a configuration as an assignment CSV
// (ward_code, team_id, team_name, locality, locality_name), JSON, or a
// GeoPackage (the file `placeteam export` writes).
func (a *api) exportConfiguration(c *gin.Context) {
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	format, err := formatParam(c, "format", "csv", "json", "gpkg")
	if err != nil {
		fail(c, err)
		return
	}
	// The configuration's own formats are the version's (its ETag); a
	// GeoPackage also holds the dataset's figures and its write time.
	if format != "gpkg" {
		c.Header("ETag", etag(v.Name, v.Number))
	}
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
	case "gpkg":
		a.exportGeoPackage(c, v)
	}
}

// exportGeoPackage answers v as a GeoPackage: the core writes it to a
// temporary file, which is streamed and removed.
func (a *api) exportGeoPackage(c *gin.Context, v planning.Version) {
	dir, err := os.MkdirTemp("", "placeteam-export-")
	if err != nil {
		fail(c, fmt.Errorf("api: export: %w", err))
		return
	}
	defer func() { _ = os.RemoveAll(dir) }()
	path := filepath.Join(dir, "export.gpkg")
	if _, err := a.core.WriteGeoPackage(c.Request.Context(), v, path); err != nil {
		fail(c, err)
		return
	}
	f, err := os.Open(path)
	if err != nil {
		fail(c, fmt.Errorf("api: export: %w", err))
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		fail(c, fmt.Errorf("api: export: %w", err))
		return
	}
	c.DataFromReader(http.StatusOK, info.Size(), "application/geopackage+sqlite3", f, map[string]string{
		"Content-Disposition": fmt.Sprintf(`attachment; filename="%s-v%d.gpkg"`, v.Name, v.Number)})
}
