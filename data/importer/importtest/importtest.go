// Package importtest imports the shared Manchester data with the shipped
// manifest, for the tests and benchmarks of other packages (the importer's
// own tests cannot use it: it imports the importer).
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
	res := Manchester(tb)
	ctx := context.Background()
	s, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: filepath.Join(tb.TempDir(), "mcr.db")})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	if err := s.ReplaceDataset(ctx, res.Dataset, res.Configurations, store.ImportRecord{Manifest: "manchester", Report: []byte(`{}`)}); err != nil {
		tb.Fatal(err)
	}
	return s, res
}
