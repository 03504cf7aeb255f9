package overlap

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func square(x0, y0, x1, y1 float64) orb.Polygon {
	return orb.Polygon{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}
}

func TestArea(t *testing.T) {
	unit := orb.MultiPolygon{square(0, 0, 1, 1)}
	holed := orb.MultiPolygon{{
		{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
		{{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}},
	}}
	tests := []struct {
		name string
		a, b orb.MultiPolygon
		want float64
	}{
		{"half", unit, orb.MultiPolygon{square(0.5, -1, 2, 2)}, 0.5},
		{"inside", unit, orb.MultiPolygon{square(-1, -1, 2, 2)}, 1},
		{"disjoint", unit, orb.MultiPolygon{square(2, 2, 3, 3)}, 0},
		{"touching edge", unit, orb.MultiPolygon{square(1, 0, 2, 1)}, 0},
		{"two parts", orb.MultiPolygon{square(0, 0, 1, 1), square(2, 0, 3, 1)}, orb.MultiPolygon{square(0.5, 0, 2.5, 1)}, 1},
		{"hole excluded", holed, orb.MultiPolygon{square(0, 0, 2, 2)}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, exact := Area(tt.a, tt.b)
			if !exact {
				t.Errorf("not exact")
			}
			if math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("Area = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSampledAgreesWithExact(t *testing.T) {
	a := orb.MultiPolygon{{{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {0, 3}, {0, 0}}}} // an L, area 5
	b := orb.MultiPolygon{square(0.5, 0.5, 2.5, 2.5)}
	exact, _ := Area(a, b)
	sampled := Sampled(a, b, 400)
	if math.Abs(exact-sampled) > 0.02*exact {
		t.Errorf("sampled %v, exact %v", sampled, exact)
	}
	if Sampled(a, b, 0) != 0 || Sampled(nil, b, 10) != 0 {
		t.Errorf("empty inputs should give 0")
	}
}

func TestAreaSelfTouchingRingFallsBack(t *testing.T) {
	// A bow tie: the ring crosses itself, which the overlay may refuse.
	bow := orb.MultiPolygon{{{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}}}
	got, _ := Area(bow, orb.MultiPolygon{square(-1, -1, 3, 3)})
	if math.IsNaN(got) || got < 0 {
		t.Errorf("Area = %v", got)
	}
}
