package sfgeom

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// TestPolygon: a polygon with a hole keeps its rings and its area.
func TestPolygon(t *testing.T) {
	p := orb.Polygon{
		{{0, 0}, {4, 0}, {4, 3}, {0, 3}, {0, 0}},
		{{1, 1}, {1, 2}, {2, 2}, {2, 1}, {1, 1}},
	}
	g := Polygon(p)
	if n := g.NumInteriorRings(); n != 1 {
		t.Fatalf("%d holes, want 1", n)
	}
	if got, want := g.Area(), planar.Area(p); math.Abs(got-want) > 1e-12 {
		t.Errorf("area %v, want %v", got, want)
	}
	if err := g.Validate(); err != nil {
		t.Errorf("valid polygon reported invalid: %v", err)
	}
}
