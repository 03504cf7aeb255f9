package planning

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"github.com/placeteam/placeteam/data/jobqueue"
)

// JobStats are one job kind's counters in this process: jobs it queued,
// runs it is working now, and runs it finished, succeeded or failed
// (cancelled when the run ended because its context was cancelled).
// Other processes sharing the queue keep their own.
type JobStats struct {
	Queued, Completed, Failed, Cancelled int64
	Running                              int64
}

// jobCounters keeps JobStats by kind.
type jobCounters struct {
	mu     sync.Mutex
	byKind map[string]*JobStats
}

func (j *jobCounters) update(kind string, fn func(*JobStats)) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.byKind == nil {
		j.byKind = map[string]*JobStats{}
	}
	st, ok := j.byKind[kind]
	if !ok {
		st = &JobStats{}
		j.byKind[kind] = st
	}
	fn(st)
}

// started counts a run of kind as running; the returned func, called with
// the run's error, counts it finished.
func (j *jobCounters) started(kind string) func(error) {
	j.update(kind, func(st *JobStats) { st.Running++ })
	return func(err error) {
		j.update(kind, func(st *JobStats) {
			st.Running--
			switch {
			case err == nil:
				st.Completed++
			case errors.Is(err, context.Canceled):
				st.Cancelled++
			default:
				st.Failed++
			}
		})
	}
}

func (j *jobCounters) snapshot() map[string]JobStats {
	j.mu.Lock()
	defer j.mu.Unlock()
	out := make(map[string]JobStats, len(j.byKind))
	for kind, st := range j.byKind {
		out[kind] = *st
	}
	return out
}

// countingJobs counts what the core queues.
type countingJobs struct {
	Jobs
	counters *jobCounters
}

// countJobs wraps a queue so that enqueues are counted; nil stays nil.
func countJobs(q Jobs, counters *jobCounters) Jobs {
	if q == nil {
		return nil
	}
	return countingJobs{Jobs: q, counters: counters}
}

func (q countingJobs) Enqueue(ctx context.Context, kind string, args json.RawMessage) (jobqueue.Job, error) {
	job, err := q.Jobs.Enqueue(ctx, kind, args)
	if err == nil {
		q.counters.update(kind, func(st *JobStats) { st.Queued++ })
	}
	return job, err
}
