package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/placeteam/placeteam/profiles/planning"
)

// DefaultMaxInFlight is serve's cap on requests handled at once: 64 per
// core. The computed answers are CPU-bound, so past a few dozen per core
// each one only waits longer for the same cores, holding its memory the
// while; 64 leaves room for the many short requests (tiles, features) a
// map session sends together and for clients that read their answers
// slowly.
func DefaultMaxInFlight() int { return 64 * runtime.GOMAXPROCS(0) }

// Serve's defaults for the other limits.
const (
	// DefaultRequestTimeout bounds a computed answer; longer runs are jobs.
	DefaultRequestTimeout = 30 * time.Second
	// DefaultWriteRate and DefaultWriteBurst: a planner's clicks and a
	// script's imports stay well under them; a runaway script or a leaked
	// token is slowed to a few writes (versions, audit rows, what-ifs) a
	// second.
	DefaultWriteRate  = 5.0
	DefaultWriteBurst = 20
)

// busyRetryAfter is the Retry-After of a 503 for a full server, in seconds.
const busyRetryAfter = "1"

// limitInFlight answers 503 at once, with Retry-After, to a request that
// finds max requests being handled (/healthz aside, so that liveness
// probes answer under load). A request's body is received before it takes
// a place: a client trickling a body holds a connection (until
// ReadTimeout), not one of the places that compute.
func limitInFlight(max int, maxBody int64) gin.HandlerFunc {
	if max <= 0 {
		return func(c *gin.Context) { c.Next() }
	}
	places := make(chan struct{}, max)
	return func(c *gin.Context) {
		if c.Request.URL.Path == "/healthz" {
			c.Next()
			return
		}
		receiveBody(c.Request, maxBody)
		select {
		case places <- struct{}{}:
		default:
			c.Header("Retry-After", busyRetryAfter)
			writeProblem(c, problem{Status: http.StatusServiceUnavailable,
				Detail: fmt.Sprintf("the server is answering %d requests, its most at once; try again in a moment", max)})
			return
		}
		defer func() { <-places }()
		c.Next()
	}
}

// receiveBody reads r's body, up to one byte past maxBody, into memory,
// and gives the handler what was read followed by whatever ended the
// reading: the handler sees the same bytes and the same error (a body
// that is too large, a client that stalled) as it would have from the
// connection.
func receiveBody(r *http.Request, maxBody int64) {
	if r.Body == nil || r.Body == http.NoBody || (r.ContentLength == 0 && len(r.TransferEncoding) == 0) || r.ContentLength > maxBody {
		return // nothing to read, or too much: the handler refuses it unread
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	rest := io.Reader(eofReader{})
	if err != nil {
		rest = errReader{err}
	} else if int64(len(data)) > maxBody {
		rest = r.Body // the handler's own limit will refuse it
	}
	r.Body = readCloser{io.MultiReader(bytes.NewReader(data), rest), r.Body}
}

type readCloser struct {
	io.Reader
	io.Closer
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

// requestDeadline gives each request's context a deadline timeout away,
// except the job endpoints (they queue, or read a job, and answer at
// once) and assign (it streams a body of up to a GiB, bounded by the
// server's read and write timeouts instead). A computation that passes it ends with context.DeadlineExceeded:
// 503 (see fail).
func requestDeadline(timeout time.Duration) gin.HandlerFunc {
	return func(c *gin.Context) {
		if timeout <= 0 || jobEndpoint(c) || c.FullPath() == "/api/configurations/:name/assign" {
			c.Next()
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		c.Request = c.Request.WithContext(ctx)
		c.Next()
	}
}

// jobEndpoint reports whether c's route queues a job or reads one.
func jobEndpoint(c *gin.Context) bool {
	switch c.FullPath() {
	case "/api/jobs/:id", "/api/configurations/:name/optimise":
		return true
	case "/api/scenarios":
		return c.Request.Method == http.MethodPost && wantsAsync(c)
	}
	return false
}

// maxLimitedActors bounds the write limiter's memory; identities are
// tokens, so a store would need this many in use at once to reach it.
const maxLimitedActors = 10000

// writeLimiter limits each identity's writes (POST, PUT, PATCH, DELETE) to
// a rate with bursts, by actor name. An identity unseen for long enough to
// have its whole burst back is forgotten: it would start afresh anyway.
type writeLimiter struct {
	limit rate.Limit
	burst int
	// refill is how long an idle identity takes to get its burst back.
	refill time.Duration

	mu        sync.Mutex
	actors    map[string]*actorLimit
	lastSweep time.Time
}

type actorLimit struct {
	limiter *rate.Limiter
	seen    time.Time
}

func newWriteLimiter(perSecond float64, burst int) *writeLimiter {
	burst = max(burst, 1)
	return &writeLimiter{limit: rate.Limit(perSecond), burst: burst,
		refill: time.Duration(float64(burst) / perSecond * float64(time.Second)), actors: map[string]*actorLimit{}}
}

// wait is how long actor must wait before its next write; zero means it
// may write now, and the write is counted.
func (l *writeLimiter) wait(actor string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.refill || len(l.actors) >= maxLimitedActors {
		l.sweep(now)
	}
	a, ok := l.actors[actor]
	if !ok {
		a = &actorLimit{limiter: rate.NewLimiter(l.limit, l.burst)}
		l.actors[actor] = a
	}
	a.seen = now
	r := a.limiter.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now) // refused: the write is not counted
		return d
	}
	return 0
}

// sweep forgets the identities that have their burst back and, if the map
// is still full, the longest unseen.
func (l *writeLimiter) sweep(now time.Time) {
	l.lastSweep = now
	for name, a := range l.actors {
		if now.Sub(a.seen) > l.refill {
			delete(l.actors, name)
		}
	}
	for len(l.actors) >= maxLimitedActors {
		oldest, at := "", now
		for name, a := range l.actors {
			if !a.seen.After(at) {
				oldest, at = name, a.seen
			}
		}
		delete(l.actors, oldest)
	}
}

// len is the number of identities remembered.
func (l *writeLimiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.actors)
}

// limitWrites answers 429, with Retry-After, to a write by an identity
// past its rate. It runs after identify; a write with no identity goes on
// (its route refuses it).
func (l *writeLimiter) limitWrites(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		c.Next()
		return
	}
	v, ok := c.Get(actorKey)
	if !ok {
		c.Next()
		return
	}
	actor := v.(planning.Actor)
	if d := l.wait(actor.Name, time.Now()); d > 0 {
		seconds := int(math.Ceil(d.Seconds()))
		c.Header("Retry-After", strconv.Itoa(seconds))
		writeProblem(c, problem{Status: http.StatusTooManyRequests,
			Detail: fmt.Sprintf("%s has sent too many writes: at most %g a second, in bursts of %d; try again in %d s", actor.Name, float64(l.limit), l.burst, seconds)})
		return
	}
	c.Next()
}
