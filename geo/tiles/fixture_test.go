package tiles

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

// Synthetic layers around Manchester for the tests and benchmarks.

var manchester = orb.Point{-2.24, 53.48}

// anchor, the centre of the zoom-12 tile holding Manchester, is where the
// small fixture is laid out, so that which feature falls in which tile does
// not hinge on where tile edges happen to run: at zoom 13 it is the corner of
// four tiles, each holding one ward.
var (
	anchorTile = maptile.At(manchester, 12)
	anchor     = anchorTile.Center()
)

// Feature IDs of the small fixture, by role.
const (
	idWardBase      = 100 // wards are 100..103
	idTeamMulti     = 200 // two separate squares, RFC 7946 winding (exterior counterclockwise)
	idTeamHoled     = 201 // a square with a hole, shapefile winding (exterior clockwise)
	idLocalityCity  = 300
	idLocalityFar   = 301 // London: never in a Manchester tile
	idLSOABase      = 400
	idPracticeBase  = 500
	idHospitalCentr = 600
)

// ring returns a closed ring of n vertices on a circle of radiusKm around c,
// counterclockwise in lon/lat unless clockwise is set.
func ring(c orb.Point, radiusKm float64, n int, clockwise bool) orb.Ring {
	dLat := radiusKm / 111.32
	dLon := dLat / math.Cos(c[1]*math.Pi/180)
	r := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		if clockwise {
			a = -a
		}
		r = append(r, orb.Point{c[0] + dLon*math.Cos(a), c[1] + dLat*math.Sin(a)})
	}
	return append(r, r[0])
}

// square returns a counterclockwise lon/lat square of half-side halfKm.
func square(c orb.Point, halfKm float64) orb.Ring {
	dLat := halfKm / 111.32
	dLon := dLat / math.Cos(c[1]*math.Pi/180)
	return orb.Ring{
		{c[0] - dLon, c[1] - dLat}, {c[0] + dLon, c[1] - dLat},
		{c[0] + dLon, c[1] + dLat}, {c[0] - dLon, c[1] + dLat},
		{c[0] - dLon, c[1] - dLat},
	}
}

func reversed(r orb.Ring) orb.Ring {
	out := orb.Clone(r).(orb.Ring)
	out.Reverse()
	return out
}

// offset moves p by east and north kilometres.
func offset(p orb.Point, eastKm, northKm float64) orb.Point {
	dLat := northKm / 111.32
	dLon := eastKm / 111.32 / math.Cos(p[1]*math.Pi/180)
	return orb.Point{p[0] + dLon, p[1] + dLat}
}

// smallCity is the fixture for the correctness tests: every layer the map
// service publishes, a few features each.
func smallCity() []Layer {
	var wards, lsoas, practices []Feature
	for i, d := range [][2]float64{{-1.2, -1.2}, {1.2, -1.2}, {-1.2, 1.2}, {1.2, 1.2}} { // SW, SE, NW, NE
		c := offset(anchor, d[0], d[1])
		wards = append(wards, Feature{
			ID:       uint64(idWardBase + i),
			Geometry: orb.Polygon{ring(c, 1.0, 64, i%2 == 1)},
			Properties: map[string]any{
				"code": fmt.Sprintf("E0500%04d", i), "population": 12000 + i, "team": fmt.Sprintf("T%d", i/2),
			},
		})
		lsoas = append(lsoas, Feature{
			ID:         uint64(idLSOABase + i),
			Geometry:   orb.Polygon{ring(c, 0.4, 24, false)},
			Properties: map[string]any{"code": fmt.Sprintf("E0100%04d", i)},
		})
		practices = append(practices, Feature{
			ID:       uint64(idPracticeBase + i),
			Geometry: offset(c, 0.2, 0.1),
			Properties: map[string]any{
				"code": fmt.Sprintf("P8%04d", i), "list_size": 8000.5 + float64(i), "active": i != 3,
			},
		})
	}
	holed := orb.Polygon{
		reversed(square(offset(anchor, 0, 6), 1)),
		square(offset(anchor, 0, 6), 0.3), // the hole, counterclockwise
	}
	return []Layer{
		{Name: "wards", Features: wards},
		{Name: "teams", Features: []Feature{
			{ID: idTeamMulti, Geometry: orb.MultiPolygon{
				{square(offset(anchor, -6, 0), 1)},
				{square(offset(anchor, 6, 0), 1)},
			}, Properties: map[string]any{"name": "North", "in_city": true}},
			{ID: idTeamHoled, Geometry: holed, Properties: map[string]any{"name": "South", "in_city": false}},
		}},
		{Name: "localities", Features: []Feature{
			{ID: idLocalityCity, Geometry: orb.Polygon{ring(anchor, 9, 200, false)}, Properties: map[string]any{"name": "Central"}},
			{ID: idLocalityFar, Geometry: orb.Polygon{ring(orb.Point{-0.12, 51.5}, 9, 200, false)}, Properties: map[string]any{"name": "Elsewhere"}},
		}},
		{Name: "lsoas", Features: lsoas, MinZoom: 11},
		{Name: "practices", Features: practices, MinZoom: 9},
		{Name: "hospitals", Features: []Feature{
			{ID: idHospitalCentr, Geometry: offset(anchor, -0.4, -0.8), Properties: map[string]any{"name": "MRI", "beds": 800}},
		}},
	}
}

// bigCity is the benchmark fixture: a city-sized set of wardCount polygons of
// vertices vertices each on a grid over Manchester, plus pointCount points.
func bigCity(wardCount, vertices, pointCount int) []Layer {
	rng := rand.New(rand.NewPCG(1, 2))
	const cols = 20
	rows := (wardCount + cols - 1) / cols
	cellKm := 1.0
	origin := offset(manchester, -cellKm*cols/2, -cellKm*float64(rows)/2)
	var wards, practices []Feature
	for i := range wardCount {
		c := offset(origin, cellKm*(float64(i%cols)+0.5), cellKm*(float64(i/cols)+0.5))
		r := ring(c, cellKm*0.5, vertices, false)
		for j := range r[:len(r)-1] { // wobble the outline so simplification has work to do
			r[j] = offset(r[j], (rng.Float64()-0.5)*0.05, (rng.Float64()-0.5)*0.05)
		}
		r[len(r)-1] = r[0]
		wards = append(wards, Feature{
			ID: uint64(i + 1), Geometry: orb.Polygon{r},
			Properties: map[string]any{"code": fmt.Sprintf("W%04d", i), "population": 10000 + i, "team": fmt.Sprintf("T%d", i/25)},
		})
	}
	for i := range pointCount {
		p := offset(origin, rng.Float64()*cellKm*cols, rng.Float64()*cellKm*float64(rows))
		practices = append(practices, Feature{
			ID: uint64(i + 1), Geometry: p,
			Properties: map[string]any{"code": fmt.Sprintf("P%04d", i), "list_size": 5000 + i},
		})
	}
	return []Layer{{Name: "wards", Features: wards}, {Name: "practices", Features: practices}}
}

func mustTileset(t testing.TB, layers []Layer, opts Options) *Tileset {
	t.Helper()
	ts, err := NewTileset(layers, opts)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// decode cuts and decodes one tile, keyed by layer name.
func decode(t testing.TB, ts *Tileset, tile maptile.Tile) map[string]*mvt.Layer {
	t.Helper()
	data, err := ts.Tile(context.Background(), int(tile.Z), int(tile.X), int(tile.Y))
	if err != nil {
		t.Fatalf("tile %v: %v", tile, err)
	}
	return decodeBytes(t, data)
}

func decodeBytes(t testing.TB, data []byte) map[string]*mvt.Layer {
	t.Helper()
	layers, err := mvt.Unmarshal(data)
	if err != nil {
		t.Fatalf("unmarshal: %v", err)
	}
	byName := make(map[string]*mvt.Layer, len(layers))
	for _, l := range layers {
		if byName[l.Name] != nil {
			t.Fatalf("layer %q twice in one tile", l.Name)
		}
		byName[l.Name] = l
	}
	return byName
}

// ids lists a decoded layer's feature ids.
func ids(l *mvt.Layer) map[uint64]orb.Geometry {
	out := make(map[uint64]orb.Geometry)
	if l == nil {
		return out
	}
	for _, f := range l.Features {
		id, _ := f.ID.(float64) // orb decodes ids as float64
		out[uint64(id)] = f.Geometry
	}
	return out
}

// points flattens any geometry to its vertices.
func points(g orb.Geometry) []orb.Point {
	switch g := g.(type) {
	case orb.Point:
		return []orb.Point{g}
	case orb.MultiPoint:
		return g
	case orb.LineString:
		return g
	case orb.Ring:
		return g
	case orb.MultiLineString:
		var out []orb.Point
		for _, ls := range g {
			out = append(out, ls...)
		}
		return out
	case orb.Polygon:
		var out []orb.Point
		for _, r := range g {
			out = append(out, r...)
		}
		return out
	case orb.MultiPolygon:
		var out []orb.Point
		for _, p := range g {
			out = append(out, points(p)...)
		}
		return out
	}
	panic(fmt.Sprintf("points: %T", g))
}

// tilesCovering lists the tiles at zoom z over bound b.
func tilesCovering(b orb.Bound, z maptile.Zoom) []maptile.Tile {
	lo := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z)
	hi := maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
	var out []maptile.Tile
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			out = append(out, maptile.New(x, y, z))
		}
	}
	return out
}
