// Package jobqueue is placeteam's durable queue for long jobs — hub-siting
// runs now, a boundary optimiser later — kept in the database of either
// store: PostgreSQL through a pgx pool (NewPostgres) or SQLite through
// database/sql (NewSQLite). It is a thin layer over River
// (github.com/riverqueue/river), whose types stay inside this package.
//
// # What lives where
//
// A job is one row of River's table river_job, in the store's database:
// our kind and args (wrapped in River's args as one River kind,
// "placeteam"), its state, attempts, one error per failed attempt, and the
// handler's output (River's metadata key "output"). River's other tables
// (river_leader, river_client, river_queue, river_migration and, on SQLite,
// river_notification) hold who leads, who is connected and which
// migrations ran. Nothing about a job lives in a process's memory except
// the context of a running attempt.
//
// On PostgreSQL the tables live in the schema placeteam beside the store's
// (every River table is named river_*, so none clashes with the store's).
// The schema is named explicitly (River's Schema option) rather than left
// to the pool's search_path: the tables land in the same place whatever the
// pool's search_path is, and dumping or dropping the schema takes the queue
// with it. NewPostgres creates the schema when missing. On SQLite they live
// in the store's file.
//
// # Durability
//
// Enqueue returns once the job's row is committed, and a job is worked only
// from its row, so no job is lost when a process stops, restarts or dies:
//
//   - Stop stops fetching and waits for running jobs. When its ctx ends
//     first, the jobs' contexts are cancelled, and a handler that then
//     returns an error puts its job back in the queue, its attempt not
//     counted, for any replica to run again.
//   - A process that dies mid-job leaves the row "running". River's
//     rescuer counts the attempt as failed once it began more than
//     JobTimeout plus five minutes ago (a live process has cancelled and
//     finished its attempt by then): the job is retried if attempts remain,
//     otherwise it fails with the error "Stuck job rescued by JobRescuer".
//     So with the default MaxAttempts of 1, a run that killed its process
//     (out of memory, say) is not handed to the next replica to kill.
//
// A finished job (completed, failed or cancelled) is kept for a week, then
// deleted: Job then reports store.ErrNotFound. Keep what must last (a
// siting result worth keeping is a scenario).
//
// # Replicas
//
// Any number of processes may open a Queue on one database; each started
// one fetches jobs, and River locks every job it fetches (FOR UPDATE SKIP
// LOCKED on PostgreSQL, the single writer on SQLite), so each attempt runs
// on exactly one replica. Inserts and cancellations are announced to every
// replica (LISTEN/NOTIFY on PostgreSQL, which holds one pool connection;
// River's river_notification table, polled every 50 ms, on SQLite); should
// one be missed, River still looks for new jobs every second and for
// cancellations of running jobs every minute. One started queue is elected
// leader and runs River's maintenance for all: retries due later, rescue of
// stuck jobs, deletion of old finished ones.
//
// # Cancellation
//
// Cancel finalises a queued job at once: it never runs. A running job's
// handler sees its ctx cancelled within moments, on whichever replica runs
// it, and the job ends cancelled whatever the handler then returns, with
// the error "JobCancelError: job cancelled remotely". A finished job is
// left as it is. A handler's ctx also ends at JobTimeout and
// when the queue stops; the handler should return soon after (checking
// ctx.Err() in long loops), with an error.
//
// # SQLite
//
// The *sql.DB given to NewSQLite must be opened as data/sqlitestore opens
// its file: with busy_timeout, so that a connection waits for another
// writer instead of failing with SQLITE_BUSY; with WAL, so that readers do
// not block the writer; and with _txlock=immediate, so that write
// transactions take the lock at BEGIN and two replicas' transactions queue
// instead of failing. NewSQLite refuses a database without busy_timeout.
package jobqueue
