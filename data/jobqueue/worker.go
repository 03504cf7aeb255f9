package jobqueue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Handler runs one job; its output (JSON, or nil for none) is kept with the
// job. ctx is cancelled when the job is cancelled, when it has run for
// JobTimeout, or when the queue stops; the handler should then return an
// error soon.
type Handler func(ctx context.Context, job Job) (output json.RawMessage, err error)

// worker is River's worker for every job: it calls the Handler and turns
// what the handler returns into what River expects.
type worker struct {
	river.WorkerDefaults[envelope]
	handler Handler
	update  func(ctx context.Context, id int64, progress json.RawMessage) error
}

// progressKey carries a running job's progress reporter in its ctx.
type progressKey struct{}

// ReportProgress records progress (any JSON value) with the running job
// whose handler has ctx: Job then shows it as Progress until the job
// completes. Outside a job it does nothing. Each call is a write to the
// database: report every second or so, not on every step.
func ReportProgress(ctx context.Context, progress any) error {
	report, ok := ctx.Value(progressKey{}).(func(context.Context, json.RawMessage) error)
	if !ok {
		return nil
	}
	b, err := json.Marshal(progress)
	if err != nil {
		return fmt.Errorf("jobqueue: progress: %w", err)
	}
	return report(ctx, b)
}

func (w *worker) Work(ctx context.Context, riverJob *river.Job[envelope]) error {
	job, err := jobFromRow(riverJob.JobRow)
	if err != nil {
		return fmt.Errorf("jobqueue: %w", err)
	}
	if w.update != nil {
		id := job.ID
		ctx = context.WithValue(ctx, progressKey{}, func(ctx context.Context, b json.RawMessage) error {
			return w.update(ctx, id, b)
		})
	}
	output, err := w.handler(ctx, job)
	if cause := context.Cause(ctx); errors.Is(cause, rivertype.ErrJobCancelledRemotely) {
		// Cancel reached this attempt: the job ends cancelled whatever the
		// handler made of it (River would complete it on a nil error).
		return cause
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			// The handler stopped because its ctx ended but said so in its own
			// words; River needs to see why, to put the job of a stopping
			// queue back in the queue rather than count a failed attempt.
			err = fmt.Errorf("%w: %w", err, ctxErr)
		}
		return err
	}
	if len(output) == 0 {
		return nil
	}
	if !json.Valid(output) {
		return errors.New("jobqueue: the handler's output is not valid JSON")
	}
	if err := river.RecordOutput(ctx, output); err != nil {
		return fmt.Errorf("jobqueue: record output: %w", err)
	}
	return nil
}
