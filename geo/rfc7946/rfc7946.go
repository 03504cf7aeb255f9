// Package rfc7946 makes geometry fit RFC 7946 GeoJSON output: exterior rings
// counter-clockwise, holes clockwise, and coordinates rounded to at most six
// decimals (about 0.1 m) — enough for boundaries, small on the wire.
package rfc7946

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Decimals is the precision of output coordinates.
const Decimals = 6

// Normalize returns a copy of g oriented and rounded for GeoJSON output.
func Normalize(g orb.Geometry) orb.Geometry {
	switch g := g.(type) {
	case orb.Point:
		return round(g)
	case orb.MultiPoint:
		return orb.MultiPoint(roundLine(orb.LineString(g)))
	case orb.LineString:
		return roundLine(g)
	case orb.MultiLineString:
		out := make(orb.MultiLineString, len(g))
		for i, l := range g {
			out[i] = roundLine(l)
		}
		return out
	case orb.Polygon:
		return polygon(g)
	case orb.MultiPolygon:
		if len(g) == 1 {
			return polygon(g[0])
		}
		out := make(orb.MultiPolygon, len(g))
		for i, p := range g {
			out[i] = polygon(p)
		}
		return out
	case orb.Collection:
		out := make(orb.Collection, len(g))
		for i, x := range g {
			out[i] = Normalize(x)
		}
		return out
	}
	return g
}

func polygon(p orb.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, len(p))
	for i, r := range p {
		ring := orb.Ring(roundLine(orb.LineString(r)))
		ring = dedupe(ring)
		if len(ring) < 4 {
			continue // collapsed by rounding
		}
		ccw := planar.Area(ring) > 0
		if (i == 0) != ccw {
			ring.Reverse()
		}
		out = append(out, ring)
	}
	return out
}

// dedupe drops consecutive repeated positions that rounding created.
func dedupe(r orb.Ring) orb.Ring {
	out := r[:0:0]
	for i, p := range r {
		if i > 0 && p == out[len(out)-1] {
			continue
		}
		out = append(out, p)
	}
	return out
}

func roundLine(l orb.LineString) orb.LineString {
	out := make(orb.LineString, len(l))
	for i, p := range l {
		out[i] = round(p)
	}
	return out
}

var scale = math.Pow(10, Decimals)

func round(p orb.Point) orb.Point {
	return orb.Point{math.Round(p[0]*scale) / scale, math.Round(p[1]*scale) / scale}
}
