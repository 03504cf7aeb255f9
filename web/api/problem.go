package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/placeprofile"
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

func statusOf(err error) int {
	var he *httpError
	switch {
	case errors.As(err, &he):
		return he.status
	case errors.Is(err, ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrConflict):
		return http.StatusPreconditionFailed
	case errors.Is(err, configuration.ErrInvalidMove):
		return http.StatusUnprocessableEntity
	case errors.Is(err, configuration.ErrInvalid), errors.Is(err, placeprofile.ErrConfiguration), errors.Is(err, ErrInvalid):
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

func internalError(c *gin.Context, err error) { fail(c, err) }
