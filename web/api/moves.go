package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
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
	if !(r.OutOfCityThreshold >= 0 && r.OutOfCityThreshold < 1) {
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
	current, err := a.core.LatestStored(ctx, name)
	if err != nil {
		fail(c, err)
		return
	}
	expect, err := ifMatchVersion(c, name, current.Number)
	if err != nil {
		fail(c, err)
		return
	}
	res, err := a.core.Move(ctx, planning.MoveRequest{Name: name, Expect: expect, Moves: req.Moves,
		MoveOptions: configuration.MoveOptions{AllowEmptyTeams: req.AllowEmptyTeams},
		Meta:        store.VersionMeta{Author: req.Author, Note: req.Note}})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("X-Tiles-Carried", strconv.Itoa(res.TilesCarried))
	a.writeConfiguration(c, http.StatusOK, res.Saved)
}

// evaluate returns the metrics of a configuration with unsaved moves,
// without making a version (the map's live editing).
func (a *api) evaluate(c *gin.Context) {
	if err := onlyQuery(c, "version", "format"); err != nil {
		fail(c, err)
		return
	}
	if _, err := formatParam(c, "format", "json"); err != nil {
		fail(c, err)
		return
	}
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
	if !(req.OutOfCityThreshold >= 0 && req.OutOfCityThreshold < 1) {
		fail(c, badRequest(fmt.Sprintf("out_of_city_threshold %g: want a number between 0 and 1", req.OutOfCityThreshold)))
		return
	}
	v, err := a.loadVersion(c, c.Param("name"))
	if err != nil {
		fail(c, err)
		return
	}
	ev, err := a.core.Evaluate(c.Request.Context(), v, req.Moves, configuration.MoveOptions{AllowEmptyTeams: req.AllowEmptyTeams},
		placeprofile.Options{OutOfCityThreshold: req.OutOfCityThreshold})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ev)
}
