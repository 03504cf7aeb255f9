package areaindex

import (
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// InteriorPoint returns a point strictly inside mp (not on any ring), in its
// largest polygon by area: used to place an area in another when no
// best-fit lookup exists. Unlike the centroid it cannot fall outside a
// concave or holed shape.
//
// Method: horizontal scan lines near the middle of the polygon's bound,
// each moved to halfway between two vertex heights so it meets no vertex;
// the widest stretch of any line that lies inside the polygon (holes
// excluded) gives its midpoint, which is checked with the exact test.
//
// An empty multipolygon gives the zero Point and a degenerate one (no part
// with area) the centre of its bound; neither is inside anything.
func InteriorPoint(mp orb.MultiPolygon) orb.Point {
	order := make([]int, len(mp))
	areas := make([]float64, len(mp))
	for i, poly := range mp {
		order[i] = i
		areas[i] = planar.Area(poly)
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case areas[a] > areas[b]:
			return -1
		case areas[a] < areas[b]:
			return 1
		}
		return 0
	})
	for _, i := range order {
		if areas[i] == 0 {
			break
		}
		if p, ok := polygonInteriorPoint(mp[i]); ok {
			return p
		}
	}
	if len(mp) == 0 {
		return orb.Point{}
	}
	return mp.Bound().Center()
}

// polygonInteriorPoint implements InteriorPoint for one polygon.
func polygonInteriorPoint(poly orb.Polygon) (orb.Point, bool) {
	if len(poly) == 0 || len(poly[0]) == 0 {
		return orb.Point{}, false
	}
	var ys []float64
	for _, r := range poly {
		for _, p := range r {
			ys = append(ys, p[1])
		}
	}
	slices.Sort(ys)
	ys = slices.Compact(ys)
	if len(ys) < 2 {
		return orb.Point{}, false
	}
	bottom, top := ys[0], ys[len(ys)-1]

	type candidate struct {
		point orb.Point
		width float64
	}
	var (
		candidates []candidate
		xs, tried  []float64
	)
	// Scan lines near these fractions of the bound's height, middle first.
	for _, f := range []float64{0.5, 0.25, 0.75, 0.375, 0.625} {
		// The gap between vertex heights that holds the target height.
		target := bottom + f*(top-bottom)
		k, _ := slices.BinarySearch(ys, target) // ys[k-1] < target <= ys[k]
		k = min(max(k, 1), len(ys)-1)
		y := ys[k-1] + (ys[k]-ys[k-1])/2
		if slices.Contains(tried, y) || y <= ys[k-1] || y >= ys[k] {
			continue // already tried, or the gap is too narrow to split
		}
		tried = append(tried, y)

		xs = crossings(poly, y, xs[:0])
		if len(xs)%2 != 0 {
			continue // an unclosed or self-intersecting polygon
		}
		slices.Sort(xs)
		for j := 0; j+1 < len(xs); j += 2 {
			if w := xs[j+1] - xs[j]; w > 0 {
				candidates = append(candidates, candidate{orb.Point{xs[j] + w/2, y}, w})
			}
		}
	}
	slices.SortStableFunc(candidates, func(a, b candidate) int {
		switch {
		case a.width > b.width:
			return -1
		case a.width < b.width:
			return 1
		}
		return 0
	})
	for _, c := range candidates {
		// Rounding can put the midpoint of a very narrow stretch on an edge.
		if polygonStrictlyContains(poly, c.point) {
			return c.point, true
		}
	}
	return orb.Point{}, false
}

// crossings appends the x of every point where the horizontal line at y
// crosses an edge of poly. y must not be the height of any vertex.
func crossings(poly orb.Polygon, y float64, xs []float64) []float64 {
	for _, r := range poly {
		n := len(r)
		for i := range n {
			a, b := r[i], r[(i+1)%n]
			if (a[1] > y) == (b[1] > y) {
				continue
			}
			xs = append(xs, a[0]+(y-a[1])*(b[0]-a[0])/(b[1]-a[1]))
		}
	}
	return xs
}
