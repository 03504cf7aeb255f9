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
}

func (w *worker) Work(ctx context.Context, riverJob *river.Job[envelope]) error {
	job, err := jobFromRow(riverJob.JobRow)
	if err != nil {
		return fmt.Errorf("jobqueue: %w", err)
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
