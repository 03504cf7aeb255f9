package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
)

func (a *api) threshold(c *gin.Context) (float64, error) {
	s := c.Query("out_of_city_threshold")
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0 && v < 1) { // written so that NaN fails too
		return 0, badRequest(fmt.Sprintf("out_of_city_threshold %q: want a number between 0 and 1", s))
	}
	return v, nil
}

// dateParam reads the date query parameter (YYYY-MM-DD, as the command line's
// --date): the date of the list sizes and registrations. Zero when absent
// (the core's date: the latest with registrations by area of residence).
func dateParam(c *gin.Context) (time.Time, error) {
	s := c.Query("date")
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, badRequest(fmt.Sprintf("date %q: want YYYY-MM-DD", s))
	}
	return d, nil
}

// profile serves a configuration's place profile as JSON or CSV. Unknown
// figures are null in JSON (each unit's unknown, and the profile's, say
// why) and blank in CSV (its unknown_fields column names them).
func (a *api) profile(c *gin.Context) {
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	day, err := dateParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	threshold, err := a.threshold(c)
	if err != nil {
		fail(c, err)
		return
	}
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := a.core.ProfileAt(c.Request.Context(), v, day, placeprofile.Options{OutOfCityThreshold: threshold})
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		checks, err := a.core.ChecksAt(c.Request.Context(), v, p)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, struct {
			*placeprofile.Profile
			Checks  *plancheck.Report `json:"checks"`
			Sources []dataset.Source  `json:"sources"`
		}{p, checks, a.core.Sources()})
		return
	}
	units := append(append(append([]placeprofile.Unit{}, p.Teams...), p.Localities...), p.City)
	writeCSV(c, placeprofile.CSVHeader, placeprofile.CSVRows(units))
}

// flows serves the team (or locality) flow matrix: rows null (with the
// reason under unknown) and every cell blank in CSV when the date has no
// registrations by area of residence.
func (a *api) flows(c *gin.Context) {
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	day, err := dateParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	level := c.DefaultQuery("level", placeprofile.LevelTeam)
	if level != placeprofile.LevelTeam && level != placeprofile.LevelLocality {
		fail(c, badRequest(fmt.Sprintf("level %q: want team or locality", level)))
		return
	}
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	m, err := a.core.FlowsAt(c.Request.Context(), v, level, day)
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, struct {
			*placeprofile.FlowMatrix
			Sources []dataset.Source `json:"sources"`
		}{m, a.core.Sources()})
		return
	}
	writeCSV(c, placeprofile.FlowCSVHeader, m.CSVRows())
}

// compare serves option A against option B (?a=NAME&b=NAME): a figure
// unknown on either side has a null delta.
func (a *api) compare(c *gin.Context) {
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	day, err := dateParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	nameA, nameB := c.Query("a"), c.Query("b")
	if nameA == "" || nameB == "" {
		fail(c, badRequest("give two configurations: ?a=NAME&b=NAME"))
		return
	}
	va, err := a.versionFrom(c, nameA, "a_version")
	if err != nil {
		fail(c, err)
		return
	}
	vb, err := a.versionFrom(c, nameB, "b_version")
	if err != nil {
		fail(c, err)
		return
	}
	r, err := a.core.CompareAt(c.Request.Context(), va, vb, day, placeprofile.Options{})
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, r)
		return
	}
	writeCSV(c, compare.CSVHeader, r.CSVRows())
}
