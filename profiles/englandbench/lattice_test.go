package englandbench

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// The generated country covers roughly England's bounding box.
const (
	minLon, maxLon = -5.5, 1.7
	minLat, maxLat = 50.0, 55.8

	// kmPerDegreeLat and kmPerDegreeLon (at the box's mid-latitude, 52.9°)
	// give the flat km plane the generator measures distances on.
	kmPerDegreeLat = 111.195
	kmPerDegreeLon = 67.07

	// coordinateScale rounds every coordinate to 1e-6 degrees, as published
	// boundary files do.
	coordinateScale = 1e6

	// latticeJitter is how far each lattice vertex moves, as a fraction of
	// a cell, along each axis. Below 0.25 every cell stays convex.
	latticeJitter = 0.15
)

// lattice is a grid of LSOA cells over the extent whose vertices are each
// moved by a random offset. Every area is a block of whole cells whose
// ring passes through every lattice vertex on its boundary, so neighbouring
// areas share boundary vertices exactly and wards are exact unions of their
// LSOAs.
type lattice struct {
	cols, rows int
	vertices   []orb.Point // (cols+1) × (rows+1), row by row from the south-west
}

// block is a rectangle of lattice cells: columns [col, col+width) and rows
// [row, row+height), counted from the south-west.
type block struct {
	col, row, width, height int
}

// doubledCentreRow is twice the row of the block's centre (an integer).
func (b block) doubledCentreRow() int { return 2*b.row + b.height }

// touches reports whether two blocks share a boundary segment of positive
// length (not just a corner).
func (b block) touches(o block) bool {
	overlap := func(lo1, hi1, lo2, hi2 int) bool { return max(lo1, lo2) < min(hi1, hi2) }
	switch {
	case b.col+b.width == o.col || o.col+o.width == b.col:
		return overlap(b.row, b.row+b.height, o.row, o.row+o.height)
	case b.row+b.height == o.row || o.row+o.height == b.row:
		return overlap(b.col, b.col+b.width, o.col, o.col+o.width)
	}
	return false
}

func newLattice(cols, rows int, rng *rand.Rand) *lattice {
	l := &lattice{cols: cols, rows: rows, vertices: make([]orb.Point, 0, (cols+1)*(rows+1))}
	cellLon := (maxLon - minLon) / float64(cols)
	cellLat := (maxLat - minLat) / float64(rows)
	jitter := func() float64 { return latticeJitter * (2*rng.Float64() - 1) }
	for r := 0; r <= rows; r++ {
		for c := 0; c <= cols; c++ {
			l.vertices = append(l.vertices, rounded(orb.Point{
				minLon + (float64(c)+jitter())*cellLon,
				minLat + (float64(r)+jitter())*cellLat,
			}))
		}
	}
	return l
}

func (l *lattice) vertex(c, r int) orb.Point { return l.vertices[r*(l.cols+1)+c] }

// ring is the boundary of block b, counter-clockwise and closed, through
// every lattice vertex on it.
func (l *lattice) ring(b block) orb.Ring {
	ring := make(orb.Ring, 0, 2*(b.width+b.height)+1)
	for c := b.col; c < b.col+b.width; c++ { // south side, west to east
		ring = append(ring, l.vertex(c, b.row))
	}
	for r := b.row; r < b.row+b.height; r++ { // east side, south to north
		ring = append(ring, l.vertex(b.col+b.width, r))
	}
	for c := b.col + b.width; c > b.col; c-- { // north side, east to west
		ring = append(ring, l.vertex(c, b.row+b.height))
	}
	for r := b.row + b.height; r > b.row; r-- { // west side, north to south
		ring = append(ring, l.vertex(b.col, r))
	}
	return append(ring, ring[0])
}

// cellPoint maps (u, v) in the unit square to cell (c, r) by bilinear
// interpolation between its corners: with 0 < u, v < 1 the point is strictly
// inside the (convex) cell.
func (l *lattice) cellPoint(c, r int, u, v float64) orb.Point {
	sw, se, ne, nw := l.vertex(c, r), l.vertex(c+1, r), l.vertex(c+1, r+1), l.vertex(c, r+1)
	var p orb.Point
	for i := range p {
		p[i] = (1-u)*(1-v)*sw[i] + u*(1-v)*se[i] + u*v*ne[i] + (1-u)*v*nw[i]
	}
	return p
}

// blockCentre is the mean of the block's four corner vertices.
func (l *lattice) blockCentre(b block) orb.Point {
	corners := [4]orb.Point{
		l.vertex(b.col, b.row), l.vertex(b.col+b.width, b.row),
		l.vertex(b.col+b.width, b.row+b.height), l.vertex(b.col, b.row+b.height),
	}
	var p orb.Point
	for _, q := range corners {
		p[0] += q[0] / 4
		p[1] += q[1] / 4
	}
	return p
}

func rounded(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*coordinateScale) / coordinateScale, math.Round(p[1]*coordinateScale) / coordinateScale}
}

// xy is a position on a flat plane, km east and north of (minLon, minLat):
// accurate enough for choosing nearby practices.
type xy struct{ x, y float64 }

func toKm(p orb.Point) xy {
	return xy{(p[0] - minLon) * kmPerDegreeLon, (p[1] - minLat) * kmPerDegreeLat}
}

func (p xy) dist(q xy) float64 { return math.Hypot(p.x-q.x, p.y-q.y) }
