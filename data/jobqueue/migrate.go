package jobqueue

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

// River's migrator takes no lock: two processes migrating one new database
// at once would both apply its first step, and one would fail. Each
// backend serialises them its own way; neither locks anything when the
// tables are up to date.

// migrationLock is the session advisory lock key held while River's
// migrations run on PostgreSQL ("ptjobmig" in ASCII; data/pgstore holds
// "ptmigrat" while it migrates).
const migrationLock int64 = 0x70746a6f626d6967

// closeTimeout bounds saying goodbye on the lock's connection.
const closeTimeout = time.Second

// migratePostgres applies River's migrations into the placeteam schema,
// creating it when missing, while holding migrationLock on a connection of
// its own (closing it releases the lock, whatever happened). River applies
// each step in its own transaction, as some of its PostgreSQL steps need.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool, driver *riverpgxv5.Driver, logger *slog.Logger) error {
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Schema: schema, Logger: logger})
	if err != nil {
		return err
	}
	if upToDate, err := migrator.Validate(ctx, nil); err != nil || upToDate.OK {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, pool.Config().ConnConfig)
	if err != nil {
		return err
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
		defer cancel()
		_ = conn.Close(ctx) // the lock goes with the session either way
	}()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return err
	}
	// data/pgstore creates the schema under its own lock: a unique violation
	// means it just did.
	var pgErr *pgconn.PgError
	if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil &&
		!(errors.As(err, &pgErr) && pgErr.Code == "23505") {
		return err
	}
	_, err = migrator.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// migrateSQLite applies River's migrations in one write transaction: with
// _txlock=immediate it holds SQLite's write lock from BEGIN, so a second
// process waits (busy_timeout) and then finds nothing left to apply.
// River deprecates MigrateTx because some PostgreSQL steps cannot share a
// transaction; SQLite's DDL is transactional and its steps have no such
// need.
func migrateSQLite(ctx context.Context, db *sql.DB, driver *riversqlite.Driver, logger *slog.Logger) error {
	migrator, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: logger})
	if err != nil {
		return err
	}
	if upToDate, err := migrator.Validate(ctx, nil); err != nil || upToDate.OK {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // after Commit a no-op; before it, nothing is left applied
	//nolint:staticcheck // MigrateTx is deprecated for PostgreSQL's sake (see above)
	if _, err := migrator.MigrateTx(ctx, tx, rivermigrate.DirectionUp, nil); err != nil {
		return err
	}
	return tx.Commit()
}
