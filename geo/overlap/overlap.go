// Package overlap measures how much of one area lies inside another: the
// planar area of the intersection of two multipolygons, used to split a
// small area (an LSOA) between the larger areas (wards) it straddles.
//
// Areas are planar, in the squared units of the coordinates (square degrees
// for lon/lat). That is not an area on the ground, but the ratio of two
// areas of nearby shapes (the pieces of one LSOA) is correct to well under
// a percent at city scale, which is all a split needs.
//
// This file is the package's only contact with simplefeatures: orb polygons
// go in, a number comes out. Generalised public boundaries are not always
// valid OGC polygons (rings that touch themselves); each polygon of a
// multipolygon is intersected on its own, and a polygon the overlay cannot
// handle is measured by sampling instead (see Sampled), so one bad ring
// never fails a whole split.
package overlap

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/peterstace/simplefeatures/geom"

	"github.com/placeteam/placeteam/geo/sfgeom"
)

// ErrOverlay is wrapped when the exact overlay fails on a pair of polygons.
var ErrOverlay = errors.New("overlap: overlay failed")

// Area returns the planar area of a ∩ b. Polygons whose bounds do not meet
// are skipped cheaply. exact is false when some pair of polygons had to be
// measured by sampling because the exact overlay failed on them.
func Area(a, b orb.MultiPolygon) (area float64, exact bool) {
	exact = true
	for _, pa := range a {
		if len(pa) == 0 {
			continue
		}
		ba := pa.Bound()
		for _, pb := range b {
			if len(pb) == 0 || !ba.Intersects(pb.Bound()) {
				continue
			}
			x, err := polygonIntersectionArea(pa, pb)
			if err != nil {
				x = Sampled(orb.MultiPolygon{pa}, orb.MultiPolygon{pb}, defaultSamples)
				exact = false
			}
			area += x
		}
	}
	return area, exact
}

// polygonIntersectionArea is the exact overlay of two polygons. A panic in
// the library is returned as ErrOverlay.
func polygonIntersectionArea(a, b orb.Polygon) (area float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %v", ErrOverlay, r)
		}
	}()
	g, err := geom.Intersection(sfgeom.Polygon(a).AsGeometry(), sfgeom.Polygon(b).AsGeometry())
	if err != nil {
		return 0, fmt.Errorf("%w: %w", ErrOverlay, err)
	}
	return g.Area(), nil
}

// defaultSamples is the grid size Area falls back to: about 1% resolution.
const defaultSamples = 200

// Sampled estimates the area of a ∩ b on an n × n grid of cell centres over
// a's bound: the share of a's cells that fall in both, times a's area. It
// needs no valid topology, only point-in-polygon tests.
func Sampled(a, b orb.MultiPolygon, n int) float64 {
	if n <= 0 || len(a) == 0 {
		return 0
	}
	bound := a.Bound()
	dx := (bound.Max[0] - bound.Min[0]) / float64(n)
	dy := (bound.Max[1] - bound.Min[1]) / float64(n)
	inA, inBoth := 0, 0
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			p := orb.Point{bound.Min[0] + (float64(i)+0.5)*dx, bound.Min[1] + (float64(j)+0.5)*dy}
			if !planar.MultiPolygonContains(a, p) {
				continue
			}
			inA++
			if planar.MultiPolygonContains(b, p) {
				inBoth++
			}
		}
	}
	if inA == 0 {
		return 0
	}
	return planar.Area(a) * float64(inBoth) / float64(inA)
}
