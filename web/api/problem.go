package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

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
	if p.Status >= 400 && p.Status < 500 {
		p.Detail = withoutPackagePrefix(p.Detail)
	}
	if p.Instance == "" {
		p.Instance = c.Request.URL.Path
	}
	c.Header("Content-Type", "application/problem+json")
	c.Abort()
	c.PureJSON(p.Status, p) // no HTML escaping: details stay readable
}

// fail answers with a problem; status comes from the error in exactly one
// place, statusOf (except that a cancellation this request's client did
// not make is the server's fault).
func fail(c *gin.Context, err error) {
	status := statusOf(err)
	if status == statusClientClosedRequest && c.Request.Context().Err() == nil {
		// Cancelled by something other than this request's client (a
		// shared computation, a shutdown): a fault here, not theirs.
		status = http.StatusInternalServerError
	}
	switch {
	case status == http.StatusInternalServerError:
		_ = c.Error(err)
		writeProblem(c, problem{Status: status, Detail: "the server could not answer this request"})
	case status == statusClientClosedRequest:
		// The client went away: nothing went wrong here, and nobody reads
		// the answer.
		writeProblem(c, problem{Status: status, Title: "Client Closed Request", Detail: "the client closed the request before the answer was ready"})
	case status == http.StatusServiceUnavailable && errors.Is(err, context.DeadlineExceeded):
		_ = c.Error(err) // worth a look: something here was slow
		writeProblem(c, problem{Status: status, Detail: "the answer took too long; try again, or ask for less"})
	default:
		writeProblem(c, problem{Status: status, Detail: detailOf(err)})
	}
}

// statusClientClosedRequest is nginx's status for a request the client
// abandoned before the answer (no RFC status says this).
const statusClientClosedRequest = 499

// maxListedProblems caps the problems a detail lists: a large upload can
// have thousands, and the first few say what is wrong.
const maxListedProblems = 20

// detailOf is the detail of a request error: its message, with a long list
// of validation problems cut to the first maxListedProblems.
func detailOf(err error) string {
	detail := err.Error()
	var ve *configuration.ValidationError
	if errors.As(err, &ve) && len(ve.Problems) > maxListedProblems {
		shown := append(slices.Clip(ve.Problems[:maxListedProblems]), fmt.Sprintf("… and %d more", len(ve.Problems)-maxListedProblems))
		capped := &configuration.ValidationError{Name: ve.Name, Problems: shown}
		// Keep whatever context wraps the validation error.
		detail = strings.Replace(detail, ve.Error(), capped.Error(), 1)
	}
	return detail
}

// internalPackages are the project's packages whose names prefix their
// errors ("sqlitestore: …"); a planner has no use for them.
var internalPackages = []string{"sqlitestore", "pgstore", "planning", "placeprofile", "configuration", "store", "jobqueue",
	"optimise", "hubplan", "siting", "plancheck", "compare", "indicatorprofile", "importer"}

// withoutPackagePrefix drops the leading "package: " prefixes of a detail,
// keeping the rest of the message.
func withoutPackagePrefix(detail string) string {
	for {
		word, rest, ok := strings.Cut(detail, ": ")
		if !ok || rest == "" || !slices.Contains(internalPackages, word) {
			return detail
		}
		detail = rest
	}
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
	case errors.Is(err, context.Canceled):
		return statusClientClosedRequest
	case errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable
	case errors.Is(err, store.ErrNotFound), errors.Is(err, planning.ErrUnknownLayer), errors.Is(err, tiles.ErrUnknownVersion),
		errors.Is(err, indicatorprofile.ErrUnknownIndicator):
		return http.StatusNotFound
	case errors.Is(err, planning.ErrNameInUse):
		return http.StatusConflict
	case errors.Is(err, store.ErrConflict):
		return http.StatusPreconditionFailed
	case errors.Is(err, planning.ErrNoJobs):
		return http.StatusServiceUnavailable
	case errors.Is(err, indicatorprofile.ErrLens), errors.Is(err, configuration.ErrAssignmentFile), errors.Is(err, planning.ErrNoDataOnDate):
		return http.StatusBadRequest
	case errors.Is(err, configuration.ErrInvalidMove), errors.Is(err, configuration.ErrInvalid), errors.Is(err, placeprofile.ErrConfiguration),
		errors.Is(err, store.ErrInvalid), errors.Is(err, planning.ErrNoChange), errors.Is(err, indicatorprofile.ErrBreakdown),
		errors.Is(err, siting.ErrInvalidInput), errors.Is(err, hubplan.ErrNoCandidates):
		return http.StatusUnprocessableEntity
	}
	return http.StatusInternalServerError
}

func internalError(c *gin.Context, err error) { fail(c, err) }
