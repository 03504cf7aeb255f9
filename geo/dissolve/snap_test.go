package dissolve

import (
	"context"
	"testing"

	"github.com/paulmach/orb"
)

func TestSnap(t *testing.T) {
	const tol = 1e-5
	tests := []struct {
		name string
		in   [][]orb.Point // one exterior ring per polygon, open
		want [][]orb.Point
	}{
		{
			name: "vertex within tolerance moves onto the earlier polygon's vertex",
			in:   [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{1 + 6e-6, 0}, {2, 0}, {2, 1}, {1 - 3e-6, 1 + 4e-6}}},
			want: [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{1, 0}, {2, 0}, {2, 1}, {1, 1}}},
		},
		{
			name: "vertex beyond tolerance stays",
			in:   [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{1 + 2e-5, 0}, {2, 0}, {2, 1}, {1 + 2e-5, 1}}},
			want: [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{1 + 2e-5, 0}, {2, 0}, {2, 1}, {1 + 2e-5, 1}}},
		},
		{
			name: "vertices of one polygon never snap to each other",
			in:   [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {1 - 5e-6, 1}, {0, 1}}},
			want: [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {1 - 5e-6, 1}, {0, 1}}},
		},
		{
			name: "extra vertices near an edge are inserted into it, in order",
			in: [][]orb.Point{
				{{0, 0}, {1, 0}, {1 + 3e-6, 0.25}, {1 - 2e-6, 0.75}, {1, 1}, {0, 1}},
				{{1, 0}, {2, 0}, {2, 1}, {1, 1}},
			},
			want: [][]orb.Point{
				{{0, 0}, {1, 0}, {1 + 3e-6, 0.25}, {1 - 2e-6, 0.75}, {1, 1}, {0, 1}},
				{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1 - 2e-6, 0.75}, {1 + 3e-6, 0.25}},
			},
		},
		{
			name: "a corner near another polygon's edge becomes a T-junction",
			in:   [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{1 + 5e-6, -1}, {2, -1}, {2, 2}, {1 + 5e-6, 2}}},
			want: [][]orb.Point{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}, {{1 + 5e-6, -1}, {2, -1}, {2, 2}, {1 + 5e-6, 2}, {1, 1}, {1, 0}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			polys := make([]polygon, len(tt.in))
			for i, r := range tt.in {
				polys[i] = polygon{part: i, rings: [][]orb.Point{r}}
			}
			got, err := snap(context.Background(), polys, tol)
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.want {
				if !orb.Equal(orb.LineString(got[i].rings[0]), orb.LineString(tt.want[i])) {
					t.Errorf("polygon %d: %v, want %v", i, got[i].rings[0], tt.want[i])
				}
			}
			if !orb.Equal(orb.LineString(polys[0].rings[0]), orb.LineString(tt.in[0])) {
				t.Errorf("snap changed its input")
			}
		})
	}
}

// A polygon narrower than the tolerance can fold onto itself when snapped:
// here both walls of a 4e-6° channel snap onto the neighbour's vertex at
// its mouth. Union must notice and dissolve that polygon as it was.
func TestUnionFallsBackWhenSnappingFolds(t *testing.T) {
	left := orb.Polygon{{{-2, -1}, {-1, -1}, {-1, 0}, {-1, 1}, {-2, 1}, {-2, -1}}}
	channelled := orb.Polygon{{
		{-1, -1}, {1, -1}, {1, 1}, {-1, 1},
		{-1, 2e-6}, {-0.5, 2e-6}, {-0.5, 0.5}, {0.5, 0.5}, {0.5, -0.5}, {-0.5, -0.5}, {-0.5, -2e-6}, {-1, -2e-6},
		{-1, -1},
	}}
	parts := []orb.MultiPolygon{{left}, {channelled}}

	polys, err := collect(parts)
	if err != nil {
		t.Fatal(err)
	}
	snapped, err := snap(context.Background(), polys, DefaultSnapTolerance)
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := snapped[1].orb(DefaultSnapTolerance); ok && validPolygon(p) == nil {
		t.Fatalf("snapped polygon is still valid, so this test no longer reaches the fallback: %v", p)
	}

	g, err := Union(context.Background(), parts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mp := checkOutput(t, g)
	if len(mp) != 1 || holeCount(mp) != 1 {
		t.Errorf("%d parts and %d holes, want 1 part whose hole is the closed-off room and channel", len(mp), holeCount(mp))
	}
	checkArea(t, "fallback", planarArea(g), planarArea(orb.MultiPolygon{left, channelled}), 1e-9)
}
