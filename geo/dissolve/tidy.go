package dissolve

import (
	"cmp"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// tidy turns an overlay result into the published form:
//
//   - slivers go: a ring whose mean width 2·|area|/perimeter is below
//     minWidth (degrees), or whose area is zero, is dropped; a sliver hole
//     is thereby filled and a sliver part removed (with its holes);
//   - repeated vertices, spikes and vertices exactly on the straight line
//     through their neighbours are removed, and so are rings thinner than
//     noiseWidth;
//   - the exterior turns counter-clockwise, holes clockwise (RFC 7946);
//   - each ring starts at its lowest vertex (by longitude, then latitude)
//     and is closed; holes are ordered by that vertex, parts by area,
//     largest first (compared at float32 precision, so that congruent parts
//     tie whatever the rounding), then by that vertex.
func tidy(mp orb.MultiPolygon, minWidth float64) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, p := range mp {
		if len(p) == 0 {
			continue
		}
		exterior := tidyRing(p[0], minWidth, true)
		if exterior == nil {
			continue
		}
		poly := orb.Polygon{exterior}
		for _, h := range p[1:] {
			if hole := tidyRing(h, minWidth, false); hole != nil {
				poly = append(poly, hole)
			}
		}
		slices.SortFunc(poly[1:], func(a, b orb.Ring) int { return comparePoints(a[0], b[0]) })
		out = append(out, poly)
	}
	slices.SortStableFunc(out, func(a, b orb.Polygon) int {
		if c := cmp.Compare(float32(polygonArea(b)), float32(polygonArea(a))); c != 0 {
			return c
		}
		return comparePoints(a[0][0], b[0][0])
	})
	return out
}

// tidyRing returns r simplified, wound counter-clockwise when ccw (else
// clockwise), starting at its lowest vertex and closed; nil for a sliver.
func tidyRing(r orb.Ring, minWidth float64, ccw bool) orb.Ring {
	open := cleanRing(r, straight)
	if open == nil {
		return nil
	}
	area := signedArea(open)
	if isSliver(area, perimeter(open), minWidth) {
		return nil
	}
	if (area > 0) != ccw {
		slices.Reverse(open)
	}
	lowest := 0
	for i, p := range open {
		if comparePoints(p, open[lowest]) < 0 {
			lowest = i
		}
	}
	open = append(open[lowest:len(open):len(open)], open[:lowest]...)
	return closeRing(open)
}

// isSliver reports whether a ring with this area and perimeter is narrower,
// on average, than minWidth: for a strip of width w and length L ≫ w,
// 2·area/perimeter ≈ w.
func isSliver(area, perimeter, minWidth float64) bool {
	return area == 0 || 2*math.Abs(area) < minWidth*perimeter
}

// polygonArea is the planar area of p: exterior less holes.
func polygonArea(p orb.Polygon) float64 {
	if len(p) == 0 {
		return 0
	}
	area := math.Abs(signedArea(p[0]))
	for _, h := range p[1:] {
		area -= math.Abs(signedArea(h))
	}
	return area
}
