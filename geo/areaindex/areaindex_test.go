package areaindex

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func square(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func reversed(r orb.Ring) orb.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

func TestLocate(t *testing.T) {
	// Two unit squares side by side. The right one has the lower code, so
	// the tie-break visibly follows the code, not the input order.
	left := Area{Code: "E05000002", Geometry: orb.MultiPolygon{{square(0, 0, 1, 1)}}}
	right := Area{Code: "E05000001", Geometry: orb.MultiPolygon{{reversed(square(1, 0, 2, 1))}}}
	// A frame with a hole, an island filling the hole, and a two-part area.
	frame := Area{Code: "F2", Geometry: orb.MultiPolygon{{square(10, 0, 13, 3), square(11, 1, 12, 2)}}}
	island := Area{Code: "F1", Geometry: orb.MultiPolygon{{square(11, 1, 12, 2)}}}
	twoParts := Area{Code: "M1", Geometry: orb.MultiPolygon{{square(20, 0, 21, 1)}, {square(30, 0, 31, 1)}}}
	empty := Area{Code: "A0"}
	broken := Area{Code: "A1", Geometry: orb.MultiPolygon{{{{math.NaN(), 0}, {1, 0}, {1, 1}, {math.NaN(), 0}}}}}
	ix := New([]Area{left, right, frame, island, twoParts, empty, broken})

	tests := []struct {
		name string
		p    orb.Point
		all  []string // LocateAll; Locate must return all[0]
	}{
		{"inside left", orb.Point{0.5, 0.5}, []string{"E05000002"}},
		{"inside right", orb.Point{1.5, 0.5}, []string{"E05000001"}},
		{"on shared edge", orb.Point{1, 0.5}, []string{"E05000001", "E05000002"}},
		{"on shared vertex", orb.Point{1, 1}, []string{"E05000001", "E05000002"}},
		{"on shared bottom vertex", orb.Point{1, 0}, []string{"E05000001", "E05000002"}},
		{"on outer edge", orb.Point{0, 0.5}, []string{"E05000002"}},
		{"on outer corner", orb.Point{0, 0}, []string{"E05000002"}},
		{"on top edge", orb.Point{0.5, 1}, []string{"E05000002"}},
		{"just outside", orb.Point{-1e-12, 0.5}, nil},
		{"outside bounds", orb.Point{5, 5}, nil},
		{"level with an edge but outside", orb.Point{3, 1}, nil},
		{"in frame", orb.Point{10.5, 1.5}, []string{"F2"}},
		{"in hole, filled by island", orb.Point{11.5, 1.5}, []string{"F1"}},
		{"on hole ring", orb.Point{11, 1.5}, []string{"F1", "F2"}},
		{"on hole corner", orb.Point{12, 2}, []string{"F1", "F2"}},
		{"first part", orb.Point{20.5, 0.5}, []string{"M1"}},
		{"second part", orb.Point{30.5, 0.5}, []string{"M1"}},
		{"between parts", orb.Point{25, 0.5}, nil},
		{"zero point", orb.Point{}, []string{"E05000002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := ix.LocateAll(tt.p)
			if !slices.Equal(all, tt.all) {
				t.Errorf("LocateAll(%v) = %v, want %v", tt.p, all, tt.all)
			}
			code, ok := ix.Locate(tt.p)
			if ok != (len(tt.all) > 0) || (ok && code != tt.all[0]) {
				t.Errorf("Locate(%v) = %q, %v; want %v", tt.p, code, ok, tt.all)
			}
		})
	}
	if ix.Len() != 7 {
		t.Errorf("Len = %d", ix.Len())
	}
}

func TestHoleWithoutIsland(t *testing.T) {
	ix := New([]Area{{Code: "D", Geometry: orb.MultiPolygon{{square(0, 0, 3, 3), reversed(square(1, 1, 2, 2))}}}})
	for _, tt := range []struct {
		p    orb.Point
		want bool
	}{
		{orb.Point{1.5, 1.5}, false}, // in the hole
		{orb.Point{1, 1.5}, true},    // on the hole's ring: boundary is inside
		{orb.Point{0.5, 1.5}, true},
		{orb.Point{2.5, 2.5}, true},
	} {
		if _, ok := ix.Locate(tt.p); ok != tt.want {
			t.Errorf("Locate(%v) ok = %v, want %v", tt.p, ok, tt.want)
		}
	}
}

// TestSharedDiagonalEdge checks the consistency promise on an edge whose
// points are not exactly representable: every point of the union is in at
// least one of the two areas, and a point rounding puts off the edge is in
// exactly one.
func TestSharedDiagonalEdge(t *testing.T) {
	a, b, c, d := orb.Point{-2.3, 53.4}, orb.Point{-2.1, 53.5}, orb.Point{-2.3, 53.5}, orb.Point{-2.1, 53.4}
	ix := New([]Area{
		{Code: "upper", Geometry: orb.MultiPolygon{{{a, b, c, a}}}},
		{Code: "lower", Geometry: orb.MultiPolygon{{{a, d, b, a}}}},
	})
	rng := rand.New(rand.NewPCG(1, 2))
	onEdge := 0
	for range 100_000 {
		// Points on (or within rounding of) the diagonal a-b.
		f := rng.Float64()
		p := orb.Point{a[0] + f*(b[0]-a[0]), a[1] + f*(b[1]-a[1])}
		switch all := ix.LocateAll(p); len(all) {
		case 0:
			t.Fatalf("%v is in neither area", p)
		case 2:
			onEdge++
			if code, _ := ix.Locate(p); code != "lower" {
				t.Fatalf("Locate(%v) = %q, want the lower code", p, code)
			}
		}
	}
	t.Logf("%d of 100000 interpolated points classified as exactly on the edge", onEdge)
}

// TestAgreesWithOrbAwayFromBoundaries compares the inclusive test with
// orb/planar on random points, which almost surely miss every edge.
func TestAgreesWithOrbAwayFromBoundaries(t *testing.T) {
	poly := orb.Polygon{
		{{0, 0}, {10, 0}, {10, 10}, {6, 10}, {6, 3}, {4, 3}, {4, 10}, {0, 10}, {0, 0}},
		{{1, 1}, {2, 1}, {2, 2}, {1, 1}},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20_000 {
		p := orb.Point{rng.Float64()*12 - 1, rng.Float64()*12 - 1}
		if got, want := polygonContains(poly, p), planar.PolygonContains(poly, p); got != want {
			t.Fatalf("polygonContains(%v) = %v, orb says %v", p, got, want)
		}
	}
}

func TestNewDoesNotReorderInput(t *testing.T) {
	areas := []Area{{Code: "b"}, {Code: "a"}}
	New(areas)
	if areas[0].Code != "b" {
		t.Fatal("New sorted the caller's slice")
	}
}

func TestConcurrentLocate(t *testing.T) {
	ix := New([]Area{
		{Code: "a", Geometry: orb.MultiPolygon{{square(0, 0, 1, 1)}}},
		{Code: "b", Geometry: orb.MultiPolygon{{square(1, 0, 2, 1)}}},
	})
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			for i := range 1000 {
				p := orb.Point{float64((i+g)%200) / 100, 0.5}
				code, found := ix.Locate(p)
				ok = ok && found && (code == "a") == (p[0] <= 1) // x = 1 is shared: lowest code
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Error("concurrent Locate gave a wrong answer")
		}
	}
}
