// Package plancheck checks a team configuration as a plan: every ward in
// exactly one team, the team count, each team and locality contiguous,
// resident and registered population balanced, and how compact each team
// is, how coherent with one hospital trust's catchment, how its residents
// spread over the deprivation quintiles, and which primary care networks it
// splits. Checks report, they do not refuse: a plan that fails one is a
// finding for the planner (Manchester's own 2015 teams fail some).
//
// Contiguity is rook adjacency (geo/adjacency): wards whose boundaries
// share a stretch of positive length. A touch at a point does not join two
// wards, nor does a river or other gap between their polygons; an enclave
// is joined to the ward around it.
//
// Areas are geodesic (on the sphere, as the profiles' area_km2), perimeters
// geodesic lengths, and a team's perimeter is the sum of its wards'
// perimeters less twice the boundary they share, so no dissolve is needed.
// Polsby–Popper is 4πA/P² (1 for a circle); the convex-hull ratio is the
// team's area over its convex hull's, both in a Lambert azimuthal
// equal-area projection centred on the team (1 for a convex team).
package plancheck

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/adjacency"
)

// City is what the checks need of a dataset's wards, built once per
// dataset: their adjacency, areas, perimeters and outlines.
type City struct {
	codes      []string
	index      map[string]int
	graph      *adjacency.Graph
	areaM2     []float64
	perimeterM []float64
	outline    []orb.MultiPoint // each ward's outer-ring vertices, for hulls
	shapes     []orb.MultiPolygon
}

// NewCity builds the adjacency of the wards and their measures.
func NewCity(ctx context.Context, wards []dataset.Ward) (*City, error) {
	c := &City{index: make(map[string]int, len(wards))}
	shapes := make([]orb.MultiPolygon, len(wards))
	for i, w := range wards {
		c.codes = append(c.codes, w.Code)
		c.index[w.Code] = i
		shapes[i] = w.Geometry
		c.areaM2 = append(c.areaM2, geo.Area(w.Geometry))
		var perimeter float64
		var outline orb.MultiPoint
		for _, p := range w.Geometry {
			for _, r := range p {
				perimeter += geo.Length(orb.LineString(r))
			}
			if len(p) > 0 {
				outline = append(outline, p[0]...)
			}
		}
		c.perimeterM = append(c.perimeterM, perimeter)
		c.outline = append(c.outline, outline)
	}
	g, err := adjacency.Build(ctx, shapes, adjacency.Options{})
	if err != nil {
		return nil, fmt.Errorf("plancheck: ward adjacency: %w", err)
	}
	c.graph, c.shapes = g, shapes
	return c, nil
}

// Adjacency is the wards' rook adjacency, indexed as the dataset's wards.
func (c *City) Adjacency() *adjacency.Graph { return c.graph }

// Neighbours lists the codes of the wards adjacent to the ward code.
func (c *City) Neighbours(code string) []string {
	i, ok := c.index[code]
	if !ok {
		return nil
	}
	var out []string
	for _, j := range c.graph.Neighbours(i) {
		out = append(out, c.codes[j])
	}
	return out
}
