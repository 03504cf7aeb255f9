package indicatorprofile

import (
	"fmt"

	"github.com/placeteam/placeteam/data/dataset"
)

// share is the part (weight) of an area's value that reaches a ward, and
// through which LSOA it does (empty for a practice's value).
type share struct {
	ward   string
	lsoa   string
	weight float64
	// patients is the flow behind a resident-lens share.
	patients float64
}

// spread says where each area's value goes.
//
//   - LSOA values go whole to the LSOA's ward (the ONS best-fit lookup);
//     ward values to their ward.
//   - MSOA values are apportioned to the MSOA's LSOAs by resident population
//     (the latest population estimate; equal shares when an MSOA's LSOAs
//     have no population) and through them to wards. The part of an MSOA
//     whose LSOAs lie outside the city leaves the city. The figures are
//     then marked modelled: they assume the indicator is uniform within
//     the MSOA.
//   - Practice values, registered lens: whole to the ward the practice is
//     in.
//   - Practice values, resident lens: to the wards its patients live in,
//     in proportion to the practice × ward flows of the ward tables
//     (numerator and denominator both), so a team's value is the
//     practice prevalences weighted by how many of the team's residents
//     each practice holds. Modelled when the flows are, and in any case
//     an estimate: it assumes a practice's prevalence is the same among
//     its patients wherever they live, and uses the flows of the tables'
//     registration date, which may differ from the indicator's period.
type spread struct {
	shares   map[string][]share
	quintile map[string]int // LSOA → national IMD quintile of the latest edition
	lens     string
	modelled bool
	byLSOA   bool
	// flows is true for the resident lens of a practice indicator, whose
	// figures then report their coverage.
	flows bool
}

func newSpread(ds *dataset.Dataset, ind dataset.Indicator, opts Options) (*spread, error) {
	sp := &spread{shares: map[string][]share{}, quintile: map[string]int{}}
	lensOption := opts.Lens
	if lensOption == "" {
		lensOption = LensRegistered
	}
	if lensOption != LensRegistered && lensOption != LensResident {
		return nil, fmt.Errorf("indicatorprofile: %w %q: want %s or %s", ErrLens, opts.Lens, LensRegistered, LensResident)
	}
	edition := latestIMDEdition(ds)
	quintiles := func() {
		if ind.Measure == dataset.MeasureAreaShare {
			// A share of residents living in areas that meet a condition
			// (most often a deprivation decile) broken down by area
			// deprivation says little or restates the condition: no
			// quintiles, no SII.
			return
		}
		for _, l := range ds.LSOAs {
			if d, ok := l.DeprivationEdition(edition); ok {
				sp.quintile[l.Code] = (d.Decile + 1) / 2
			}
		}
	}
	switch ind.Level {
	case string(dataset.AreaLSOA):
		sp.lens, sp.byLSOA = "resident: LSOAs in the team's wards", ind.Measure != dataset.MeasureAreaShare
		quintiles()
		for _, l := range ds.LSOAs {
			if l.WardCode != "" {
				sp.shares[l.Code] = []share{{ward: l.WardCode, lsoa: l.Code, weight: 1}}
			}
		}
	case dataset.IndicatorLevelMSOA:
		sp.lens, sp.byLSOA, sp.modelled = "resident: MSOA values apportioned to their LSOAs by population, LSOAs in the team's wards (modelled)", ind.Measure != dataset.MeasureAreaShare, true
		quintiles()
		members := map[string][]dataset.LSOA{}
		for _, l := range ds.LSOAs {
			if l.MSOACode != "" {
				members[l.MSOACode] = append(members[l.MSOACode], l)
			}
		}
		for m, ls := range members {
			total := 0.0
			for _, l := range ls {
				if l.Population.Known() {
					total += float64(l.Population.Total)
				}
			}
			for _, l := range ls {
				w := 1 / float64(len(ls))
				if total > 0 {
					w = 0
					if l.Population.Known() {
						w = float64(l.Population.Total) / total
					}
				}
				if l.WardCode != "" && w > 0 {
					sp.shares[m] = append(sp.shares[m], share{ward: l.WardCode, lsoa: l.Code, weight: w})
				}
			}
		}
	case dataset.IndicatorLevelWard:
		sp.lens = "resident: wards of the team"
		for _, w := range ds.Wards {
			sp.shares[w.Code] = []share{{ward: w.Code, weight: 1}}
		}
	case dataset.IndicatorLevelPractice:
		if lensOption == LensRegistered {
			sp.lens = "registered: practices located in the team's wards"
			for _, p := range ds.Practices {
				if p.WardCode != "" {
					sp.shares[p.Code] = []share{{ward: p.WardCode, weight: 1}}
				}
			}
			break
		}
		t := opts.Tables
		if !t.HasResidence() {
			return nil, fmt.Errorf("indicatorprofile: %w: the resident lens of a practice indicator needs practice × ward flows, and the dataset has no registrations by area of residence", ErrLens)
		}
		sp.modelled = t.FlowModel.Modelled
		sp.lens = fmt.Sprintf("resident: practice values spread over where their patients live by the practice × ward flows of %s (%s)",
			t.Dates.Registrations.Format("January 2006"), t.FlowModel.Kind)
		if sp.modelled {
			sp.lens += ", modelled"
		}
		sp.flows = true
		for code, wards := range t.Residence {
			total := t.ResidenceTotal(code)
			if total <= 0 {
				continue
			}
			// Ward order, so that sums are the same on every run.
			for w := range t.Wards {
				if n := wards[w]; n > 0 {
					sp.shares[code] = append(sp.shares[code], share{ward: t.Wards[w].Code, weight: n / total, patients: n})
				}
			}
		}
	default:
		return nil, fmt.Errorf("indicatorprofile: indicator %q has level %q, which no lens handles", ind.ID, ind.Level)
	}
	return sp, nil
}
