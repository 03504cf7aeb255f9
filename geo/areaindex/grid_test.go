package areaindex

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
)

// sameAnswers checks that the accelerated index answers every point as
// the plain one does, and reports how many the grid answered alone.
func sameAnswers(t *testing.T, plain, fast *Index, points []orb.Point) {
	t.Helper()
	direct := 0
	for _, p := range points {
		want, wantOK := plain.Locate(p)
		got, gotOK := fast.Locate(p)
		if got != want || gotOK != wantOK {
			t.Fatalf("point %v: accelerated %q %v, plain %q %v", p, got, gotOK, want, wantOK)
		}
		if fast.grid.lookup(p) != cellBoundary {
			direct++
		}
	}
	t.Logf("%d points, %d answered by the grid alone", len(points), direct)
}

// probes are points on and next to every vertex and edge midpoint of the
// areas, where a grid cell's classification would go wrong first.
func probes(areas []Area) []orb.Point {
	var out []orb.Point
	for _, a := range areas {
		for _, poly := range a.Geometry {
			for _, ring := range poly {
				for i, v := range ring {
					out = append(out, v, orb.Point{math.Nextafter(v[0], math.Inf(1)), v[1]}, orb.Point{v[0], math.Nextafter(v[1], math.Inf(-1))},
						orb.Point{v[0] + 1e-9, v[1] - 1e-9})
					if i > 0 {
						m := orb.Point{(v[0] + ring[i-1][0]) / 2, (v[1] + ring[i-1][1]) / 2}
						out = append(out, m, orb.Point{m[0] + 1e-10, m[1]}, orb.Point{m[0], m[1] + 1e-10})
					}
				}
			}
		}
	}
	return out
}

// TestGridOnGridLines: four unit squares whose shared edges lie exactly on
// the grid's cell edges (a 4 × 4 grid over [0,2]²), and a hole: points on
// the edges, the shared vertex and the hole's ring get Locate's answers.
func TestGridOnGridLines(t *testing.T) {
	sq := func(x, y float64) orb.Polygon {
		return orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}
	}
	holed := sq(1, 1)
	holed = append(holed, orb.Ring{{1.25, 1.25}, {1.25, 1.75}, {1.75, 1.75}, {1.75, 1.25}, {1.25, 1.25}})
	areas := []Area{
		{Code: "D", Geometry: orb.MultiPolygon{sq(0, 0)}},
		{Code: "B", Geometry: orb.MultiPolygon{sq(1, 0)}},
		{Code: "C", Geometry: orb.MultiPolygon{sq(0, 1)}},
		{Code: "A", Geometry: orb.MultiPolygon{holed}},
	}
	plain := New(areas)
	fast := plain.Accelerated(16)
	var points []orb.Point
	for x := -0.25; x <= 2.25; x += 0.125 {
		for y := -0.25; y <= 2.25; y += 0.125 {
			points = append(points, orb.Point{x, y})
		}
	}
	points = append(points, probes(areas)...)
	sameAnswers(t, plain, fast, points)
	if code, ok := fast.Locate(orb.Point{1, 1}); !ok || code != "A" {
		t.Errorf("the vertex four squares share: %q %v, want A (lowest code)", code, ok)
	}
	if _, ok := fast.Locate(orb.Point{1.5, 1.5}); ok {
		t.Error("a point in the hole was located")
	}
	if _, ok := fast.Locate(orb.Point{math.NaN(), 1}); ok {
		t.Error("NaN was located")
	}
}

// TestGridManchester: the accelerated index agrees with the plain one on
// Manchester's wards and LSOAs at random points over and around them and at
// every vertex and edge midpoint (and next to them), and answers most
// random points without a search.
func TestGridManchester(t *testing.T) {
	for _, c := range []struct{ file, code string }{{wardsFile, "WD13CD"}, {lsoaFile, "area_code"}} {
		t.Run(c.file, func(t *testing.T) {
			areas := readAreas(t, c.file, c.code)
			plain := New(areas)
			fast := plain.Accelerated(0)
			b := areasBound(areas)
			pad := orb.Bound{Min: orb.Point{b.Min[0] - 0.01, b.Min[1] - 0.01}, Max: orb.Point{b.Max[0] + 0.01, b.Max[1] + 0.01}}
			points := randomPoints(pad, 200_000, 7)
			direct := 0
			for _, p := range points {
				if fast.grid.lookup(p) != cellBoundary {
					direct++
				}
			}
			if direct < len(points)/2 {
				t.Errorf("the grid answers only %d of %d random points alone", direct, len(points))
			}
			rng := rand.New(rand.NewPCG(3, 4))
			all := append(points, probes(areas)...)
			for range 10_000 { // points on grid lines
				c, r := rng.IntN(fast.grid.cols+1), rng.IntN(fast.grid.rows+1)
				all = append(all, orb.Point{fast.grid.bound.Min[0] + float64(c)*fast.grid.cellW, fast.grid.bound.Min[1] + float64(r)*fast.grid.cellH})
			}
			sameAnswers(t, plain, fast, all)
		})
	}
}

// BenchmarkAccelerate is the cost of building the grid over Manchester's
// LSOAs (and its neighbours': 1,296 areas).
func BenchmarkAccelerate(b *testing.B) {
	ix := New(readAreas(b, lsoaFile, "area_code"))
	for b.Loop() {
		ix.Accelerated(0)
	}
}

// TestGridDegenerate: a one-point area, a hole with a vertex far beyond
// the grid (and one with NaN), and a very thin strip of areas get the
// plain index's answers.
func TestGridDegenerate(t *testing.T) {
	sq := func(x0, y0, x1, y1 float64) orb.Ring {
		return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
	}
	cases := map[string][]Area{
		"one-point ring": {
			{Code: "B", Geometry: orb.MultiPolygon{{sq(0, 0, 2, 2)}}},
			{Code: "A", Geometry: orb.MultiPolygon{{{{1.3, 1.3}}}}},
		},
		"far hole vertex": {
			{Code: "A", Geometry: orb.MultiPolygon{{sq(0, 0, 2, 2), {{0.5, 0.5}, {0.6, 1e300}, {0.7, 0.5}, {0.5, 0.5}}}}},
		},
		"NaN hole vertex": {
			{Code: "A", Geometry: orb.MultiPolygon{{sq(0, 0, 2, 2), {{0.5, 0.5}, {0.6, math.NaN()}, {0.7, 0.5}, {0.5, 0.5}}}}},
		},
		"thin strip": {
			{Code: "A", Geometry: orb.MultiPolygon{{sq(0, 0, 1e6, 1e-6)}}},
			{Code: "B", Geometry: orb.MultiPolygon{{sq(1e6, 0, 2e6, 1e-6)}}},
		},
	}
	for name, areas := range cases {
		t.Run(name, func(t *testing.T) {
			plain := New(areas)
			fast := plain.Accelerated(4096)
			if fast.grid != nil && len(fast.grid.cells) > 4096 {
				t.Errorf("%d cells, asked for 4096", len(fast.grid.cells))
			}
			b := areasBound(areas)
			if math.IsInf(b.Max[1], 0) || b.Max[1] > 10 {
				b.Max[1] = 2
			}
			points := randomPoints(b, 20_000, 5)
			points = append(points, orb.Point{1.3, 1.3}, orb.Point{1e6, 5e-7}, orb.Point{0.6, 0.55})
			points = append(points, probes(areas)...)
			if fast.grid == nil {
				t.Skip("no grid for these bounds")
			}
			sameAnswers(t, plain, fast, points)
		})
	}
}
