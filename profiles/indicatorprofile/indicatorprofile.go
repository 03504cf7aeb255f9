// Package indicatorprofile profiles an indicator per team, locality and city
// for any configuration, the way public-health analysts expect: numerators
// and denominators are summed (never averages of rates), 95% confidence
// intervals (Wilson for proportions, exact Poisson below 10 events and
// Byar's method above for rates and counts), each team compared with the
// city by whether the city value lies outside the team's interval (the
// Fingertips method), and for small-area indicators the slope and relative
// index of inequality across the city's own population-weighted IMD deciles.
//
// Lenses: LSOA indicators reach teams through the ward each LSOA is in (the
// resident lens); practice indicators through the ward each practice is in
// (the registered lens: a team's practices, wherever their patients live).
package indicatorprofile

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/phstats"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// Confidence of every interval.
const Confidence = 0.95

// ErrUnknownIndicator is wrapped when the dataset has no such indicator.
var ErrUnknownIndicator = errors.New("unknown indicator")

// Result is one indicator profiled for one configuration.
type Result struct {
	Indicator     dataset.Indicator `json:"indicator"`
	Configuration string            `json:"configuration"`
	Lens          string            `json:"lens"`
	// Modelled is true when the figures rest on modelled flows (the
	// resident lens of a practice indicator over estimated flows) or on
	// values apportioned from MSOAs.
	Modelled   bool     `json:"modelled"`
	City       Figure   `json:"city"`
	Localities []Figure `json:"localities"`
	Teams      []Figure `json:"teams"`
	// Inequality across the city's population-weighted IMD deciles (LSOA
	// indicators only).
	Inequality *Inequality `json:"inequality,omitempty"`
}

// Figure is the indicator for one unit.
type Figure struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Level       string   `json:"level"`
	Numerator   float64  `json:"numerator"`
	Denominator float64  `json:"denominator"`
	Value       *float64 `json:"value"`
	Lower       *float64 `json:"lower"`
	Upper       *float64 `json:"upper"`
	// Areas counts the areas (LSOAs, MSOAs, wards or practices, by the
	// indicator's level) with a value that reach the unit; Missing those
	// whose value is suppressed or missing (left out of both sums).
	Areas   int `json:"areas"`
	Missing int `json:"missing"`
	// WithSuppressedLower and WithSuppressedUpper bound the value with the
	// suppressed areas put back (their denominators in, their counts
	// anywhere from 0 to the source's threshold − 1), when the indicator
	// has a known suppression threshold. Value leaves those areas out of
	// both sums, which biases it upward when small counts are blanked:
	// this range shows by how much.
	WithSuppressedLower *float64 `json:"with_suppressed_lower,omitempty"`
	WithSuppressedUpper *float64 `json:"with_suppressed_upper,omitempty"`
	// Comparison with the city value: better/similar/worse by polarity.
	Comparison phstats.Significance `json:"comparison_with_city,omitempty"`
	// ByIMDQuintile breaks an LSOA indicator down by national IMD
	// quintile (1 = most deprived fifth of England), each compared with
	// the unit's own value.
	ByIMDQuintile []Figure `json:"by_imd_quintile,omitempty"`
	// ByGroup breaks the unit's value down by a protected characteristic
	// (e.g. age band): one figure per indicator that is a slice of this
	// one (Level is the characteristic, Name the group), each compared
	// with the unit's own value.
	ByGroup []Figure `json:"by_group,omitempty"`
	// Coverage, for the resident lens of a practice indicator, is the
	// share of the unit's residents in the flows who are registered at a
	// practice with a value (practices that closed or merged between the
	// flows' date and the indicator's period have none).
	Coverage *float64 `json:"coverage,omitempty"`
	// Indicator is the id of a ByGroup figure's indicator.
	Indicator string `json:"indicator,omitempty"`
}

// Inequality is the SII and RII with the decile values behind them.
type Inequality struct {
	Method   string  `json:"method"`
	SII      float64 `json:"sii"`
	SIILower float64 `json:"sii_lower"`
	SIIUpper float64 `json:"sii_upper"`
	// RII is the SII relative to the mean, for counts only (nil for
	// scores and ratios, whose zero is arbitrary).
	RII     *float64  `json:"rii"`
	Deciles []Figure  `json:"deciles"`
	Ranks   []float64 `json:"ranks"`
}

type sums struct {
	num, den       float64
	areas, missing int
	// Suppressed values: their summed denominators and weights, and whether
	// any lacks a denominator.
	supDen, supWeight float64
	supNoDen          bool
}

// Options choose how practice indicators reach residents.
type Options struct {
	// Lens is LensRegistered (the default) or LensResident; LSOA and MSOA
	// indicators always use the resident lens.
	Lens string
	// Tables supply the practice × ward flows of the resident lens.
	Tables *wardtables.Tables
}

// The lenses.
const (
	LensRegistered = "registered"
	LensResident   = "resident"
)

// ErrLens is wrapped when a lens cannot be used.
var ErrLens = errors.New("lens")

// Evaluate profiles indicator id for cfg over ds with the default lens.
func Evaluate(ds *dataset.Dataset, cfg *configuration.Configuration, id string) (*Result, error) {
	return EvaluateWith(ds, cfg, id, Options{})
}

// EvaluateWith profiles indicator id for cfg over ds. Indicators that are a
// slice of it by a protected characteristic (BreakdownOf == id, e.g. income
// deprivation of children) are profiled alongside, per unit.
func EvaluateWith(ds *dataset.Dataset, cfg *configuration.Configuration, id string, opts Options) (*Result, error) {
	ind, err := find(ds, id)
	if err != nil {
		return nil, err
	}
	sp, err := newSpread(ds, *ind, opts)
	if err != nil {
		return nil, err
	}
	wardTeam := cfg.WardTeams()
	teamLocality := map[string]string{}
	for _, t := range cfg.Teams() {
		teamLocality[t.ID] = t.Locality
	}
	wardUnits := map[string][]string{}
	for ward, t := range wardTeam {
		wardUnits[ward] = []string{"team:" + t, "locality:" + teamLocality[t], "city"}
	}
	units := func(ward string) []string { return wardUnits[ward] }
	agg := sp.aggregate(ds, id, units)
	r := &Result{Indicator: *ind, Configuration: cfg.Name, Lens: sp.lens, Modelled: sp.modelled}
	var slices []sliceAgg
	for _, b := range ds.Indicators {
		if b.BreakdownOf != id {
			continue
		}
		// A spread depends only on the level and the measure: a slice
		// like its whole (the usual case) reuses it.
		bsp := sp
		if b.Level != ind.Level || b.Measure != ind.Measure {
			if bsp, err = newSpread(ds, b, opts); err != nil {
				return nil, err
			}
		}
		slices = append(slices, sliceAgg{ind: b, agg: bsp.aggregate(ds, b.ID, units)})
	}
	unit := func(level, key, uid, name string, city *Figure) Figure {
		f := agg.figure(*ind, level, key, uid, name)
		if city != nil {
			f = compared(*ind, f, *city)
		}
		for _, sl := range slices {
			g := sl.agg.figure(sl.ind, sl.ind.Characteristic, key, sl.ind.Group, sl.ind.Name)
			g.Indicator = sl.ind.ID
			f.ByGroup = append(f.ByGroup, compared(sl.ind, g, f))
		}
		return f
	}
	r.City = unit("city", "city", cfg.City.ID, cfg.City.Name, nil)
	for _, l := range cfg.Localities {
		r.Localities = append(r.Localities, unit("locality", "locality:"+l.ID, l.ID, l.Name, &r.City))
		for _, t := range l.Teams {
			r.Teams = append(r.Teams, unit("team", "team:"+t.ID, t.ID, t.Name, &r.City))
		}
	}
	if sp.byLSOA {
		ineq, err := inequality(ds, *ind, sp)
		if err != nil {
			return nil, err
		}
		r.Inequality = ineq
	}
	return r, nil
}

type sliceAgg struct {
	ind dataset.Indicator
	agg *aggregation
}

// WardFigures profiles indicator id per ward of the city (no comparison),
// for colouring a ward map; modelled says whether the figures are.
func WardFigures(ds *dataset.Dataset, id string, opts Options) (figures map[string]Figure, modelled bool, err error) {
	ind, err := find(ds, id)
	if err != nil {
		return nil, false, err
	}
	sp, err := newSpread(ds, *ind, opts)
	if err != nil {
		return nil, false, err
	}
	wardUnits := map[string][]string{}
	for _, w := range ds.Wards {
		wardUnits[w.Code] = []string{w.Code}
	}
	agg := sp.aggregate(ds, id, func(ward string) []string { return wardUnits[ward] })
	out := map[string]Figure{}
	for _, w := range ds.Wards {
		f := agg.figure(*ind, "ward", w.Code, w.Code, w.Name)
		f.ByIMDQuintile = nil
		out[w.Code] = f
	}
	return out, sp.modelled, nil
}

func find(ds *dataset.Dataset, id string) (*dataset.Indicator, error) {
	for i := range ds.Indicators {
		if ds.Indicators[i].ID == id {
			return &ds.Indicators[i], nil
		}
	}
	return nil, fmt.Errorf("indicatorprofile: %w: %q", ErrUnknownIndicator, id)
}

// aggregation holds summed numerators and denominators per unit key, with
// the national IMD quintile split when values reach units through LSOAs.
type aggregation struct {
	units    map[string]*sums
	quintile map[string]*[5]sums
	// Resident lens: patients in the flows per unit, and those at
	// practices with a known value.
	flowPatients, flowCovered map[string]float64
}

func (a *aggregation) figure(ind dataset.Indicator, level, key, id, name string) Figure {
	f := figure(ind, level, id, name, a.units[key])
	if a.flowPatients != nil && a.flowPatients[key] > 0 {
		c := a.flowCovered[key] / a.flowPatients[key]
		f.Coverage = &c
	}
	if q := a.quintile[key]; q != nil {
		for i := range q {
			g := figure(ind, "imd-quintile", fmt.Sprint(i+1), fmt.Sprintf("national IMD quintile %d", i+1), &q[i])
			f.ByIMDQuintile = append(f.ByIMDQuintile, compared(ind, g, f))
		}
	}
	return f
}

// aggregate sums the indicator's values into the units each ward belongs
// to (units returns none for wards outside the city), each value weighted
// by the share of it that reaches the ward.
func (sp *spread) aggregate(ds *dataset.Dataset, id string, units func(ward string) []string) *aggregation {
	a := &aggregation{units: map[string]*sums{}, quintile: map[string]*[5]sums{}}
	type touch struct {
		unit     string
		quintile int
	}
	touched := map[touch]bool{}
	covered := map[string]float64{}
	for _, v := range ds.IndicatorValues {
		if v.Indicator != id {
			continue
		}
		clear(touched)
		for _, s := range sp.shares[v.AreaCode] {
			for _, u := range units(s.ward) {
				if a.units[u] == nil {
					a.units[u] = &sums{}
				}
				a.units[u].addShare(v, s.weight, !touched[touch{u, 0}])
				touched[touch{u, 0}] = true
				if v.Known {
					covered[u] += s.patients
				}
				if q := sp.quintile[s.lsoa]; q > 0 {
					if a.quintile[u] == nil {
						a.quintile[u] = &[5]sums{}
					}
					a.quintile[u][q-1].addShare(v, s.weight, !touched[touch{u, q}])
					touched[touch{u, q}] = true
				}
			}
		}
	}
	if sp.flows {
		a.flowCovered = covered
		a.flowPatients = map[string]float64{}
		// Sorted codes, so that the sums are the same on every run.
		for _, code := range slices.Sorted(maps.Keys(sp.shares)) {
			for _, s := range sp.shares[code] {
				for _, u := range units(s.ward) {
					a.flowPatients[u] += s.patients
				}
			}
		}
	}
	return a
}

func (s *sums) add(v dataset.IndicatorValue) { s.addShare(v, 1, true) }

// addShare adds weight × the value; first says whether this is the first
// share of the area in this unit (areas are counted once).
func (s *sums) addShare(v dataset.IndicatorValue, weight float64, first bool) {
	if !v.Known {
		if first {
			s.missing++
		}
		if v.Denominator > 0 {
			s.supDen += weight * v.Denominator
			s.supWeight += weight
		} else {
			s.supNoDen = true
		}
		return
	}
	s.num += weight * v.Numerator
	s.den += weight * v.Denominator
	if first {
		s.areas++
	}
}

// scale is the multiplier of a rate unit.
func scale(unit string) float64 {
	switch unit {
	case "rate-per-1000":
		return 1000
	case "rate-per-100000":
		return 100000
	}
	return 1
}

func figure(ind dataset.Indicator, level, id, name string, s *sums) Figure {
	f := Figure{ID: id, Name: name, Level: level}
	if s == nil {
		return f
	}
	f.Numerator, f.Denominator, f.Areas, f.Missing = s.num, s.den, s.areas, s.missing
	ptr := func(v float64) *float64 { return &v }
	if t := ind.SuppressedBelow; t > 0 && s.missing > 0 && !s.supNoDen && s.den+s.supDen > 0 {
		// With the suppressed areas included, their counts anywhere in
		// 0 … t−1: the range the unit's value can take.
		all := s.den + s.supDen
		f.WithSuppressedLower = ptr(s.num / all * scale(ind.Unit))
		f.WithSuppressedUpper = ptr((s.num + float64(t-1)*s.supWeight) / all * scale(ind.Unit))
	}
	if s.den <= 0 {
		return f
	}
	if !ind.HasInterval() {
		// A population-weighted mean or a share of residents by area: no
		// sampling interval (see dataset.Indicator.Measure).
		f.Value = ptr(s.num / s.den * scale(ind.Unit))
		return f
	}
	switch ind.Unit {
	case "proportion":
		f.Value = ptr(s.num / s.den)
		if lo, hi, err := phstats.WilsonInterval(s.num, s.den, Confidence); err == nil {
			f.Lower, f.Upper = ptr(lo), ptr(hi)
		}
	case "rate-per-1000", "rate-per-100000":
		if rate, lo, hi, err := phstats.RateInterval(s.num, s.den, scale(ind.Unit), Confidence); err == nil {
			f.Value, f.Lower, f.Upper = ptr(rate), ptr(lo), ptr(hi)
		}
	default:
		f.Value = ptr(s.num / s.den)
	}
	return f
}

func compared(ind dataset.Indicator, f, city Figure) Figure {
	if !ind.HasInterval() {
		f.Comparison = phstats.NotCompared
		return f
	}
	if f.Value == nil || f.Lower == nil || f.Upper == nil || city.Value == nil {
		f.Comparison = phstats.NotCompared
		return f
	}
	// Suppressed areas: the unit's interval is widened to cover the range
	// its value takes with them put back, and the comparator is its own
	// range when it has one; "similar" unless the two do not meet.
	lo, hi := widened(f)
	clo, chi := *city.Value, *city.Value
	if city.WithSuppressedLower != nil {
		clo, chi = min(clo, *city.WithSuppressedLower), max(chi, *city.WithSuppressedUpper)
	}
	c := max(lo, clo) // a comparator point inside [lo, hi] when they meet
	switch {
	case chi < lo:
		c = chi
	case clo > hi:
		c = clo
	}
	f.Comparison = phstats.Compare(*f.Value, lo, hi, c, phstats.Polarity(ind.Polarity))
	return f
}

// widened is a figure's 95% interval, widened to cover its range with
// suppressed areas put back.
func widened(f Figure) (lo, hi float64) {
	lo, hi = *f.Lower, *f.Upper
	if f.WithSuppressedLower != nil {
		lo, hi = min(lo, *f.WithSuppressedLower), max(hi, *f.WithSuppressedUpper)
	}
	return lo, hi
}

// inequality computes the SII across the city's own population-weighted
// deciles of the latest IMD (most deprived first), each decile's value from
// its summed numerators and denominators (MSOA values through their
// population shares of LSOAs).
func inequality(ds *dataset.Dataset, ind dataset.Indicator, sp *spread) (*Inequality, error) {
	edition := latestIMDEdition(ds)
	var areas []phstats.RankedArea
	var codes []string
	for _, l := range ds.LSOAs {
		d, ok := l.DeprivationEdition(edition)
		if l.WardCode == "" || !ok || !l.Population.Known() {
			continue
		}
		areas = append(areas, phstats.RankedArea{Deprivation: -float64(d.Rank), Population: float64(l.Population.Total)})
		codes = append(codes, l.Code)
	}
	if len(areas) < 10 {
		return nil, nil
	}
	deciles, err := phstats.PopulationWeightedDeciles(areas)
	if err != nil {
		return nil, fmt.Errorf("indicatorprofile: %w", err)
	}
	decileOf := map[string]int{}
	for i, code := range codes {
		decileOf[code] = deciles[i]
	}
	groups := make([]sums, 10)
	for _, v := range ds.IndicatorValues {
		if v.Indicator != ind.ID {
			continue
		}
		first := [11]bool{}
		for _, s := range sp.shares[v.AreaCode] {
			if d := decileOf[s.lsoa]; d > 0 {
				groups[d-1].addShare(v, s.weight, !first[d])
				first[d] = true
			}
		}
	}
	out := &Inequality{Method: fmt.Sprintf("weighted least squares over the city's population-weighted IMD %d deciles (1 = most deprived); SII = least − most deprived end; 95%% CI from the residuals", edition)}
	var dg []phstats.DeprivationGroup
	for d := range groups {
		s := groups[d]
		f := figure(ind, "decile", fmt.Sprint(d+1), fmt.Sprintf("city decile %d", d+1), &s)
		out.Deciles = append(out.Deciles, f)
		if f.Value != nil && s.den > 0 {
			dg = append(dg, phstats.DeprivationGroup{Population: s.den, Value: *f.Value})
		}
	}
	if len(dg) < 3 {
		return out, nil
	}
	res, err := phstats.SlopeIndexOfInequality(dg, phstats.InequalityConfig{Confidence: Confidence})
	if err != nil {
		return nil, fmt.Errorf("indicatorprofile: %w", err)
	}
	out.SII, out.SIILower, out.SIIUpper, out.Ranks = res.SII, res.SIILower, res.SIIUpper, res.Ranks
	if ind.HasInterval() && !math.IsNaN(res.RII) && !math.IsInf(res.RII, 0) {
		rii := res.RII
		out.RII = &rii
	}
	return out, nil
}

// TeamGroups says, for one team, which groups of a kind (e.g. PCNs) its
// practices belong to and how many of those it splits (they also have
// practices in other teams or outside the city).
type TeamGroups struct {
	Team      string   `json:"team"`
	Name      string   `json:"name"`
	Practices int      `json:"practices"`
	Groups    []string `json:"groups"`
	Split     []string `json:"split"`
	Ungrouped int      `json:"practices_without_group"`
}

// Groups counts a kind of practice group (e.g. "pcn") per team, over the
// practices located in each team that are in the group file.
func Groups(ds *dataset.Dataset, cfg *configuration.Configuration, kind string) []TeamGroups {
	wardTeam := cfg.WardTeams()
	groupOf := map[string]string{}
	for _, g := range ds.PracticeGroups {
		if g.Kind == kind {
			groupOf[g.PracticeCode] = g.Code
		}
	}
	teamsOfGroup := map[string]map[string]bool{}
	for _, p := range ds.Practices {
		g, ok := groupOf[p.Code]
		if !ok {
			continue
		}
		t := wardTeam[p.WardCode]
		if t == "" {
			t = "(outside the city)"
		}
		if teamsOfGroup[g] == nil {
			teamsOfGroup[g] = map[string]bool{}
		}
		teamsOfGroup[g][t] = true
	}
	var out []TeamGroups
	for _, t := range cfg.Teams() {
		tg := TeamGroups{Team: t.ID, Name: t.Name, Groups: []string{}, Split: []string{}}
		seen := map[string]bool{}
		for _, p := range ds.Practices {
			if wardTeam[p.WardCode] != t.ID {
				continue
			}
			g, ok := groupOf[p.Code]
			if !ok {
				if p.Status == dataset.StatusActive {
					tg.Ungrouped++
				}
				continue
			}
			tg.Practices++
			if !seen[g] {
				seen[g] = true
				tg.Groups = append(tg.Groups, g)
				if len(teamsOfGroup[g]) > 1 {
					tg.Split = append(tg.Split, g)
				}
			}
		}
		sort.Strings(tg.Groups)
		sort.Strings(tg.Split)
		out = append(out, tg)
	}
	return out
}

// latestIMDEdition is the newest IMD edition any LSOA has (0 when none).
func latestIMDEdition(ds *dataset.Dataset) int {
	edition := 0
	for _, l := range ds.LSOAs {
		for _, d := range l.Deprivation {
			edition = max(edition, d.Edition)
		}
	}
	return edition
}
