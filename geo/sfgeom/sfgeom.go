// Package sfgeom converts orb geometry to simplefeatures geometry, for the
// packages that use simplefeatures' exact overlay (geo/dissolve,
// geo/overlap).
package sfgeom

import (
	"github.com/paulmach/orb"
	"github.com/peterstace/simplefeatures/geom"
)

// Polygon is p as a simplefeatures polygon (XY), rings in order.
func Polygon(p orb.Polygon) geom.Polygon {
	rings := make([]geom.LineString, len(p))
	for i, r := range p {
		flat := make([]float64, 0, 2*len(r))
		for _, pt := range r {
			flat = append(flat, pt[0], pt[1])
		}
		rings[i] = geom.NewLineString(geom.NewSequence(flat, geom.DimXY))
	}
	return geom.NewPolygon(rings)
}
