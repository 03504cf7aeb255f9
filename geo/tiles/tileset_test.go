package tiles

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

func TestNewTilesetRejects(t *testing.T) {
	point := Feature{Geometry: anchor}
	tests := []struct {
		name   string
		layers []Layer
		opts   Options
	}{
		{"unnamed layer", []Layer{{Features: []Feature{point}}}, Options{}},
		{"repeated layer", []Layer{{Name: "a"}, {Name: "a"}}, Options{}},
		{"no geometry", []Layer{{Name: "a", Features: []Feature{{ID: 1}}}}, Options{}},
		{"collection", []Layer{{Name: "a", Features: []Feature{{Geometry: orb.Collection{anchor}}}}}, Options{}},
		{"empty polygon", []Layer{{Name: "a", Features: []Feature{{Geometry: orb.Polygon{}}}}}, Options{}},
		{"national grid metres", []Layer{{Name: "a", Features: []Feature{{Geometry: orb.Point{383000, 398000}}}}}, Options{}},
		{"NaN", []Layer{{Name: "a", Features: []Feature{{Geometry: orb.Point{0, math.NaN()}}}}}, Options{}},
		{"nil property", []Layer{{Name: "a", Features: []Feature{{Geometry: anchor, Properties: map[string]any{"x": nil}}}}}, Options{}},
		{"slice property", []Layer{{Name: "a", Features: []Feature{{Geometry: anchor, Properties: map[string]any{"x": []string{"a"}}}}}}, Options{}},
		{"layer zooms inverted", []Layer{{Name: "a", MinZoom: 10, MaxZoom: 5}}, Options{}},
		{"layer beyond max zoom", []Layer{{Name: "a", MaxZoom: 16}}, Options{MaxZoom: 14}},
		{"max zoom too high", nil, Options{MaxZoom: 23}},
		{"buffer wider than tile", nil, Options{Extent: 256, Buffer: 512}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewTileset(tt.layers, tt.opts); err == nil {
				t.Error("no error")
			}
		})
	}
	_, err := NewTileset([]Layer{{Name: "wards", Features: []Feature{point, {ID: 7}}}}, Options{})
	if !errors.Is(err, ErrInvalidLayer) {
		t.Errorf("error %v does not wrap ErrInvalidLayer", err)
	}
}

func TestLayerFields(t *testing.T) {
	layers := append(smallCity(), Layer{Name: "mixed", Features: []Feature{
		{Geometry: anchor, Properties: map[string]any{"v": "a", "n": uint8(1)}},
		{Geometry: anchor, Properties: map[string]any{"v": 2.5, "n": int64(-3)}},
	}})
	got := mustTileset(t, layers, Options{}).LayerFields()
	want := map[string]map[string]string{
		"wards":      {"code": "String", "population": "Number", "team": "String"},
		"teams":      {"name": "String", "in_city": "Boolean"},
		"localities": {"name": "String"},
		"lsoas":      {"code": "String"},
		"practices":  {"code": "String", "list_size": "Number", "active": "Boolean"},
		"hospitals":  {"name": "String", "beds": "Number"},
		"mixed":      {"v": "Mixed", "n": "Number"},
	}
	if len(got) != len(want) {
		t.Errorf("%d layers, want %d", len(got), len(want))
	}
	for name, fields := range want {
		if !maps.Equal(got[name], fields) {
			t.Errorf("%s: %v, want %v", name, got[name], fields)
		}
	}
}

func BenchmarkNewTileset(b *testing.B) {
	layers := bigCity(300, 100, 100)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewTileset(layers, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestIndexedLayerShared: a tileset built with a prebuilt layer cuts the
// same tiles as one that indexes the layer itself, with the layer's own
// name and zooms; a bad feature fails IndexLayer as it fails NewTileset.
func TestIndexedLayerShared(t *testing.T) {
	layers := smallCity()
	plain := mustTileset(t, layers, Options{MaxZoom: 14})
	shared := make([]Layer, len(layers))
	for i, l := range layers {
		il, err := IndexLayer(l)
		if err != nil {
			t.Fatal(err)
		}
		shared[i] = Layer{Name: l.Name, MinZoom: l.MinZoom, MaxZoom: l.MaxZoom, Indexed: il}
	}
	withShared := mustTileset(t, shared, Options{MaxZoom: 14})
	if plain.Bound() != withShared.Bound() {
		t.Errorf("bounds %v and %v differ", plain.Bound(), withShared.Bound())
	}
	if !maps.EqualFunc(plain.LayerFields(), withShared.LayerFields(), maps.Equal) {
		t.Errorf("fields differ: %v, %v", plain.LayerFields(), withShared.LayerFields())
	}
	ctx := context.Background()
	n := 0
	for z := 8; z <= 14; z++ {
		for _, tile := range tilesCovering(plain.Bound(), maptile.Zoom(z)) {
			a, errA := plain.Tile(ctx, z, int(tile.X), int(tile.Y))
			b, errB := withShared.Tile(ctx, z, int(tile.X), int(tile.Y))
			if errA != nil || errB != nil || !bytes.Equal(a, b) {
				t.Fatalf("tile %v: %d and %d bytes (%v, %v)", tile, len(a), len(b), errA, errB)
			}
			n += len(a)
		}
	}
	if n == 0 {
		t.Fatal("no tile had content")
	}
	if _, err := IndexLayer(Layer{Name: "bad", Features: []Feature{{ID: 7}}}); !errors.Is(err, ErrInvalidLayer) {
		t.Errorf("a feature without geometry: %v, want ErrInvalidLayer", err)
	}
}
