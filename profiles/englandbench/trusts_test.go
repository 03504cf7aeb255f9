package englandbench

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/placeteam/placeteam/data/dataset"
)

const (
	// maxCatchmentTrusts is the most trusts an MSOA's admissions go to.
	maxCatchmentTrusts = 4
	// catchmentDecayKm is the distance over which a trust's share of an
	// MSOA's admissions falls by a factor e.
	catchmentDecayKm = 25
)

// addTrusts places acute trusts at the centres of random LSOAs and gives
// every MSOA catchment shares for its 1-4 nearest trusts, falling with
// distance and summing to 0.9-1 (the rest go to trusts elsewhere).
func addTrusts(d *dataset.Dataset, sz size, grid *lattice, wardCells []block, rng *rand.Rand) {
	hq := make([]xy, sz.trusts)
	for i := range sz.trusts {
		cell := rng.IntN(len(d.LSOAs))
		p := rounded(grid.cellPoint(cell%grid.cols, cell/grid.cols, 0.5, 0.5))
		d.Trusts = append(d.Trusts, dataset.Trust{Code: fmt.Sprintf("R%03d", i+1), Name: fmt.Sprintf("Trust %d", i+1), HQ: p, HasHQ: true, Source: sourceTrusts})
		hq[i] = toKm(p)
	}
	type trustAt struct {
		trust int
		km    float64
	}
	near := make([]trustAt, sz.trusts)
	for m, msoa := range d.MSOAs {
		centre := toKm(grid.blockCentre(wardCells[m])) // MSOA m is ward m
		for i := range near {
			near[i] = trustAt{i, centre.dist(hq[i])}
		}
		slices.SortFunc(near, func(a, b trustAt) int {
			if c := cmp.Compare(a.km, b.km); c != 0 {
				return c
			}
			return cmp.Compare(a.trust, b.trust)
		})
		k := 1 + rng.IntN(min(maxCatchmentTrusts, sz.trusts))
		sum := 0.0
		for _, t := range near[:k] {
			sum += math.Exp(-t.km / catchmentDecayKm)
		}
		admitted := 0.9 + 0.1*rng.Float64()
		for _, t := range near[:k] {
			d.Catchments = append(d.Catchments, dataset.CatchmentShare{
				MSOACode: msoa.Code, TrustCode: d.Trusts[t.trust].Code, Year: catchmentYear,
				Proportion: admitted * math.Exp(-t.km/catchmentDecayKm) / sum, Source: sourceCatchments,
			})
		}
	}
}
