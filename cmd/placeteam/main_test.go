package main

import (
	"bytes"
	"context"
	"errors"
	"github.com/placeteam/placeteam/data/store"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/data/sqlitestore"
)

// run executes the CLI with args and returns its output and error.
func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	cmd := newRootCommand()
	var out bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&out)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(context.Background())
	return out.String(), err
}

func loadStore(t *testing.T, path string) *dataset.Dataset {
	t.Helper()
	s, err := sqlitestore.Open(context.Background(), sqlitestore.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	d, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// copyFixture copies the importer's test city so a test can break one file.
func copyFixture(t *testing.T) string {
	t.Helper()
	src := filepath.Join("..", "..", "data", "importer", "testdata", "city")
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func TestFailedImportLeavesStoreUnchanged(t *testing.T) {
	dir := copyFixture(t)
	db := filepath.Join(t.TempDir(), "t.db")
	out, err := run(t, "import", "--db", db, "--manifest", filepath.Join(dir, "manifest.yaml"))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "Wards: 2   LSOAs: 5 (4 in the city)") {
		t.Errorf("report:\n%s", out)
	}
	before := loadStore(t, db)

	// Importing again without --replace is refused.
	if _, err := run(t, "import", "--db", db, "--manifest", filepath.Join(dir, "manifest.yaml")); err == nil || !strings.Contains(err.Error(), "pass --replace") {
		t.Errorf("second import without --replace: %v", err)
	}
	breakages := map[string]string{
		"population.csv": "LSOA code (2011),Total population: mid 2015,0-15,16-59,60+\nE01000001,-1500,300,1000,200\n",
		"wards.geojson":  `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}`,
		"config.yaml":    "name: c\ncity: {id: TC, name: T}\nlocalities: []\n",
	}
	for file, content := range breakages {
		t.Run(file, func(t *testing.T) {
			broken := copyFixture(t)
			if err := os.WriteFile(filepath.Join(broken, file), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := run(t, "import", "--db", db, "--replace", "--manifest", filepath.Join(broken, "manifest.yaml"))
			if err == nil || !strings.Contains(err.Error(), file) {
				t.Fatalf("broken %s: error %v does not name the file", file, err)
			}
			if after := loadStore(t, db); !reflect.DeepEqual(before, after) {
				t.Fatal("the store changed after a failed import")
			}
		})
	}
}

func TestDemoAndInfo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	out, err := run(t, "demo", "--db", db)
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	out, err = run(t, "info", "--db", db)
	if err != nil {
		t.Fatalf("info: %v\n%s", err, out)
	}
	for _, want := range []string{"demo-baseline (version 1): 12 teams in 3 localities", "[modelled]"} {
		if !strings.Contains(out, want) {
			t.Errorf("info output lacks %q:\n%s", want, out)
		}
	}
	missing := filepath.Join(t.TempDir(), "typo.db")
	if _, err := run(t, "info", "--db", missing); !errors.Is(err, store.ErrNoStore) {
		t.Errorf("info on a missing store: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("info created %s", missing)
	}
}

// TestManchesterRoundTrip imports the real Manchester data, reopens the
// store and compares what comes back with what was imported.
func TestManchesterRoundTrip(t *testing.T) {
	dir := realdata.Dir(t)
	db := filepath.Join(t.TempDir(), "m.db")
	out, err := run(t, "import", "--db", db, "--manifest", filepath.Join("..", "..", "data", "manifests", "manchester.yaml"), "--data-root", dir)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Wards: 32   LSOAs: 1296 (282 in the city)",
		"inside city wards: 87 active",
		"675,754 at 85 practices inside the city",
		"594,958 at 92 practices inside the city",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	m, err := manifest.ReadFile(filepath.Join("..", "..", "data", "manifests", "manchester.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	direct, err := importer.Run(context.Background(), importer.Options{Manifest: m, DataRoot: dir})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(direct.Dataset, loadStore(t, db), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("stored dataset differs from the import (-import +store):\n%s", diff)
	}
}
