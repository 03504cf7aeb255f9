package jobqueue

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/placeteam/placeteam/data/store"
)

// Config says what a queue does with the jobs it fetches.
type Config struct {
	// Handler runs every job; nil makes a queue that only enqueues and reads
	// (it cannot Start).
	Handler Handler
	// Workers is how many jobs this process runs at once; zero means 1.
	Workers int
	// MaxAttempts is recorded on each job this queue enqueues: how many
	// attempts it gets before it fails. Zero means 1 (a failed siting run
	// is not retried by default). A retry waits about attempt⁴ seconds.
	MaxAttempts int
	// JobTimeout bounds one attempt: its ctx is cancelled after it. Zero
	// means 30 minutes.
	JobTimeout time.Duration
	// Logger receives River's logs; nil discards them.
	Logger *slog.Logger
}

const (
	defaultJobTimeout = 30 * time.Minute
	// rescueMargin is how long after JobTimeout a job still "running" is
	// taken to belong to a dead process: a live one cancelled the attempt
	// at JobTimeout and recorded how it ended within seconds. (River's own
	// default would be an hour after the attempt began.)
	rescueMargin = 5 * time.Minute
	// finishedJobRetention is how long a finished job is kept.
	finishedJobRetention = 7 * 24 * time.Hour
	// stopGrace bounds Stop's wait for jobs whose ctx it has cancelled.
	stopGrace = 10 * time.Second
	// schema holds River's tables on PostgreSQL, as it holds the store's.
	schema = "placeteam"
)

// Queue enqueues, reads and cancels jobs, and with a Handler works them.
// It is safe for concurrent use.
type Queue struct {
	client  riverClient
	working bool // has a Handler
	logger  *slog.Logger
}

// riverClient is what Queue uses of River's client, whichever driver's.
type riverClient interface {
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	JobGet(ctx context.Context, id int64) (*rivertype.JobRow, error)
	JobCancel(ctx context.Context, id int64) (*rivertype.JobRow, error)
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	StopAndCancel(ctx context.Context) error
}

// NewPostgres opens a queue on the database of pool, creating the
// placeteam schema when missing and applying River's migrations (under an
// advisory lock, so processes starting together apply each once). River
// keeps one of the pool's connections for LISTEN while the queue runs.
func NewPostgres(ctx context.Context, pool *pgxpool.Pool, cfg Config) (*Queue, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	driver := riverpgxv5.New(pool)
	if err := migratePostgres(ctx, pool, driver, cfg.Logger); err != nil {
		return nil, fmt.Errorf("jobqueue: migrate: %w", err)
	}
	return newQueue(driver, schema, cfg)
}

// NewSQLite opens a queue on db, which must be opened as data/sqlitestore
// opens its file (see the package doc), applying River's migrations in one
// write transaction.
func NewSQLite(ctx context.Context, db *sql.DB, cfg Config) (*Queue, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var busyTimeout int
	if err := db.QueryRowContext(ctx, `PRAGMA busy_timeout`).Scan(&busyTimeout); err != nil {
		return nil, fmt.Errorf("jobqueue: read busy_timeout: %w", err)
	}
	if busyTimeout <= 0 {
		return nil, errors.New("jobqueue: the SQLite database has no busy_timeout: open it with _pragma=busy_timeout(…) as data/sqlitestore does")
	}
	driver := riversqlite.New(db)
	if err := migrateSQLite(ctx, db, driver, cfg.Logger); err != nil {
		return nil, fmt.Errorf("jobqueue: migrate: %w", err)
	}
	return newQueue(driver, "", cfg)
}

// withDefaults fills in the zero values and refuses negative ones.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Workers < 0 || cfg.MaxAttempts < 0 || cfg.JobTimeout < 0 {
		return cfg, fmt.Errorf("jobqueue: %w: negative Workers, MaxAttempts or JobTimeout", store.ErrInvalid)
	}
	cfg.Workers = max(cfg.Workers, 1)
	cfg.MaxAttempts = max(cfg.MaxAttempts, 1)
	if cfg.JobTimeout == 0 {
		cfg.JobTimeout = defaultJobTimeout
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// newQueue builds River's client on driver.
func newQueue[TTx any](driver riverdriver.Driver[TTx], schema string, cfg Config) (*Queue, error) {
	var w *worker
	riverConfig := &river.Config{
		Schema:                      schema,
		Logger:                      cfg.Logger,
		MaxAttempts:                 cfg.MaxAttempts,
		JobTimeout:                  cfg.JobTimeout,
		RescueStuckJobsAfter:        cfg.JobTimeout + rescueMargin,
		CompletedJobRetentionPeriod: finishedJobRetention,
		CancelledJobRetentionPeriod: finishedJobRetention,
		DiscardedJobRetentionPeriod: finishedJobRetention,
	}
	if cfg.Handler != nil {
		riverConfig.Workers = river.NewWorkers()
		w = &worker{handler: cfg.Handler}
		if err := river.AddWorkerSafely(riverConfig.Workers, w); err != nil {
			return nil, fmt.Errorf("jobqueue: %w", err)
		}
		riverConfig.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cfg.Workers}}
	}
	client, err := river.NewClient(driver, riverConfig)
	if err != nil {
		return nil, fmt.Errorf("jobqueue: %w", err)
	}
	if w != nil {
		w.update = func(ctx context.Context, id int64, progress json.RawMessage) error {
			_, err := client.JobUpdate(ctx, id, &river.JobUpdateParams{Output: progress})
			return err
		}
	}
	return &Queue{client: client, working: cfg.Handler != nil, logger: cfg.Logger}, nil
}

// Enqueue adds a job of kind with args (any JSON value) and returns it,
// queued. The job is in the database when Enqueue returns.
func (q *Queue) Enqueue(ctx context.Context, kind string, args json.RawMessage) (Job, error) {
	if kind == "" {
		return Job{}, fmt.Errorf("jobqueue: enqueue: %w: the job has no kind", store.ErrInvalid)
	}
	if !json.Valid(args) {
		return Job{}, fmt.Errorf("jobqueue: enqueue %s: %w: args are not valid JSON", kind, store.ErrInvalid)
	}
	res, err := q.client.Insert(ctx, envelope{JobKind: kind, Args: args}, nil)
	if err != nil {
		return Job{}, fmt.Errorf("jobqueue: enqueue %s: %w", kind, err)
	}
	return q.job(res.Job, "enqueue")
}

// Job returns the job with id; an unknown (or long finished) id gives an
// error wrapping store.ErrNotFound.
func (q *Queue) Job(ctx context.Context, id int64) (Job, error) {
	row, err := q.client.JobGet(ctx, id)
	if err != nil {
		return Job{}, notFound("job", id, err)
	}
	return q.job(row, "job")
}

// Cancel cancels the job with id and returns it as it is then. A queued
// job is cancelled at once and never runs. A running one shows as running
// until its handler, whose ctx is cancelled, returns; it then ends
// cancelled. A finished job is returned unchanged, without error.
func (q *Queue) Cancel(ctx context.Context, id int64) (Job, error) {
	row, err := q.client.JobCancel(ctx, id)
	if err != nil {
		return Job{}, notFound("cancel", id, err)
	}
	return q.job(row, "cancel")
}

// Start begins fetching and running jobs (it needs a Handler). ctx bounds
// starting only: the queue runs until Stop.
func (q *Queue) Start(ctx context.Context) error {
	if !q.working {
		return errors.New("jobqueue: start: no Handler: this queue only enqueues and reads")
	}
	if err := q.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobqueue: start: %w", err)
	}
	return nil
}

// Stop stops fetching and waits for the running jobs until ctx ends. Then
// it cancels their ctx and waits up to stopGrace for their handlers to
// return: each job goes back in the queue, its attempt not counted, for
// any replica to run. A queue never started stops at once.
func (q *Queue) Stop(ctx context.Context) error {
	err := q.client.Stop(ctx)
	if err == nil {
		return nil
	}
	if ctx.Err() == nil {
		return fmt.Errorf("jobqueue: stop: %w", err)
	}
	q.logger.InfoContext(ctx, "jobqueue: stop: cancelling the running jobs; they go back in the queue")
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
	defer cancel()
	if err := q.client.StopAndCancel(hard); err != nil {
		return fmt.Errorf("jobqueue: stop: handlers still running %v after their ctx was cancelled: %w", stopGrace, err)
	}
	return nil
}

// job translates a row River gave back to op.
func (q *Queue) job(row *rivertype.JobRow, op string) (Job, error) {
	job, err := jobFromRow(row)
	if err != nil {
		return Job{}, fmt.Errorf("jobqueue: %s: %w", op, err)
	}
	return job, nil
}

// notFound wraps store.ErrNotFound around River's "not found".
func notFound(op string, id int64, err error) error {
	if errors.Is(err, river.ErrNotFound) {
		return fmt.Errorf("jobqueue: %s %d: %w", op, id, store.ErrNotFound)
	}
	return fmt.Errorf("jobqueue: %s %d: %w", op, id, err)
}
