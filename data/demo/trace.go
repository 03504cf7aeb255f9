package demo

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

var errTrace = errors.New("cannot trace boundaries")

// traceRegions returns the boundary of every region of a labelling of the
// lattice's cells (label[c] is the region of cell c, or -1 for none) as a
// multipolygon per region.
//
// A boundary edge is a cell side whose neighbour has another label; it is
// walked with its region on the left, so exterior rings come out
// counter-clockwise and holes clockwise. Where two cells of a region touch
// only at a corner (a pinch), the walk turns left, keeping to the cell it is
// on; a walk that still visits a vertex twice is split there into simple
// rings that touch at that vertex. Every vertex is a lattice vertex, so the
// rings of adjacent regions share their common vertices exactly, and no
// vertex is dropped on either side.
func (l *lattice) traceRegions(label []int32, regions int) ([]orb.MultiPolygon, error) {
	at := func(c int) int32 {
		if c < 0 {
			return -1
		}
		return label[c]
	}
	isBoundary := func(c, s int) bool { return at(l.neighbour(c, s)) != label[c] }

	loops := make([][][]int, regions) // region → walks of vertex indices
	visited := make([]uint8, l.cells())
	for c0 := range l.cells() {
		r := label[c0]
		if r < 0 {
			continue
		}
		for s0 := range 4 {
			if visited[c0]&(1<<s0) != 0 || !isBoundary(c0, s0) {
				continue
			}
			var walk []int
			c, s := c0, s0
			for {
				visited[c] |= 1 << s
				walk = append(walk, l.corners(c)[s])
				c, s = l.nextEdge(c, s, at)
				if c == c0 && s == s0 {
					break
				}
				if visited[c]&(1<<s) != 0 {
					return nil, fmt.Errorf("%w: region %d: walk from cell %d side %d does not close", errTrace, r, c0, s0)
				}
			}
			loops[r] = append(loops[r], walk)
		}
	}

	out := make([]orb.MultiPolygon, regions)
	for r, walks := range loops {
		var rings [][]int
		for _, w := range walks {
			rings = append(rings, splitAtRepeats(w)...)
		}
		mp, err := l.assemble(rings)
		if err != nil {
			return nil, fmt.Errorf("%w: region %d: %w", errTrace, r, err)
		}
		out[r] = mp
	}
	return out, nil
}

// nextEdge follows the boundary from side s of cell c (its region on the
// left) to the next boundary side, preferring a left turn, then straight on,
// then a right turn.
func (l *lattice) nextEdge(c, s int, at func(int) int32) (int, int) {
	r := at(c)
	i, j := l.ij(c)
	d := step[s]
	ahead := l.cellAt(i+d[0], j+d[1]) // across side s+1 of c
	if at(ahead) != r {
		return c, (s + 1) % 4
	}
	if at(l.neighbour(ahead, s)) != r {
		return ahead, s
	}
	return l.neighbour(ahead, s), (s + 3) % 4
}

// splitAtRepeats splits a closed walk of vertices into simple closed walks:
// whenever a vertex recurs, the loop since its last visit is cut off.
func splitAtRepeats(walk []int) [][]int {
	var out [][]int
	stack := make([]int, 0, len(walk))
	pos := make(map[int]int, len(walk))
	for _, v := range walk {
		if p, ok := pos[v]; ok {
			loop := append([]int(nil), stack[p:]...)
			out = append(out, loop)
			for _, w := range stack[p:] {
				delete(pos, w)
			}
			stack = stack[:p]
		}
		pos[v] = len(stack)
		stack = append(stack, v)
	}
	return append(out, stack)
}

// assemble turns simple closed walks into polygons: counter-clockwise walks
// are exteriors, clockwise ones holes, each hole placed in the smallest
// exterior that contains it.
func (l *lattice) assemble(walks [][]int) (orb.MultiPolygon, error) {
	type shell struct {
		ring orb.Ring
		area float64
		poly int
	}
	var shells []shell
	var holes []orb.Ring
	for _, w := range walks {
		ring := make(orb.Ring, 0, len(w)+1)
		for _, v := range w {
			ring = append(ring, l.vertexLL[v])
		}
		ring = append(ring, ring[0])
		switch a := signedArea(ring); {
		case a > 0:
			shells = append(shells, shell{ring: ring, area: a})
		case a < 0:
			holes = append(holes, ring)
		default:
			return nil, fmt.Errorf("ring of %d vertices has zero area", len(w))
		}
	}
	mp := make(orb.MultiPolygon, len(shells))
	for i, s := range shells {
		mp[i] = orb.Polygon{s.ring}
	}
	for _, h := range holes {
		// The midpoint of a hole's edge lies on no other ring (rings share
		// vertices, never edges), so it is strictly inside its exterior.
		probe := orb.Point{(h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2}
		best := -1
		for i, s := range shells {
			if planar.RingContains(s.ring, probe) && (best < 0 || s.area < shells[best].area) {
				best = i
			}
		}
		if best < 0 {
			return nil, errors.New("hole outside every exterior ring")
		}
		mp[best] = append(mp[best], h)
	}
	return mp, nil
}

// signedArea is the shoelace area of a closed ring, positive when
// counter-clockwise.
func signedArea(r orb.Ring) float64 {
	var a float64
	o := r[0]
	for i := 1; i < len(r)-1; i++ {
		a += (r[i][0]-o[0])*(r[i+1][1]-o[1]) - (r[i+1][0]-o[0])*(r[i][1]-o[1])
	}
	if math.IsNaN(a) {
		return 0
	}
	return a / 2
}
