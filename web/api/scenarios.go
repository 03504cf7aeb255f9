package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/profiles/hubplan"
)

// scenarioRequest runs a hub-siting scenario, and saves it when named.
// With Prefer: respond-async (or ?async=true) the run is queued instead:
// 202 with the job's URL (see jobs.go).
type scenarioRequest struct {
	Name          string `json:"name,omitempty"`
	Configuration string `json:"configuration"`
	hubplan.Options
}

func (a *api) runScenario(c *gin.Context) {
	var req scenarioRequest
	if err := a.decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.Configuration == "" {
		fail(c, badRequest("name the configuration whose teams the hubs serve"))
		return
	}
	if req.Name != "" && !validName(req.Name) {
		fail(c, badRequest(fmt.Sprintf("name %q: use letters, digits, '-', '_' and '.'", req.Name)))
		return
	}
	if req.K < 0 || req.K > 10000 || req.Threshold < 0 || len(req.Sites) > 10000 {
		fail(c, badRequest("k must be 0-10000, threshold_km ≥ 0, at most 10000 sites"))
		return
	}
	if req.TravelTimesName != "" {
		// The matrix itself is a file the CLI reads (--travel-times); a name
		// alone would label distances as times.
		fail(c, badRequest("travel_times: the API takes no travel-time matrix yet; run placeteam site --travel-times FILE"))
		return
	}
	ctx := c.Request.Context()
	v, err := a.core.Latest(ctx, req.Configuration)
	if err != nil {
		fail(c, err)
		return
	}
	if wantsAsync(c) {
		j, err := a.core.QueueSiting(ctx, v, req.Options, req.Name)
		if err != nil {
			fail(c, err)
			return
		}
		c.Header("Location", jobHref(j.ID))
		c.JSON(http.StatusAccepted, newJobBody(j, req.Name))
		return
	}
	plan, err := a.core.SiteHubs(ctx, v, req.Options, req.Name)
	if err != nil {
		fail(c, err)
		return
	}
	status := http.StatusOK
	if req.Name != "" {
		c.Header("Location", "/api/scenarios/"+req.Name)
		status = http.StatusCreated
	}
	c.JSON(status, plan)
}

func (a *api) listScenarios(c *gin.Context) {
	if _, err := formatParam(c, "format", "json"); err != nil {
		fail(c, err)
		return
	}
	list, err := a.core.Scenarios(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"scenarios": list})
}

// getScenario serves a stored plan as JSON, GeoJSON (hubs, spokes,
// coverage) or CSV (spokes).
func (a *api) getScenario(c *gin.Context) {
	format, err := formatParam(c, "format", "json", "geojson", "csv")
	if err != nil {
		fail(c, err)
		return
	}
	body, err := a.core.Scenario(c.Request.Context(), c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	if format == "json" {
		c.Data(http.StatusOK, "application/json; charset=utf-8", body)
		return
	}
	var plan hubplan.Plan
	if err := json.Unmarshal(body, &plan); err != nil {
		fail(c, err)
		return
	}
	switch format {
	case "geojson":
		c.Header("Content-Type", geoJSONType)
		c.JSON(http.StatusOK, plan.GeoJSON())
	case "csv":
		c.Header("Content-Type", "text/csv; charset=utf-8")
		w := csv.NewWriter(c.Writer)
		c.Status(http.StatusOK)
		_ = w.Write(hubplan.SpokeCSVHeader)
		_ = w.WriteAll(plan.SpokeCSVRows())
	}
}
