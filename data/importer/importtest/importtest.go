// Package importtest imports the shared Manchester data with the shipped
// manifest (or any manifest, such as a fixture city's), for the tests and
// benchmarks of other packages (the importer's own tests cannot use it: it
// imports the importer).
package importtest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/data/store"
)

// Manchester imports the shared Manchester data (data/manifests/
// manchester.yaml): the dataset and the manifest's configurations, the
// 2015 baseline first. It skips tb without the data, except under CI=true,
// where it fails (see realdata).
func Manchester(tb testing.TB) *importer.Result {
	tb.Helper()
	dir := realdata.Dir(tb)
	m, err := manifest.ReadFile(realdata.Manifest(tb, "manchester"))
	if err != nil {
		tb.Fatal(err)
	}
	res, err := importer.Run(context.Background(), importer.Options{Manifest: m, DataRoot: dir})
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// ManchesterStore is Manchester stored in a fresh SQLite store in tb's
// temporary folder, closed when tb ends.
func ManchesterStore(tb testing.TB) (*sqlitestore.Store, *importer.Result) {
	tb.Helper()
	return stored(tb, Manchester(tb), "manchester")
}

// Store imports the manifest at path (its files under the manifest's
// folder) into a fresh SQLite store in tb's temporary folder, closed when
// tb ends.
func Store(tb testing.TB, path string) (*sqlitestore.Store, *importer.Result) {
	tb.Helper()
	m, err := manifest.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	res, err := importer.Run(context.Background(), importer.Options{Manifest: m, DataRoot: filepath.Dir(path)})
	if err != nil {
		tb.Fatal(err)
	}
	return stored(tb, res, m.Name)
}

func stored(tb testing.TB, res *importer.Result, name string) (*sqlitestore.Store, *importer.Result) {
	tb.Helper()
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: filepath.Join(tb.TempDir(), name+".db")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.ReplaceDataset(ctx, res.Dataset, res.Configurations, store.ImportRecord{Manifest: name, Report: []byte(`{}`)}); err != nil {
		tb.Fatal(err)
	}
	return s, res
}
