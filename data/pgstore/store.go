// Package pgstore is placeteam's shared store: PostgreSQL with PostGIS,
// holding what data/sqlitestore holds — one dataset, the team
// configurations drawn over its wards with their version history, scenarios
// and the history of imports — for several processes at once. It passes the
// same contract (data/store/storetest) and refuses the same things.
//
// Everything lives in the database schema "placeteam" (Open puts it first on
// each connection's search_path); PostGIS is created in public when missing
// (which takes a role allowed to create it; a PostGIS installed in another
// schema must be on the URL's search_path).
// The schema is embedded (migrations/*.sql) and brought up to date by Open
// under an advisory lock, so processes opening a new database together apply
// each step once. Every write is one transaction: ReplaceDataset either
// stores the whole new dataset or leaves the previous one untouched, and
// readers keep their snapshot meanwhile.
//
// Dataset gives back exactly what ReplaceDataset stored, every slice in
// insertion order (each table keeps the record's index as its ord key). The
// only normalisations: times come back in UTC at microsecond precision
// (PostgreSQL's; a zero time.Time stays zero), empty slices and empty
// geometries come back nil, and a NaN coordinate or IMD score comes back NaN
// (stored as NULL). Polygons are stored as geometry(MultiPolygon, 4326) and
// points beside their lon/lat as geometry(Point, 4326), each with a GiST
// index; configuration versions keep their dissolved teams in
// configuration_teams, and the views latest_teams and latest_localities show
// the current plans, so QGIS or ogrinfo open them directly.
//
// Writers of one configuration name queue on that name's row in
// configuration_sequence, and every configuration writer holds a share lock
// on the dataset row that ReplaceDataset locks exclusively: a conditional
// save or delete is checked and applied atomically, and none deadlocks or
// fails to serialise. Every committed configuration write is announced with
// NOTIFY (see Watch) so that replicas drop what they cached.
package pgstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/placeteam/placeteam/data/store"
)

// Config says which database holds the store.
type Config struct {
	// URL is a postgres:// or postgresql:// connection URL. Its query may
	// carry pgx's settings (sslmode, pool_max_conns — 16 when not given —,
	// search_path…).
	URL string
	// MustExist refuses a database without the placeteam schema instead of
	// creating it (for commands that only read: a mistyped database is an
	// error, not a new empty store).
	MustExist bool
}

// defaultMaxConns is the pool size when the URL has no pool_max_conns.
const defaultMaxConns = 16

// schema is the database schema holding every table.
const schema = "placeteam"

// Store is an open store. It is safe for concurrent use.
type Store struct {
	pool *pgxpool.Pool
	// where names the database in errors, without a password.
	where string
	// closed ends every Watch when the store closes.
	closed      context.Context
	closeCancel context.CancelFunc
}

// Open connects to the database at cfg.URL, creates the placeteam schema
// when missing (unless cfg.MustExist) and applies any migrations it lacks.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	poolConfig, where, err := parseURL(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open %s: %w", where, err)
	}
	if err := migrate(ctx, poolConfig.ConnConfig, cfg.MustExist); err != nil {
		return nil, fmt.Errorf("pgstore: open %s: %w", where, noStore(err))
	}
	pool, err := pgxpool.NewWithConfig(ctx, poolConfig)
	if err != nil {
		return nil, fmt.Errorf("pgstore: open %s: %w", where, err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pgstore: open %s: %w", where, noStore(err))
	}
	closed, closeCancel := context.WithCancel(context.Background())
	return &Store{pool: pool, where: where, closed: closed, closeCancel: closeCancel}, nil
}

// parseURL checks that rawURL is a PostgreSQL URL and builds the pool's
// configuration: the placeteam schema first on the search_path. where is the
// URL without its password, for errors.
func parseURL(rawURL string) (*pgxpool.Config, string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, "(unparsable URL)", errors.New("not a postgres:// URL")
	}
	where := u.Redacted()
	if u.Scheme != "postgres" && u.Scheme != "postgresql" {
		return nil, where, fmt.Errorf("URL scheme %q is not postgres or postgresql", u.Scheme)
	}
	config, err := pgxpool.ParseConfig(rawURL)
	if err != nil {
		return nil, where, err
	}
	if !u.Query().Has("pool_max_conns") {
		// pgx's default (4 on a small machine) is too few for a server:
		// the job queue keeps one for LISTEN and requests wait for the rest.
		config.MaxConns = defaultMaxConns
	}
	params := config.ConnConfig.RuntimeParams
	if path := params["search_path"]; path != "" {
		params["search_path"] = schema + ", " + path
	} else {
		params["search_path"] = schema + ", public"
	}
	if params["application_name"] == "" {
		params["application_name"] = "placeteam"
	}
	return config, where, nil
}

// noStore wraps store.ErrNoStore around the server's "database does not
// exist": a mistyped database name is no store, not a connection fault.
func noStore(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "3D000" { // invalid_catalog_name
		return fmt.Errorf("%w: %w", store.ErrNoStore, err)
	}
	return err
}

// Close ends every Watch and closes the connections.
func (s *Store) Close() error {
	s.closeCancel()
	s.pool.Close()
	return nil
}

// closeTimeout bounds saying goodbye on a connection of our own.
const closeTimeout = time.Second

// closeConn closes a connection of our own, even when ctx has ended.
func closeConn(ctx context.Context, conn *pgx.Conn) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), closeTimeout)
	defer cancel()
	_ = conn.Close(ctx) // the connection is done with either way
}

// write runs fn in a read-committed transaction, committing when fn returns
// nil and rolling back otherwise. Serialisation comes from the row locks fn
// takes, never from retries.
func (s *Store) write(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.ReadCommitted})
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		// The cause is err; a failed rollback leaves nothing written either
		// (the server aborts a transaction whose connection is lost).
		_ = tx.Rollback(context.WithoutCancel(ctx))
		return err
	}
	return tx.Commit(ctx)
}

// read runs fn in a read-only repeatable-read transaction: one consistent
// snapshot, as a dataset replacement commits meanwhile.
func (s *Store) read(ctx context.Context, fn func(tx pgx.Tx) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) // read-only: nothing to undo, so its error does not matter
	return fn(tx)
}

// HasDataset reports whether a dataset has been stored.
func (s *Store) HasDataset(ctx context.Context) (bool, error) {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM dataset)`).Scan(&ok); err != nil {
		return false, fmt.Errorf("pgstore: has dataset: %w", err)
	}
	return ok, nil
}

// lockDataset takes a share lock on the dataset row, which ReplaceDataset
// locks exclusively: a configuration write and a replacement never
// interleave, and the wards read after it stay those of the dataset row. It
// reports whether the row exists.
func lockDataset(ctx context.Context, tx pgx.Tx) (bool, error) {
	var one int
	err := tx.QueryRow(ctx, `SELECT 1 FROM dataset WHERE id = 1 FOR SHARE`).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock dataset: %w", err)
	}
	return true, nil
}
