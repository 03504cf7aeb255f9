package areaindex

import (
	"math"

	"github.com/paulmach/orb"
)

// Grid cell states beyond an area index (≥ 0).
const (
	cellNone     = -1 // no area contains any point of the cell
	cellBoundary = -2 // some area's boundary may touch the cell: search
)

// grid answers most points without a search: a raster over the areas'
// bounding box whose cells no boundary touches hold the (lowest-coded)
// area containing every point of the cell, or none. Only cells a boundary
// may touch, marked conservatively, fall back to the R-tree and the exact
// test, so answers are exactly Locate's.
type grid struct {
	bound      orb.Bound
	cols, rows int
	cellW      float64
	cellH      float64
	cells      []int32
}

// Accelerated returns ix with a grid of at most cells cells (about
// 65,536 when cells ≤ 0) over the areas' bounding box in front of the
// R-tree: Locate then answers a point in a cell no boundary touches with
// one lookup. Building it costs some milliseconds per 100,000 boundary
// edges, worth it for many points (a million in a batch), not for a few.
// Answers are unchanged.
func (ix *Index) Accelerated(cells int) *Index {
	if cells <= 0 {
		cells = 1 << 16
	}
	out := *ix
	out.grid = newGrid(ix, cells)
	return &out
}

func newGrid(ix *Index, cells int) *grid {
	var b orb.Bound
	first := true
	for _, pt := range ix.parts {
		pb := pt.polygon[0].Bound()
		if first {
			b, first = pb, false
		} else {
			b = b.Union(pb)
		}
	}
	if first || b.Max[0] <= b.Min[0] || b.Max[1] <= b.Min[1] {
		return nil
	}
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	cols := min(max(1, int(math.Sqrt(float64(cells)*w/h))), cells) // a thin strip: one row
	rows := max(1, cells/cols)
	g := &grid{bound: b, cols: cols, rows: rows, cellW: w / float64(cols), cellH: h / float64(rows),
		cells: make([]int32, cols*rows)}
	boundary := make([]bool, cols*rows)
	for _, pt := range ix.parts {
		if !finitePolygon(pt.polygon) {
			// A hole with a non-finite vertex: no cell of the part can be
			// trusted; every one it may cover is searched.
			pb := pt.polygon[0].Bound()
			for c := max(g.col(pb.Min[0])-1, 0); c <= min(g.col(pb.Max[0])+1, g.cols-1); c++ {
				for r := max(g.row(pb.Min[1])-1, 0); r <= min(g.row(pb.Max[1])+1, g.rows-1); r++ {
					boundary[r*g.cols+c] = true
				}
			}
			continue
		}
		for _, ring := range pt.polygon {
			if len(ring) == 1 {
				g.markSegment(boundary, ring[0], ring[0]) // a one-point ring contains its point
			}
			for i := 1; i < len(ring); i++ {
				g.markSegment(boundary, ring[i-1], ring[i])
			}
			if n := len(ring); n > 1 && ring[0] != ring[n-1] {
				g.markSegment(boundary, ring[n-1], ring[0]) // an unclosed ring closes implicitly
			}
		}
	}
	// Along a row, cells between boundary cells share one answer: locate
	// the first cell of each run and copy it along.
	for r := range rows {
		run := false
		var value int32
		for c := range cols {
			i := r*cols + c
			if boundary[i] {
				g.cells[i], run = cellBoundary, false
				continue
			}
			if !run {
				centre := orb.Point{b.Min[0] + (float64(c)+0.5)*g.cellW, b.Min[1] + (float64(r)+0.5)*g.cellH}
				value = ix.locateIndex(centre)
				run = true
			}
			g.cells[i] = value
		}
	}
	return g
}

// markSegment marks every cell the closed segment a–b may touch, widened
// by a cell on each side so that floating-point rounding and segments on
// grid lines are covered.
func (g *grid) markSegment(boundary []bool, a, b orb.Point) {
	if a[0] > b[0] {
		a, b = b, a
	}
	for c := max(g.col(a[0])-1, 0); c <= min(g.col(b[0])+1, g.cols-1); c++ {
		// The segment's y-range over this column's x-interval (clamped to
		// the segment: the widened neighbours get its end's y).
		var y0, y1 float64
		if a[0] == b[0] {
			y0, y1 = math.Min(a[1], b[1]), math.Max(a[1], b[1])
		} else {
			left := g.bound.Min[0] + float64(c)*g.cellW
			x0 := math.Min(math.Max(left, a[0]), b[0])
			x1 := math.Min(math.Max(left+g.cellW, a[0]), b[0])
			y0, y1 = yAt(a, b, x0), yAt(a, b, x1)
			if y0 > y1 {
				y0, y1 = y1, y0
			}
		}
		for r := max(g.row(y0)-1, 0); r <= min(g.row(y1)+1, g.rows-1); r++ {
			boundary[r*g.cols+c] = true
		}
	}
}

// yAt is the non-vertical segment a–b's y at x.
func yAt(a, b orb.Point, x float64) float64 {
	return a[1] + (x-a[0])/(b[0]-a[0])*(b[1]-a[1])
}

// col and row are the cell column and row of x and y, clamped to one
// beyond the grid on either side before the conversion to int (so a huge
// coordinate cannot overflow it).
func (g *grid) col(x float64) int { return cellOf((x-g.bound.Min[0])/g.cellW, g.cols) }

func (g *grid) row(y float64) int { return cellOf((y-g.bound.Min[1])/g.cellH, g.rows) }

func cellOf(v float64, n int) int {
	return int(math.Max(-1, math.Min(float64(n), math.Floor(v))))
}

// finitePolygon reports whether every vertex of every ring is finite.
func finitePolygon(p orb.Polygon) bool {
	for _, r := range p {
		for _, pt := range r {
			if math.IsNaN(pt[0]) || math.IsNaN(pt[1]) || math.IsInf(pt[0], 0) || math.IsInf(pt[1], 0) {
				return false
			}
		}
	}
	return true
}

// lookup is the cell state of p: an area index, cellNone, or cellBoundary
// (search). Points outside the grid are in no area.
func (g *grid) lookup(p orb.Point) int32 {
	if !(p[0] >= g.bound.Min[0] && p[0] <= g.bound.Max[0] && p[1] >= g.bound.Min[1] && p[1] <= g.bound.Max[1]) {
		return cellNone // also NaN
	}
	c, r := min(g.col(p[0]), g.cols-1), min(g.row(p[1]), g.rows-1)
	return g.cells[r*g.cols+c]
}
