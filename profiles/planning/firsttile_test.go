package planning_test

import (
	"context"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// manchesterCore is a core on the shared Manchester data in a fresh
// SQLite store.
func manchesterCore(b testing.TB) (*planning.Service, string) {
	b.Helper()
	s, res := importtest.ManchesterStore(b)
	return newCore(b, planning.Config{Store: s}), res.Configurations[0].Name
}

// BenchmarkFirstTileOfNewVersion times, on Manchester, the first lean
// tile (z12 over the city centre) of a version just saved by a one-ward
// move: the tileset of the new version built (teams and localities whose
// wards changed dissolved again, the rest reused) and the tile cut. The
// move itself (a store write) is outside the timer. "full" is the same
// with every property (profile, indicators and checks of the version).
func BenchmarkFirstTileOfNewVersion(b *testing.B) {
	for _, full := range []bool{false, true} {
		name := "lean"
		if full {
			name = "full"
		}
		b.Run(name, func(b *testing.B) {
			core, cfgName := manchesterCore(b)
			ctx := context.Background()
			v, err := core.Latest(ctx, cfgName)
			if err != nil {
				b.Fatal(err)
			}
			tile := maptile.At(orb.Point{-2.2426, 53.4808}, 12)
			if _, err := core.Tile(ctx, v, 12, int(tile.X), int(tile.Y), full, true, ""); err != nil {
				b.Fatal(err)
			}
			teams := v.Configuration.Teams()
			from, to := teams[0], teams[1]
			ward := from.Wards[0]
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				target := to.ID
				if i%2 == 1 {
					target = from.ID
				}
				res, err := core.Move(ctx, planning.MoveRequest{Name: cfgName, Expect: v.Number,
					Moves: []configuration.Move{{Ward: ward, Team: target}}, Meta: store.VersionMeta{Author: "bench"}})
				if err != nil {
					b.Fatal(err)
				}
				v = res.Saved
				b.StartTimer()
				ans, err := core.Tile(ctx, v, 12, int(tile.X), int(tile.Y), full, true, "")
				if err != nil || ans.Status != 200 {
					b.Fatalf("tile: %d %v", ans.Status, err)
				}
				if ans.Cached {
					b.Fatal("the tile of a new version came from the cache: the move did not touch it")
				}
			}
		})
	}
}

// BenchmarkCutManchester cuts the 221 lean tiles of z10–14 over
// Manchester's wards from a built tileset (what an uncached request
// costs after the version's first), per tile; gzip not included.
func BenchmarkCutManchester(b *testing.B) {
	core, cfgName := manchesterCore(b)
	ctx := context.Background()
	v, err := core.Latest(ctx, cfgName)
	if err != nil {
		b.Fatal(err)
	}
	ts, err := core.Tileset(ctx, v)
	if err != nil {
		b.Fatal(err)
	}
	var list []maptile.Tile
	for z := maptile.Zoom(10); z <= 14; z++ {
		list = append(list, cityTiles(core, z)...)
	}
	b.Logf("%d tiles", len(list))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		t := list[i%len(list)]
		if _, err := ts.Tile(ctx, int(t.Z), int(t.X), int(t.Y)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
