package demo

import (
	"math"
	"math/rand/v2"

	"github.com/paulmach/orb"
)

// The demo city is built on a local plane in metres (x east, y north) whose
// origin is the city centre; positions become lon/lat only when geometry is
// written out, by an equirectangular projection that is accurate to a few
// metres over the ~20 km the city spans.
const (
	centreLon          = -2.0
	centreLat          = 53.0
	metresPerDegreeLat = 111_195.0
	// coordinateScale rounds every output coordinate to 1e-6 degrees (about
	// 0.1 m), as published boundary files do. Rounding is applied once per
	// lattice vertex, so neighbouring polygons still share vertices exactly.
	coordinateScale = 1e6
)

var metresPerDegreeLon = metresPerDegreeLat * math.Cos(centreLat*math.Pi/180)

// xy is a position on the local plane, in metres from the city centre.
type xy struct{ x, y float64 }

func (p xy) dist(q xy) float64 { return math.Hypot(p.x-q.x, p.y-q.y) }

// lonLat projects a local position to rounded WGS84 lon/lat.
func (p xy) lonLat() orb.Point {
	return orb.Point{
		math.Round((centreLon+p.x/metresPerDegreeLon)*coordinateScale) / coordinateScale,
		math.Round((centreLat+p.y/metresPerDegreeLat)*coordinateScale) / coordinateScale,
	}
}

// Sides of a lattice cell, in counter-clockwise order. Side s runs in
// direction step[s] with the cell on its left.
const (
	sideSouth = iota
	sideEast
	sideNorth
	sideWest
)

// step is the unit move along each side; the cell across side s lies at
// step[(s+3)%4].
var step = [4][2]int{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}

// lattice is a perturbed grid: a regular grid of vertices, each moved by a
// deterministic random offset, whose quadrilateral cells are the atoms every
// area is made of. Because neighbouring cells share their corner vertices,
// any two areas built from cells share boundary vertices exactly.
type lattice struct {
	cols, rows int
	cell       float64 // nominal cell side, metres
	vertexXY   []xy
	vertexLL   []orb.Point
	centre     []xy // centre of each cell (mean of its corners)
	area       []float64
}

// newLattice jitters each vertex by up to jitter×cell in x and in y. With
// jitter below 0.5 every cell stays a simple quadrilateral.
func newLattice(rng *rand.Rand, cols, rows int, cell, jitter float64) *lattice {
	l := &lattice{cols: cols, rows: rows, cell: cell}
	originX, originY := -float64(cols)*cell/2, -float64(rows)*cell/2
	l.vertexXY = make([]xy, 0, (cols+1)*(rows+1))
	l.vertexLL = make([]orb.Point, 0, (cols+1)*(rows+1))
	for j := 0; j <= rows; j++ {
		for i := 0; i <= cols; i++ {
			dx := (rng.Float64()*2 - 1) * jitter * cell
			dy := (rng.Float64()*2 - 1) * jitter * cell
			p := xy{originX + float64(i)*cell + dx, originY + float64(j)*cell + dy}
			l.vertexXY = append(l.vertexXY, p)
			l.vertexLL = append(l.vertexLL, p.lonLat())
		}
	}
	n := cols * rows
	l.centre = make([]xy, n)
	l.area = make([]float64, n)
	for c := range n {
		v := l.corners(c)
		var sx, sy, a float64
		for k := range 4 {
			p, q := l.vertexXY[v[k]], l.vertexXY[v[(k+1)%4]]
			sx += p.x
			sy += p.y
			a += p.x*q.y - q.x*p.y
		}
		l.centre[c] = xy{sx / 4, sy / 4}
		l.area[c] = a / 2
	}
	return l
}

func (l *lattice) cells() int { return l.cols * l.rows }

func (l *lattice) cellAt(i, j int) int {
	if i < 0 || j < 0 || i >= l.cols || j >= l.rows {
		return -1
	}
	return j*l.cols + i
}

func (l *lattice) ij(c int) (int, int) { return c % l.cols, c / l.cols }

func (l *lattice) vertex(i, j int) int { return j*(l.cols+1) + i }

// neighbour is the cell across side s of cell c, or -1 off the lattice.
func (l *lattice) neighbour(c, s int) int {
	i, j := l.ij(c)
	d := step[(s+3)%4]
	return l.cellAt(i+d[0], j+d[1])
}

// corners lists the vertices of cell c counter-clockwise from the south-west;
// corners(c)[s] is where side s starts.
func (l *lattice) corners(c int) [4]int {
	i, j := l.ij(c)
	return [4]int{l.vertex(i, j), l.vertex(i+1, j), l.vertex(i+1, j+1), l.vertex(i, j+1)}
}

// pointInCell maps (u, v) in the unit square bilinearly onto cell c; with u
// and v well inside (0, 1) the point is well inside the cell.
func (l *lattice) pointInCell(c int, u, v float64) xy {
	k := l.corners(c)
	sw, se, ne, nw := l.vertexXY[k[0]], l.vertexXY[k[1]], l.vertexXY[k[2]], l.vertexXY[k[3]]
	return xy{
		(1-u)*(1-v)*sw.x + u*(1-v)*se.x + u*v*ne.x + (1-u)*v*nw.x,
		(1-u)*(1-v)*sw.y + u*(1-v)*se.y + u*v*ne.y + (1-u)*v*nw.y,
	}
}
