package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

func (a *api) threshold(c *gin.Context) (float64, error) {
	s := c.Query("out_of_city_threshold")
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || v >= 1 {
		return 0, badRequest(fmt.Sprintf("out_of_city_threshold %q: want a number between 0 and 1", s))
	}
	return v, nil
}

func (a *api) sources() []dataset.Source {
	if a.cfg.Dataset == nil {
		return []dataset.Source{}
	}
	return a.cfg.Dataset.Sources
}

// profile serves a configuration's place profile as JSON or CSV.
func (a *api) profile(c *gin.Context) {
	cfg, _, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	threshold, err := a.threshold(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := placeprofile.Evaluate(a.cfg.Tables, cfg, placeprofile.Options{OutOfCityThreshold: threshold})
	if err != nil {
		fail(c, err)
		return
	}
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, struct {
			*placeprofile.Profile
			Sources []dataset.Source `json:"sources"`
		}{p, a.sources()})
		return
	}
	units := append(append(append([]placeprofile.Unit{}, p.Teams...), p.Localities...), p.City)
	writeCSV(c, placeprofile.CSVHeader, placeprofile.CSVRows(units))
}

// flows serves the team (or locality) flow matrix.
func (a *api) flows(c *gin.Context) {
	cfg, _, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	level := c.DefaultQuery("level", placeprofile.LevelTeam)
	if level != placeprofile.LevelTeam && level != placeprofile.LevelLocality {
		fail(c, badRequest(fmt.Sprintf("level %q: want team or locality", level)))
		return
	}
	m, err := placeprofile.Flows(a.cfg.Tables, cfg, level)
	if err != nil {
		fail(c, err)
		return
	}
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, struct {
			*placeprofile.FlowMatrix
			Sources []dataset.Source `json:"sources"`
		}{m, a.sources()})
		return
	}
	writeCSV(c, placeprofile.FlowCSVHeader, m.CSVRows())
}

// compare serves option A against option B (?a=NAME&b=NAME).
func (a *api) compare(c *gin.Context) {
	nameA, nameB := c.Query("a"), c.Query("b")
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	if nameA == "" || nameB == "" {
		fail(c, badRequest("give two configurations: ?a=NAME&b=NAME"))
		return
	}
	cfgA, err := a.configurationAt(c, nameA, "a_version")
	if err != nil {
		fail(c, err)
		return
	}
	cfgB, err := a.configurationAt(c, nameB, "b_version")
	if err != nil {
		fail(c, err)
		return
	}
	pa, err := placeprofile.Evaluate(a.cfg.Tables, cfgA, placeprofile.Options{})
	if err != nil {
		fail(c, err)
		return
	}
	pb, err := placeprofile.Evaluate(a.cfg.Tables, cfgB, placeprofile.Options{})
	if err != nil {
		fail(c, err)
		return
	}
	r := compare.Compare(cfgA, cfgB, pa, pb)
	if format == "json" {
		c.JSON(http.StatusOK, r)
		return
	}
	writeCSV(c, compare.CSVHeader, r.CSVRows())
}

// configurationAt loads a configuration at the version named by a query
// parameter, or its latest.
func (a *api) configurationAt(c *gin.Context, name, param string) (*configuration.Configuration, error) {
	v := c.Query(param)
	if v == "" {
		cfg, _, err := a.cfg.Store.Configuration(c.Request.Context(), name)
		return cfg, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return nil, badRequest(fmt.Sprintf("%s %q is not a positive integer", param, v))
	}
	cfg, _, err := a.cfg.Store.ConfigurationVersion(c.Request.Context(), name, n)
	return cfg, err
}
