package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/jobqueue"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// backend is what the commands need of a store: the core's concerns, plus
// importing and the import history.
type backend interface {
	planning.Store
	ReplaceDataset(ctx context.Context, d *dataset.Dataset, configs []*configuration.Configuration, record store.ImportRecord) error
	Imports(ctx context.Context) ([]store.ImportRecord, error)
	JobQueue(ctx context.Context, cfg jobqueue.Config) (*jobqueue.Queue, error)
	io.Closer
}

// dbEnv names the store when --db is not given.
const dbEnv = "PLACETEAM_DB"

// dbDefault is --db's default: $PLACETEAM_DB, else the SQLite file.
func dbDefault() string {
	if s := os.Getenv(dbEnv); s != "" {
		return s
	}
	return defaultDB
}

// dbUsage describes --db.
const dbUsage = "store: an SQLite file, or a postgres:// URL (default $" + dbEnv + ", else " + defaultDB + ")"

// isPostgres reports whether db names a PostgreSQL database.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openStore opens the store db names. mustExist refuses to create one (for
// commands that only read).
func openStore(ctx context.Context, db string, mustExist bool) (backend, error) {
	if isPostgres(db) {
		return openPostgres(ctx, db, mustExist)
	}
	s, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: db, MustExist: mustExist})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// openCore opens the store and the service core over its dataset.
func openCore(ctx context.Context, db string, opts planning.Config) (*planning.Service, backend, error) {
	s, err := openStore(ctx, db, true)
	if err != nil {
		return nil, nil, err
	}
	opts.Store = s
	core, err := planning.New(ctx, opts)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return core, s, nil
}

// redact hides a URL's password for messages.
func redact(db string) string {
	if !isPostgres(db) {
		return db
	}
	if at := strings.LastIndexByte(db, '@'); at > 0 {
		scheme, rest, _ := strings.Cut(db[:at], "://")
		if user, _, ok := strings.Cut(rest, ":"); ok {
			return fmt.Sprintf("%s://%s:***%s", scheme, user, db[at:])
		}
	}
	return db
}
