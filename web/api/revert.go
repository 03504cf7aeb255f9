package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// revertRequest restores an earlier version as the next one (undo, redo).
type revertRequest struct {
	Version int    `json:"version"`
	Author  string `json:"author,omitempty"`
	Note    string `json:"note,omitempty"`
}

// revert saves version N again as a new version. Like moves, it needs
// If-Match with the latest version: a stale one answers 412.
func (a *api) revert(c *gin.Context) {
	ctx := c.Request.Context()
	name := c.Param("name")
	var req revertRequest
	if err := a.decodeJSON(c, &req); err != nil {
		fail(c, err)
		return
	}
	if req.Version < 1 {
		fail(c, badRequest("give the version to restore: {\"version\": N} with N ≥ 1"))
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
	res, err := a.core.Revert(ctx, planning.RevertRequest{Name: name, Expect: expect, Version: req.Version,
		Meta: store.VersionMeta{Author: req.Author, Note: req.Note}})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("X-Tiles-Carried", strconv.Itoa(res.TilesCarried))
	a.writeConfiguration(c, http.StatusOK, res.Saved)
}
