package areaindex

import "github.com/paulmach/orb"

// polygonContains reports whether p is inside poly or on its boundary
// (outer ring or any hole ring). orb/planar.PolygonContains is not used:
// it counts a point on a hole's ring as outside the polygon, and it decides
// "on an edge" by comparing two divided slopes, which an edge shared by two
// areas can answer differently for each.
func polygonContains(poly orb.Polygon, p orb.Point) bool {
	if len(poly) == 0 {
		return false
	}
	inside, onEdge := ringSide(poly[0], p)
	if onEdge {
		return true
	}
	if !inside {
		return false
	}
	for _, hole := range poly[1:] {
		inHole, onHoleEdge := ringSide(hole, p)
		if onHoleEdge {
			return true
		}
		if inHole {
			return false
		}
	}
	return true
}

// polygonStrictlyContains reports whether p is inside poly and not on any
// of its rings.
func polygonStrictlyContains(poly orb.Polygon, p orb.Point) bool {
	if len(poly) == 0 {
		return false
	}
	if inside, onEdge := ringSide(poly[0], p); !inside || onEdge {
		return false
	}
	for _, hole := range poly[1:] {
		if inHole, onHoleEdge := ringSide(hole, p); inHole || onHoleEdge {
			return false
		}
	}
	return true
}

// ringSide classifies p against ring r (closed or not; the closing edge is
// implied). onEdge reports p on an edge or vertex; otherwise inside says
// whether a ray from p towards +x crosses the ring an odd number of times.
//
// Each edge is evaluated from its lower to its upper end whatever the ring's
// direction, so an edge shared by two rings gives both the same answer.
func ringSide(r orb.Ring, p orb.Point) (inside, onEdge bool) {
	n := len(r)
	for i := range n {
		a, b := r[i], r[(i+1)%n]
		if a == p {
			return false, true
		}
		if a[1] == b[1] { // horizontal (or repeated point): never crossed by the ray
			if p[1] == a[1] && p[0] >= min(a[0], b[0]) && p[0] <= max(a[0], b[0]) {
				return false, true
			}
			continue
		}
		// Half-open rule: the edge counts when p's y is in [lower y, upper y).
		if (a[1] > p[1]) == (b[1] > p[1]) {
			continue
		}
		lo, hi := a, b
		if lo[1] > hi[1] {
			lo, hi = hi, lo
		}
		// Cross product: > 0 when p is left of the upward edge, i.e. the
		// edge crosses the ray to the right of p.
		side := (hi[0]-lo[0])*(p[1]-lo[1]) - (hi[1]-lo[1])*(p[0]-lo[0])
		if side == 0 {
			return false, true
		}
		if side > 0 {
			inside = !inside
		}
	}
	return inside, false
}
