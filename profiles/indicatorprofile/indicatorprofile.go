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
	"math"
	"sort"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/phstats"
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
	City          Figure            `json:"city"`
	Localities    []Figure          `json:"localities"`
	Teams         []Figure          `json:"teams"`
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
	// Areas counts the LSOAs or practices with a value; Missing those whose
	// value is suppressed or missing (left out of both sums).
	Areas   int `json:"areas"`
	Missing int `json:"missing"`
	// Comparison with the city value: better/similar/worse by polarity.
	Comparison phstats.Significance `json:"comparison_with_city,omitempty"`
	// ByIMDQuintile breaks an LSOA indicator down by national IMD
	// quintile (1 = most deprived fifth of England), each compared with
	// the unit's own value.
	ByIMDQuintile []Figure `json:"by_imd_quintile,omitempty"`
}

// Inequality is the SII and RII with the decile values behind them.
type Inequality struct {
	Method   string    `json:"method"`
	SII      float64   `json:"sii"`
	SIILower float64   `json:"sii_lower"`
	SIIUpper float64   `json:"sii_upper"`
	RII      float64   `json:"rii"`
	Deciles  []Figure  `json:"deciles"`
	Ranks    []float64 `json:"ranks"`
}

type sums struct {
	num, den       float64
	areas, missing int
}

// Evaluate profiles indicator id for cfg over ds.
func Evaluate(ds *dataset.Dataset, cfg *configuration.Configuration, id string) (*Result, error) {
	var ind *dataset.Indicator
	for i := range ds.Indicators {
		if ds.Indicators[i].ID == id {
			ind = &ds.Indicators[i]
		}
	}
	if ind == nil {
		return nil, fmt.Errorf("indicatorprofile: %w: %q", ErrUnknownIndicator, id)
	}
	areaWard := map[string]string{}
	lens := "resident: LSOAs in the team's wards"
	if ind.Level == dataset.IndicatorLevelPractice {
		lens = "registered: practices located in the team's wards"
		for _, p := range ds.Practices {
			areaWard[p.Code] = p.WardCode
		}
	} else {
		for _, l := range ds.LSOAs {
			areaWard[l.Code] = l.WardCode
		}
	}
	wardTeam := cfg.WardTeams()
	teamLocality := map[string]string{}
	for _, t := range cfg.Teams() {
		teamLocality[t.ID] = t.Locality
	}
	team, locality, city := map[string]*sums{}, map[string]*sums{}, &sums{}
	// Quintile sums per unit id (LSOA indicators only).
	quintile := map[string]*[5]sums{}
	lsoaQuintile := map[string]int{}
	if ind.Level == string(dataset.AreaLSOA) {
		edition := latestIMDEdition(ds)
		for _, l := range ds.LSOAs {
			if d, ok := l.DeprivationEdition(edition); ok {
				lsoaQuintile[l.Code] = (d.Decile + 1) / 2
			}
		}
	}
	addQuintile := func(unit string, v dataset.IndicatorValue) {
		q := lsoaQuintile[v.AreaCode]
		if q == 0 {
			return
		}
		if quintile[unit] == nil {
			quintile[unit] = &[5]sums{}
		}
		quintile[unit][q-1].add(v)
	}
	add := func(m map[string]*sums, k string, v dataset.IndicatorValue) {
		if m[k] == nil {
			m[k] = &sums{}
		}
		m[k].add(v)
	}
	for _, v := range ds.IndicatorValues {
		if v.Indicator != id {
			continue
		}
		t, ok := wardTeam[areaWard[v.AreaCode]]
		if !ok {
			continue // outside the city
		}
		add(team, t, v)
		add(locality, teamLocality[t], v)
		city.add(v)
		addQuintile("team:"+t, v)
		addQuintile("locality:"+teamLocality[t], v)
		addQuintile("city", v)
	}
	withQuintiles := func(f Figure, key string) Figure {
		q := quintile[key]
		if q == nil {
			return f
		}
		for i := range q {
			g := figure(*ind, "imd-quintile", fmt.Sprint(i+1), fmt.Sprintf("national IMD quintile %d", i+1), &q[i])
			f.ByIMDQuintile = append(f.ByIMDQuintile, compared(*ind, g, f))
		}
		return f
	}
	r := &Result{Indicator: *ind, Configuration: cfg.Name, Lens: lens}
	r.City = figure(*ind, "city", cfg.City.ID, cfg.City.Name, city)
	for _, l := range cfg.Localities {
		r.Localities = append(r.Localities, withQuintiles(compared(*ind, figure(*ind, "locality", l.ID, l.Name, locality[l.ID]), r.City), "locality:"+l.ID))
		for _, t := range l.Teams {
			r.Teams = append(r.Teams, withQuintiles(compared(*ind, figure(*ind, "team", t.ID, t.Name, team[t.ID]), r.City), "team:"+t.ID))
		}
	}
	r.City = withQuintiles(r.City, "city")
	if ind.Level == string(dataset.AreaLSOA) {
		ineq, err := inequality(ds, *ind)
		if err != nil {
			return nil, err
		}
		r.Inequality = ineq
	}
	return r, nil
}

func (s *sums) add(v dataset.IndicatorValue) {
	if !v.Known {
		s.missing++
		return
	}
	s.num += v.Numerator
	s.den += v.Denominator
	s.areas++
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
	if s.den <= 0 {
		return f
	}
	ptr := func(v float64) *float64 { return &v }
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
	if f.Value != nil && f.Lower != nil && f.Upper != nil && city.Value != nil {
		f.Comparison = phstats.Compare(*f.Value, *f.Lower, *f.Upper, *city.Value, phstats.Polarity(ind.Polarity))
	} else {
		f.Comparison = phstats.Significance("not compared")
	}
	return f
}

// inequality computes the SII across the city's own population-weighted
// deciles of IMD 2019 (most deprived first), each decile's value from its
// summed numerators and denominators.
func inequality(ds *dataset.Dataset, ind dataset.Indicator) (*Inequality, error) {
	edition := latestIMDEdition(ds)
	values := map[string]dataset.IndicatorValue{}
	for _, v := range ds.IndicatorValues {
		if v.Indicator == ind.ID {
			values[v.AreaCode] = v
		}
	}
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
	groups := make([]sums, 10)
	for i, code := range codes {
		if v, ok := values[code]; ok {
			groups[deciles[i]-1].add(v)
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
	out.SII, out.SIILower, out.SIIUpper, out.RII, out.Ranks = res.SII, res.SIILower, res.SIIUpper, res.RII, res.Ranks
	if math.IsNaN(out.RII) {
		out.RII = 0
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
