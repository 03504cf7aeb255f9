package demo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/placeteam/placeteam/geo/validity"
)

func TestTraceRegions(t *testing.T) {
	// A 6×6 lattice of 1 km cells with no jitter: cell (i, j) is column i
	// from the west, row j from the south. Each case marks some cells of
	// region 0.
	tests := []struct {
		name  string
		cells [][2]int
		rings []int // rings per polygon
	}{
		{"one cell", [][2]int{{2, 2}}, []int{1}},
		{"two cells in a row", [][2]int{{2, 2}, {3, 2}}, []int{1}},
		{"cells touching at a corner", [][2]int{{1, 1}, {2, 2}}, []int{1, 1}},
		{"ring around a hole", square(1, 1, 3, [][2]int{{2, 2}}), []int{2}},
		{"hole touching the outside at a corner", square(1, 1, 3, [][2]int{{2, 2}, {3, 3}}), []int{2}},
		{"island in a hole", append(square(0, 0, 5, [][2]int{{1, 1}, {2, 1}, {3, 1}, {1, 2}, {3, 2}, {1, 3}, {2, 3}, {3, 3}, {2, 2}}), [2]int{2, 2}), []int{2, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLattice(rand.New(rand.NewPCG(1, 1)), 6, 6, 1000, 0)
			label := make([]int32, l.cells())
			for c := range label {
				label[c] = -1
			}
			for _, ij := range tt.cells {
				label[l.cellAt(ij[0], ij[1])] = 0
			}
			got, err := l.traceRegions(label, 1)
			if err != nil {
				t.Fatal(err)
			}
			mp := got[0]
			if err := validity.MultiPolygon(mp); err != nil {
				t.Fatal(err)
			}
			if len(mp) != len(tt.rings) {
				t.Fatalf("%d polygons, want %d: %v", len(mp), len(tt.rings), mp)
			}
			for i, p := range mp {
				if len(p) != tt.rings[i] {
					t.Errorf("polygon %d has %d rings, want %d", i, len(p), tt.rings[i])
				}
				for k, r := range p {
					if want := map[bool]orb.Orientation{true: orb.CCW, false: orb.CW}[k == 0]; r.Orientation() != want {
						t.Errorf("polygon %d ring %d orientation %v, want %v", i, k, r.Orientation(), want)
					}
				}
			}
			// Output coordinates are rounded, so cells differ slightly in area.
			cell := planar.Area(orb.Polygon{ringOf(l, l.cellAt(0, 0))})
			if a := planar.Area(mp) / cell; math.Abs(a-float64(len(tt.cells))) > 1e-3*float64(len(tt.cells)) {
				t.Errorf("area is %.6f cells, want %d", a, len(tt.cells))
			}
		})
	}
}

// square lists the cells of a size×size block at (i0, j0) except those in
// without.
func square(i0, j0, size int, without [][2]int) [][2]int {
	skip := map[[2]int]bool{}
	for _, ij := range without {
		skip[ij] = true
	}
	var out [][2]int
	for j := j0; j < j0+size; j++ {
		for i := i0; i < i0+size; i++ {
			if !skip[[2]int{i, j}] {
				out = append(out, [2]int{i, j})
			}
		}
	}
	return out
}

func ringOf(l *lattice, c int) orb.Ring {
	var r orb.Ring
	for _, v := range l.corners(c) {
		r = append(r, l.vertexLL[v])
	}
	return append(r, r[0])
}

func TestTraceSharesVertices(t *testing.T) {
	// Two regions side by side on a jittered lattice: the vertices of their
	// common boundary are the same points in both.
	l := newLattice(rand.New(rand.NewPCG(3, 4)), 8, 8, 150, cellJitter)
	label := make([]int32, l.cells())
	for c := range label {
		i, j := l.ij(c)
		switch {
		case i == 0 || j == 0 || i == 7 || j == 7:
			label[c] = -1
		case i < 4:
			label[c] = 0
		default:
			label[c] = 1
		}
	}
	mp, err := l.traceRegions(label, 2)
	if err != nil {
		t.Fatal(err)
	}
	left := map[orb.Point]bool{}
	for _, p := range mp[0][0][0] {
		left[p] = true
	}
	shared := 0
	for _, p := range mp[1][0][0][:len(mp[1][0][0])-1] {
		if left[p] {
			shared++
		}
	}
	if shared != 7 { // a 6-cell edge has 7 vertices
		t.Errorf("regions share %d vertices, want 7", shared)
	}
	whole := planar.Area(mp[0]) + planar.Area(mp[1])
	label2 := make([]int32, len(label))
	for c, r := range label {
		label2[c] = min(r, 0)
	}
	union, err := l.traceRegions(label2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if a := planar.Area(union[0]); math.Abs(a-whole) > 1e-12*a {
		t.Errorf("parts sum to %.15g, whole is %.15g", whole, a)
	}
}

func TestLargestRemainder(t *testing.T) {
	tests := []struct {
		total  int
		shares []float64
		want   []int
	}{
		{10, []float64{0.5, 0.5}, []int{5, 5}},
		{10, []float64{0.25, 0.25, 0.5}, []int{3, 2, 5}}, // tie goes to the lower index
		{7, []float64{0.1, 0.2, 0.7}, []int{1, 1, 5}},
		{3, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, []int{1, 1, 1}},
		{0, []float64{0.4, 0.6}, []int{0, 0}},
	}
	for _, tt := range tests {
		got := largestRemainder(tt.total, tt.shares)
		sum := 0
		for i := range got {
			sum += got[i]
			if got[i] != tt.want[i] {
				t.Errorf("largestRemainder(%d, %v) = %v, want %v", tt.total, tt.shares, got, tt.want)
				break
			}
		}
		if sum != tt.total {
			t.Errorf("largestRemainder(%d, %v) sums to %d", tt.total, tt.shares, sum)
		}
	}
}
