package adjacency

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// boundaries holds every ring of every area as one flat run of vertices,
// area by area: area a's vertices are points[start[a]:start[a+1]]. Segment g
// runs from points[g] to points[g+1]; it exists when area[g] is not
// noSegment (the last vertex of each ring starts no segment, and zero-length
// segments from repeated vertices are dropped).
type boundaries struct {
	points []orb.Point
	area   []int32
	start  []int32
	bounds []orb.Bound
	tree   rtree.RTreeG[int32] // area bounds -> area
}

const noSegment = -1

func newBoundaries(areas []orb.MultiPolygon) (*boundaries, error) {
	n := 0
	for _, mp := range areas {
		for _, poly := range mp {
			for _, ring := range poly {
				n += len(ring)
			}
		}
	}
	if n >= math.MaxInt32 {
		return nil, fmt.Errorf("adjacency: %d vertices, at most %d supported", n, math.MaxInt32-1)
	}
	b := &boundaries{
		points: make([]orb.Point, 0, n),
		area:   make([]int32, 0, n),
		start:  make([]int32, len(areas)+1),
		bounds: make([]orb.Bound, len(areas)),
	}
	for i, mp := range areas {
		bound := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
		for _, poly := range mp {
			for _, ring := range poly {
				for k, p := range ring {
					b.points = append(b.points, p)
					bound.Min[0], bound.Min[1] = math.Min(bound.Min[0], p[0]), math.Min(bound.Min[1], p[1])
					bound.Max[0], bound.Max[1] = math.Max(bound.Max[0], p[0]), math.Max(bound.Max[1], p[1])
					if k == len(ring)-1 || p == ring[k+1] {
						b.area = append(b.area, noSegment)
					} else {
						b.area = append(b.area, int32(i))
					}
				}
			}
		}
		b.start[i+1] = int32(len(b.points))
		b.bounds[i] = bound
		b.tree.Insert(b.bounds[i].Min, b.bounds[i].Max, int32(i))
	}
	return b, nil
}

// candidates appends to dst the areas other than a whose bounds intersect
// bound.
func (b *boundaries) candidates(dst []int32, a int, bound orb.Bound) []int32 {
	b.tree.Search(bound.Min, bound.Max, func(_, _ [2]float64, c int32) bool {
		if int(c) != a {
			dst = append(dst, c)
		}
		return true
	})
	return dst
}

// segmentKey is a segment's ends in canonical order, so that both
// directions are equal.
type segmentKey [2]orb.Point

// hash mixes the bits of a key's coordinates.
func (k segmentKey) hash() uint64 {
	h := uint64(0x9e3779b97f4a7c15)
	for _, v := range [4]float64{k[0][0], k[0][1], k[1][0], k[1][1]} {
		h ^= math.Float64bits(v)
		h *= 0xff51afd7ed558ccd
		h ^= h >> 32
	}
	return h
}

// key returns segment g's key, with negative zero made positive so that
// equal keys hash alike.
func (b *boundaries) key(g int32) segmentKey {
	p, q := b.points[g], b.points[g+1]
	for i := range 2 {
		if p[i] == 0 {
			p[i] = 0
		}
		if q[i] == 0 {
			q[i] = 0
		}
	}
	if q[0] < p[0] || (q[0] == p[0] && q[1] < p[1]) {
		p, q = q, p
	}
	return segmentKey{p, q}
}
