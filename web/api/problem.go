package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/geo/tiles"
	"github.com/placeteam/placeteam/profiles/hubplan"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/profiles/siting"
)

// problem is an RFC 9457 problem details body.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}

func writeProblem(c *gin.Context, p problem) {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	if p.Instance == "" {
		p.Instance = c.Request.URL.Path
	}
	c.Header("Content-Type", "application/problem+json")
	c.Abort()
	c.PureJSON(p.Status, p) // no HTML escaping: details stay readable
}

// fail answers with a problem; status comes from the error in exactly one
// place, statusOf.
func fail(c *gin.Context, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		_ = c.Error(err)
		writeProblem(c, problem{Status: status, Detail: "the server could not answer this request"})
		return
	}
	writeProblem(c, problem{Status: status, Detail: err.Error()})
}

// httpError carries an explicit status for request errors found by the
// handlers themselves (bad parameters, wrong content type, …).
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(msg string) error { return &httpError{http.StatusBadRequest, msg} }

func notFound(msg string) error { return &httpError{http.StatusNotFound, msg} }

func statusOf(err error) int {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.Is(err, store.ErrNotFound), errors.Is(err, planning.ErrUnknownLayer), errors.Is(err, tiles.ErrUnknownVersion),
		errors.Is(err, indicatorprofile.ErrUnknownIndicator):
		return http.StatusNotFound
	case errors.Is(err, store.ErrConflict):
		return http.StatusPreconditionFailed
	case errors.Is(err, planning.ErrNoJobs):
		return http.StatusServiceUnavailable
	case errors.Is(err, indicatorprofile.ErrLens), errors.Is(err, configuration.ErrAssignmentFile):
		return http.StatusBadRequest
	case errors.Is(err, configuration.ErrInvalidMove), errors.Is(err, configuration.ErrInvalid), errors.Is(err, placeprofile.ErrConfiguration),
		errors.Is(err, store.ErrInvalid), errors.Is(err, planning.ErrNoChange), errors.Is(err, indicatorprofile.ErrBreakdown),
		errors.Is(err, siting.ErrInvalidInput), errors.Is(err, hubplan.ErrNoCandidates):
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

func internalError(c *gin.Context, err error) { fail(c, err) }
