package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/jobqueue"
)

// jobBody is a queued job with its links: itself, and the scenario a
// finished siting run saved.
type jobBody struct {
	jobqueue.Job
	Links []link `json:"links"`
}

func jobHref(id int64) string { return "/api/jobs/" + strconv.FormatInt(id, 10) }

func newJobBody(j jobqueue.Job, scenario string) jobBody {
	body := jobBody{Job: j, Links: []link{{Href: jobHref(j.ID), Rel: "self", Type: "application/json"}}}
	if scenario != "" && j.State == jobqueue.StateCompleted {
		body.Links = append(body.Links, link{Href: "/api/scenarios/" + scenario, Rel: "scenario", Type: "application/json"})
	}
	if saved := savedConfigurationOf(j); saved != "" {
		body.Links = append(body.Links, link{Href: "/api/configurations/" + saved, Rel: "configuration", Type: "application/json"})
	}
	return body
}

// wantsAsync reports whether the client asked for a queued run: the
// header Prefer: respond-async (RFC 7240), or ?async=true.
func wantsAsync(c *gin.Context) bool {
	if c.Query("async") == "true" {
		return true
	}
	for _, v := range c.Request.Header.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "respond-async") {
				return true
			}
		}
	}
	return false
}

// jobID reads the :id parameter.
func jobID(c *gin.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, notFound("job ids are positive integers")
	}
	return id, nil
}

// scenarioOf is the scenario a siting job saves, from its arguments.
func scenarioOf(j jobqueue.Job) string {
	var args struct {
		Scenario string `json:"scenario"`
	}
	_ = json.Unmarshal(j.Args, &args) // not a siting job: no scenario
	return args.Scenario
}

func (a *api) getJob(c *gin.Context) {
	id, err := jobID(c)
	if err != nil {
		fail(c, err)
		return
	}
	j, err := a.core.Job(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, newJobBody(j, scenarioOf(j)))
}

// cancelJob cancels a queued or running job; a finished one is returned
// unchanged.
func (a *api) cancelJob(c *gin.Context) {
	id, err := jobID(c)
	if err != nil {
		fail(c, err)
		return
	}
	j, err := a.core.CancelJob(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, newJobBody(j, scenarioOf(j)))
}
