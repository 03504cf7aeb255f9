package adjacency

import (
	"cmp"
	"context"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/data/realdata"
)

const wardsFile = "boundaries/wards_2004_2018_manchester_wd13.geojson"

// named is a real area: code, name and geometry.
type named struct {
	code, name string
	geometry   orb.MultiPolygon
}

// readAreas reads the areas of a real boundary file whose codeKey property
// lies in [first, last], sorted by code, skipping when the data are
// unavailable.
func readAreas(tb testing.TB, file, codeKey, nameKey, first, last string) []named {
	tb.Helper()
	c, err := geojsonfile.ReadFile(realdata.File(tb, file), geojsonfile.Options{Want: geojsonfile.WantPolygons})
	if err != nil {
		tb.Fatal(err)
	}
	var areas []named
	for _, f := range c.Features {
		code, ok := f.String(codeKey)
		if !ok {
			tb.Fatalf("%s: feature %d has no %s", file, f.Index, codeKey)
		}
		name, _ := f.String(nameKey)
		if code >= first && code <= last {
			areas = append(areas, named{code, name, f.Geometry.(orb.MultiPolygon)})
		}
	}
	slices.SortFunc(areas, func(a, b named) int { return cmp.Compare(a.code, b.code) })
	return areas
}

// manchesterWards reads Manchester's 32 wards of 2004-2018 (WD13 codes
// E05000687 to E05000718).
func manchesterWards(tb testing.TB) []named {
	return readAreas(tb, wardsFile, "WD13CD", "WD13NM", "E05000687", "E05000718")
}

func geometries(areas []named) []orb.MultiPolygon {
	out := make([]orb.MultiPolygon, len(areas))
	for i, a := range areas {
		out[i] = a.geometry
	}
	return out
}

// TestRealBoundaries checks the adjacency of real boundary sets, and checks
// every pair against an independent overlay: the intersection of the two
// areas' boundaries computed by simplefeatures, in a flat metric frame. The
// two must agree on which pairs share at least DefaultMinSharedMetres, and
// on the shared length to within 0.5%.
func TestRealBoundaries(t *testing.T) {
	tests := []struct {
		name                     string
		file, codeKey, nameKey   string
		first, last              string
		wantAreas, minNeighbours int
		// pointTouches are pairs whose boundaries meet only at points;
		// they must not be adjacent.
		pointTouches int
		adjacent     [][2]string // pairs of names that must be adjacent
		touching     [][2]string // pairs of names that meet at a point only
		long         bool        // skipped with -short
	}{
		{
			name: "Manchester wards 2004-2018 (WD13)", file: wardsFile, codeKey: "WD13CD", nameKey: "WD13NM",
			first: "E05000687", last: "E05000718", wantAreas: 32, minNeighbours: 2,
			adjacent: [][2]string{{"Hulme", "City Centre"}, {"Fallowfield", "Withington"}, {"Didsbury East", "Didsbury West"}},
		},
		{
			name: "Manchester wards from 2018 (WD22)", file: "boundaries/wards_2018plus_manchester_wd22.geojson",
			codeKey: "area_code", nameKey: "area_name", first: "E05011350", last: "E05011381",
			wantAreas: 32, minNeighbours: 2, pointTouches: 6,
			adjacent: [][2]string{{"Deansgate", "Piccadilly"}},
			touching: [][2]string{{"Ardwick", "Deansgate"}, {"Hulme", "Piccadilly"}},
		},
		{
			name: "Greater Manchester wards 2017 (WD17)", file: "boundaries/wards_2017_manchester_and_neighbours_wd17.geojson",
			codeKey: "area_code", nameKey: "area_name", first: "E05", last: "E06",
			// Ramsbottom, on the edge of the set, has one neighbour in it.
			wantAreas: 170, minNeighbours: 1, pointTouches: 12,
		},
		{
			name: "Greater Manchester LSOAs 2011", file: "boundaries/lsoa_2011_manchester_and_neighbours.geojson",
			codeKey: "area_code", nameKey: "area_name", first: "E01", last: "E02",
			wantAreas: 1296, minNeighbours: 1, pointTouches: 80, long: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.long && testing.Short() {
				t.Skip("long check skipped with -short")
			}
			areas := readAreas(t, tt.file, tt.codeKey, tt.nameKey, tt.first, tt.last)
			if len(areas) != tt.wantAreas {
				t.Fatalf("%d areas, want %d", len(areas), tt.wantAreas)
			}
			g, err := Build(context.Background(), geometries(areas), Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkGraph(t, g, areas, tt.minNeighbours)
			touches := checkAgainstOverlay(t, g, areas)
			if len(touches) != tt.pointTouches {
				t.Errorf("%d point touches, want %d", len(touches), tt.pointTouches)
			}
			index := map[string]int{}
			for i, a := range areas {
				index[a.name] = i
			}
			for _, p := range tt.adjacent {
				if g.Shared(index[p[0]], index[p[1]]) == 0 {
					t.Errorf("%s and %s are not adjacent", p[0], p[1])
				}
			}
			for _, p := range tt.touching {
				if !slices.Contains(touches, [2]int{min(index[p[0]], index[p[1]]), max(index[p[0]], index[p[1]])}) {
					t.Errorf("%s and %s are not a point touch", p[0], p[1])
				}
			}
		})
	}
}

// TestRealNearPointContact: in the 2018 wards, four wards almost meet at a
// point: generalisation left Ardwick and Clayton & Openshaw a 5.3 m boundary, and Ancoats & Beswick and Gorton & Abbey Hey
// 5.3 m apart. By default that short boundary is adjacency; a caller that
// wants such contacts treated as point touches raises MinSharedMetres.
func TestRealNearPointContact(t *testing.T) {
	areas := readAreas(t, "boundaries/wards_2018plus_manchester_wd22.geojson", "area_code", "area_name", "E05011350", "E05011381")
	index := map[string]int{}
	for i, a := range areas {
		index[a.name] = i
	}
	ardwick, clayton := index["Ardwick"], index["Clayton & Openshaw"]
	ancoats, gorton := index["Ancoats & Beswick"], index["Gorton & Abbey Hey"]
	tests := []struct {
		name      string
		opts      Options
		wantShort bool // Ardwick and Clayton & Openshaw adjacent
	}{
		{"default minimum", Options{}, true},
		{"10 m minimum", Options{MinSharedMetres: 10}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Build(context.Background(), geometries(areas), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			shared := g.Shared(ardwick, clayton)
			if (shared > 0) != tt.wantShort || (shared > 0 && math.Abs(shared-5.3) > 0.1) {
				t.Errorf("Ardwick and Clayton & Openshaw share %.2f m, want about 5.3 m: %v", shared, tt.wantShort)
			}
			if g.Shared(ancoats, gorton) != 0 {
				t.Errorf("Ancoats & Beswick and Gorton & Abbey Hey share %.2f m", g.Shared(ancoats, gorton))
			}
		})
	}
}

// checkGraph checks that the graph is connected, symmetric and that every
// area has at least minNeighbours neighbours.
func checkGraph(t *testing.T, g *Graph, areas []named, minNeighbours int) {
	t.Helper()
	if g.Len() != len(areas) {
		t.Fatalf("Len() = %d, want %d", g.Len(), len(areas))
	}
	all := make([]int, len(areas))
	for i := range all {
		all[i] = i
	}
	if !g.Connected(all) {
		t.Errorf("the areas are in %d pieces", len(g.Components(all)))
	}
	degrees := 0
	for i, a := range areas {
		n := g.Neighbours(i)
		degrees += len(n)
		if len(n) < minNeighbours {
			t.Errorf("%s %s has %d neighbours, want at least %d", a.code, a.name, len(n), minNeighbours)
		}
		for _, j := range n {
			if !slices.Contains(g.Neighbours(j), i) || g.Shared(i, j) != g.Shared(j, i) || g.Shared(i, j) < DefaultMinSharedMetres {
				t.Errorf("%s and %s: not symmetric (Shared %g, %g)", a.code, areas[j].code, g.Shared(i, j), g.Shared(j, i))
			}
		}
	}
	if edges := g.Edges(); 2*len(edges) != degrees {
		t.Errorf("%d edges, but the degrees add up to %d", len(edges), degrees)
	}
}

// checkAgainstOverlay compares every pair with the simplefeatures overlay
// of their boundaries, and returns the pairs whose boundaries meet at
// points only.
func checkAgainstOverlay(t *testing.T, g *Graph, areas []named) (touches [][2]int) {
	t.Helper()
	boundaries := make([]geom.Geometry, len(areas))
	bounds := make([]orb.Bound, len(areas))
	for i, a := range areas {
		boundaries[i] = toMetricSimple(a.geometry).Boundary()
		bounds[i] = a.geometry.Bound()
	}
	for i := range areas {
		for j := i + 1; j < len(areas); j++ {
			got := g.Shared(i, j)
			if !bounds[i].Intersects(bounds[j]) {
				if got != 0 {
					t.Errorf("%s and %s share %g m but their bounds do not meet", areas[i].code, areas[j].code, got)
				}
				continue
			}
			overlap, err := geom.Intersection(boundaries[i], boundaries[j])
			if err != nil {
				t.Fatalf("%s ∩ %s: %v", areas[i].code, areas[j].code, err)
			}
			want := overlap.Length()
			switch {
			case (want >= DefaultMinSharedMetres) != (got > 0):
				t.Errorf("%s %s and %s %s: Shared = %.3f m, simplefeatures overlap %.3f m",
					areas[i].code, areas[i].name, areas[j].code, areas[j].name, got, want)
			case got > 0 && math.Abs(got-want) > 0.005*want:
				t.Errorf("%s and %s: Shared = %.2f m, simplefeatures overlap %.2f m (want within 0.5%%)",
					areas[i].code, areas[j].code, got, want)
			case got == 0 && !overlap.IsEmpty():
				touches = append(touches, [2]int{i, j})
			}
		}
	}
	return touches
}

// toMetricSimple converts a lon/lat multipolygon to simplefeatures in a
// flat frame of metres on orb's sphere: equirectangular, true to scale at
// latitude 53.5° (Greater Manchester spans 53.33° to 53.69°, so east-west
// lengths are within 0.5% and most within 0.25%).
func toMetricSimple(mp orb.MultiPolygon) geom.Geometry {
	const lon0, lat0 = -2.25, 53.5
	kx := metresPerDegree * math.Cos(lat0*math.Pi/180)
	polys := make([]geom.Polygon, len(mp))
	for i, p := range mp {
		rings := make([]geom.LineString, len(p))
		for j, r := range p {
			flat := make([]float64, 0, 2*len(r))
			for _, pt := range r {
				flat = append(flat, (pt[0]-lon0)*kx, (pt[1]-lat0)*metresPerDegree)
			}
			rings[j] = geom.NewLineString(geom.NewSequence(flat, geom.DimXY))
		}
		polys[i] = geom.NewPolygon(rings)
	}
	return geom.NewMultiPolygon(polys).AsGeometry()
}

func BenchmarkBuildManchester(b *testing.B) {
	areas := geometries(manchesterWards(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Build(context.Background(), areas, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
