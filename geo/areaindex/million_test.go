package areaindex

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// millionPoints and millionSeed fix the point set shared with
// scripts/pipbench (run with -n 1000000 -seed 1), which repeats
// randomPoints so the PostGIS comparison uses these very points.
const (
	millionPoints = 1_000_000
	millionSeed   = 1
)

// randomPoints returns n points uniform in bound from a PCG seeded with
// (seed, seed): x then y for each point. Any n gives a prefix of the same
// sequence.
func randomPoints(bound orb.Bound, n int, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, seed))
	width, height := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	points := make([]orb.Point, n)
	for i := range points {
		points[i] = orb.Point{bound.Min[0] + rng.Float64()*width, bound.Min[1] + rng.Float64()*height}
	}
	return points
}

// areasBound is the bounding box of all areas.
func areasBound(areas []Area) orb.Bound {
	b := areas[0].Geometry.Bound()
	for _, a := range areas[1:] {
		b = b.Union(a.Geometry.Bound())
	}
	return b
}

// BenchmarkLocateMillionManchester locates one million random points over
// the Manchester wards per iteration; points/s is the headline number that
// scripts/bench-postgis.sh compares with PostGIS.
func BenchmarkLocateMillionManchester(b *testing.B) {
	wards := readAreas(b, wardsFile, "WD13CD")
	plain := New(wards)
	points := randomPoints(areasBound(wards), millionPoints, millionSeed)
	found := 0
	for _, p := range points {
		if _, ok := plain.Locate(p); ok {
			found++
		}
	}
	b.Logf("%d of %d random points fall in one of %d wards", found, len(points), len(wards))
	for _, c := range []struct {
		name string
		ix   *Index
	}{{"rtree", plain}, {"grid", plain.Accelerated(0)}, {"grid-262k", plain.Accelerated(1 << 18)}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			loops := 0
			for b.Loop() {
				for _, p := range points {
					c.ix.Locate(p)
				}
				loops++
			}
			b.ReportMetric(float64(loops*len(points))/b.Elapsed().Seconds(), "points/s")
		})
	}
}

// TestMillionPointsAgreeWithBruteForce checks the first 20,000 benchmark
// points against orb/planar over every ward. Random float points almost
// surely miss every edge, where the two tests may differ by design, so the
// answers must be equal; with overlapping wards both take the lowest code.
func TestMillionPointsAgreeWithBruteForce(t *testing.T) {
	wards := readAreas(t, wardsFile, "WD13CD")
	ix := New(wards)
	byCode := slices.Clone(wards) // brute force walks the wards in code order
	slices.SortFunc(byCode, func(a, b Area) int { return strings.Compare(a.Code, b.Code) })

	found, overlaps := 0, 0
	for i, p := range randomPoints(areasBound(wards), 20_000, millionSeed) {
		want, in := "", 0
		for _, w := range byCode {
			if planar.MultiPolygonContains(w.Geometry, p) {
				if in == 0 {
					want = w.Code
				}
				in++
			}
		}
		if in > 1 {
			overlaps++
		}
		got, ok := ix.Locate(p)
		if got != want || ok != (want != "") {
			t.Fatalf("point %d %v: Locate = %q, %v; brute force says %q", i, p, got, ok, want)
		}
		if ok {
			found++
		}
	}
	t.Logf("20000 points: %d in a ward, %d in more than one", found, overlaps)
}
