package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/profiles/hubplan"
)

// scenarioRequest runs a hub-siting scenario, and saves it when named.
// With Prefer: respond-async (or ?async=true) the run is queued instead:
// 202 with the job's URL (see jobs.go).
type scenarioRequest struct {
	Name          string `json:"name,omitempty"`
	Configuration string `json:"configuration"`
	// Version of the configuration whose teams the hubs serve (default:
	// the latest).
	Version int `json:"version,omitempty"`
	hubplan.Options
}

// runScenario answers the plan as JSON or, with ?format=geojson, its hubs,
// spokes and coverage circles as a FeatureCollection whose foreign member
// "plan" is the JSON plan: a map draws an unsaved run from one answer.
func (a *api) runScenario(c *gin.Context) {
	if err := onlyQuery(c, "format", "async"); err != nil {
		fail(c, err)
		return
	}
	format, err := formatParam(c, "format", "json", "geojson")
	if err != nil {
		fail(c, err)
		return
	}
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
	if req.Version < 0 {
		fail(c, badRequest(fmt.Sprintf("version %d: versions start at 1 (leave it out for the latest)", req.Version)))
		return
	}
	ctx := c.Request.Context()
	v, err := a.core.At(ctx, req.Configuration, req.Version)
	if err != nil {
		fail(c, err)
		return
	}
	if wantsAsync(c) {
		if format != "json" {
			fail(c, badRequest("a queued run answers with its job, not GeoJSON: leave out format, or name the scenario and GET /api/scenarios/{name}?format=geojson once the job completes"))
			return
		}
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
	if format == "geojson" {
		fc := plan.GeoJSON()
		fc.ExtraMembers = geojson.Properties{"plan": plan}
		c.Header("Content-Type", geoJSONType)
		c.JSON(status, fc)
		return
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
	// Decoded and encoded again, a plan stored before its summaries had
	// JSON names answers with today's names.
	var plan hubplan.Plan
	if err := json.Unmarshal(body, &plan); err != nil {
		fail(c, err)
		return
	}
	switch format {
	case "json":
		c.JSON(http.StatusOK, &plan)
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
