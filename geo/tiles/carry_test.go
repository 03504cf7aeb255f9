package tiles

import (
	"bytes"
	"context"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// fill caches every tile of ts over area at zooms lo..hi under version.
func fill(t *testing.T, c *Cache, version string, ts *Tileset, area orb.Bound, lo, hi maptile.Zoom) []maptile.Tile {
	t.Helper()
	var all []maptile.Tile
	for z := lo; z <= hi; z++ {
		for _, tile := range tilesCovering(area, z) {
			data, err := ts.Tile(context.Background(), int(tile.Z), int(tile.X), int(tile.Y))
			if err != nil {
				t.Fatal(err)
			}
			c.Put(Key{Version: version, Z: int(tile.Z), X: int(tile.X), Y: int(tile.Y)}, NewEncoded(data))
			all = append(all, tile)
		}
	}
	return all
}

func cut(t *testing.T, ts *Tileset, tile maptile.Tile) []byte {
	t.Helper()
	data, err := ts.Tile(context.Background(), int(tile.Z), int(tile.X), int(tile.Y))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCarry edits one ward — a new outline and population — and checks that
// exactly the cached tiles whose buffered area the edit touches are left to
// be cut again, and that every carried tile is the tile the new layers give.
func TestCarry(t *testing.T) {
	before := smallCity()
	after := smallCity()
	wards := after[0].Features
	old := wards[3] // the north-east ward
	wards[3] = Feature{
		ID:         old.ID,
		Geometry:   orb.Polygon{ring(offset(anchor, 1.0, 1.4), 0.5, 40, false)},
		Properties: map[string]any{"code": old.Properties["code"], "population": 15000, "team": "T9"},
	}
	changed := []orb.Bound{old.Geometry.Bound(), wards[3].Geometry.Bound()}

	ts1, ts2 := mustTileset(t, before, Options{}), mustTileset(t, after, Options{})
	cache := NewCache(CacheConfig{})
	city := orb.Bound{Min: offset(anchor, -3, -3), Max: offset(anchor, 3, 3)}
	cached := fill(t, cache, "v1", ts1, city, 10, 14)

	carried := cache.Carry("v1", "v2", changed, ts2.Options())

	var wantCarried, differing int
	for _, tile := range cached {
		buffered := tile.Bound(64.0 / 4096)
		touched := buffered.Intersects(changed[0]) || buffered.Intersects(changed[1])
		fresh := cut(t, ts2, tile)
		if !bytes.Equal(fresh, cut(t, ts1, tile)) {
			differing++
			if !touched {
				t.Errorf("tile %v changed but its buffered bound misses the edit", tile)
			}
		}
		got, ok := cache.Get(Key{Version: "v2", Z: int(tile.Z), X: int(tile.X), Y: int(tile.Y)})
		switch {
		case touched && ok:
			t.Errorf("tile %v touches the edit but was carried", tile)
		case !touched && !ok:
			t.Errorf("tile %v is clear of the edit but was not carried", tile)
		case ok && !bytes.Equal(got.Body(), fresh):
			t.Errorf("carried tile %v differs from the one cut from the new layers", tile)
		}
		if !touched {
			wantCarried++
		}
	}
	if carried != wantCarried {
		t.Errorf("Carry returned %d, want %d", carried, wantCarried)
	}
	if wantCarried == 0 || wantCarried == len(cached) || differing == 0 {
		t.Fatalf("fixture does not exercise Carry: %d of %d tiles clear of the edit, %d differ", wantCarried, len(cached), differing)
	}
	if st := cache.Stats(); st.Carried != uint64(carried) {
		t.Errorf("stats count %d carried, want %d", st.Carried, carried)
	}
	t.Logf("%d tiles cached, %d carried, %d to cut again (%d really differ)", len(cached), carried, len(cached)-carried, differing)
}

// TestCarryHonoursBuffer moves a point that lies just beyond a tile's edge
// but inside its buffer: the tile's bytes change, so it must not be carried.
func TestCarryHonoursBuffer(t *testing.T) {
	edge := orb.Point{anchorTile.Bound().Max[0], anchor[1]} // buffer here: 5.8 km / 64 ≈ 91 m
	layer := func(eastKm float64) []Layer {
		return []Layer{{Name: "practices", Features: []Feature{{ID: 1, Geometry: offset(edge, eastKm, 0)}}}}
	}
	ts1, ts2 := mustTileset(t, layer(0.04), Options{}), mustTileset(t, layer(0.06), Options{})
	if bytes.Equal(cut(t, ts1, anchorTile), cut(t, ts2, anchorTile)) {
		t.Fatal("moving the point in the buffer did not change the tile")
	}
	cache := NewCache(CacheConfig{})
	cache.Put(Key{Version: "v1", Z: 12, X: int(anchorTile.X), Y: int(anchorTile.Y)}, NewEncoded(cut(t, ts1, anchorTile)))

	changed := []orb.Bound{offset(edge, 0.04, 0).Bound(), offset(edge, 0.06, 0).Bound()}
	if n := cache.Carry("v1", "v2", changed, ts2.Options()); n != 0 {
		t.Errorf("carried %d tiles, want 0: the edit is inside the tile's buffer", n)
	}
}

func TestCarryLeavesExistingAndSameVersion(t *testing.T) {
	cache := NewCache(CacheConfig{})
	k1 := Key{Version: "v1", Z: 10, X: 1, Y: 1}
	k2 := Key{Version: "v2", Z: 10, X: 1, Y: 1}
	cache.Put(k1, NewEncoded([]byte("old")))
	cache.Put(k2, NewEncoded([]byte("already cut")))
	if n := cache.Carry("v1", "v1", nil, Options{}); n != 0 {
		t.Errorf("carry onto itself copied %d", n)
	}
	if n := cache.Carry("v1", "v2", nil, Options{}); n != 0 {
		t.Errorf("carry over an existing tile copied %d", n)
	}
	if got, _ := cache.Get(k2); string(got.Body()) != "already cut" {
		t.Errorf("existing tile replaced by %q", got.Body())
	}
}

// BenchmarkCarry carries a cache of about 2,600 city tiles at zooms 10..16
// past an edit of one ward.
func BenchmarkCarry(b *testing.B) {
	city := orb.Bound{Min: offset(anchor, -8, -8), Max: offset(anchor, 8, 8)}
	edit := []orb.Bound{orb.Polygon{ring(anchor, 1, 40, false)}.Bound()}
	var keys []Key
	for z := maptile.Zoom(10); z <= 16; z++ {
		for _, tile := range tilesCovering(city, z) {
			keys = append(keys, Key{Version: "v1", Z: int(tile.Z), X: int(tile.X), Y: int(tile.Y)})
		}
	}
	tile := NewEncoded([]byte("tile"))
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		cache := NewCache(CacheConfig{})
		for _, k := range keys {
			cache.Put(k, tile)
		}
		b.StartTimer()
		if cache.Carry("v1", "v2", edit, Options{}) == 0 {
			b.Fatal("nothing carried")
		}
	}
	b.ReportMetric(float64(len(keys)), "tiles")
}
