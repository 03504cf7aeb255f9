package adjacency

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// irregularGrid returns cols × rows cells of about 660 m × 670 m, numbered
// row by row from the south-west. Corners are moved by up to a tenth of a
// cell and each side wiggles smoothly through perSide segments, so a cell has
// 4 × perSide vertices; neighbours share every side vertex for vertex.
// With noisy, every cell moves its own copy of each vertex by up to 1e-9°,
// so that no two cells share a vertex exactly.
func irregularGrid(cols, rows, perSide int, noise bool) []orb.MultiPolygon {
	const width, height = 0.01, 0.006 // degrees
	// unitHash is a deterministic value in [-1, 1] for a side vertex.
	unitHash := func(a, b, c, d int) float64 {
		h := uint64(a)*0x9e3779b97f4a7c15 ^ uint64(b)*0xc2b2ae3d27d4eb4f ^ uint64(c)*0x165667b19e3779f9 ^ uint64(d)*0x27d4eb2f165667c5
		h ^= h >> 31
		h *= 0xff51afd7ed558ccd
		h ^= h >> 29
		return float64(h%20001)/10000 - 1
	}
	corner := func(c, r int) orb.Point {
		return orb.Point{
			-2.7 + (float64(c)+0.1*unitHash(c, r, 0, 0))*width,
			53.2 + (float64(r)+0.1*unitHash(c, r, 0, 1))*height,
		}
	}
	// side runs from corner (c, r) east (horizontal) or north, wiggling
	// across its line in two waves with phases of its own, plus a little
	// jitter at each vertex.
	side := func(c, r int, horizontal bool) []orb.Point {
		from, to := corner(c, r), corner(c, r+1)
		across, amplitude, kind := 0, 0.1*width, 2
		if horizontal {
			to = corner(c+1, r)
			across, amplitude, kind = 1, 0.1*height, 3
		}
		phase1, phase2 := math.Pi*unitHash(c, r, -1, kind), math.Pi*unitHash(c, r, -2, kind)
		points := make([]orb.Point, perSide+1)
		for k := range points {
			f := float64(k) / float64(perSide)
			p := orb.Point{from[0] + f*(to[0]-from[0]), from[1] + f*(to[1]-from[1])}
			wave := 0.6*math.Sin(4*math.Pi*f+phase1) + 0.4*math.Sin(10*math.Pi*f+phase2) + 0.05*unitHash(c, r, k, kind)
			p[across] += amplitude * math.Sin(math.Pi*f) * wave
			points[k] = p
		}
		return points
	}
	cells := make([]orb.MultiPolygon, 0, cols*rows)
	for r := range rows {
		for c := range cols {
			bottom, right := side(c, r, true), side(c+1, r, false)
			top, left := side(c, r+1, true), side(c, r, false)
			slices.Reverse(top)
			slices.Reverse(left)
			ring := make(orb.Ring, 0, 4*perSide+1)
			for _, s := range [][]orb.Point{bottom, right, top, left} {
				ring = append(ring, s[:perSide]...)
			}
			ring = append(ring, ring[0])
			cell := orb.MultiPolygon{{ring}}
			if noise {
				cell = noisy(cell, uint64(len(cells)+1))
			}
			cells = append(cells, cell)
		}
	}
	return cells
}

// TestIrregularGrid: the irregular cells are rook neighbours of the cells
// east, west, north and south, whether or not their vertices are shared
// exactly, the shared lengths agree between the two, and a build gives
// the same lengths, to the bit, however its goroutines are scheduled.
func TestIrregularGrid(t *testing.T) {
	const cols, rows, perSide = 12, 10, 25
	exact, err := Build(context.Background(), irregularGrid(cols, rows, perSide, false), Options{})
	if err != nil {
		t.Fatal(err)
	}
	noisyGraph, err := Build(context.Background(), irregularGrid(cols, rows, perSide, true), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]*Graph{"shared vertices": exact, "noisy": noisyGraph} {
		for r := range rows {
			for c := range cols {
				i := r*cols + c
				var want []int
				if r > 0 {
					want = append(want, i-cols)
				}
				if c > 0 {
					want = append(want, i-1)
				}
				if c < cols-1 {
					want = append(want, i+1)
				}
				if r < rows-1 {
					want = append(want, i+cols)
				}
				if got := g.Neighbours(i); !slices.Equal(got, want) {
					t.Errorf("%s: Neighbours(%d) = %v, want %v", name, i, got, want)
				}
			}
		}
	}
	again, err := Build(context.Background(), irregularGrid(cols, rows, perSide, true), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(again.Edges(), noisyGraph.Edges()) {
		t.Error("two builds of the same areas differ")
	}
	for _, e := range exact.Edges() {
		if n := noisyGraph.Shared(e.A, e.B); math.Abs(n-e.SharedMetres) > 1e-5*e.SharedMetres {
			t.Errorf("cells %d and %d share %.4f m exactly, %.4f m with noise", e.A, e.B, e.SharedMetres, n)
		}
	}
}
