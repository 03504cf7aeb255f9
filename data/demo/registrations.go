package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/placeteam/placeteam/data/dataset"
)

// The registration model; see the package documentation.
const (
	// distanceDecay is β, the distance (metres) over which a practice's pull
	// falls by a factor e.
	distanceDecay = 1000.0
	// Registered patients per resident: list inflation (people who moved
	// away but are still registered) against residents not registered.
	registeredMin, registeredMax = 0.96, 1.06
	// Target list sizes at the registration date.
	targetListMin, targetListMax = 2600.0, 16000.0
	// boundaryFriction scales the pull of a practice in another district:
	// practice catchment areas tend to stop at local authority boundaries.
	boundaryFriction = 0.3
	// outsideLocalShare is the part of the neighbouring districts' registered
	// residents that their own practices' target lists add up to.
	outsideLocalShare = 0.8
	// balancingRounds calibrates attractiveness to the targets.
	balancingRounds = 60
)

// modelRegistrations allocates each LSOA's registered residents among the
// practices open on registrationDate and returns the practice × LSOA table and
// each practice's resulting list (zero when not open).
func modelRegistrations(rng *rand.Rand, g *geography, people []residents, practices []*practice, n areaNames) ([]dataset.Registration, []int) {
	var open []int
	for j, p := range practices {
		if p.record.OpenOn(registrationDate) {
			open = append(open, j)
		}
	}

	registered := make([]int, len(g.lsoas))
	var totalRegistered float64
	for i := range g.lsoas {
		f := registeredMin + (registeredMax-registeredMin)*rng.Float64()
		registered[i] = int(math.Round(float64(people[i].population.Total) * f))
		totalRegistered += float64(registered[i])
	}

	// Target lists: log-normal, larger where the practice's area is denser;
	// scaled to the registered total and kept within the target range.
	densities := make([]float64, len(open))
	for k, j := range open {
		densities[k] = practices[j].density
	}
	median := medianOf(densities)
	target := make([]float64, len(open))
	for k, j := range open {
		target[k] = math.Exp(0.35*rng.NormFloat64()) * math.Pow(practices[j].density/median, 0.35)
	}
	// The neighbouring districts' practices take outsideLocalShare of their
	// residents' registrations; the city's practices take the rest.
	var outsideRegistered float64
	for i, a := range g.lsoas {
		if a.zone != zoneCity {
			outsideRegistered += float64(registered[i])
		}
	}
	for range 10 {
		var sum [2]float64
		for k, j := range open {
			sum[min(practices[j].zone, 1)] += target[k]
		}
		want := [2]float64{totalRegistered - outsideLocalShare*outsideRegistered, outsideLocalShare * outsideRegistered}
		for k, j := range open {
			z := min(practices[j].zone, 1)
			target[k] = clamp(target[k]*want[z]/sum[z], targetListMin, targetListMax)
		}
	}

	// Pull of each practice on each LSOA: exp(-distance/β), less across a
	// district boundary.
	pull := make([][]float64, len(g.lsoas))
	for i, a := range g.lsoas {
		pull[i] = make([]float64, len(open))
		for k, j := range open {
			pull[i][k] = math.Exp(-a.centre.dist(practices[j].at) / distanceDecay)
			if a.zone != practices[j].zone {
				pull[i][k] *= boundaryFriction
			}
		}
	}
	attract := slices.Clone(target)
	share := func(i int, out []float64) {
		var sum float64
		for k := range out {
			out[k] = attract[k] * pull[i][k]
			sum += out[k]
		}
		for k := range out {
			out[k] /= sum
		}
	}
	p := make([]float64, len(open))
	for range balancingRounds {
		expected := make([]float64, len(open))
		for i := range g.lsoas {
			share(i, p)
			for k := range p {
				expected[k] += float64(registered[i]) * p[k]
			}
		}
		for k := range attract {
			attract[k] *= target[k] / expected[k]
		}
	}

	lists := make([]int, len(practices))
	var rows []dataset.Registration
	for i := range g.lsoas {
		share(i, p)
		for k, count := range largestRemainder(registered[i], p) {
			if count == 0 {
				continue
			}
			j := open[k]
			lists[j] += count
			rows = append(rows, dataset.Registration{
				PracticeCode: practices[j].record.Code,
				AreaLevel:    dataset.AreaLSOA,
				AreaCode:     n.lsoaCode[i],
				Date:         registrationDate,
				Patients:     count,
				Source:       sourceRegistrations,
			})
		}
	}
	slices.SortFunc(rows, func(a, b dataset.Registration) int {
		return cmp.Or(cmp.Compare(a.PracticeCode, b.PracticeCode), cmp.Compare(a.AreaCode, b.AreaCode))
	})
	return rows, lists
}

// largestRemainder splits total into integers proportional to shares (which
// sum to 1): each gets the floor of its quota, and the units left over go to
// the largest fractional parts, ties to the lower index.
func largestRemainder(total int, shares []float64) []int {
	out := make([]int, len(shares))
	rest := make([]int, len(shares))
	given := 0
	for k, s := range shares {
		out[k] = int(math.Floor(float64(total) * s))
		given += out[k]
		rest[k] = k
	}
	frac := func(k int) float64 { return float64(total)*shares[k] - float64(out[k]) }
	sort.SliceStable(rest, func(a, b int) bool { return frac(rest[a]) > frac(rest[b]) })
	for k := 0; given < total; k = (k + 1) % len(rest) {
		out[rest[k]]++
		given++
	}
	return out
}

// closedListHeirs is how a closed practice's list passes to the nearest
// practices still open; 10% of its patients register elsewhere.
var closedListHeirs = []float64{0.45, 0.3, 0.15}

// modelListSizes gives every practice its list on each date it was open:
// on registrationDate the sum of its registrations; on laterListDate that
// list grown by about 7% (with noise), plus shares of the lists of nearby
// practices that closed in between. Practices opened in between start with
// 2,800-5,300 patients.
func modelListSizes(rng *rand.Rand, practices []*practice, first []int) []dataset.ListSize {
	later := make([]float64, len(practices))
	for j, p := range practices {
		switch {
		case !p.record.OpenOn(laterListDate):
		case p.record.OpenOn(registrationDate):
			later[j] = float64(first[j]) * math.Exp(0.07+0.06*rng.NormFloat64())
		default:
			later[j] = 2800 + 2500*rng.Float64()
		}
	}
	for j, p := range practices {
		if !p.record.OpenOn(registrationDate) || p.record.OpenOn(laterListDate) {
			continue
		}
		var heirs []int
		for k, q := range practices {
			if q.record.OpenOn(laterListDate) {
				heirs = append(heirs, k)
			}
		}
		sort.SliceStable(heirs, func(a, b int) bool { return p.at.dist(practices[heirs[a]].at) < p.at.dist(practices[heirs[b]].at) })
		for k, share := range closedListHeirs {
			later[heirs[k]] += share * float64(first[j])
		}
	}

	var out []dataset.ListSize
	for j, p := range practices {
		if p.record.OpenOn(registrationDate) {
			out = append(out, dataset.ListSize{PracticeCode: p.record.Code, Date: registrationDate, Patients: first[j], Commissioner: p.record.Commissioner, Source: sourceListSizes})
		}
		if p.record.OpenOn(laterListDate) {
			out = append(out, dataset.ListSize{PracticeCode: p.record.Code, Date: laterListDate, Patients: int(math.Round(later[j])), Commissioner: p.record.Commissioner, Source: sourceListSizes})
		}
	}
	return out
}
