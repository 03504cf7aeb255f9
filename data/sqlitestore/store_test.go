package sqlitestore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store/storetest"
)

func TestOpenNoPath(t *testing.T) {
	if _, err := Open(context.Background(), Config{}); err == nil {
		t.Fatal("Open with no path succeeded")
	}
}

// schema lists the store's tables and indexes with their SQL.
func schema(t *testing.T, path string) map[string]string {
	t.Helper()
	s := open(t, path)
	defer s.Close()
	rows, err := s.db.Query(`SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			t.Fatal(err)
		}
		out[name] = sql
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrationsIdempotent(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	if err := s.ReplaceDataset(ctx, testDataset(), []*configuration.Configuration{testConfiguration("a")}, testRecord("m", time.Unix(0, 0))); err != nil {
		t.Fatal(err)
	}
	s.Close()

	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	first := schema(t, path)
	for i := range 3 {
		again := schema(t, path)
		deepEqual(t, "schema after reopen", again, first)
		s := open(t, path)
		var version int
		if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			t.Fatal(err)
		}
		if version != len(steps) {
			t.Errorf("reopen %d: user_version = %d, want %d", i, version, len(steps))
		}
		var mode string
		if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		var fk bool
		if err := s.db.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil || !fk {
			t.Errorf("foreign_keys = %v, %v; want on", fk, err)
		}
		var synchronous, pages int
		if err := s.db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&synchronous); err != nil || synchronous != 2 {
			t.Errorf("synchronous = %d, %v; want 2 (FULL: commits survive power loss)", synchronous, err)
		}
		if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pages); err != nil || pages != pageSize {
			t.Errorf("page_size = %d, %v; want %d", pages, err, pageSize)
		}
		got, err := s.Dataset(ctx)
		if err != nil {
			t.Fatal(err)
		}
		deepEqual(t, "dataset after reopen", got, testDataset())
		s.Close()
	}
}

func TestOpenRejectsNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "future.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 999"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := Open(context.Background(), Config{Path: path}); err == nil {
		s.Close()
		t.Fatal("Open of a schema newer than the program succeeded")
	}
}

func TestMigrationsNumbered(t *testing.T) {
	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) == 0 {
		t.Fatal("no migrations embedded")
	}
	for i, m := range steps {
		if m.version != i+1 || m.sql == "" {
			t.Errorf("migration %d = %s version %d", i, m.name, m.version)
		}
	}
}

// TestMigrationKeepsIndicatorsAndLSOAs: a store written before migration 6
// keeps its rows; the new breakdown columns read as empty and the LSOA's
// working-age figure as unknown (not a known zero).
func TestMigrationKeepsIndicatorsAndLSOAs(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v5.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range steps[:5] {
		if err := apply(ctx, db, m); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	if _, err := db.Exec(`INSERT INTO indicators (ord, id, name, domain, unit, polarity, level, period)
		VALUES (0, 'income', 'Income', 'determinants', 'proportion', 'higher-is-worse', 'lsoa', '2015-16')`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO lsoas (ord, code, name, msoa_code, district_code, ward_method, population_year,
		population_total, population_age_0_15, population_age_16_59, population_age_60_plus, population_source)
		VALUES (0, 'E01000001', 'A', '', '', '', 2015, 10, 2, 5, 3, 'p')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s := open(t, path)
	defer s.Close()
	var characteristic, group, breakdownOf string
	if err := s.db.QueryRowContext(ctx, `SELECT characteristic, group_name, breakdown_of FROM indicators WHERE id = 'income'`).
		Scan(&characteristic, &group, &breakdownOf); err != nil {
		t.Fatal(err)
	}
	if characteristic != "" || group != "" || breakdownOf != "" {
		t.Errorf("old indicator reads characteristic %q group %q breakdown_of %q; want empty", characteristic, group, breakdownOf)
	}
	var workingAge int
	var has bool
	if err := s.db.QueryRowContext(ctx, `SELECT population_working_age, population_has_working_age FROM lsoas`).Scan(&workingAge, &has); err != nil {
		t.Fatal(err)
	}
	if workingAge != 0 || has {
		t.Errorf("old LSOA working age = %d (known %v); want unknown", workingAge, has)
	}
}

// TestReplaceKeepsSchema: ReplaceDataset drops the dataset tables' indexes
// and builds them again; the schema it leaves is the one the migrations
// made, every index included.
func TestReplaceKeepsSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	s.Close()
	want := schema(t, path)
	s = open(t, path)
	for _, d := range []*dataset.Dataset{testDataset(), storetest.ReplacementDataset()} {
		if err := s.ReplaceDataset(ctx, d, nil, testRecord("m", time.Unix(0, 0))); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	deepEqual(t, "schema after two replacements", schema(t, path), want)
}

// TestOrdIsIndex: every dataset table's ord runs 0…n-1 over its n rows,
// also when a replacement is smaller than what it replaced.
func TestOrdIsIndex(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	for _, d := range []*dataset.Dataset{syntheticDataset(200, 8, 500), testDataset()} {
		if err := s.ReplaceDataset(ctx, d, nil, testRecord("m", time.Unix(0, 0))); err != nil {
			t.Fatal(err)
		}
		for _, table := range datasetTables(d) {
			var rows, first, last int
			if err := s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(min(ord), 0), coalesce(max(ord), -1) FROM `+table.name).
				Scan(&rows, &first, &last); err != nil {
				t.Fatal(err)
			}
			if rows != table.n || first != 0 || last != table.n-1 {
				t.Errorf("%s: %d rows with ord %d…%d, want %d rows with ord 0…%d", table.name, rows, first, last, table.n, table.n-1)
			}
		}
	}
}

// TestOldPageSize: a store created with SQLite's default 4 KiB pages (as
// stores were before pageSize) opens, takes a replacement, reads it back
// and keeps its page size.
func TestOldPageSize(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	steps, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range steps {
		if err := apply(ctx, db, m); err != nil {
			t.Fatalf("%s: %v", m.name, err)
		}
	}
	db.Close()

	s := open(t, path)
	if err := s.ReplaceDataset(ctx, testDataset(), []*configuration.Configuration{testConfiguration("a")}, testRecord("m", time.Unix(0, 0))); err != nil {
		t.Fatal(err)
	}
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "dataset", got, testDataset())
	var pages int
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pages); err != nil || pages != 4096 {
		t.Errorf("page_size = %d, %v; want 4096 (kept)", pages, err)
	}
}

// TestConcurrentOpenNewFile: processes starting together on one new store
// file each open it (journal mode, schema) without SQLITE_BUSY, and agree
// on one schema.
func TestConcurrentOpenNewFile(t *testing.T) {
	const openers = 6
	for round := range 10 {
		path := filepath.Join(t.TempDir(), "new.db")
		errs := make(chan error, openers)
		for range openers {
			go func() {
				s, err := Open(context.Background(), Config{Path: path})
				if err == nil {
					_, err = s.HasDataset(context.Background())
					s.Close()
				}
				errs <- err
			}()
		}
		for range openers {
			if err := <-errs; err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
	}
}
