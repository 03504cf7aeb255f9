package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/pgstore/pgtest"
	"github.com/placeteam/placeteam/data/store"
)

// cityFixture copies the importer's synthetic city into a folder, with
// every "from" in the files replaced by "to" (when from is set), and returns
// the manifest's path.
func cityFixture(t *testing.T, from, to string) string {
	t.Helper()
	dir := copyFixture(t)
	if from != "" {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(strings.ReplaceAll(string(b), from, to)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return filepath.Join(dir, "manifest.yaml")
}

// swapped is a planner's own configuration of the fixture's two wards.
func swapped() *configuration.Configuration {
	return &configuration.Configuration{Name: "planner-own", City: configuration.Unit{ID: "TC", Name: "Testcity"},
		Localities: []configuration.Locality{{ID: "L1", Name: "One", Teams: []configuration.Team{
			{ID: "T1", Name: "First", Wards: []string{"E05000002"}},
			{ID: "T2", Name: "Second", Wards: []string{"E05000001"}},
		}}}}
}

// storeState is what the test reads back: configuration names and wards.
func storeState(t *testing.T, db string) (configs []string, wards []string) {
	t.Helper()
	s, err := openStore(context.Background(), db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	infos, err := s.Configurations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range infos {
		configs = append(configs, c.Name)
	}
	d, err := s.Dataset(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range d.Wards {
		wards = append(wards, w.Code)
	}
	slices.Sort(configs)
	slices.Sort(wards)
	return configs, wards
}

// TestImportReplaceKeepsConfigurations: --replace keeps a planner's
// configuration the new dataset can hold, refuses (changing nothing) when
// one would break, and drops it with --drop-configurations; an SQLite store
// is backed up first. Both backends.
func TestImportReplaceKeepsConfigurations(t *testing.T) {
	ctx := context.Background()
	stores := map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "placeteam.db") },
	}
	if os.Getenv("PLACETEAM_TEST_POSTGRES") != "" {
		stores["postgres"] = func(t *testing.T) string { return pgtest.NewDatabase(t, "") }
	}
	for name, newDB := range stores {
		t.Run(name, func(t *testing.T) {
			db := newDB(t)
			same := cityFixture(t, "", "")
			renamed := cityFixture(t, "E05000002", "E05000009")
			if out, err := run(t, "import", "--db", db, "--manifest", same); err != nil {
				t.Fatalf("first import: %v\n%s", err, out)
			}
			s, err := openStore(ctx, db, true)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.SaveConfigurationIf(ctx, swapped(), store.VersionMeta{Author: "planner"}, store.AnyVersion); err != nil {
				t.Fatal(err)
			}
			s.Close()

			// Same wards: the planner's configuration is kept.
			out, err := run(t, "import", "--db", db, "--manifest", same, "--replace")
			if err != nil {
				t.Fatalf("replace: %v\n%s", err, out)
			}
			if !strings.Contains(out, "Kept stored configurations (history restarts at version 1): planner-own") {
				t.Errorf("replace output does not report the kept configuration:\n%s", out)
			}
			if name == "sqlite" {
				if !strings.Contains(out, "Backed up the old store to "+db+".bak-") {
					t.Errorf("replace output does not name the backup:\n%s", out)
				}
				backups, _ := filepath.Glob(db + ".bak-*")
				if len(backups) != 1 {
					t.Errorf("backups beside the store: %v, want one", backups)
				}
			} else if !strings.Contains(out, "pg_dump") {
				t.Errorf("postgres replace output does not say backups are the operator's:\n%s", out)
			}
			if got, _ := storeState(t, db); !slices.Equal(got, []string{"planner-own", "testcity-baseline"}) {
				t.Errorf("configurations after replace: %v", got)
			}

			// A ward renamed: the configuration would break, so nothing changes.
			out, err = run(t, "import", "--db", db, "--manifest", renamed, "--replace", "--no-backup")
			if !errors.Is(err, errBrokenConfigurations) {
				t.Fatalf("replace breaking a configuration: err = %v\n%s", err, out)
			}
			if !strings.Contains(err.Error(), "planner-own") || !strings.Contains(err.Error(), "E05000002") {
				t.Errorf("refusal does not name the configuration and its problem: %v", err)
			}
			configs, wards := storeState(t, db)
			if !slices.Equal(configs, []string{"planner-own", "testcity-baseline"}) || !slices.Contains(wards, "E05000002") {
				t.Errorf("refused import changed the store: configurations %v, wards %v", configs, wards)
			}

			// --drop-configurations: it goes, and the output and audit say so.
			out, err = run(t, "import", "--db", db, "--manifest", renamed, "--replace", "--no-backup", "--drop-configurations")
			if err != nil {
				t.Fatalf("replace --drop-configurations: %v\n%s", err, out)
			}
			if !strings.Contains(out, "Dropped configurations the new dataset breaks: planner-own") {
				t.Errorf("output does not report the dropped configuration:\n%s", out)
			}
			configs, wards = storeState(t, db)
			if !slices.Equal(configs, []string{"testcity-baseline"}) || !slices.Contains(wards, "E05000009") {
				t.Errorf("after --drop-configurations: configurations %v, wards %v", configs, wards)
			}
			s, err = openStore(ctx, db, true)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			entries, err := s.Audit(ctx, store.AuditQuery{Target: renamed})
			if err != nil || len(entries) != 1 {
				t.Fatalf("audit of the last import: %v, %v", entries, err)
			}
			var detail struct {
				Dropped []string `json:"dropped"`
			}
			if err := json.Unmarshal(entries[0].Detail, &detail); err != nil || !slices.Equal(detail.Dropped, []string{"planner-own"}) {
				t.Errorf("audit detail %s: dropped = %v, %v", entries[0].Detail, detail.Dropped, err)
			}
		})
	}
}
