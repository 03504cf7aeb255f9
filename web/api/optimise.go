package api

import (
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/jobqueue"
	"github.com/placeteam/placeteam/profiles/planning"
)

// optimise queues an optimiser run of a configuration's version (?version=N,
// default the latest): always asynchronous, 202 with the job's URL. GET
// the job for progress (moves tried, best so far) and, once completed, the
// options; DELETE it to cancel.
func (a *api) optimise(c *gin.Context) {
	var req planning.OptimiseRequest
	if err := a.decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.Objective == "" {
		fail(c, badRequest(`name the objective: {"objective": "min_local"} (or local, catchment, balance, pcn, or a weighted sum "min_local=1,catchment=0.5")`))
		return
	}
	if req.SaveAs != "" && !validName(req.SaveAs) {
		fail(c, badRequest(fmt.Sprintf("save_as %q: use letters, digits, '-', '_' and '.'", req.SaveAs)))
		return
	}
	if len(req.Frozen) > 100000 {
		fail(c, badRequest("at most 100000 frozen wards"))
		return
	}
	v, err := a.versionFrom(c, c.Param("name"), "version")
	if err != nil {
		fail(c, err)
		return
	}
	j, err := a.core.QueueOptimise(c.Request.Context(), v, req)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", jobHref(j.ID))
	c.JSON(http.StatusAccepted, newJobBody(j, ""))
}

// savedConfigurationOf is the configuration a finished optimiser job
// saved its best option as.
func savedConfigurationOf(j jobqueue.Job) string {
	if j.Kind != planning.JobOptimise || j.State != jobqueue.StateCompleted {
		return ""
	}
	var out struct {
		Saved *planning.SavedPlan `json:"saved"`
	}
	if json.Unmarshal(j.Output, &out) != nil || out.Saved == nil {
		return ""
	}
	return out.Saved.Name
}
