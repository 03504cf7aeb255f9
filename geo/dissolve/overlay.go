package dissolve

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"

	"github.com/placeteam/placeteam/geo/sfgeom"
)

// This file is the package's only contact with simplefeatures: orb polygons
// go in, orb polygons come out.

// overlayUnion returns the union of polygons, which must each be valid (see
// validPolygon) but may overlap or touch. It checks ctx between overlays. A
// panic inside the library is returned as ErrOverlay rather than taking the
// service down.
//
// The union is cascaded: neighbours (in Z-order of their bounding-box
// centres) are unioned in pairs, then the pairs in pairs, and so on, so
// every overlay is binary and shared edges dissolve early, keeping
// intermediate results small. Binary overlays also sidestep a defect of
// simplefeatures v0.50's n-ary UnionMany, which can keep the hole of one
// polygon although another polygon covers it.
func overlayUnion(ctx context.Context, polygons []orb.Polygon) (_ orb.MultiPolygon, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: simplefeatures panicked: %v", ErrOverlay, r)
		}
	}()
	if len(polygons) == 0 {
		return nil, nil
	}
	level := make([]geom.Geometry, len(polygons))
	for i, p := range zOrder(polygons) {
		level[i] = sfgeom.Polygon(p).AsGeometry()
	}
	for len(level) > 1 {
		next := level[:0] // written behind the reads: next[i/2] from level[i], level[i+1]
		for i := 0; i < len(level); i += 2 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			if i+1 == len(level) {
				next = append(next, level[i])
				break
			}
			merged, err := geom.Union(level[i], level[i+1])
			if err != nil {
				return nil, fmt.Errorf("%w: %w", ErrOverlay, err)
			}
			next = append(next, merged)
		}
		level = next
	}
	return fromSimple(level[0])
}

// zOrder returns polygons sorted along a Z-order (Morton) curve through
// their bounding-box centres, so that neighbours in the slice tend to be
// neighbours on the map.
func zOrder(polygons []orb.Polygon) []orb.Polygon {
	all := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	centres := make([]orb.Point, len(polygons))
	for i, p := range polygons {
		centres[i] = p.Bound().Center()
		all = all.Extend(centres[i])
	}
	keys := make([]uint64, len(polygons))
	for i, c := range centres {
		keys[i] = interleave(scale16(c[0], all.Min[0], all.Max[0]), scale16(c[1], all.Min[1], all.Max[1]))
	}
	order := make([]int, len(polygons))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
	out := make([]orb.Polygon, len(polygons))
	for i, j := range order {
		out[i] = polygons[j]
	}
	return out
}

// scale16 maps v in [lo, hi] to 0…65535.
func scale16(v, lo, hi float64) uint32 {
	if hi <= lo {
		return 0
	}
	return uint32((v - lo) / (hi - lo) * 65535)
}

// interleave puts the bits of x in the even places and those of y in the
// odd places of a Morton key.
func interleave(x, y uint32) uint64 {
	var key uint64
	for bit := range 16 {
		key |= uint64(x>>bit&1)<<(2*bit) | uint64(y>>bit&1)<<(2*bit+1)
	}
	return key
}

// validPolygon reports why p is not a valid OGC polygon (simple closed rings,
// holes inside the shell, rings meeting at most at single points, connected
// interior), or nil. The overlay relies on it.
func validPolygon(p orb.Polygon) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("simplefeatures panicked: %v", r)
		}
	}()
	return sfgeom.Polygon(p).Validate()
}

// fromSimple converts an overlay result to orb. A union of polygons is
// areal, so any point or line in a collection (there should be none) is
// ignored.
func fromSimple(g geom.Geometry) (orb.MultiPolygon, error) {
	switch g.Type() {
	case geom.TypePolygon:
		if g.IsEmpty() {
			return nil, nil
		}
		return orb.MultiPolygon{fromSimplePolygon(g.MustAsPolygon())}, nil
	case geom.TypeMultiPolygon:
		m := g.MustAsMultiPolygon()
		out := make(orb.MultiPolygon, 0, m.NumPolygons())
		for i := 0; i < m.NumPolygons(); i++ {
			if p := m.PolygonN(i); !p.IsEmpty() {
				out = append(out, fromSimplePolygon(p))
			}
		}
		return out, nil
	case geom.TypeGeometryCollection:
		c := g.MustAsGeometryCollection()
		var out orb.MultiPolygon
		for i := 0; i < c.NumGeometries(); i++ {
			part, err := fromSimple(c.GeometryN(i))
			if err != nil {
				return nil, err
			}
			out = append(out, part...)
		}
		return out, nil
	case geom.TypePoint, geom.TypeMultiPoint, geom.TypeLineString, geom.TypeMultiLineString:
		return nil, nil
	}
	return nil, fmt.Errorf("%w: unexpected result type %v", ErrOverlay, g.Type())
}

func fromSimplePolygon(p geom.Polygon) orb.Polygon {
	out := make(orb.Polygon, 0, p.NumRings())
	for _, seq := range p.Coordinates() {
		ring := make(orb.Ring, seq.Length())
		for i := range ring {
			xy := seq.GetXY(i)
			ring[i] = orb.Point{xy.X, xy.Y}
		}
		out = append(out, ring)
	}
	return out
}
