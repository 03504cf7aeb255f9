package dissolve

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/geo/validity"

	"github.com/placeteam/placeteam/geo/sfgeom"
)

// checkOutput fails t unless g has the published shape: a Polygon or a
// MultiPolygon of at least two parts; rings closed, exteriors
// counter-clockwise and holes clockwise by signed area; geo/validity
// passes; and the whole is a valid OGC (Multi)Polygon, so parts neither
// overlap nor share edges.
func checkOutput(t testing.TB, g orb.Geometry) orb.MultiPolygon {
	t.Helper()
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		if len(g) < 2 {
			t.Errorf("MultiPolygon with %d part(s); one part must be a Polygon", len(g))
		}
		mp = g
	default:
		t.Fatalf("result is %T, want orb.Polygon or orb.MultiPolygon", g)
	}
	if err := validity.MultiPolygon(mp); err != nil {
		t.Errorf("geo/validity: %v", err)
	}
	polys := make([]geom.Polygon, len(mp))
	for i, p := range mp {
		for j, r := range p {
			if len(r) < 4 || r[0] != r[len(r)-1] {
				t.Errorf("part %d ring %d is not closed: %v", i, j, r)
				continue
			}
			area := signedArea(r)
			if j == 0 && area <= 0 {
				t.Errorf("part %d exterior has signed area %g, want > 0 (counter-clockwise)", i, area)
			}
			if j > 0 && area >= 0 {
				t.Errorf("part %d hole %d has signed area %g, want < 0 (clockwise)", i, j, area)
			}
		}
		polys[i] = sfgeom.Polygon(p)
	}
	if err := geom.NewMultiPolygon(polys).Validate(); err != nil {
		t.Errorf("result is not a valid OGC multipolygon: %v", err)
	}
	return mp
}

// holeCount is the number of interior rings over all parts.
func holeCount(mp orb.MultiPolygon) int {
	n := 0
	for _, p := range mp {
		n += len(p) - 1
	}
	return n
}

// planarArea sums polygonArea over the parts of a Polygon or MultiPolygon.
func planarArea(g orb.Geometry) float64 {
	switch g := g.(type) {
	case orb.Polygon:
		return polygonArea(g)
	case orb.MultiPolygon:
		sum := 0.0
		for _, p := range g {
			sum += polygonArea(p)
		}
		return sum
	}
	return math.NaN()
}

// checkArea fails t unless got is within relative tolerance rel of want.
func checkArea(t testing.TB, what string, got, want, rel float64) {
	t.Helper()
	if diff := math.Abs(got-want) / want; !(diff <= rel) {
		t.Errorf("%s: area %.9g, want %.9g within %.4g%% (off by %.5f%%)", what, got, want, rel*100, diff*100)
	}
}

// readParts reads the polygons of a GeoJSON fixture.
func readParts(t testing.TB, path string) []orb.MultiPolygon {
	t.Helper()
	c, err := geojsonfile.ReadFile(path, geojsonfile.Options{Want: geojsonfile.WantPolygons})
	if err != nil {
		t.Fatal(err)
	}
	parts := make([]orb.MultiPolygon, len(c.Features))
	for i, f := range c.Features {
		parts[i] = f.Geometry.(orb.MultiPolygon)
	}
	return parts
}
