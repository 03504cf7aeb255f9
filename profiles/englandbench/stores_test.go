package englandbench

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/pgstore"
	"github.com/placeteam/placeteam/data/pgstore/pgtest"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// englandStore is what the store benchmarks need of a backend.
type englandStore interface {
	planning.Store
	ReplaceDataset(ctx context.Context, d *dataset.Dataset, configs []*configuration.Configuration, record store.ImportRecord) error
	Close() error
}

// backend is one store to compare: fresh gives the address of a new, empty
// store (an SQLite file, a PostgreSQL database), open opens one.
type backend struct {
	name  string
	fresh func(b *testing.B) string
	open  func(ctx context.Context, where string, mustExist bool) (englandStore, error)
}

// backends are the two stores, side by side in one run. PostgreSQL needs
// PLACETEAM_TEST_POSTGRES (scripts/postgres.sh start DIR); without it its
// benchmarks are skipped.
var backends = []backend{
	{
		name: "sqlite",
		fresh: func(b *testing.B) string {
			return filepath.Join(b.TempDir(), "england.db")
		},
		open: func(ctx context.Context, where string, mustExist bool) (englandStore, error) {
			return sqlitestore.Open(ctx, sqlitestore.Config{Path: where, MustExist: mustExist})
		},
	},
	{
		name: "postgres",
		fresh: func(b *testing.B) string {
			if os.Getenv(pgtest.EnvURL) == "" {
				b.Skip(pgtest.EnvURL + " is not set: no PostgreSQL to compare")
			}
			return pgtest.NewDatabase(b, "")
		},
		open: func(ctx context.Context, where string, mustExist bool) (englandStore, error) {
			return pgstore.Open(ctx, pgstore.Config{URL: where, MustExist: mustExist})
		},
	},
}

// saveTo opens the store at where (creating it), writes c and closes it.
func saveTo(ctx context.Context, b *testing.B, be backend, where string, c *country) {
	b.Helper()
	s, err := be.open(ctx, where, false)
	if err != nil {
		b.Fatal(err)
	}
	err = s.ReplaceDataset(ctx, c.dataset, []*configuration.Configuration{c.configuration}, store.ImportRecord{Manifest: "englandbench"})
	if closeErr := s.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkEnglandImport writes the country and its 1,044-team
// configuration into each backend: open (creating the schema), replace
// the dataset, close. Target under 60 s for each.
func BenchmarkEnglandImport(b *testing.B) {
	c := englandCountry(b)
	ctx := context.Background()
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				i++
				where := be.fresh(b)
				if be.name == "sqlite" {
					where += strconv.Itoa(i)
				}
				saveTo(ctx, b, be, where, c)
			}
		})
	}
}

// BenchmarkEnglandServeStart is what `serve` does before it listens: open
// the store, load the dataset and build the ward tables (planning.New).
// Target under 2 s for the store load; the Load sub-benchmarks time the
// dataset alone.
func BenchmarkEnglandServeStart(b *testing.B) {
	c := englandCountry(b)
	ctx := context.Background()
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			// The store lives as long as this benchmark, beyond its two
			// sub-benchmarks.
			where := be.fresh(b)
			saveTo(ctx, b, be, where, c)
			b.Run("load", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					s, err := be.open(ctx, where, true)
					if err != nil {
						b.Fatal(err)
					}
					d, err := s.Dataset(ctx)
					s.Close()
					if err != nil {
						b.Fatal(err)
					}
					if len(d.Registrations) != len(c.dataset.Registrations) || len(d.LSOAs) != len(c.dataset.LSOAs) {
						b.Fatalf("loaded %d registrations and %d LSOAs, saved %d and %d",
							len(d.Registrations), len(d.LSOAs), len(c.dataset.Registrations), len(c.dataset.LSOAs))
					}
				}
			})
			b.Run("core", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					s, err := be.open(ctx, where, true)
					if err != nil {
						b.Fatal(err)
					}
					core, err := planning.New(ctx, planning.Config{Store: s})
					if err != nil {
						b.Fatal(err)
					}
					if got := len(core.Dataset().Wards); got != len(c.dataset.Wards) {
						b.Fatalf("core has %d wards, want %d", got, len(c.dataset.Wards))
					}
					core.Close()
					s.Close()
				}
			})
		})
	}
}

// BenchmarkEnglandSaveVersion saves a new version of the 1,044-team
// configuration (every ward checked; PostgreSQL also dissolves its teams).
func BenchmarkEnglandSaveVersion(b *testing.B) {
	c := englandCountry(b)
	ctx := context.Background()
	for _, be := range backends {
		b.Run(be.name, func(b *testing.B) {
			where := be.fresh(b)
			saveTo(ctx, b, be, where, c)
			s, err := be.open(ctx, where, true)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.SaveConfigurationIf(ctx, c.configuration, store.VersionMeta{Author: "bench"}, store.AnyVersion); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
