package jobqueue

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/placeteam/placeteam/data/pgstore/pgtest"
)

// database opens replicas on one fresh database: each call is one more
// process's own connections and Queue, closed when the test ends (or
// earlier by replica.close).
type database func(t *testing.T, cfg Config) (*replica, error)

// backend makes a fresh, empty database for one test, as its store would
// leave it.
type backend struct {
	name  string
	fresh func(t *testing.T) database
}

var backends = []backend{
	{"SQLite", freshSQLite},
	{"PostgreSQL", freshPostgres},
}

// replica is one process: its queue and its connections.
type replica struct {
	*Queue
	once    sync.Once
	closeDB func() error
}

// closeTimeoutInTests bounds a replica's Stop at the end of a test.
const closeTimeoutInTests = 30 * time.Second

// close stops the queue and closes the connections, once.
func (r *replica) close(t *testing.T) {
	t.Helper()
	r.once.Do(func() {
		if r.Queue != nil {
			ctx, cancel := context.WithTimeout(context.Background(), closeTimeoutInTests)
			defer cancel()
			if err := r.Stop(ctx); err != nil {
				t.Errorf("stop: %v", err)
			}
		}
		if err := r.closeDB(); err != nil {
			t.Errorf("close database: %v", err)
		}
	})
}

// newReplica wraps a queue opened on connections closed by closeDB,
// closing both when the test ends.
func newReplica(t *testing.T, closeDB func() error, open func() (*Queue, error)) (*replica, error) {
	r := &replica{closeDB: closeDB}
	t.Cleanup(func() { r.close(t) })
	q, err := open()
	if err != nil {
		return nil, err
	}
	r.Queue = q
	return r, nil
}

// freshSQLite is a new file; each replica opens it as data/sqlitestore does.
func freshSQLite(t *testing.T) database {
	path := filepath.Join(t.TempDir(), "placeteam.db")
	return func(t *testing.T, cfg Config) (*replica, error) {
		db, err := sql.Open("sqlite", sqliteDSN(path, true))
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(4)
		db.SetMaxIdleConns(4)
		return newReplica(t, db.Close, func() (*Queue, error) {
			if err := connectSQLite(db); err != nil {
				return nil, err
			}
			return NewSQLite(context.Background(), db, cfg)
		})
	}
}

// connectSQLite opens db's first connection as sqlitestore.Open does:
// retrying the SQLITE_BUSY that SQLite answers at once, busy_timeout
// notwithstanding, to connections turning one new file to WAL together.
func connectSQLite(db *sql.DB) error {
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := db.Ping()
		if err == nil || !strings.Contains(err.Error(), "SQLITE_BUSY") || time.Now().After(deadline) {
			return err
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// sqliteDSN is data/sqlitestore's data source name for path: busy timeout,
// foreign keys, WAL, synchronous NORMAL and immediate write transactions;
// without busyTimeout it leaves the busy timeout out.
func sqliteDSN(path string, busyTimeout bool) string {
	q := url.Values{}
	q.Set("_txlock", "immediate")
	if busyTimeout {
		q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", 10_000))
	}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// freshPostgres is a new database with the store's (empty) schema; each
// replica connects through a pool of its own.
func freshPostgres(t *testing.T) database {
	dbURL := pgtest.NewDatabase(t, "")
	if err := pgtest.Admin(context.Background(), dbURL, `CREATE SCHEMA placeteam`); err != nil {
		t.Fatal(err)
	}
	return postgresReplicas(dbURL)
}

// postgresReplicas opens replicas on the database at dbURL, each with a
// pool set up as data/pgstore sets up its own.
func postgresReplicas(dbURL string) database {
	return func(t *testing.T, cfg Config) (*replica, error) {
		poolConfig, err := pgxpool.ParseConfig(dbURL)
		if err != nil {
			return nil, err
		}
		poolConfig.ConnConfig.RuntimeParams["search_path"] = "placeteam, public"
		pool, err := pgxpool.NewWithConfig(context.Background(), poolConfig)
		if err != nil {
			return nil, err
		}
		return newReplica(t, func() error { pool.Close(); return nil }, func() (*Queue, error) {
			return NewPostgres(context.Background(), pool, cfg)
		})
	}
}
