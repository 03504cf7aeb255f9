package siting

import (
	"math"

	"github.com/paulmach/orb"
)

// GreatCircle returns great-circle distances in kilometres between the
// demand points and the candidates, the same as
// geo.DistanceHaversine(demand, candidate)/1000 from github.com/paulmach/orb
// (a sphere of radius orb.EarthRadius).
//
// Distances are computed when asked for, not stored: memory is O(n + m)
// (about 80 bytes per point, for the cosines of the latitudes and the unit
// vectors) and each Distance call costs one haversine evaluation. Solve also
// uses the unit vectors to find each demand point's nearest candidates with a
// k-d tree, so building nearest-candidate lists costs about O(n·L·log m)
// rather than the n·m distances of a full scan. Both slices are copied; the
// index of a point is its index in them. Distance returns NaN for an index
// out of range.
func GreatCircle(demand []Demand, cands []Candidate) Distances {
	g := &greatCircle{dem: make([]sphericalPoint, len(demand)), cand: make([]sphericalPoint, len(cands))}
	for i, d := range demand {
		g.dem[i] = newSphericalPoint(d.Point)
	}
	for j, c := range cands {
		g.cand[j] = newSphericalPoint(c.Point)
	}
	return g
}

type greatCircle struct {
	dem, cand []sphericalPoint
}

// sphericalPoint holds what the haversine formula and the k-d tree need.
type sphericalPoint struct {
	lon, lat float64 // degrees
	cosLat   float64
	unit     [3]float64 // position on the unit sphere
}

func newSphericalPoint(p orb.Point) sphericalPoint {
	lon, lat := deg2rad(p[0]), deg2rad(p[1])
	c := math.Cos(lat)
	return sphericalPoint{
		lon: p[0], lat: p[1], cosLat: c,
		unit: [3]float64{c * math.Cos(lon), c * math.Sin(lon), math.Sin(lat)},
	}
}

// deg2rad is the conversion orb's geo package uses, kept identical so that
// distances agree to the last bit.
func deg2rad(d float64) float64 { return d * math.Pi / 180.0 }

func (g *greatCircle) Distance(i, j int) float64 {
	if i < 0 || i >= len(g.dem) || j < 0 || j >= len(g.cand) {
		return math.NaN()
	}
	return haversineKm(&g.dem[i], &g.cand[j])
}

// haversineKm is geo.DistanceHaversine(a, b)/1000 with the cosines of the
// latitudes computed once per point; the operations are the same, in the same
// order.
func haversineKm(a, b *sphericalPoint) float64 {
	dLat := deg2rad(a.lat - b.lat)
	dLon := deg2rad(a.lon - b.lon)
	dLat2Sin := math.Sin(dLat / 2)
	dLon2Sin := math.Sin(dLon / 2)
	h := dLat2Sin*dLat2Sin + b.cosLat*a.cosLat*dLon2Sin*dLon2Sin
	return 2.0 * orb.EarthRadius * math.Atan2(math.Sqrt(h), math.Sqrt(1-h)) / 1000
}

// earthRadiusKm is orb.EarthRadius in kilometres.
const earthRadiusKm = orb.EarthRadius / 1000

func (g *greatCircle) size() (int, int) { return len(g.dem), len(g.cand) }
