package indicatorprofile

import "github.com/placeteam/placeteam/data/dataset"

// WardSums are an indicator's numerators and denominators summed per ward
// (in one lens), from which the value of any group of wards follows by
// addition: what a map needs for every version of every configuration,
// without EvaluateWith's intervals, comparisons, breakdowns and inequality
// runs. A unit's value from WardSums is EvaluateWith's value for it (up to
// the order of floating-point additions). Immutable; safe for concurrent
// use.
type WardSums struct {
	ind      dataset.Indicator
	wards    map[string]*sums
	modelled bool
}

// NewWardSums sums indicator id per ward of the city.
func NewWardSums(ds *dataset.Dataset, id string, opts Options) (*WardSums, error) {
	ind, err := find(ds, id)
	if err != nil {
		return nil, err
	}
	sp, err := newSpread(ds, *ind, opts)
	if err != nil {
		return nil, err
	}
	wardUnits := make(map[string][]string, len(ds.Wards))
	for _, w := range ds.Wards {
		wardUnits[w.Code] = []string{w.Code}
	}
	agg := sp.aggregate(ds, id, func(ward string) []string { return wardUnits[ward] })
	return &WardSums{ind: *ind, wards: agg.units, modelled: sp.modelled}, nil
}

// Modelled says whether the figures are modelled (MSOA values apportioned,
// practice values spread over modelled flows).
func (w *WardSums) Modelled() bool { return w.modelled }

// Value is the indicator's value for the unit made of wards, nil when it
// is unknown (no denominator, or every area suppressed).
func (w *WardSums) Value(wards []string) *float64 {
	var s sums
	for _, code := range wards {
		ws := w.wards[code]
		if ws == nil {
			continue
		}
		s.num += ws.num
		s.den += ws.den
		s.areas += ws.areas
		s.missing += ws.missing
		s.supDen += ws.supDen
		s.supWeight += ws.supWeight
		s.supNoDen = s.supNoDen || ws.supNoDen
	}
	return figure(w.ind, "", "", "", &s).Value
}
