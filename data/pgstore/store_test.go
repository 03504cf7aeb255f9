package pgstore

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/data/store/storetest"
)

// appliedMigrations counts the rows of schema_migrations in the database
// at u.
func appliedMigrations(t *testing.T, u string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM placeteam.schema_migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantMigrations(t *testing.T) int {
	t.Helper()
	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	return len(steps)
}

// TestMigrationsIdempotent: a new database gets the schema on the first
// Open; opening again (also with MustExist) applies nothing and keeps what
// was stored.
func TestMigrationsIdempotent(t *testing.T) {
	ctx := context.Background()
	u := newDatabase(t, "")
	s, err := Open(ctx, Config{URL: u})
	if err != nil {
		t.Fatalf("first Open: %v", err)
	}
	if err := s.ReplaceDataset(ctx, storetest.Dataset(), []*configuration.Configuration{storetest.Configuration("a")},
		storetest.Record("m", time.Unix(1, 0))); err != nil {
		t.Fatal(err)
	}
	s.Close()
	for _, cfg := range []Config{{URL: u}, {URL: u, MustExist: true}} {
		s := open(t, cfg.URL)
		d, err := s.Dataset(ctx)
		if err != nil {
			t.Fatalf("reopened (MustExist %v): %v", cfg.MustExist, err)
		}
		storetest.DeepEqual(t, "dataset after reopening", d, storetest.Dataset())
		s.Close()
	}
	if got, want := appliedMigrations(t, u), wantMigrations(t); got != want {
		t.Errorf("schema_migrations has %d rows, want %d", got, want)
	}
}

// TestConcurrentFirstOpen: processes opening a new database together apply
// each migration once and all succeed.
func TestConcurrentFirstOpen(t *testing.T) {
	u := newDatabase(t, "")
	const openers = 8
	errs := make([]error, openers)
	var wg sync.WaitGroup
	for i := range openers {
		wg.Go(func() {
			s, err := Open(context.Background(), Config{URL: u})
			if err == nil {
				_, err = s.HasDataset(context.Background())
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("opener %d: %v", i, err)
		}
	}
	if got, want := appliedMigrations(t, u), wantMigrations(t); got != want {
		t.Errorf("schema_migrations has %d rows, want %d", got, want)
	}
}

// TestOpenRefuses: what Open will not open.
func TestOpenRefuses(t *testing.T) {
	empty := newDatabase(t, "")
	root := adminURL(t)
	tests := []struct {
		name    string
		cfg     Config
		wantErr error // nil: any error
	}{
		{"MustExist on a database without the schema", Config{URL: empty, MustExist: true}, store.ErrNoStore},
		{"a database that does not exist", Config{URL: withDatabase(t, root, randomName("pt_missing_"))}, store.ErrNoStore},
		{"MustExist on a database that does not exist", Config{URL: withDatabase(t, root, randomName("pt_missing_")), MustExist: true}, store.ErrNoStore},
		{"not a postgres URL", Config{URL: "mysql://root@127.0.0.1/x"}, nil},
		{"no URL", Config{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Open(context.Background(), tt.cfg)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want one wrapping %v", err, tt.wantErr)
			}
		})
	}
	// The refused MustExist open created nothing.
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, empty)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'placeteam')`).Scan(&exists); err != nil || exists {
		t.Errorf("placeteam schema exists = %v, %v after a refused open; want false", exists, err)
	}
}

// TestLatestVersion follows one name through saves and a delete.
func TestLatestVersion(t *testing.T) {
	ctx := context.Background()
	s, _ := openFresh(t)
	if v, err := s.LatestVersion(ctx, "a"); v != 0 || !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("empty store: LatestVersion = %d, %v; want 0, ErrNotFound", v, err)
	}
	if err := s.ReplaceDataset(ctx, storetest.Dataset(), []*configuration.Configuration{storetest.Configuration("a")}, store.ImportRecord{Manifest: "m"}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		write   func() error
		want    int
		wantErr error
	}{
		{"imported", func() error { return nil }, 1, nil},
		{"saved", func() error {
			_, err := s.SaveConfiguration(ctx, storetest.Configuration("a"), store.VersionMeta{})
			return err
		}, 2, nil},
		{"saved again", func() error {
			_, err := s.SaveConfiguration(ctx, storetest.Configuration("a"), store.VersionMeta{})
			return err
		}, 3, nil},
		{"deleted", func() error { return s.DeleteConfiguration(ctx, "a") }, 0, store.ErrNotFound},
		{"recreated", func() error {
			_, err := s.SaveConfiguration(ctx, storetest.Configuration("a"), store.VersionMeta{})
			return err
		}, 4, nil},
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		v, err := s.LatestVersion(ctx, "a")
		if v != step.want || !errors.Is(err, step.wantErr) {
			t.Errorf("%s: LatestVersion = %d, %v; want %d, %v", step.name, v, err, step.want, step.wantErr)
		}
	}
}

// TestSavesDuringReplace: configuration writers racing a dataset
// replacement neither deadlock nor fail; each lands before or after it.
func TestSavesDuringReplace(t *testing.T) {
	ctx := context.Background()
	s, u := openFresh(t)
	other := open(t, u) // another process
	if err := s.ReplaceDataset(ctx, storetest.Dataset(), []*configuration.Configuration{storetest.Configuration("a")}, store.ImportRecord{Manifest: "one"}); err != nil {
		t.Fatal(err)
	}
	const writers = 20
	errs := make([]error, writers+1)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			w := s
			if i%2 == 1 {
				w = other
			}
			_, errs[i] = w.SaveConfiguration(ctx, storetest.Configuration("a"), store.VersionMeta{Author: "w"})
		})
	}
	wg.Go(func() {
		errs[writers] = other.ReplaceDataset(ctx, storetest.ReplacementDataset(), []*configuration.Configuration{storetest.Configuration("a")},
			store.ImportRecord{Manifest: "two"})
	})
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v", i, err)
		}
	}
	hist, err := s.ConfigurationHistory(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	// The replacement keeps the numbering: versions after it continue
	// from the highest given before.
	for i := 1; i < len(hist); i++ {
		if hist[i].Version <= hist[i-1].Version {
			t.Fatalf("history versions not increasing: %+v", hist)
		}
	}
}
