package englandbench

import (
	"context"
	"github.com/placeteam/placeteam/data/store"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// england is the England-size country, generated once per test binary and
// only when a benchmark asks for it (so plain `go test` stays fast). The
// benchmarks only read it.
var england struct {
	once    sync.Once
	country *country
	err     error
}

func englandCountry(b *testing.B) *country {
	b.Helper()
	england.once.Do(func() {
		start := time.Now()
		england.country, england.err = generate(englandSize(), seed)
		took := time.Since(start)
		if england.err != nil {
			return
		}
		runtime.GC()
		var mem runtime.MemStats
		runtime.ReadMemStats(&mem)
		d := england.country.dataset
		b.Logf("generated in %v: %d wards, %d LSOAs, %d practices, %d registrations, %d trusts, %d catchment shares; %d teams in %d localities; heap in use %.0f MB",
			took.Round(time.Millisecond), len(d.Wards), len(d.LSOAs), len(d.Practices), len(d.Registrations), len(d.Trusts), len(d.Catchments),
			len(england.country.units.teams), len(england.country.units.localities), float64(mem.HeapAlloc)/1e6)
	})
	if england.err != nil {
		b.Fatal(england.err)
	}
	return england.country
}

// BenchmarkEnglandGenerate times the generator itself.
func BenchmarkEnglandGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := generate(englandSize(), seed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnglandValidate runs the integrity checks ReplaceDataset runs
// before writing: the dataset's and the configuration's.
func BenchmarkEnglandValidate(b *testing.B) {
	c := englandCountry(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := c.dataset.Validate(); err != nil {
			b.Fatal(err)
		}
		if err := c.configuration.Validate(wardNames(c.dataset)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnglandAssignment builds the ward index and locates every
// LSOA's interior point and every practice, checking the answers against
// the generated lookup.
func BenchmarkEnglandAssignment(b *testing.B) {
	d := englandCountry(b).dataset
	b.ReportAllocs()
	for b.Loop() {
		if bad := assign(d).disagreements(d); len(bad) > 0 {
			b.Fatalf("assignment disagrees with the generated lookup:\n%v", bad)
		}
	}
	b.ReportMetric(float64(len(d.LSOAs)+len(d.Practices)), "points/op")
}

// BenchmarkEnglandStoreSave writes the dataset and its configuration to a
// new store file (open, migrate, ReplaceDataset, close).
func BenchmarkEnglandStoreSave(b *testing.B) {
	c := englandCountry(b)
	ctx := context.Background()
	dir := b.TempDir()
	i := 0
	var size int64
	b.ReportAllocs()
	for b.Loop() {
		i++
		path := filepath.Join(dir, "england-"+strconv.Itoa(i)+".db")
		save(ctx, b, path, c)
		info, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		size = info.Size()
		if err := os.Remove(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(size)/1e6, "MB-file")
}

// BenchmarkEnglandStoreLoad opens a saved store and loads the dataset.
func BenchmarkEnglandStoreLoad(b *testing.B) {
	c := englandCountry(b)
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "england.db")
	save(ctx, b, path, c)
	b.ReportAllocs()
	for b.Loop() {
		s, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: path, MustExist: true})
		if err != nil {
			b.Fatal(err)
		}
		d, err := s.Dataset(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		if len(d.Registrations) != len(c.dataset.Registrations) || len(d.LSOAs) != len(c.dataset.LSOAs) {
			b.Fatalf("loaded %d registrations and %d LSOAs, saved %d and %d",
				len(d.Registrations), len(d.LSOAs), len(c.dataset.Registrations), len(c.dataset.LSOAs))
		}
	}
}

// save writes c to a new store at path.
func save(ctx context.Context, b *testing.B, path string, c *country) {
	b.Helper()
	s, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: path})
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

// BenchmarkEnglandBuildTables aggregates the dataset into ward tables from
// the practice × LSOA registrations (no gravity model).
func BenchmarkEnglandBuildTables(b *testing.B) {
	d := englandCountry(b).dataset
	ctx := context.Background()
	var tables *wardtables.Tables
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if tables, err = wardtables.Build(ctx, d, wardtables.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	if tables.FlowModel.Kind != "registrations" {
		b.Fatalf("flow model %+v, want registrations", tables.FlowModel)
	}
	b.ReportMetric(float64(len(tables.Flows.Val)), "flow-cells")
}

// BenchmarkEnglandEvaluate profiles the 1,000-team configuration from
// prebuilt ward tables: the what-if step, target under 100 ms.
func BenchmarkEnglandEvaluate(b *testing.B) {
	c := englandCountry(b)
	tables, err := wardtables.Build(context.Background(), c.dataset, wardtables.Options{})
	if err != nil {
		b.Fatal(err)
	}
	var p *placeprofile.Profile
	b.ReportAllocs()
	for b.Loop() {
		if p, err = placeprofile.Evaluate(tables, c.configuration, placeprofile.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	if len(p.Teams) != len(c.units.teams) || len(p.Localities) != len(c.units.localities) {
		b.Fatalf("profile has %d teams and %d localities, want %d and %d", len(p.Teams), len(p.Localities), len(c.units.teams), len(c.units.localities))
	}
}
