package pgstore

import (
	"context"
	"testing"

	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/data/store/storetest"
)

// A city the size of Manchester and its neighbours: ~1,300 LSOAs with
// ~100-vertex polygons and ~2,000 registrations (as data/sqlitestore's
// benchmarks).
const (
	benchLSOAs         = 1300
	benchVertices      = 100
	benchRegistrations = 2000
)

func BenchmarkReplaceDataset(b *testing.B) {
	ctx := context.Background()
	s, _ := openFresh(b)
	d := storetest.SyntheticDataset(benchLSOAs, benchVertices, benchRegistrations)
	if err := d.Validate(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.ReplaceDataset(ctx, d, nil, store.ImportRecord{Manifest: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDataset(b *testing.B) {
	ctx := context.Background()
	s, _ := openFresh(b)
	if err := s.ReplaceDataset(ctx, storetest.SyntheticDataset(benchLSOAs, benchVertices, benchRegistrations), nil, store.ImportRecord{Manifest: "bench"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Dataset(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// The England-size benchmarks of both backends, side by side on one
// generated country, are in profiles/englandbench (stores_test.go).
