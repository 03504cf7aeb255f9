package api

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/indicatorprofile"
)

func (a *api) listIndicators(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"indicators": a.cfg.Dataset.Indicators})
}

// indicator serves an indicator per team, locality and city for a
// configuration version, as JSON or CSV.
func (a *api) indicator(c *gin.Context) {
	cfg, _, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	r, err := indicatorprofile.Evaluate(a.cfg.Dataset, cfg, c.Param("id"))
	if errors.Is(err, indicatorprofile.ErrUnknownIndicator) {
		err = fmt.Errorf("%w: %w", ErrNotFound, err)
	}
	if err != nil {
		fail(c, err)
		return
	}
	switch c.DefaultQuery("format", "json") {
	case "json":
		c.JSON(http.StatusOK, r)
	case "csv":
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write([]string{"level", "id", "name", "numerator", "denominator", "value", "lower", "upper", "comparison_with_city", "areas", "missing"})
		f := func(v *float64) string {
			if v == nil {
				return ""
			}
			return strconv.FormatFloat(*v, 'f', -1, 64)
		}
		for _, x := range append(append(append([]indicatorprofile.Figure{}, r.Teams...), r.Localities...), r.City) {
			_ = w.Write([]string{x.Level, x.ID, x.Name, strconv.FormatFloat(x.Numerator, 'f', -1, 64), strconv.FormatFloat(x.Denominator, 'f', -1, 64),
				f(x.Value), f(x.Lower), f(x.Upper), string(x.Comparison), strconv.Itoa(x.Areas), strconv.Itoa(x.Missing)})
		}
		w.Flush()
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	default:
		fail(c, badRequest(fmt.Sprintf("format %q: want json or csv", c.Query("format"))))
	}
}

// practiceGroups serves practice groups (e.g. PCNs, ?kind=pcn) per team.
func (a *api) practiceGroups(c *gin.Context) {
	cfg, _, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"kind": c.DefaultQuery("kind", "pcn"), "teams": indicatorprofile.Groups(a.cfg.Dataset, cfg, c.DefaultQuery("kind", "pcn"))})
}
