package jobqueue

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// State is where a job is in its life.
type State string

const (
	// StateQueued: waiting for its first attempt.
	StateQueued State = "queued"
	// StateRunning: an attempt is running on some replica.
	StateRunning State = "running"
	// StateRetrying: an attempt failed and the next is waiting to run.
	StateRetrying State = "retrying"
	// StateCompleted: the handler succeeded; Output holds its result.
	StateCompleted State = "completed"
	// StateFailed: every attempt failed; Errors says why.
	StateFailed State = "failed"
	// StateCancelled: Cancel stopped it before it finished.
	StateCancelled State = "cancelled"
)

// Job is one job as the database holds it.
type Job struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	// State is where the job is now.
	State State `json:"state"`
	// Args is the JSON given to Enqueue, as the database gives it back
	// (PostgreSQL may reorder keys and spacing).
	Args json.RawMessage `json:"args"`
	// Output is the handler's result once completed.
	Output json.RawMessage `json:"output,omitempty"`
	// Progress is what the handler last reported (ReportProgress) while
	// the job is not completed: how far a running job has got, or how far
	// a cancelled or interrupted one got.
	Progress json.RawMessage `json:"progress,omitempty"`
	// Errors has one entry per failed attempt, oldest first.
	Errors []string `json:"errors,omitempty"`
	// Attempt counts the attempts begun (an attempt interrupted by a
	// stopping queue is not counted); MaxAttempts is its limit.
	Attempt     int       `json:"attempt"`
	MaxAttempts int       `json:"max_attempts"`
	CreatedAt   time.Time `json:"created_at"`
	// StartedAt is when the latest attempt began; FinishedAt when the job
	// completed, failed or was cancelled.
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// riverKind is the one River job kind: every job is an envelope.
const riverKind = "placeteam"

// envelope is River's args for every job: our kind and args.
type envelope struct {
	JobKind string          `json:"kind"`
	Args    json.RawMessage `json:"args"`
}

func (envelope) Kind() string { return riverKind }

// jobFromRow translates River's row.
func jobFromRow(row *rivertype.JobRow) (Job, error) {
	var e envelope
	if err := json.Unmarshal(row.EncodedArgs, &e); err != nil {
		return Job{}, fmt.Errorf("job %d: decode args: %w", row.ID, err)
	}
	job := Job{
		ID:          row.ID,
		Kind:        e.JobKind,
		State:       stateOf(row),
		Args:        e.Args,
		Attempt:     row.Attempt,
		MaxAttempts: row.MaxAttempts,
		CreatedAt:   row.CreatedAt.UTC(),
		StartedAt:   utc(row.AttemptedAt),
		FinishedAt:  utc(row.FinalizedAt),
	}
	if job.State == StateCompleted {
		job.Output = row.Output()
	} else if out := row.Output(); len(out) > 0 {
		job.Progress = out
	}
	for _, attemptErr := range row.Errors {
		job.Errors = append(job.Errors, attemptErr.Error)
	}
	return job, nil
}

// stateOf maps River's eight states onto our six: every state in which a
// job waits for an attempt is queued, or retrying once an attempt failed.
func stateOf(row *rivertype.JobRow) State {
	switch row.State {
	case rivertype.JobStateRunning:
		return StateRunning
	case rivertype.JobStateCompleted:
		return StateCompleted
	case rivertype.JobStateDiscarded:
		return StateFailed
	case rivertype.JobStateCancelled:
		return StateCancelled
	default: // available, scheduled, pending, retryable
		if len(row.Errors) > 0 {
			return StateRetrying
		}
		return StateQueued
	}
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
