package tiles

import (
	"errors"
	"maps"
	"math"
	"testing"

	"github.com/paulmach/orb"
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
