package demo

import (
	"math"
	"math/rand/v2"

	"github.com/placeteam/placeteam/data/dataset"
)

const (
	populationYear = 2015
	// englandLSOAs is the number of LSOAs IMD 2015 and 2019 rank.
	englandLSOAs = 32844
)

// residents is what the model says about the people of one LSOA.
type residents struct {
	population  dataset.Population
	deprivation []dataset.Deprivation
	// need is the latent deprivation: a national z-score, higher is more
	// deprived (IMD rank 1 is the most deprived).
	need float64
}

// modelResidents gives every LSOA a population and two IMD editions.
//
// Deprivation is a smooth field plus noise: a north-east to south-west
// gradient (deprived inner north and east, affluent south-west), a deprived
// estate on the far southern edge, smooth noise on a 2.5 km scale and an
// independent draw per LSOA. The 2015 and 2019 editions add their own small
// noise to the same field; the rank is the national position of that
// z-score, and the 2015 score is the monotone score that ranks the same way.
// The neighbouring districts are mixed, close to the national average.
//
// Populations are about 1,800 (1,300-2,500), more in the city centre;
// deprived areas are younger and the city centre has few children or
// older people.
func modelResidents(rng *rand.Rand, g *geography) []residents {
	l := g.lattice
	field := newNoise(rng, float64(l.cols)*l.cell, float64(l.rows)*l.cell, 2500)
	fine := newNoise(rng, float64(l.cols)*l.cell, float64(l.rows)*l.cell, 900)
	out := make([]residents, len(g.lsoas))
	for i, a := range g.lsoas {
		p := a.centre
		u, v := p.x/cityHalfWidth, p.y/cityHalfHeight
		smooth := 2*(field.at(p)-0.5) + (fine.at(p) - 0.5)
		var need float64
		if a.zone == zoneCity {
			need = 0.95 + 0.75*v + 0.45*u +
				1.5*math.Exp(-((u-0.1)*(u-0.1)+(v+0.95)*(v+0.95))/0.06) -
				1.6*math.Exp(-((u+0.3)*(u+0.3)+(v+0.45)*(v+0.45))/0.12) +
				0.9*smooth + 0.3*rng.NormFloat64()
		} else {
			need = -0.1 + 0.9*smooth + 0.3*rng.NormFloat64()
		}
		r := &out[i]
		r.need = need
		need2015 := need + 0.12*rng.NormFloat64()
		need2019 := need + 0.12*rng.NormFloat64()
		rank2015, rank2019 := nationalRank(need2015), nationalRank(need2019)
		r.deprivation = []dataset.Deprivation{
			{Edition: 2015, Score: imdScore(need2015), HasScore: true, Rank: rank2015, Decile: decile(rank2015), Source: sourceIMD2015},
			{Edition: 2019, Rank: rank2019, Decile: decile(rank2019), Source: sourceIMD2019},
		}

		central := a.zone == zoneCity && rho(p) < centralRadius
		total := 1800 + 230*rng.NormFloat64()
		if a.zone != zoneCity {
			total -= 120
		}
		if central {
			total += 450
		}
		t := int(math.Round(clamp(total, 1300, 2500)))
		n := clamp(need, -2, 3)
		young := 0.19 + 0.035*n + 0.015*rng.NormFloat64()
		old := 0.17 - 0.035*n + 0.015*rng.NormFloat64()
		if central {
			young, old = young*0.45, old*0.5
		}
		children := int(math.Round(float64(t) * clamp(young, 0.06, 0.32)))
		older := int(math.Round(float64(t) * clamp(old, 0.05, 0.32)))
		r.population = dataset.Population{
			Year: populationYear, Total: t,
			Age0to15: children, Age16to59: t - children - older, Age60Plus: older,
			Source: sourcePopulation,
		}
	}
	return out
}

// nationalRank is the IMD rank of an LSOA whose deprivation is the z-score
// need: the number of English LSOAs at least as deprived.
func nationalRank(need float64) int {
	moreDeprived := 0.5 * math.Erfc(need/math.Sqrt2) // P(Z > need)
	return int(clamp(math.Round(moreDeprived*englandLSOAs), 1, englandLSOAs))
}

// decile follows the IMD convention: decile 1 holds ranks 1-3,284.
func decile(rank int) int {
	return int(math.Ceil(float64(rank) * 10 / englandLSOAs))
}

// imdScore maps the z-score to an IMD-like score (median about 17, the most
// deprived areas 60-90), rounded to three decimals as published.
func imdScore(need float64) float64 {
	return math.Round(17*math.Exp(0.55*need)*1000) / 1000
}
