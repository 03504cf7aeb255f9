package importer

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/placeteam/placeteam/data/manifest"
)

// fuzzFiles are the fixture's CSV inputs, each read by a different role.
var fuzzFiles = []string{"population.csv", "imd2015.csv", "epraccur.csv", "postcodes.csv", "list_sizes.csv", "registrations.csv", "catchments.csv", "ward_lookup.csv", "area_lookup.csv"}

// FuzzRoleReaders replaces one of the fixture's CSV files with fuzzed
// content: every role reader must fail with an error or produce a dataset
// that passes validation, never panic.
func FuzzRoleReaders(f *testing.F) {
	for i, name := range fuzzFiles {
		b, err := os.ReadFile(filepath.Join("testdata/city", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), string(b))
	}
	f.Add(uint8(0), "LSOA code (2011),Total population: mid 2015,0-15,16-59,60+\nE01000001,\"1,5e3\",x,,\n")
	dir := f.TempDir()
	entries, err := os.ReadDir("testdata/city")
	if err != nil {
		f.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/city", e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, content string) {
		name := fuzzFiles[int(which)%len(fuzzFiles)]
		m, err := manifest.ReadFile(filepath.Join(dir, "manifest.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		for i := range m.Files {
			if m.Files[i].Path == name {
				m.Files[i].Path = "fuzzed-" + name
			}
		}
		fuzzDir := t.TempDir()
		if err := os.WriteFile(filepath.Join(fuzzDir, "fuzzed-"+name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		// Inputs are opened inside the data root only: copy the others in.
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(fuzzDir, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		res, err := Run(context.Background(), Options{Manifest: m, DataRoot: fuzzDir})
		if err != nil {
			return
		}
		if err := res.Dataset.Validate(); err != nil {
			t.Fatalf("import succeeded with an invalid dataset: %v", err)
		}
	})
}
