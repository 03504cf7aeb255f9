package reproject

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/wroge/wgs84"
)

// ErrUnsupportedGeometry reports a geometry type ToLonLat cannot walk.
var ErrUnsupportedGeometry = errors.New("unsupported geometry type")

// LonLatProjection returns the function converting one position in from to
// WGS84 lon/lat. For lon/lat systems it is the identity.
//
// Accuracy for EPSG:27700: the datum shift is the EPSG:1314 seven-parameter
// Helmert transformation, which Ordnance Survey quotes as good to a few
// metres. Against the 40 OSTN15 test points (TestBritishNationalGridAccuracy)
// the error is 2.2 m RMS, at most 4.1 m on the mainland and 4.9 m on the
// islands (under 5e-5°); about 1.7 m around Manchester. It is no substitute
// for OSTN15 where sub-metre accuracy matters. Positions are not
// range checked: non-finite input gives non-finite output.
func LonLatProjection(from CRS) (orb.Projection, error) {
	switch {
	case from.IsLonLat():
		return func(p orb.Point) orb.Point { return p }, nil
	case from == BritishNationalGrid:
		toLonLat := wgs84.Transform(nationalGridCRS(), wgs84.LonLat())
		return func(p orb.Point) orb.Point {
			lon, lat, _ := toLonLat(p[0], p[1], 0)
			return orb.Point{lon, lat}
		}, nil
	}
	return nil, fmt.Errorf("reproject: %w: %q", ErrUnknownCRS, string(from))
}

// ToLonLat converts every position of g from from to WGS84 lon/lat.
//
// Like orb/project it works in place: the slices inside g are overwritten
// and g is returned (a new value only for orb.Point and orb.Bound, which are
// not slices). Pass orb.Clone(g) to keep the original.
func ToLonLat(g orb.Geometry, from CRS) (orb.Geometry, error) {
	proj, err := LonLatProjection(from)
	if err != nil {
		return nil, err
	}
	if from.IsLonLat() {
		return g, nil
	}
	return apply(g, proj)
}

// apply runs proj over every position of g in place.
func apply(g orb.Geometry, proj orb.Projection) (orb.Geometry, error) {
	switch g := g.(type) {
	case nil:
		return nil, nil
	case orb.Point:
		return proj(g), nil
	case orb.MultiPoint:
		applyPoints(g, proj)
	case orb.LineString:
		applyPoints(g, proj)
	case orb.Ring:
		applyPoints(g, proj)
	case orb.MultiLineString:
		for _, ls := range g {
			applyPoints(ls, proj)
		}
	case orb.Polygon:
		for _, r := range g {
			applyPoints(r, proj)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				applyPoints(r, proj)
			}
		}
	case orb.Collection:
		for i, member := range g {
			converted, err := apply(member, proj)
			if err != nil {
				return nil, fmt.Errorf("collection member %d: %w", i, err)
			}
			g[i] = converted
		}
	case orb.Bound:
		// Grid-aligned rectangles are not lon/lat-aligned: bound all four corners.
		b := orb.Bound{Min: proj(g.Min), Max: proj(g.Min)}
		b = b.Extend(proj(g.Max))
		b = b.Extend(proj(orb.Point{g.Min[0], g.Max[1]}))
		return b.Extend(proj(orb.Point{g.Max[0], g.Min[1]})), nil
	default:
		return nil, fmt.Errorf("reproject: %w: %T", ErrUnsupportedGeometry, g)
	}
	return g, nil
}

func applyPoints[S ~[]orb.Point](points S, proj orb.Projection) {
	for i, p := range points {
		points[i] = proj(p)
	}
}
