package sqlitestore

import (
	"context"
	"testing"

	"github.com/placeteam/placeteam/data/store"
)

// BenchmarkSaveConfiguration is one planner's save: a new version of a
// configuration, committed (and, with synchronous=FULL, synced).
func BenchmarkSaveConfiguration(b *testing.B) {
	ctx := context.Background()
	s, _ := openTemp(b)
	if err := s.ReplaceDataset(ctx, testDataset(), nil, store.ImportRecord{Manifest: "bench"}); err != nil {
		b.Fatal(err)
	}
	c := testConfiguration("bench")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SaveConfiguration(ctx, c, store.VersionMeta{Author: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}
