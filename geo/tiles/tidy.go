package tiles

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
)

// tidy makes projected, clipped and simplified geometry valid MVT 2:
// repeated points are removed (rounding to the integer grid creates them),
// lines with fewer than two points and rings with no area are dropped, and
// polygon rings are wound as the specification requires — exterior rings
// with positive surveyor's-formula area in tile coordinates (clockwise on
// screen, y down), holes negative. Projection flips y, so a lon/lat ring
// wound counterclockwise (RFC 7946) would otherwise arrive as a hole; inputs
// may wind either way. Features left with no geometry are removed.
func tidy(layers mvt.Layers) {
	for _, l := range layers {
		kept := l.Features[:0]
		for _, f := range l.Features {
			if g := tidyGeometry(f.Geometry); g != nil {
				f.Geometry = g
				kept = append(kept, f)
			}
		}
		l.Features = kept
	}
}

// tidyGeometry returns the tidied geometry, or nil when nothing is left. It
// reuses the input's memory.
func tidyGeometry(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return g
	case orb.MultiPoint:
		if len(g) == 0 {
			return nil
		}
		return g
	case orb.LineString:
		if ls := tidyLine(g); ls != nil {
			return ls
		}
	case orb.MultiLineString:
		kept := g[:0]
		for _, ls := range g {
			if ls = tidyLine(ls); ls != nil {
				kept = append(kept, ls)
			}
		}
		if len(kept) > 0 {
			return kept
		}
	case orb.Polygon:
		if p := tidyPolygon(g); p != nil {
			return p
		}
	case orb.MultiPolygon:
		kept := g[:0]
		for _, p := range g {
			if p = tidyPolygon(p); p != nil {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			return kept
		}
	}
	return nil
}

// tidyLine drops repeated points; nil when fewer than two remain.
func tidyLine(ls orb.LineString) orb.LineString {
	ls = orb.LineString(withoutRepeats(ls))
	if len(ls) < 2 {
		return nil
	}
	return ls
}

// tidyPolygon tidies and winds each ring; nil when the exterior ring has no
// area, since holes mean nothing without it.
func tidyPolygon(p orb.Polygon) orb.Polygon {
	if len(p) == 0 {
		return nil
	}
	exterior := tidyRing(p[0], orb.CCW)
	if exterior == nil {
		return nil
	}
	kept := p[:1]
	kept[0] = exterior
	for _, hole := range p[1:] {
		if hole = tidyRing(hole, orb.CW); hole != nil {
			kept = append(kept, hole)
		}
	}
	return kept
}

// tidyRing drops repeated points, closes the ring and winds it to want
// (orb's orientation in tile coordinates: CCW is positive area); nil when the
// ring has no area.
func tidyRing(r orb.Ring, want orb.Orientation) orb.Ring {
	r = orb.Ring(withoutRepeats(r))
	if len(r) > 0 && r[0] != r[len(r)-1] {
		r = append(r, r[0])
	}
	if len(r) < 4 {
		return nil
	}
	switch r.Orientation() {
	case 0:
		return nil
	case want:
	default:
		r.Reverse()
	}
	return r
}

// withoutRepeats removes consecutive equal points in place.
func withoutRepeats(points []orb.Point) []orb.Point {
	if len(points) < 2 {
		return points
	}
	kept := points[:1]
	for _, p := range points[1:] {
		if p != kept[len(kept)-1] {
			kept = append(kept, p)
		}
	}
	return kept
}
