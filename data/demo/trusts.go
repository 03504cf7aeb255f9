package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/placeteam/placeteam/data/dataset"
)

const (
	catchmentYear = 2019
	// catchmentDecay is the distance (metres) over which a trust's share of
	// an MSOA's admissions falls by a factor e.
	catchmentDecay = 2500.0
)

// acuteTrust is a trust and where its hospitals stand, in normalised city
// coordinates (x/cityHalfWidth, y/cityHalfHeight).
type acuteTrust struct {
	code, name string
	sites      []siteSpec // the first is the trust's headquarters
}

type siteSpec struct {
	name string
	u, v float64
}

var acuteTrusts = []acuteTrust{
	{code: "R9N", name: "North Demoport Hospitals NHS Trust", sites: []siteSpec{
		{name: "North Demoport General Hospital", u: 0.1, v: 0.55},
	}},
	{code: "R9C", name: "Demoport Royal Infirmary NHS Foundation Trust", sites: []siteSpec{
		{name: "Demoport Royal Infirmary", u: 0.15, v: -0.08},
		{name: "Demoport Children's and Eye Hospital", u: 0.05, v: -0.15},
	}},
	{code: "R9S", name: "South Demoport University Hospitals NHS Foundation Trust", sites: []siteSpec{
		{name: "Saltersford Hospital", u: -0.05, v: -0.62},
	}},
}

// modelTrusts places the trusts' hospital sites at points inside city cells
// and gives every MSOA (in the city and outside) its catchment shares.
//
// Each trust's pull on an MSOA is exp(-d/γ) (d the distance from the MSOA's
// centre to the trust's nearest site, γ = 2.5 km); the shares split the part
// of the MSOA's admissions that go to the three trusts — 0.88-0.98 in the
// city, 0.55-0.85 in the neighbouring districts, whose residents also use
// hospitals not modelled here — and are rounded down to four decimals, so
// each MSOA's shares sum to at most 1.
func modelTrusts(rng *rand.Rand, g *geography, n areaNames) ([]dataset.Trust, []dataset.HospitalSite, []dataset.CatchmentShare) {
	l := g.lattice
	var trusts []dataset.Trust
	var sites []dataset.HospitalSite
	siteAt := make([][]xy, len(acuteTrusts))
	for t, spec := range acuteTrusts {
		for s, site := range spec.sites {
			want := xy{site.u * cityHalfWidth, site.v * cityHalfHeight}
			best := g.zoneCells[zoneCity][0]
			for _, c := range g.zoneCells[zoneCity] {
				if l.centre[c].dist(want) < l.centre[best].dist(want) {
					best = c
				}
			}
			at := l.pointInCell(best, 0.5, 0.5)
			siteAt[t] = append(siteAt[t], at)
			sites = append(sites, dataset.HospitalSite{Name: site.name, Location: at.lonLat(), TrustCode: spec.code, Source: sourceHospitalSites})
			if s == 0 {
				trusts = append(trusts, dataset.Trust{Code: spec.code, Name: spec.name, HQ: at.lonLat(), HasHQ: true, Source: sourceTrusts})
			}
		}
	}

	var shares []dataset.CatchmentShare
	for m, grp := range g.msoas {
		admitted := 0.88 + 0.1*rng.Float64()
		if grp.zone != zoneCity {
			admitted = 0.55 + 0.3*rng.Float64()
		}
		pull := make([]float64, len(acuteTrusts))
		var sum float64
		for t := range acuteTrusts {
			d := math.Inf(1)
			for _, at := range siteAt[t] {
				d = math.Min(d, grp.centre.dist(at))
			}
			pull[t] = math.Exp(-d / catchmentDecay)
			sum += pull[t]
		}
		for t, spec := range acuteTrusts {
			p := math.Floor(admitted*pull[t]/sum*1e4) / 1e4
			if p == 0 {
				continue
			}
			shares = append(shares, dataset.CatchmentShare{
				MSOACode: n.msoaCode[m], TrustCode: spec.code, Year: catchmentYear, Proportion: p, Source: sourceCatchments,
			})
		}
	}
	slices.SortFunc(shares, func(a, b dataset.CatchmentShare) int {
		return cmp.Or(cmp.Compare(a.MSOACode, b.MSOACode), cmp.Compare(a.TrustCode, b.TrustCode))
	})
	return trusts, sites, shares
}
