package jobqueue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/store"
)

// TestQueue runs every behaviour on both backends, each on a fresh
// database.
func TestQueue(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, db database)
	}{
		{"Completes", testCompletes},
		{"FailsWithError", testFailsWithError},
		{"Retries", testRetries},
		{"CancelQueued", testCancelQueued},
		{"CancelRunning", testCancelRunning},
		{"CancelFinished", testCancelFinished},
		{"Progress", testProgress},
		{"NotFound", testNotFound},
		{"RefusesBadInput", testRefusesBadInput},
		{"StartNeedsHandler", testStartNeedsHandler},
		{"SurvivesRestart", testSurvivesRestart},
		{"StopRequeuesRunning", testStopRequeuesRunning},
		{"TwoReplicas", testTwoReplicas},
		{"ConcurrentOpen", testConcurrentOpen},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) { tt.run(t, b.fresh(t)) })
			}
		})
	}
}

// Waiting: jobs are polled until they reach a state, for at most
// waitLimit; reaching another final state fails at once.
const (
	waitLimit = 30 * time.Second
	pollEvery = 20 * time.Millisecond
)

// open opens a replica or fails the test, with River's warnings in the
// test log.
func open(t *testing.T, db database, cfg Config) *replica {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	r, err := db(t, cfg)
	if err != nil {
		t.Fatalf("open queue: %v", err)
	}
	return r
}

// started opens a replica with handler and starts it.
func started(t *testing.T, db database, cfg Config) *replica {
	t.Helper()
	r := open(t, db, cfg)
	if err := r.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	return r
}

func enqueue(t *testing.T, q *replica, kind, args string) Job {
	t.Helper()
	job, err := q.Enqueue(context.Background(), kind, json.RawMessage(args))
	if err != nil {
		t.Fatalf("enqueue %s %s: %v", kind, args, err)
	}
	return job
}

func finished(s State) bool {
	return s == StateCompleted || s == StateFailed || s == StateCancelled
}

// waitState polls job id until it is in state want.
func waitState(t *testing.T, q *replica, id int64, want State) Job {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		job, err := q.Job(context.Background(), id)
		if err != nil {
			t.Fatalf("job %d: %v", id, err)
		}
		if job.State == want {
			return job
		}
		if finished(job.State) || time.Now().After(deadline) {
			t.Fatalf("job %d: %s, want %s (waited up to %v): %s", id, job.State, want, waitLimit, show(job))
		}
		time.Sleep(pollEvery)
	}
}

// show is job as JSON, for failure messages.
func show(job Job) string {
	b, err := json.Marshal(job)
	if err != nil {
		return fmt.Sprintf("%+v", job)
	}
	return string(b)
}

// receive waits for a value from ch, for at most waitLimit.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(waitLimit):
		t.Fatalf("no %s after %v", what, waitLimit)
		panic("unreachable")
	}
}

// runs counts the attempts handlers saw, by job.
type runs struct {
	mu   sync.Mutex
	byID map[int64][]Job
}

func (r *runs) record(job Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.byID == nil {
		r.byID = map[int64][]Job{}
	}
	r.byID[job.ID] = append(r.byID[job.ID], job)
}

func (r *runs) of(id int64) []Job {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byID[id]
}

func (r *runs) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, attempts := range r.byID {
		n += len(attempts)
	}
	return n
}

// sameJSON fails unless got and want encode the same value (the database
// may reorder keys and spacing).
func sameJSON(t *testing.T, what string, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("%s: %q: %v", what, got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: want %q: %v", what, want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

func sameErrors(t *testing.T, job Job, want ...string) {
	t.Helper()
	if !reflect.DeepEqual(job.Errors, want) {
		t.Errorf("job %d errors = %q, want %q", job.ID, job.Errors, want)
	}
}

// echo records each attempt and returns the kind, args and attempt it saw.
func echo(r *runs) Handler {
	return func(ctx context.Context, job Job) (json.RawMessage, error) {
		r.record(job)
		return json.Marshal(map[string]any{"kind": job.Kind, "args": job.Args, "attempt": job.Attempt})
	}
}

func testCompletes(t *testing.T, db database) {
	var seen runs
	q := started(t, db, Config{Handler: echo(&seen)})
	args := `{"configuration": "north", "hubs": 3}`
	job := enqueue(t, q, "siting", args)
	if job.State != StateQueued || job.Kind != "siting" || job.Attempt != 0 || job.MaxAttempts != 1 ||
		job.CreatedAt.IsZero() || job.StartedAt != nil || job.FinishedAt != nil || job.Output != nil {
		t.Errorf("enqueued: %s", show(job))
	}
	sameJSON(t, "enqueued args", job.Args, args)

	done := waitState(t, q, job.ID, StateCompleted)
	sameJSON(t, "output", done.Output, `{"kind": "siting", "args": `+args+`, "attempt": 1}`)
	sameJSON(t, "args", done.Args, args)
	sameErrors(t, done)
	if done.Attempt != 1 || done.StartedAt == nil || done.FinishedAt == nil || done.FinishedAt.Before(*done.StartedAt) {
		t.Errorf("completed: %s", show(done))
	}
	attempts := seen.of(job.ID)
	if len(attempts) != 1 {
		t.Fatalf("handler ran %d times, want once", len(attempts))
	}
	if got := attempts[0]; got.State != StateRunning || got.Attempt != 1 || got.Kind != "siting" || got.StartedAt == nil {
		t.Errorf("handler saw %s", show(got))
	}
}

func testFailsWithError(t *testing.T, db database) {
	var seen runs
	q := started(t, db, Config{Handler: func(ctx context.Context, job Job) (json.RawMessage, error) {
		seen.record(job)
		return json.RawMessage(`{"partial": true}`), errors.New("siting: no site fits 3 hubs")
	}})
	job := enqueue(t, q, "siting", `{}`)
	failed := waitState(t, q, job.ID, StateFailed)
	sameErrors(t, failed, "siting: no site fits 3 hubs")
	if failed.Attempt != 1 || failed.MaxAttempts != 1 || failed.Output != nil || failed.FinishedAt == nil {
		t.Errorf("failed: %s", show(failed))
	}
	if n := len(seen.of(job.ID)); n != 1 {
		t.Errorf("handler ran %d times, want once", n)
	}
}

func testRetries(t *testing.T, db database) {
	// Each job fails every attempt until the one named in its args.
	var seen runs
	q := started(t, db, Config{MaxAttempts: 2, Handler: func(ctx context.Context, job Job) (json.RawMessage, error) {
		seen.record(job)
		var args struct {
			SucceedOn int `json:"succeed_on"`
		}
		if err := json.Unmarshal(job.Args, &args); err != nil {
			return nil, err
		}
		if job.Attempt != args.SucceedOn {
			return nil, fmt.Errorf("attempt %d failed", job.Attempt)
		}
		return json.RawMessage(`"ok"`), nil
	}})
	second := enqueue(t, q, "siting", `{"succeed_on": 2}`)
	never := enqueue(t, q, "siting", `{"succeed_on": 0}`)
	if second.MaxAttempts != 2 {
		t.Errorf("max attempts = %d, want 2", second.MaxAttempts)
	}

	done := waitState(t, q, second.ID, StateCompleted)
	sameErrors(t, done, "attempt 1 failed")
	sameJSON(t, "output", done.Output, `"ok"`)
	if done.Attempt != 2 {
		t.Errorf("completed at attempt %d, want 2", done.Attempt)
	}

	failed := waitState(t, q, never.ID, StateFailed)
	sameErrors(t, failed, "attempt 1 failed", "attempt 2 failed")
	if failed.Attempt != 2 || failed.Output != nil {
		t.Errorf("failed: %s", show(failed))
	}
	for _, id := range []int64{second.ID, never.ID} {
		if n := len(seen.of(id)); n != 2 {
			t.Errorf("job %d ran %d times, want twice", id, n)
		}
	}
}

func testCancelQueued(t *testing.T, db database) {
	producer := open(t, db, Config{})
	job := enqueue(t, producer, "siting", `{}`)
	cancelled, err := producer.Cancel(context.Background(), job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cancelled.State != StateCancelled || cancelled.FinishedAt == nil || cancelled.Attempt != 0 {
		t.Errorf("cancelled: %s", show(cancelled))
	}

	// A worker that has run a job enqueued after it has passed it by.
	var seen runs
	worker := started(t, db, Config{Handler: echo(&seen)})
	later := enqueue(t, producer, "siting", `{}`)
	waitState(t, worker, later.ID, StateCompleted)
	if n := len(seen.of(job.ID)); n != 0 {
		t.Errorf("the cancelled job ran %d times", n)
	}
	if got := waitState(t, worker, job.ID, StateCancelled); got.StartedAt != nil {
		t.Errorf("cancelled job started: %s", show(got))
	}
}

func testCancelRunning(t *testing.T, db database) {
	// The handler waits for its ctx, then gives up as its args say: with an
	// error, or claiming success.
	var seen runs
	running := make(chan int64, 1)
	q := started(t, db, Config{Handler: func(ctx context.Context, job Job) (json.RawMessage, error) {
		running <- job.ID
		<-ctx.Done()
		seen.record(job)
		if string(job.Args) == `"succeed"` {
			return json.RawMessage(`{"done": true}`), nil
		}
		return nil, ctx.Err()
	}})
	for _, onCancel := range []string{`"error"`, `"succeed"`} {
		t.Run(onCancel, func(t *testing.T) {
			job := enqueue(t, q, "siting", onCancel)
			if id := receive(t, running, "running job"); id != job.ID {
				t.Fatalf("running job %d, want %d", id, job.ID)
			}
			got, err := q.Cancel(context.Background(), job.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.State != StateRunning {
				t.Errorf("Cancel gave %s, want running until the handler returns", got.State)
			}
			cancelled := waitState(t, q, job.ID, StateCancelled)
			if cancelled.Output != nil || cancelled.FinishedAt == nil || cancelled.Attempt != 1 {
				t.Errorf("cancelled: %s", show(cancelled))
			}
			sameErrors(t, cancelled, "JobCancelError: job cancelled remotely")
			if n := len(seen.of(job.ID)); n != 1 {
				t.Errorf("handler returned %d times, want once", n)
			}
		})
	}
}

func testCancelFinished(t *testing.T, db database) {
	var seen runs
	q := started(t, db, Config{Handler: echo(&seen)})
	job := enqueue(t, q, "siting", `{"hubs": 2}`)
	done := waitState(t, q, job.ID, StateCompleted)
	got, err := q.Cancel(context.Background(), job.ID)
	if err != nil {
		t.Fatalf("cancel a completed job: %v", err)
	}
	if !reflect.DeepEqual(got, done) {
		t.Errorf("cancel changed a completed job:\n got %s\nwant %s", show(got), show(done))
	}
	if again, err := q.Job(context.Background(), job.ID); err != nil || !reflect.DeepEqual(again, done) {
		t.Errorf("after cancel: %s, %v; want %s", show(again), err, show(done))
	}
}

func testNotFound(t *testing.T, db database) {
	q := open(t, db, Config{})
	known := enqueue(t, q, "siting", `{}`)
	unknown := known.ID + 1000
	if _, err := q.Job(context.Background(), unknown); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Job(unknown) = %v, want store.ErrNotFound", err)
	}
	if _, err := q.Cancel(context.Background(), unknown); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Cancel(unknown) = %v, want store.ErrNotFound", err)
	}
}

func testRefusesBadInput(t *testing.T, db database) {
	q := open(t, db, Config{})
	tests := []struct {
		name, kind string
		args       json.RawMessage
	}{
		{"no kind", "", json.RawMessage(`{}`)},
		{"no args", "siting", nil},
		{"truncated args", "siting", json.RawMessage(`{"hubs": 3`)},
		{"trailing garbage", "siting", json.RawMessage(`{} {}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			job, err := q.Enqueue(context.Background(), tt.kind, tt.args)
			if !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Enqueue(%q, %q) = %s, %v; want store.ErrInvalid", tt.kind, tt.args, show(job), err)
			}
		})
	}
}

func testStartNeedsHandler(t *testing.T, db database) {
	q := open(t, db, Config{})
	if err := q.Start(context.Background()); err == nil {
		t.Error("a queue without a Handler started")
	}
}

func testSurvivesRestart(t *testing.T, db database) {
	// Enqueued by a process that then goes away, worked by the next.
	producer := open(t, db, Config{})
	var ids []int64
	for i := range 3 {
		ids = append(ids, enqueue(t, producer, "siting", fmt.Sprintf(`{"run": %d}`, i)).ID)
	}
	producer.close(t)

	var seen runs
	worker := started(t, db, Config{Handler: echo(&seen)})
	for _, id := range ids {
		waitState(t, worker, id, StateCompleted)
		if n := len(seen.of(id)); n != 1 {
			t.Errorf("job %d ran %d times, want once", id, n)
		}
	}
}

func testStopRequeuesRunning(t *testing.T, db database) {
	// A replica stopping with less patience than its job needs: the job goes
	// back in the queue, its attempt not counted, though the handler said
	// so in its own words, and the next replica runs it.
	running := make(chan int64, 1)
	first := started(t, db, Config{Handler: func(ctx context.Context, job Job) (json.RawMessage, error) {
		running <- job.ID
		<-ctx.Done()
		return nil, errors.New("siting: interrupted")
	}})
	job := enqueue(t, first, "siting", `{}`)
	receive(t, running, "running job")
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := first.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	requeued, err := first.Job(context.Background(), job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if requeued.State != StateQueued || requeued.Attempt != 0 || requeued.Errors != nil {
		t.Errorf("after stop: %s, want queued with no attempt counted", show(requeued))
	}

	var seen runs
	next := started(t, db, Config{Handler: echo(&seen)})
	done := waitState(t, next, job.ID, StateCompleted)
	if done.Attempt != 1 || done.Errors != nil || len(seen.of(job.ID)) != 1 {
		t.Errorf("completed: %s after %d runs on the next replica", show(done), len(seen.of(job.ID)))
	}
}

func testTwoReplicas(t *testing.T, db database) {
	const jobs = 20
	var seen runs
	var mu sync.Mutex
	ranOn := map[string]int{}
	handler := func(name string) Handler {
		return func(ctx context.Context, job Job) (json.RawMessage, error) {
			seen.record(job)
			mu.Lock()
			ranOn[name]++
			mu.Unlock()
			select { // a little work, so that both replicas fetch at once
			case <-time.After(10 * time.Millisecond):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			return json.RawMessage(`{}`), nil
		}
	}
	replicas := []*replica{
		started(t, db, Config{Workers: 2, Handler: handler("a")}),
		started(t, db, Config{Workers: 2, Handler: handler("b")}),
	}
	var ids []int64
	for i := range jobs {
		ids = append(ids, enqueue(t, replicas[i%2], "siting", fmt.Sprintf(`{"run": %d}`, i)).ID)
	}
	for i, id := range ids {
		waitState(t, replicas[(i+1)%2], id, StateCompleted)
	}
	for _, id := range ids {
		if n := len(seen.of(id)); n != 1 {
			t.Errorf("job %d ran %d times, want once", id, n)
		}
	}
	if n := seen.total(); n != jobs {
		t.Errorf("%d runs, want %d", n, jobs)
	}
	t.Logf("runs by replica: %v", ranOn)
}

func testConcurrentOpen(t *testing.T, db database) {
	// Replicas starting together on a new database: River's migrations are
	// applied once, and every one opens.
	const n = 4
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := db(t, Config{})
			errs <- err
		}()
	}
	for range n {
		if err := receive(t, errs, "open"); err != nil {
			t.Errorf("open: %v", err)
		}
	}
}

// testProgress: a running job's reported progress is seen by any reader,
// replaced by the output when it completes.
func testProgress(t *testing.T, db database) {
	reported := make(chan struct{})
	finish := make(chan struct{})
	q := started(t, db, Config{Handler: func(ctx context.Context, job Job) (json.RawMessage, error) {
		if err := ReportProgress(ctx, map[string]int{"moves_tried": 1000}); err != nil {
			return nil, err
		}
		close(reported)
		<-finish
		return json.RawMessage(`{"best": 1}`), nil
	}})
	job := enqueue(t, q, "optimise", `{}`)
	receive(t, reported, "progress")
	reader := open(t, db, Config{})
	got, err := reader.Job(context.Background(), job.ID)
	if err != nil {
		t.Fatal(err)
	}
	var p map[string]int
	if got.State != StateRunning || json.Unmarshal(got.Progress, &p) != nil || p["moves_tried"] != 1000 || got.Output != nil {
		t.Errorf("running job: %s", show(got))
	}
	close(finish)
	done := waitState(t, q, job.ID, StateCompleted)
	if string(done.Output) != `{"best": 1}` && string(done.Output) != `{"best":1}` || done.Progress != nil {
		t.Errorf("completed job: %s", show(done))
	}
	if err := ReportProgress(context.Background(), 1); err != nil {
		t.Errorf("progress outside a job: %v", err)
	}
}
