package gravity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/paulmach/orb"
)

// synthetic describes a test city around Manchester (lon −2.2, lat 53.45):
// origins and destinations scattered uniformly over a square of side
// 2·halfSideKm, districts as a grid of contiguous tiles, and counts N_jD
// simulated from the origin-constrained gravity model with a known decay by
// multinomial sampling of every origin's patients.
type synthetic struct {
	origins, destinations int
	// tilesX × tilesY districts.
	tilesX, tilesY int
	halfSideKm     float64
	// meanWeight is the mean origin weight; each origin registers all of its
	// residents, so about origins × meanWeight patients are sampled.
	meanWeight float64
	decay      float64 // true decay, per km
	// unlocated destinations keep their simulated counts but lose their
	// location in the returned problem.
	unlocated int
	seed      uint64
}

const (
	centreLon, centreLat = -2.2, 53.45
	kmPerDegreeLat       = 111.32
)

func (s synthetic) problem() Problem {
	rng := rand.New(rand.NewPCG(s.seed, 0x9e3779b97f4a7c15))
	kmPerDegreeLon := kmPerDegreeLat * math.Cos(centreLat*math.Pi/180)
	place := func() (orb.Point, float64, float64) {
		x := (rng.Float64()*2 - 1) * s.halfSideKm
		y := (rng.Float64()*2 - 1) * s.halfSideKm
		return orb.Point{centreLon + x/kmPerDegreeLon, centreLat + y/kmPerDegreeLat}, x, y
	}
	var p Problem
	for i := range s.origins {
		pt, x, y := place()
		tx := min(int((x+s.halfSideKm)/(2*s.halfSideKm)*float64(s.tilesX)), s.tilesX-1)
		ty := min(int((y+s.halfSideKm)/(2*s.halfSideKm)*float64(s.tilesY)), s.tilesY-1)
		p.Origins = append(p.Origins, Origin{
			ID:     fmt.Sprintf("O%04d", i),
			Point:  pt,
			Group:  fmt.Sprintf("D%d", ty*s.tilesX+tx),
			Weight: math.Round(s.meanWeight * (0.5 + rng.Float64())),
		})
	}
	attract := make([]float64, s.destinations)
	for j := range s.destinations {
		pt, _, _ := place()
		p.Destinations = append(p.Destinations, Destination{ID: fmt.Sprintf("P%03d", j), Point: pt, Located: true})
		attract[j] = math.Exp(0.5 * rng.NormFloat64())
	}

	type key struct {
		destination int
		group       string
	}
	counts := make(map[key]float64)
	cumulative := make([]float64, s.destinations)
	for _, o := range p.Origins {
		var total float64
		for j, d := range p.Destinations {
			total += attract[j] * math.Exp(-s.decay*distanceKm(o.Point, d.Point))
			cumulative[j] = total
		}
		for range int(o.Weight) {
			j := sort.SearchFloat64s(cumulative, rng.Float64()*total)
			counts[key{min(j, s.destinations-1), o.Group}]++
		}
	}
	for k, n := range counts {
		p.Totals = append(p.Totals, GroupTotal{Destination: k.destination, Group: k.group, Count: n})
	}
	sort.Slice(p.Totals, func(a, b int) bool {
		ta, tb := p.Totals[a], p.Totals[b]
		if ta.Destination != tb.Destination {
			return ta.Destination < tb.Destination
		}
		return ta.Group < tb.Group
	})
	for j := s.destinations - s.unlocated; j < s.destinations; j++ {
		p.Destinations[j].Located = false
		p.Destinations[j].Point = orb.Point{math.NaN(), math.NaN()}
	}
	return p
}

// manchesterSize is an instance of the size of the real Manchester problem.
var manchesterSize = synthetic{
	origins: 1300, destinations: 400, tilesX: 4, tilesY: 2,
	halfSideKm: 15, meanWeight: 1500, decay: 0.8, seed: 2015,
}
