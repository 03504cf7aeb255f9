package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/carry"
)

// carryRequest is the body of POST /api/configurations/{name}/carry.
type carryRequest struct {
	// Wards is the new ward set: a GeoJSON FeatureCollection of polygons
	// (WGS 84, or British National Grid named by its crs member).
	Wards json.RawMessage `json:"wards"`
	// CodeProperty and NameProperty name each ward's code and name
	// properties (default: found in the features, as the CLI does).
	CodeProperty string `json:"code_property"`
	NameProperty string `json:"name_property"`
	// Lookup, when given, is a best-fit LSOA code → new ward code lookup
	// used instead of the boundaries' overlap.
	Lookup   map[string]string `json:"lookup"`
	MinPiece float64           `json:"min_piece"`
	Name     string            `json:"name"`
	Title    string            `json:"title"`
}

// carryConfiguration carries a version (?version=N, default the latest)
// to the ward set in the body, as `placeteam carry` does: JSON (each new
// ward's team and share, split wards, team residents under both ward sets)
// or, with ?format=yaml, the carried configuration file. Nothing is written.
func (a *api) carryConfiguration(c *gin.Context) {
	if err := onlyQuery(c, "version", "format"); err != nil {
		fail(c, err)
		return
	}
	format, err := formatParam(c, "format", "json", "yaml")
	if err != nil {
		fail(c, err)
		return
	}
	var req carryRequest
	if err := a.decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if len(req.Wards) == 0 || string(req.Wards) == "null" {
		fail(c, badRequest(`give the new wards: {"wards": {"type": "FeatureCollection", "features": [...]}}`))
		return
	}
	if req.Name != "" && !validName(req.Name) {
		fail(c, badRequest(fmt.Sprintf("name %q: use letters, digits, '-', '_' and '.'", req.Name)))
		return
	}
	wards, err := carry.DecodeWards(bytes.NewReader(req.Wards), carry.WardFile{Path: "wards", CodeProperty: req.CodeProperty, NameProperty: req.NameProperty})
	if err != nil {
		fail(c, &httpError{http.StatusUnprocessableEntity, err.Error()})
		return
	}
	v, err := a.versionFrom(c, c.Param("name"), "version")
	if err != nil {
		fail(c, err)
		return
	}
	r, err := a.core.Carry(c.Request.Context(), v, carry.Options{Wards: wards, Lookup: req.Lookup, MinPiece: req.MinPiece, Name: req.Name, Title: req.Title})
	if err != nil {
		fail(c, err)
		return
	}
	if format == "yaml" {
		var b bytes.Buffer
		if err := carry.WriteYAML(&b, r); err != nil {
			fail(c, err)
			return
		}
		c.Data(http.StatusOK, "application/yaml; charset=utf-8", b.Bytes())
		return
	}
	c.JSON(http.StatusOK, r)
}
