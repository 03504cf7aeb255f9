package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// movesRequest is a batch of ward moves.
type movesRequest struct {
	Moves           []configuration.Move `json:"moves"`
	AllowEmptyTeams bool                 `json:"allow_empty_teams,omitempty"`
	Author          string               `json:"author,omitempty"`
	Note            string               `json:"note,omitempty"`
	// Threshold for the out-of-city flag in the evaluation (optional).
	OutOfCityThreshold float64 `json:"out_of_city_threshold,omitempty"`
}

const maxMoves = 1000

func (r *movesRequest) check() error {
	if r.OutOfCityThreshold < 0 || r.OutOfCityThreshold >= 1 {
		return badRequest(fmt.Sprintf("out_of_city_threshold %g: want a number between 0 and 1", r.OutOfCityThreshold))
	}
	if len(r.Moves) == 0 {
		return badRequest("no moves given")
	}
	if len(r.Moves) > maxMoves {
		return badRequest(fmt.Sprintf("%d moves; at most %d per request", len(r.Moves), maxMoves))
	}
	return nil
}

// applyMoves saves a new version with the moves applied. It needs If-Match
// with the version the planner edited: a stale version answers 412.
func (a *api) applyMoves(c *gin.Context) {
	ctx := c.Request.Context()
	name := c.Param("name")
	var req movesRequest
	if err := a.decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if err := req.check(); err != nil {
		fail(c, err)
		return
	}
	base, current, err := a.cfg.Store.Configuration(ctx, name)
	if err != nil {
		fail(c, err)
		return
	}
	expect, err := ifMatchVersion(c, name, current)
	if err != nil {
		fail(c, err)
		return
	}
	moved, err := base.ApplyMoves(req.Moves, configuration.MoveOptions{AllowEmptyTeams: req.AllowEmptyTeams})
	if err != nil {
		fail(c, err)
		return
	}
	changed := configuration.ChangedTeams(base, moved)
	if len(changed) == 0 {
		fail(c, &httpError{http.StatusUnprocessableEntity, "the moves change nothing: every ward is already in its team"})
		return
	}
	changes, err := json.Marshal(gin.H{"moves": req.Moves, "changed_teams": changed})
	if err != nil {
		fail(c, err)
		return
	}
	v, err := a.cfg.Store.SaveConfiguration(ctx, moved, VersionInfo{Author: req.Author, Note: req.Note, Changes: changes}, expect)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("X-Tiles-Carried", strconv.Itoa(a.carryTiles(base, moved, expect, v)))
	a.writeConfiguration(c, http.StatusOK, moved, v)
}

// evaluateResponse is a what-if evaluation: the moved option's profile and
// its comparison with the stored version.
type evaluateResponse struct {
	BaseVersion  int                   `json:"base_version"`
	ChangedTeams []string              `json:"changed_teams"`
	Profile      *placeprofile.Profile `json:"profile"`
	Comparison   *compare.Result       `json:"comparison"`
}

// evaluate returns the metrics of a configuration with unsaved moves,
// without making a version (the map's live editing).
func (a *api) evaluate(c *gin.Context) {
	var req movesRequest
	if err := a.decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if len(req.Moves) == 0 {
		req.Moves = []configuration.Move{} // evaluating the stored version is allowed
	} else if err := req.check(); err != nil {
		fail(c, err)
		return
	}
	if req.OutOfCityThreshold < 0 || req.OutOfCityThreshold >= 1 {
		fail(c, badRequest(fmt.Sprintf("out_of_city_threshold %g: want a number between 0 and 1", req.OutOfCityThreshold)))
		return
	}
	base, v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	moved, err := base.ApplyMoves(req.Moves, configuration.MoveOptions{AllowEmptyTeams: req.AllowEmptyTeams})
	if err != nil {
		fail(c, err)
		return
	}
	opts := placeprofile.Options{OutOfCityThreshold: req.OutOfCityThreshold}
	before, err := placeprofile.Evaluate(a.cfg.Tables, base, opts)
	if err != nil {
		fail(c, err)
		return
	}
	after, err := placeprofile.Evaluate(a.cfg.Tables, moved, opts)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, evaluateResponse{
		BaseVersion: v, ChangedTeams: configuration.ChangedTeams(base, moved), Profile: after,
		Comparison: compare.Compare(base, moved, before, after),
	})
}
