package pgstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/store"
)

// migrationFiles holds the schema, one numbered file per step:
// NNNN_what.sql, applied in order. Never edit a released file; add the next.
//
//go:embed migrations/*.sql
var migrationFiles embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded migrations, checking they are numbered
// 1, 2, 3… without gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]migration, 0, len(names))
	for i, name := range names {
		base := path.Base(name)
		prefix, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d", base, i+1)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: base, sql: string(b)})
	}
	return out, nil
}

// migrationLock is the session advisory lock key held while migrating
// ("ptmigrat" in ASCII). Per-name configuration locks are row locks, so
// nothing else in placeteam uses advisory locks.
const migrationLock int64 = 0x70746d6967726174

// migrate brings the schema up to date over a connection of its own. The
// applied steps are rows of placeteam.schema_migrations; when some are
// missing it takes the advisory lock, reads them again and applies each
// missing step in its own transaction with its row, so two processes
// opening the same new database do not both apply a step. Closing the
// connection releases the lock, whatever happened. With mustExist, a
// database without the schema is refused (store.ErrNoStore) before anything
// is created. Nothing is created or locked when the schema is up to date, so
// a role without CREATE privilege can open an up-to-date store.
func migrate(ctx context.Context, connConfig *pgx.ConnConfig, mustExist bool) error {
	steps, err := migrations()
	if err != nil {
		return err
	}
	conn, err := pgx.ConnectConfig(ctx, connConfig.Copy())
	if err != nil {
		return err
	}
	defer closeConn(ctx, conn)
	current, exists, err := schemaVersion(ctx, conn)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if !exists && mustExist {
		return fmt.Errorf("%w: the database has no %s schema", store.ErrNoStore, schema)
	}
	if current == len(steps) {
		return nil
	}
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
		return fmt.Errorf("lock schema: %w", err)
	}
	if current, exists, err = schemaVersion(ctx, conn); err != nil { // as another process left it
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > len(steps) {
		return fmt.Errorf("schema version %d is newer than this program knows (%d); upgrade placeteam", current, len(steps))
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema+`;
			CREATE TABLE `+schema+`.schema_migrations (
				version    integer PRIMARY KEY,
				name       text NOT NULL,
				applied_at timestamptz NOT NULL DEFAULT now()
			)`); err != nil {
			return fmt.Errorf("create schema: %w", err)
		}
	}
	for _, m := range steps[current:] {
		if err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO `+schema+`.schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.name)
			return err
		}); err != nil {
			return fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return nil
}

// schemaVersion returns the highest applied migration, and whether the
// schema_migrations table exists at all.
func schemaVersion(ctx context.Context, conn *pgx.Conn) (version int, exists bool, err error) {
	if err := conn.QueryRow(ctx, `SELECT to_regclass('`+schema+`.schema_migrations') IS NOT NULL`).Scan(&exists); err != nil || !exists {
		return 0, false, err
	}
	err = conn.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM `+schema+`.schema_migrations`).Scan(&version)
	return version, true, err
}
