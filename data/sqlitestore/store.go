// Package sqlitestore is placeteam's embedded store: one SQLite file
// (modernc.org/sqlite, no cgo) holding one dataset, the team configurations
// drawn over its wards with their version history, and the history of
// imports.
//
// The schema is embedded in the binary (migrations/*.sql) and brought up to
// date by Open. Every write is one transaction: ReplaceDataset either stores
// the whole new dataset or leaves the previous one untouched.
//
// Dataset gives back exactly what ReplaceDataset stored, every slice in
// insertion order (each table keeps the record's index in its Dataset slice
// as its ord key). The only normalisations: times come back in UTC (a zero
// time.Time stays zero, monotonic readings are dropped), empty slices and
// empty geometries come back nil, and a NaN coordinate or IMD score comes
// back NaN (stored as NULL).
package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/placeteam/placeteam/data/store"
)

// Config says where the store lives.
type Config struct {
	// Path of the database file; created with its schema when missing.
	Path string
	// MustExist refuses to create a missing file (for commands that only
	// read: a mistyped path is an error, not a new empty store).
	MustExist bool
}

// busyTimeoutMillis is how long a connection waits for another writer (in
// this or another process) before giving up with SQLITE_BUSY.
const busyTimeoutMillis = 10_000

// maxOpenConns bounds the pool. With WAL, readers run alongside the single
// writer; writers queue at BEGIN IMMEDIATE under busy_timeout.
const maxOpenConns = 4

// Store is an open database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
}

// Open opens (creating if needed) the store at cfg.Path and applies any
// migrations it lacks.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.Path == "" {
		return nil, errors.New("sqlitestore: open: no path")
	}
	if cfg.MustExist {
		if _, err := os.Stat(cfg.Path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("sqlitestore: open %s: %w", cfg.Path, store.ErrNoStore)
		}
	}
	dsn, err := dataSourceName(cfg.Path)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", cfg.Path, err)
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: open %s: %w", cfg.Path, err)
	}
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxOpenConns)
	if err := connect(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", cfg.Path, err)
	}
	if err := migrate(ctx, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", cfg.Path, err)
	}
	return &Store{db: db}, nil
}

// connect opens the pool's first connection, which sets the file's journal
// mode. Turning a new file to WAL needs its exclusive lock, and SQLite
// answers SQLITE_BUSY at once, without waiting out busy_timeout, to a
// connection that would otherwise deadlock with another doing the same:
// several processes opening one new store together. Such a connection
// retries, for as long as busy_timeout would have waited. Once the file is
// in WAL mode (it stays so), later connections do not need the lock.
func connect(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyTimeoutMillis * time.Millisecond)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		err := db.PingContext(ctx)
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// pageSize is the page size of a new store file. SQLite's default (4 KiB)
// makes an England-size dataset (~180 MB) some 45,000 pages, each one WAL
// frame, one write at commit and one more at checkpoint; 16 KiB pages
// quarter that and hold an LSOA's polygon without overflow pages. A file's
// page size is fixed when it is created: existing stores keep theirs.
const pageSize = 16 << 10

// sorterThreads is how many helper threads SQLite's sorter may use, which
// is what CREATE INDEX spends its time in when ReplaceDataset rebuilds the
// indexes of a million registrations.
const sorterThreads = 2

// dataSourceName builds a file: URI for path (escaped, so any file name
// works) with the per-connection settings: WAL journal, foreign keys,
// busy timeout, page size and sorter threads, and write transactions that
// take the write lock at BEGIN (BEGIN IMMEDIATE) so that two writers queue
// rather than deadlock. Read-only transactions stay deferred.
func dataSourceName(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	q := url.Values{}
	q.Set("_txlock", "immediate")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeoutMillis))
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("page_size(%d)", pageSize))
	q.Add("_pragma", fmt.Sprintf("threads(%d)", sorterThreads))
	// The driver runs these two after every _pragma: the page size must be
	// set before WAL mode gives a new file its first page.
	q.Set("_journal_mode", "WAL")
	// FULL, not NORMAL: in WAL mode NORMAL stays consistent but can lose the
	// last commits on power loss; FULL syncs the WAL on every commit, so a
	// saved configuration version survives it.
	q.Set("_synchronous", "FULL")
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(abs), RawQuery: q.Encode()}
	return u.String(), nil
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("sqlitestore: close: %w", err)
	}
	return nil
}

// write runs fn in a write transaction (BEGIN IMMEDIATE), committing when fn
// returns nil and rolling back otherwise.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback() // the cause is err; a failed rollback leaves nothing written either
		return err
	}
	return tx.Commit()
}

// read runs fn in a read-only transaction: one consistent snapshot.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback() // read-only: nothing to undo, so its error does not matter
	return fn(tx)
}

// hasDataset reports whether the dataset row exists.
func hasDataset(ctx context.Context, q querier) (bool, error) {
	var ok bool
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dataset)`).Scan(&ok); err != nil {
		return false, err
	}
	return ok, nil
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// HasDataset reports whether a dataset has been stored.
func (s *Store) HasDataset(ctx context.Context) (bool, error) {
	ok, err := hasDataset(ctx, s.db)
	if err != nil {
		return false, fmt.Errorf("sqlitestore: has dataset: %w", err)
	}
	return ok, nil
}
