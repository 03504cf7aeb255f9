package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/indicatorprofile"
)

func (a *api) listIndicators(c *gin.Context) {
	if _, err := formatParam(c, "format", "json"); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{
		"indicators":      a.core.Dataset().Indicators,
		"characteristics": a.core.Characteristics(),
		"lenses":          []string{indicatorprofile.LensRegistered, indicatorprofile.LensResident},
	})
}

// indicator serves an indicator per team, locality and city for a
// configuration version (?lens=registered|resident for practice
// indicators), as JSON or CSV. CSV rows carry the unit's breakdown by
// protected characteristic (group) and by national IMD quintile after it.
func (a *api) indicator(c *gin.Context) {
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	r, err := a.core.Indicator(c.Request.Context(), v, c.Param("id"), c.Query("lens"))
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, r)
		return
	}
	header := []string{"level", "id", "name", "breakdown", "group", "numerator", "denominator", "value", "lower", "upper", "comparison", "compared_with",
		"areas", "missing", "with_suppressed_lower", "with_suppressed_upper", "coverage", "modelled", "period"}
	var rows [][]string
	row := func(x indicatorprofile.Figure, unit indicatorprofile.Figure, breakdown, group string) {
		// Units are compared with the city, their breakdowns with the unit.
		against := "unit"
		if breakdown == "" {
			against = "city"
			if unit.Level == "city" {
				against = ""
			}
		}
		rows = append(rows, []string{unit.Level, unit.ID, unit.Name, breakdown, group, formatFloat(x.Numerator), formatFloat(x.Denominator),
			formatPtr(x.Value), formatPtr(x.Lower), formatPtr(x.Upper), string(x.Comparison), against, strconv.Itoa(x.Areas), strconv.Itoa(x.Missing),
			formatPtr(x.WithSuppressedLower), formatPtr(x.WithSuppressedUpper), formatPtr(x.Coverage), strconv.FormatBool(r.Modelled), r.Indicator.Period})
	}
	for _, u := range append(append(append([]indicatorprofile.Figure{}, r.Teams...), r.Localities...), r.City) {
		row(u, u, "", "")
		for _, g := range u.ByGroup {
			row(g, u, g.Level, g.ID)
		}
		for _, q := range u.ByIMDQuintile {
			row(q, u, "imd-quintile", q.ID)
		}
	}
	writeCSV(c, header, rows)
}

// compareIndicator serves an indicator per team under options a and b
// (?a=NAME&b=NAME, optional a_version/b_version and lens) with the change
// and whether it is significant.
func (a *api) compareIndicator(c *gin.Context) {
	format, err := wantFormat(c)
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
	ra, rb, changes, err := a.core.CompareIndicator(c.Request.Context(), va, vb, c.Param("id"), c.Query("lens"))
	if err != nil {
		fail(c, err)
		return
	}
	results := [2]*indicatorprofile.Result{ra, rb}
	if format == "json" {
		c.JSON(http.StatusOK, gin.H{
			"indicator": results[0].Indicator, "lens": results[0].Lens, "modelled": results[0].Modelled,
			"a": results[0].Configuration, "b": results[1].Configuration,
			"significance": indicatorprofile.SignificanceRule,
			"changes":      changes,
		})
		return
	}
	var rows [][]string
	for _, ch := range changes {
		sig := ""
		if ch.Significant != nil {
			sig = strconv.FormatBool(*ch.Significant)
		}
		rows = append(rows, []string{ch.Team, formatPtr(ch.ValueA), formatPtr(ch.ValueB), formatPtr(ch.Change), sig})
	}
	writeCSV(c, []string{"team", "value_a", "value_b", "change", "significant"}, rows)
}

// breakdown serves the counts of the indicators that partition residents
// by a characteristic (e.g. ethnic-group) per team, with the residual.
func (a *api) breakdown(c *gin.Context) {
	format, err := wantFormat(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	b, err := a.core.Breakdown(c.Request.Context(), v, c.Param("characteristic"))
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.JSON(http.StatusOK, b)
		return
	}
	header := append([]string{"id", "name"}, b.Indicators...)
	header = append(header, "residual", "total")
	var rows [][]string
	for _, r := range b.Rows {
		row := []string{r.ID, r.Name}
		for _, id := range b.Indicators {
			row = append(row, formatFloat(r.Counts[id]))
		}
		rows = append(rows, append(row, formatFloat(r.Residual), formatFloat(r.Total)))
	}
	writeCSV(c, header, rows)
}

// practiceGroups serves practice groups (e.g. PCNs, ?kind=pcn) per team.
func (a *api) practiceGroups(c *gin.Context) {
	if err := onlyQuery(c, "version", "kind", "format"); err != nil {
		fail(c, err)
		return
	}
	if _, err := formatParam(c, "format", "json"); err != nil {
		fail(c, err)
		return
	}
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	kind := c.DefaultQuery("kind", "pcn")
	c.JSON(http.StatusOK, gin.H{"kind": kind, "teams": a.core.PracticeGroups(c.Request.Context(), v, kind)})
}
