package hubplan

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/geo/rfc7946"
)

// GeoJSON returns the plan as features: hubs (points), spokes (lines from
// each practice to its hub) and coverage areas (circles of the threshold
// radius around each hub).
func (p *Plan) GeoJSON() *geojson.FeatureCollection {
	fc := geojson.NewFeatureCollection()
	for _, h := range p.Hubs {
		f := geojson.NewFeature(rfc7946.Normalize(h.Point))
		f.ID = h.ID
		f.Properties = geojson.Properties{"layer": "hubs", "id": h.ID, "name": h.Name, "kind": h.Kind, "team": h.Team, "fixed": h.Fixed, "demand_served": h.Served}
		fc.Append(f)
	}
	for _, s := range p.Spokes {
		f := geojson.NewFeature(rfc7946.Normalize(orb.LineString{s.Point, s.HubPoint}))
		f.Properties = geojson.Properties{"layer": "spokes", "practice": s.Practice, "name": s.Name, "team": s.Team, "hub": s.Hub, "distance_km": s.DistanceKm}
		fc.Append(f)
	}
	for _, h := range p.Hubs {
		f := geojson.NewFeature(rfc7946.Normalize(circle(h.Point, p.Options.Threshold*1000, 48)))
		f.Properties = geojson.Properties{"layer": "coverage", "hub": h.ID, "radius_km": p.Options.Threshold}
		fc.Append(f)
	}
	return fc
}

// circle approximates a geodesic circle of radius metres by n points.
func circle(c orb.Point, radius float64, n int) orb.Polygon {
	ring := make(orb.Ring, 0, n+1)
	for i := 0; i < n; i++ {
		ring = append(ring, geo.PointAtBearingAndDistance(c, 360*float64(i)/float64(n), radius))
	}
	ring = append(ring, ring[0])
	return orb.Polygon{ring}
}
