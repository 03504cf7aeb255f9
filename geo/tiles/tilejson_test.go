package tiles

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

func TestNewTileJSON(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{MaxZoom: 14})
	doc, err := NewTileJSON(ts, TileJSONConfig{
		Name:        "manchester-2015",
		Tiles:       []string{"https://placeteam.example/tiles/v7/{z}/{x}/{y}.mvt"},
		Attribution: "Contains OS data © Crown copyright",
	})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}

	b := ts.Bound()
	want := map[string]any{
		"tilejson":    "3.0.0",
		"name":        "manchester-2015",
		"tiles":       []any{"https://placeteam.example/tiles/v7/{z}/{x}/{y}.mvt"},
		"attribution": "Contains OS data © Crown copyright",
		"bounds":      []any{b.Min[0], b.Min[1], b.Max[0], b.Max[1]},
		"minzoom":     0.0,
		"maxzoom":     14.0,
		"scheme":      "xyz",
		"vector_layers": []any{
			map[string]any{"id": "wards", "minzoom": 0.0, "maxzoom": 14.0, "fields": map[string]any{"code": "String", "population": "Number", "team": "String"}},
			map[string]any{"id": "teams", "minzoom": 0.0, "maxzoom": 14.0, "fields": map[string]any{"name": "String", "in_city": "Boolean"}},
			map[string]any{"id": "localities", "minzoom": 0.0, "maxzoom": 14.0, "fields": map[string]any{"name": "String"}},
			map[string]any{"id": "lsoas", "minzoom": 11.0, "maxzoom": 14.0, "fields": map[string]any{"code": "String"}},
			map[string]any{"id": "practices", "minzoom": 9.0, "maxzoom": 14.0, "fields": map[string]any{"code": "String", "list_size": "Number", "active": "Boolean"}},
			map[string]any{"id": "hospitals", "minzoom": 0.0, "maxzoom": 14.0, "fields": map[string]any{"name": "String", "beds": "Number"}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("TileJSON (-want +got):\n%s", diff)
	}
	// The bounds are those of the features: Manchester down to the London locality.
	if b.Min[0] > -2.3 || b.Max[1] < 53.5 || b.Max[0] < -0.12 || b.Min[1] > 51.5 {
		t.Errorf("bounds %v do not span Manchester and London", b)
	}
}

func TestNewTileJSONOverrides(t *testing.T) {
	ts := mustTileset(t, []Layer{{Name: "empty"}}, Options{})
	area := orb.Bound{Min: orb.Point{-2.32, 53.40}, Max: orb.Point{-2.15, 53.55}}
	doc, err := NewTileJSON(ts, TileJSONConfig{Tiles: []string{"/t/{z}/{x}/{y}"}, Bounds: area, MinZoom: 8, MaxZoom: 12})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Bounds != [4]float64{-2.32, 53.40, -2.15, 53.55} || doc.MinZoom != 8 || doc.MaxZoom != 12 {
		t.Errorf("bounds %v zooms %d..%d, want the configured ones", doc.Bounds, doc.MinZoom, doc.MaxZoom)
	}
	if data, _ := json.Marshal(doc.VectorLayers[0]); string(data) != `{"id":"empty","fields":{},"minzoom":0,"maxzoom":14}` {
		t.Errorf("layer without properties: %s, want fields {}", data)
	}

	doc, _ = NewTileJSON(ts, TileJSONConfig{Tiles: []string{"/t/{z}/{x}/{y}"}})
	if doc.Bounds != worldBounds {
		t.Errorf("tileset with no features: bounds %v, want the world", doc.Bounds)
	}
}

func TestNewTileJSONRejects(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{MaxZoom: 14})
	for name, cfg := range map[string]TileJSONConfig{
		"no tiles":          {},
		"no placeholders":   {Tiles: []string{"https://example.org/tiles.mvt"}},
		"beyond max zoom":   {Tiles: []string{"/{z}/{x}/{y}"}, MaxZoom: 16},
		"inverted zooms":    {Tiles: []string{"/{z}/{x}/{y}"}, MinZoom: 12, MaxZoom: 10},
		"negative min zoom": {Tiles: []string{"/{z}/{x}/{y}"}, MinZoom: -1, MaxZoom: 10},
	} {
		if _, err := NewTileJSON(ts, cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
