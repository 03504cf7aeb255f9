package sqlitestore

import (
	"context"
	"github.com/placeteam/placeteam/data/store"
	"testing"
)

// A city the size of Manchester and its neighbours: ~1,300 LSOAs with
// ~100-vertex polygons and ~2,000 registrations.
const (
	benchLSOAs         = 1300
	benchVertices      = 100
	benchRegistrations = 2000
)

func BenchmarkReplaceDataset(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	d := syntheticDataset(benchLSOAs, benchVertices, benchRegistrations)
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
	s, _ := openTemp(b)
	if err := s.ReplaceDataset(ctx, syntheticDataset(benchLSOAs, benchVertices, benchRegistrations), nil, store.ImportRecord{Manifest: "bench"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Dataset(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
