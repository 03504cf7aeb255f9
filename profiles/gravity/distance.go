package gravity

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// minLogSeed bounds the exponent of a seed, −decay·(d − d_ref) ≥ minLogSeed,
// so that seeds stay positive normal float64 numbers (e^−700 ≈ 1e−304) and
// balancing can never divide by an underflowed zero.
const minLogSeed = -700

// distanceKm is the great-circle distance in kilometres on orb's sphere
// (radius orb.EarthRadius), as geo.DistanceHaversine.
func distanceKm(a, b orb.Point) float64 {
	return geo.DistanceHaversine(a, b) / 1000
}

// seed is exp(−decay·excess) with the exponent bounded below by minLogSeed;
// excess is a distance in km above a reference distance.
func seed(decay, excess float64) float64 {
	x := -decay * excess
	if x < minLogSeed {
		x = minLogSeed
	}
	return math.Exp(x)
}
