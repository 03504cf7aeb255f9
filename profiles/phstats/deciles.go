package phstats

import (
	"math"
	"slices"
)

// RankedArea is a small area (an LSOA, say) with its deprivation and
// population, for assigning the city's own population-weighted deprivation
// quantiles.
type RankedArea struct {
	// Deprivation orders the areas: larger means more deprived. Pass the
	// IMD score directly; for an IMD rank (1 = most deprived in England)
	// pass the negated rank.
	Deprivation float64
	// Population weights the area; it must be non-negative and finite.
	Population float64
}

// PopulationWeightedDeciles assigns each area to one of the city's own
// population-weighted deprivation deciles, 1 (most deprived) to 10 (least
// deprived), returned in input order. It is PopulationWeightedQuantiles with
// n = 10; see there for how boundaries are drawn.
func PopulationWeightedDeciles(items []RankedArea) ([]int, error) {
	return PopulationWeightedQuantiles(items, 10)
}

// PopulationWeightedQuantiles assigns each area to one of n
// population-weighted deprivation quantiles of the set of areas passed in
// (the city's own quantiles, not national ones), numbered 1 (most deprived)
// to n (least deprived) and returned in input order.
//
// Areas are sorted from most to least deprived (ties keep their input
// order) and laid end to end along the cumulative population. Areas are
// never split: an area goes, whole, to the quantile that contains the
// midpoint of its stretch of cumulative population, i.e. quantile
// ⌊n·(before + population/2)/total⌋ + 1, where before is the population of
// all more deprived areas. Each quantile therefore holds 1/n of the
// population give or take half of the areas straddling its boundaries, and
// when one area holds more than 1/n of the population, a quantile can be
// empty. A midpoint exactly on a boundary goes to the less deprived side;
// with whole-number populations (totals below about 1e14) this test is
// exact.
//
// Errors wrap ErrInvalidInput: n < 1, a NaN deprivation, a negative or
// non-finite population, or a total population that is not positive
// (including no areas at all).
func PopulationWeightedQuantiles(items []RankedArea, n int) ([]int, error) {
	const what = "population-weighted quantiles"
	if n < 1 {
		return nil, invalid("%s: %d quantiles, need at least 1", what, n)
	}
	var total float64
	for i, a := range items {
		if math.IsNaN(a.Deprivation) {
			return nil, invalid("%s: area %d: deprivation is NaN", what, i+1)
		}
		if !finite(a.Population) || a.Population < 0 {
			return nil, invalid("%s: area %d: population %v is not finite and non-negative", what, i+1, a.Population)
		}
		total += a.Population
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return nil, invalid("%s: total population %v of %d areas is not positive and finite", what, total, len(items))
	}

	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		// Descending deprivation: most deprived first.
		switch di, dj := items[i].Deprivation, items[j].Deprivation; {
		case di > dj:
			return -1
		case di < dj:
			return 1
		}
		return 0
	})

	quantiles := make([]int, len(items))
	var before float64
	for _, i := range order {
		p := items[i].Population
		// n·(2·before + p) / (2·total): exact in floating point for
		// whole-number populations, so boundary midpoints are decided
		// exactly.
		q := int(math.Floor(float64(n)*(2*before+p)/(2*total))) + 1
		quantiles[i] = min(max(q, 1), n)
		before += p
	}
	return quantiles, nil
}
