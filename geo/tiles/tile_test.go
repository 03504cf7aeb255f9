package tiles

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

func TestTileLayersAndFeatures(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{})
	z10 := maptile.New(anchorTile.X/4, anchorTile.Y/4, 10)
	northEast13 := maptile.New(2*anchorTile.X+1, 2*anchorTile.Y, 13)
	london := maptile.At(orb.Point{-0.12, 51.5}, 10)

	tests := []struct {
		name string
		tile maptile.Tile
		want map[string][]uint64 // layer → feature ids; absent layers are not in the tile
	}{
		{"zoom 8: no lsoas or practices below their min zoom", maptile.New(anchorTile.X/16, anchorTile.Y/16, 8), map[string][]uint64{
			"wards":      {100, 101, 102, 103},
			"teams":      {idTeamMulti, idTeamHoled},
			"localities": {idLocalityCity},
			"hospitals":  {idHospitalCentr},
		}},
		{"zoom 10: practices appear", z10, map[string][]uint64{
			"wards":      {100, 101, 102, 103},
			"teams":      {idTeamMulti, idTeamHoled},
			"localities": {idLocalityCity},
			"practices":  {500, 501, 502, 503},
			"hospitals":  {idHospitalCentr},
		}},
		{"zoom 12: lsoas appear, teams 6 km out are outside", anchorTile, map[string][]uint64{
			"wards":      {100, 101, 102, 103},
			"localities": {idLocalityCity},
			"lsoas":      {400, 401, 402, 403},
			"practices":  {500, 501, 502, 503},
			"hospitals":  {idHospitalCentr},
		}},
		{"zoom 13 north-east quarter: only its own ward", northEast13, map[string][]uint64{
			"wards":      {103},
			"localities": {idLocalityCity},
			"lsoas":      {403},
			"practices":  {503},
		}},
		{"london: only the far locality", london, map[string][]uint64{
			"localities": {idLocalityFar},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode(t, ts, tt.tile)
			if names, want := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(tt.want)); !slices.Equal(names, want) {
				t.Fatalf("layers %v, want %v", names, want)
			}
			for name, l := range got {
				if l.Version != 2 || l.Extent != 4096 {
					t.Errorf("layer %s: version %d extent %d, want 2 and 4096", name, l.Version, l.Extent)
				}
				if gotIDs := slices.Sorted(maps.Keys(ids(l))); !slices.Equal(gotIDs, tt.want[name]) {
					t.Errorf("layer %s: ids %v, want %v", name, gotIDs, tt.want[name])
				}
				assertWithinBuffer(t, l, 64, 4096)
			}
		})
	}
}

// assertWithinBuffer checks every coordinate lies in [-buffer, extent+buffer].
func assertWithinBuffer(t *testing.T, l *mvt.Layer, buffer, extent float64) {
	t.Helper()
	for _, f := range l.Features {
		for _, p := range points(f.Geometry) {
			if p[0] < -buffer || p[0] > extent+buffer || p[1] < -buffer || p[1] > extent+buffer {
				t.Errorf("layer %s feature %v: point %v outside [%v, %v]", l.Name, f.ID, p, -buffer, extent+buffer)
				return
			}
		}
	}
}

func TestTileClipsToBuffer(t *testing.T) {
	east := anchorTile.Bound().Max[0]
	mid := anchorTile.Center()[1]
	edge := orb.Point{east, mid}
	layers := []Layer{{Name: "wards", Features: []Feature{
		{ID: 1, Geometry: orb.Polygon{square(edge, 1)}},             // straddles the east edge
		{ID: 2, Geometry: offset(edge, 0.02, 0)},                    // 20 m east: inside the 91 m buffer
		{ID: 3, Geometry: offset(edge, 0.2, 0)},                     // 200 m east: beyond it
		{ID: 4, Geometry: orb.Polygon{ring(anchor, 9, 200, false)}}, // covers the whole buffered tile
	}}}
	ts := mustTileset(t, layers, Options{Buffer: 64})

	wards := decode(t, ts, anchorTile)["wards"]
	got := ids(wards)
	if _, ok := got[3]; ok || len(got) != 3 {
		t.Fatalf("ids %v, want 1, 2 and 4", slices.Sorted(maps.Keys(got)))
	}
	straddling := got[1].Bound()
	if straddling.Max[0] != 4096+64 || straddling.Min[0] < 3000 || straddling.Min[0] > 3500 {
		t.Errorf("straddling square spans x %v..%v, want about 3390..4160 (clipped at the buffer)", straddling.Min[0], straddling.Max[0])
	}
	if p := got[2].(orb.Point); p[0] <= 4096 || p[0] > 4096+64 {
		t.Errorf("point in the buffer at x %v, want in (4096, 4160]", p[0])
	}
	square := orb.Ring{{-64, -64}, {4160, -64}, {4160, 4160}, {-64, 4160}, {-64, -64}}
	if cover, ok := got[4].(orb.Polygon); !ok || len(cover) != 1 || cover[0].Bound() != square.Bound() || len(cover[0]) != 5 {
		t.Errorf("covering circle became %v, want the buffered tile square %v", got[4], square)
	}
	assertWithinBuffer(t, wards, 64, 4096)

	neighbour := decode(t, ts, maptile.New(anchorTile.X+1, anchorTile.Y, anchorTile.Z))["wards"]
	if b := ids(neighbour)[1].Bound(); b.Min[0] != -64 {
		t.Errorf("in the east neighbour the square starts at x %v, want -64", b.Min[0])
	}
}

// TestTileWinding checks MVT 2 winding whatever the input winding: orb's
// decoder starts a new polygon at every ring of positive area, so a wrongly
// wound multipolygon would come back as one polygon with a hole.
func TestTileWinding(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{})
	got := decode(t, ts, maptile.New(anchorTile.X/4, anchorTile.Y/4, 10))

	teams := ids(got["teams"])
	multi, ok := teams[idTeamMulti].(orb.MultiPolygon)
	if !ok || len(multi) != 2 || len(multi[0]) != 1 || len(multi[1]) != 1 {
		t.Fatalf("RFC 7946-wound multipolygon decoded as %T with shape %v, want 2 polygons of 1 ring", teams[idTeamMulti], shape(teams[idTeamMulti]))
	}
	holed, ok := teams[idTeamHoled].(orb.Polygon)
	if !ok || len(holed) != 2 {
		t.Fatalf("shapefile-wound polygon with hole decoded as %T with shape %v, want 1 polygon of 2 rings", teams[idTeamHoled], shape(teams[idTeamHoled]))
	}
	if holed[0].Orientation() != orb.CCW || holed[1].Orientation() != orb.CW {
		t.Errorf("holed polygon rings wound %v, %v; want exterior positive (orb CCW), hole negative (orb CW)", holed[0].Orientation(), holed[1].Orientation())
	}
	for id, g := range ids(got["wards"]) { // wards alternate input winding
		if p, ok := g.(orb.Polygon); !ok || len(p) != 1 || p[0].Orientation() != orb.CCW {
			t.Errorf("ward %d decoded as %v, want one positive ring", id, shape(g))
		}
	}
}

// shape describes a polygonal geometry as ring counts per polygon.
func shape(g orb.Geometry) string {
	switch g := g.(type) {
	case orb.Polygon:
		return fmt.Sprintf("[%d]", len(g))
	case orb.MultiPolygon:
		s := ""
		for _, p := range g {
			s += fmt.Sprintf("[%d]", len(p))
		}
		return s
	}
	return fmt.Sprintf("%T", g)
}

func TestTileProperties(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{})
	got := decode(t, ts, anchorTile)
	want := map[string]map[uint64]map[string]any{
		"wards":     {100: {"code": "E05000000", "population": 12000.0, "team": "T0"}},
		"practices": {503: {"code": "P80003", "list_size": 8003.5, "active": false}},
		"hospitals": {idHospitalCentr: {"name": "MRI", "beds": 800.0}},
	}
	for layer, features := range want {
		for id, props := range features {
			var found bool
			for _, f := range got[layer].Features {
				if f.ID == float64(id) {
					found = true
					if !maps.Equal(map[string]any(f.Properties), props) {
						t.Errorf("%s %d: properties %v, want %v", layer, id, f.Properties, props)
					}
				}
			}
			if !found {
				t.Errorf("%s %d: missing", layer, id)
			}
		}
	}
}

func TestTileFeatureWithoutID(t *testing.T) {
	ts := mustTileset(t, []Layer{{Name: "points", Features: []Feature{{Geometry: anchor}}}}, Options{})
	f := decode(t, ts, anchorTile)["points"].Features[0]
	if f.ID != nil {
		t.Errorf("feature with ID 0 decoded with id %v, want none", f.ID)
	}
}

func TestTileEmpty(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{})
	pacific := maptile.At(orb.Point{-150, 0}, 10)
	data, err := ts.Tile(context.Background(), int(pacific.Z), int(pacific.X), int(pacific.Y))
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != 0 {
		t.Errorf("empty tile is %d bytes, want 0", len(data))
	}
	if layers, err := mvt.Unmarshal(data); err != nil || len(layers) != 0 {
		t.Errorf("empty tile decodes to %d layers, %v; want a valid tile with none", len(layers), err)
	}
}

func TestTileOutOfRange(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{MaxZoom: 14})
	for _, zxy := range [][3]int{{-1, 0, 0}, {15, 0, 0}, {3, 8, 0}, {3, 0, 8}, {3, -1, 0}, {3, 0, -1}, {0, 1, 0}} {
		_, err := ts.Tile(context.Background(), zxy[0], zxy[1], zxy[2])
		if !errors.Is(err, ErrOutOfRange) {
			t.Errorf("tile %v: error %v, want ErrOutOfRange", zxy, err)
		}
	}
	for _, zxy := range [][3]int{{0, 0, 0}, {14, 16383, 16383}, {3, 7, 7}} {
		if _, err := ts.Tile(context.Background(), zxy[0], zxy[1], zxy[2]); err != nil {
			t.Errorf("tile %v: %v", zxy, err)
		}
	}
}

func TestTileCancelled(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ts.Tile(ctx, int(anchorTile.Z), int(anchorTile.X), int(anchorTile.Y)); !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestTileSimplifies(t *testing.T) {
	layers := []Layer{{Name: "wards", Features: []Feature{{ID: 1, Geometry: orb.Polygon{ring(anchor, 2, 2000, false)}}}}}
	tile := maptile.New(anchorTile.X/4, anchorTile.Y/4, 10)
	vertices := func(opts Options) int {
		return len(points(ids(decode(t, mustTileset(t, layers, opts), tile)["wards"])[1]))
	}
	exact, simple, coarse := vertices(Options{SimplifyTolerance: -1}), vertices(Options{}), vertices(Options{SimplifyTolerance: 8})
	if !(exact > simple && simple > coarse && coarse >= 4) {
		t.Errorf("vertices: unsimplified %d, tolerance 1: %d, tolerance 8: %d; want strictly fewer with each", exact, simple, coarse)
	}
}

// BenchmarkTile cuts every tile over a city-sized layer set (300 wards of
// 100 vertices, 100 practices) at each zoom, without a cache.
func BenchmarkTile(b *testing.B) {
	ts := mustTileset(b, bigCity(300, 100, 100), Options{})
	ctx := context.Background()
	for z := maptile.Zoom(8); z <= 14; z++ {
		tiles := tilesCovering(ts.Bound(), z)
		b.Run(fmt.Sprintf("z%d", z), func(b *testing.B) {
			b.ReportAllocs()
			var bytes int
			i := 0
			for b.Loop() {
				tile := tiles[i%len(tiles)]
				i++
				data, err := ts.Tile(ctx, int(tile.Z), int(tile.X), int(tile.Y))
				if err != nil {
					b.Fatal(err)
				}
				bytes += len(data)
			}
			b.ReportMetric(float64(bytes)/float64(i), "B/tile")
			b.ReportMetric(float64(len(tiles)), "tiles")
		})
	}
}
