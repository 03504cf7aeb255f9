// Package compare sets two configurations' profiles side by side: per-team
// deltas, the wards that moved, and balance statistics.
package compare

import (
	"math"
	"sort"
	"strconv"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Result compares option A with option B.
type Result struct {
	A          string      `json:"a"`
	B          string      `json:"b"`
	WardsMoved []WardMove  `json:"wards_moved"`
	Teams      []TeamDelta `json:"teams"`
	SummaryA   Summary     `json:"summary_a"`
	SummaryB   Summary     `json:"summary_b"`
	// ModelledFields lists figures resting on an estimate in either option.
	ModelledFields []string `json:"modelled_fields"`
	// Unknown names the figures unknown in either option, with why: their
	// sides are null, and so is their delta.
	Unknown map[string]string `json:"unknown,omitempty"`
}

// WardMove is a ward whose team differs between the options.
type WardMove struct {
	Ward  string `json:"ward"`
	FromA string `json:"team_a"`
	ToB   string `json:"team_b"`
}

// TeamDelta compares a team id present in either option (a side is nil
// when the team does not exist there or the figure is unknown; a delta is
// nil when either side is).
type TeamDelta struct {
	ID              string   `json:"id"`
	NameA           string   `json:"name_a,omitempty"`
	NameB           string   `json:"name_b,omitempty"`
	ResidentA       *float64 `json:"resident_population_a"`
	ResidentB       *float64 `json:"resident_population_b"`
	ResidentDelta   *float64 `json:"resident_population_delta"`
	RegisteredA     *float64 `json:"registered_population_a"`
	RegisteredB     *float64 `json:"registered_population_b"`
	RegisteredDelta *float64 `json:"registered_population_delta"`
	LocalShareA     *float64 `json:"local_registration_share_a"`
	LocalShareB     *float64 `json:"local_registration_share_b"`
	LocalShareDelta *float64 `json:"local_registration_share_delta"`
	OutOfCityA      *float64 `json:"out_of_city_registered_a"`
	OutOfCityB      *float64 `json:"out_of_city_registered_b"`
	OutOfCityDelta  *float64 `json:"out_of_city_registered_delta"`
	WardsA          []string `json:"wards_a,omitempty"`
	WardsB          []string `json:"wards_b,omitempty"`
}

// Summary is one option's balance across teams.
type Summary struct {
	Teams                 int      `json:"teams"`
	LocalShareMin         *float64 `json:"local_registration_share_min"`
	LocalShareMax         *float64 `json:"local_registration_share_max"`
	LocalShareSpread      *float64 `json:"local_registration_share_spread"`
	ResidentMaxMinRatio   *float64 `json:"resident_population_max_min_ratio"`
	ResidentCV            *float64 `json:"resident_population_cv"`
	RegisteredMaxMinRatio *float64 `json:"registered_population_max_min_ratio"`
	RegisteredCV          *float64 `json:"registered_population_cv"`
}

// WardsMoved lists the wards of option A whose team differs in option B,
// by ward code.
func WardsMoved(cfgA, cfgB *configuration.Configuration) []WardMove {
	moved := []WardMove{}
	wa, wb := cfgA.WardTeams(), cfgB.WardTeams()
	wards := make([]string, 0, len(wa))
	for w := range wa {
		wards = append(wards, w)
	}
	sort.Strings(wards)
	for _, w := range wards {
		if wa[w] != wb[w] {
			moved = append(moved, WardMove{Ward: w, FromA: wa[w], ToB: wb[w]})
		}
	}
	return moved
}

// Compare sets two evaluated configurations side by side.
func Compare(cfgA, cfgB *configuration.Configuration, a, b *placeprofile.Profile) *Result {
	r := &Result{A: a.Configuration, B: b.Configuration, SummaryA: Summarize(a), SummaryB: Summarize(b), WardsMoved: WardsMoved(cfgA, cfgB)}
	byID := map[string]*TeamDelta{}
	var order []string
	get := func(id string) *TeamDelta {
		d, ok := byID[id]
		if !ok {
			d = &TeamDelta{ID: id}
			byID[id] = d
			order = append(order, id)
		}
		return d
	}
	for _, t := range a.Teams {
		d := get(t.ID)
		d.NameA, d.WardsA = t.Name, t.Wards
		d.ResidentA, d.RegisteredA, d.LocalShareA, d.OutOfCityA = ptr(t.ResidentPopulation.Total), registered(t), t.LocalRegistrationShare, t.OutOfCityRegistered
	}
	for _, t := range b.Teams {
		d := get(t.ID)
		d.NameB, d.WardsB = t.Name, t.Wards
		d.ResidentB, d.RegisteredB, d.LocalShareB, d.OutOfCityB = ptr(t.ResidentPopulation.Total), registered(t), t.LocalRegistrationShare, t.OutOfCityRegistered
	}
	for _, id := range order {
		d := byID[id]
		d.ResidentDelta = diff(d.ResidentA, d.ResidentB)
		d.RegisteredDelta = diff(d.RegisteredA, d.RegisteredB)
		d.LocalShareDelta = diff(d.LocalShareA, d.LocalShareB)
		d.OutOfCityDelta = diff(d.OutOfCityA, d.OutOfCityB)
		r.Teams = append(r.Teams, *d)
	}
	seen := map[string]bool{}
	r.ModelledFields = []string{}
	for _, p := range []*placeprofile.Profile{a, b} {
		for _, t := range p.Teams {
			for _, f := range t.ModelledFields {
				if !seen[f] {
					seen[f] = true
					r.ModelledFields = append(r.ModelledFields, f)
				}
			}
		}
	}
	sort.Strings(r.ModelledFields)
	for _, p := range []*placeprofile.Profile{a, b} {
		for f, why := range p.Unknown {
			if r.Unknown == nil {
				r.Unknown = map[string]string{}
			}
			if _, ok := r.Unknown[f]; !ok {
				r.Unknown[f] = why
			}
		}
	}
	return r
}

// registered is a unit's registered population, nil when unknown.
func registered(u placeprofile.Unit) *float64 {
	if !u.Known(placeprofile.FieldRegisteredPopulation) {
		return nil
	}
	return ptr(u.RegisteredPopulation)
}

// Summarize computes one option's balance statistics.
func Summarize(p *placeprofile.Profile) Summary {
	s := Summary{Teams: len(p.Teams)}
	var local, resident, registered []float64
	for _, t := range p.Teams {
		if t.LocalRegistrationShare != nil {
			local = append(local, *t.LocalRegistrationShare)
		}
		resident = append(resident, t.ResidentPopulation.Total)
		if t.Known(placeprofile.FieldRegisteredPopulation) {
			registered = append(registered, t.RegisteredPopulation)
		}
	}
	if len(local) > 0 {
		lo, hi := minMax(local)
		s.LocalShareMin, s.LocalShareMax, s.LocalShareSpread = ptr(lo), ptr(hi), ptr(hi-lo)
	}
	s.ResidentMaxMinRatio, s.ResidentCV = maxMinRatio(resident), cv(resident)
	s.RegisteredMaxMinRatio, s.RegisteredCV = maxMinRatio(registered), cv(registered)
	return s
}

func ptr(v float64) *float64 { return &v }

func diff(a, b *float64) *float64 {
	if a == nil || b == nil {
		return nil
	}
	return ptr(*b - *a)
}

func minMax(xs []float64) (float64, float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range xs {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return lo, hi
}

func maxMinRatio(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	lo, hi := minMax(xs)
	if lo <= 0 {
		return nil
	}
	return ptr(hi / lo)
}

// cv is the population coefficient of variation (standard deviation ÷ mean).
func cv(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	mean := 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	if mean == 0 {
		return nil
	}
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return ptr(math.Sqrt(ss/float64(len(xs))) / mean)
}

// CSVHeader names the columns of CSVRows.
var CSVHeader = []string{"team", "name_a", "name_b", "resident_population_a", "resident_population_b", "resident_population_delta",
	"registered_population_a", "registered_population_b", "registered_population_delta",
	"local_registration_share_a", "local_registration_share_b", "local_registration_share_delta",
	"out_of_city_registered_a", "out_of_city_registered_b", "out_of_city_registered_delta"}

// CSVRows flattens the per-team deltas (blank where a team is missing).
func (r *Result) CSVRows() [][]string {
	f := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	rows := make([][]string, 0, len(r.Teams))
	for _, d := range r.Teams {
		rows = append(rows, []string{d.ID, d.NameA, d.NameB, f(d.ResidentA), f(d.ResidentB), f(d.ResidentDelta),
			f(d.RegisteredA), f(d.RegisteredB), f(d.RegisteredDelta), f(d.LocalShareA), f(d.LocalShareB), f(d.LocalShareDelta),
			f(d.OutOfCityA), f(d.OutOfCityB), f(d.OutOfCityDelta)})
	}
	return rows
}
