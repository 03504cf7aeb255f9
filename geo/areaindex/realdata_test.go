package areaindex

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/data/realdata"
)

// readAreas loads a real boundary file, skipping when it is unavailable.
func readAreas(tb testing.TB, file, codeProperty string) []Area {
	tb.Helper()
	c, err := geojsonfile.ReadFile(realdata.File(tb, file), geojsonfile.Options{Want: geojsonfile.WantPolygons})
	if err != nil {
		tb.Fatal(err)
	}
	areas := make([]Area, 0, len(c.Features))
	for _, f := range c.Features {
		code, ok := f.String(codeProperty)
		if !ok {
			tb.Fatalf("feature %d has no %s", f.Index, codeProperty)
		}
		areas = append(areas, Area{Code: code, Geometry: f.Geometry.(orb.MultiPolygon)})
	}
	return areas
}

const (
	wardsFile = "boundaries/wards_2004_2018_manchester_wd13.geojson"
	lsoaFile  = "boundaries/lsoa_2011_manchester_and_neighbours.geojson"
)

// TestRealWards: every ward's interior point is strictly inside it and
// locates back to that ward.
func TestRealWards(t *testing.T) {
	wards := readAreas(t, wardsFile, "WD13CD")
	ix := New(wards)
	for _, w := range wards {
		p := InteriorPoint(w.Geometry)
		if !multiPolygonStrictlyContains(w.Geometry, p) {
			t.Errorf("%s: interior point %v is not strictly inside", w.Code, p)
		}
		if code, ok := ix.Locate(p); !ok || code != w.Code {
			t.Errorf("%s: Locate(interior point) = %q, %v", w.Code, code, ok)
		}
	}
}

// TestRealLSOAInteriorPoints runs InteriorPoint over 1,296 real, often
// concave, LSOA shapes.
func TestRealLSOAInteriorPoints(t *testing.T) {
	for _, a := range readAreas(t, lsoaFile, "area_code") {
		if p := InteriorPoint(a.Geometry); !multiPolygonStrictlyContains(a.Geometry, p) {
			t.Errorf("%s: interior point %v is not strictly inside", a.Code, p)
		}
	}
}

func multiPolygonStrictlyContains(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if polygonStrictlyContains(poly, p) {
			return true
		}
	}
	return false
}

// queryGrid spreads n×n points over the wards' bound (some fall outside).
func queryGrid(areas []Area, n int) []orb.Point {
	b := areas[0].Geometry.Bound()
	for _, a := range areas[1:] {
		b = b.Union(a.Geometry.Bound())
	}
	points := make([]orb.Point, 0, n*n)
	for i := range n {
		for j := range n {
			points = append(points, orb.Point{
				b.Min[0] + (b.Max[0]-b.Min[0])*(float64(i)+0.5)/float64(n),
				b.Min[1] + (b.Max[1]-b.Min[1])*(float64(j)+0.5)/float64(n),
			})
		}
	}
	return points
}

func BenchmarkLocate(b *testing.B) {
	wards := readAreas(b, wardsFile, "WD13CD")
	ix := New(wards)
	points := queryGrid(wards, 100)
	found := 0
	for _, p := range points {
		if _, ok := ix.Locate(p); ok {
			found++
		}
	}
	b.Logf("%d of %d grid points fall in a ward", found, len(points))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ix.Locate(points[i%len(points)])
		i++
	}
}

func BenchmarkInteriorPointLSOA(b *testing.B) {
	lsoas := readAreas(b, lsoaFile, "area_code")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		InteriorPoint(lsoas[i%len(lsoas)].Geometry)
		i++
	}
}
