package dataset

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/placeteam/placeteam/geo/validity"
)

// ErrInvalid is wrapped by every integrity error Validate returns.
var ErrInvalid = errors.New("invalid dataset")

// ValidationError lists every integrity problem found, so a user fixes them
// all in one pass rather than one per import.
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	const shown = 20
	msg := fmt.Sprintf("dataset: %d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == shown {
			msg += fmt.Sprintf("\n  … and %d more", len(e.Problems)-shown)
			break
		}
		msg += "\n  " + p
	}
	return msg
}

func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Validate checks the integrity rules every stored dataset satisfies: unique
// codes, valid lon/lat geometry, non-negative counts, references between
// tables that must resolve (an LSOA's ward is a ward of the dataset, a
// catchment's MSOA exists). Cross-file mismatches that real data has (a
// practice in a list-size file but not in the practice file) are not errors:
// Check reports them as warnings.
func (d *Dataset) Validate() error {
	var v validator
	if d.Name == "" {
		v.add("dataset has no name")
	}
	if d.City.Code == "" {
		v.add("dataset has no city code")
	}
	sources := map[string]bool{}
	for i, s := range d.Sources {
		if s.ID == "" {
			v.add("source %d has no id", i)
		}
		if sources[s.ID] {
			v.add("duplicate source id %q", s.ID)
		}
		sources[s.ID] = true
	}
	v.source = func(what, id string) {
		if id != "" && !sources[id] {
			v.add("%s names unknown source %q", what, id)
		}
	}

	v.codes("district", len(d.Districts), func(i int) string { return d.Districts[i].Code })
	for _, x := range d.Districts {
		if len(x.Geometry) > 0 {
			v.geometry("district "+x.Code, validity.MultiPolygon(x.Geometry))
		}
		v.source("district "+x.Code, x.Source)
	}

	wards := v.codes("ward", len(d.Wards), func(i int) string { return d.Wards[i].Code })
	if len(d.Wards) == 0 {
		v.add("dataset has no wards")
	}
	for _, w := range d.Wards {
		v.geometry("ward "+w.Code, validity.MultiPolygon(w.Geometry))
		v.source("ward "+w.Code, w.Source)
	}

	msoas := v.codes("MSOA", len(d.MSOAs), func(i int) string { return d.MSOAs[i].Code })
	for _, m := range d.MSOAs {
		if len(m.Geometry) > 0 {
			v.geometry("MSOA "+m.Code, validity.MultiPolygon(m.Geometry))
		}
		v.source("MSOA "+m.Code, m.Source)
	}

	v.codes("LSOA", len(d.LSOAs), func(i int) string { return d.LSOAs[i].Code })
	for _, l := range d.LSOAs {
		what := "LSOA " + l.Code
		v.geometry(what, validity.MultiPolygon(l.Geometry))
		if l.WardCode != "" && !wards[l.WardCode] {
			v.add("%s is in unknown ward %q", what, l.WardCode)
		}
		if (l.WardCode == "") != (l.WardMethod == WardNone) {
			v.add("%s: ward %q does not match ward method %q", what, l.WardCode, l.WardMethod)
		}
		if l.MSOACode != "" && len(d.MSOAs) > 0 && !msoas[l.MSOACode] {
			v.add("%s is in unknown MSOA %q", what, l.MSOACode)
		}
		p := l.Population
		if p.Total < 0 || p.Age0to15 < 0 || p.Age16to59 < 0 || p.Age60Plus < 0 {
			v.add("%s has a negative population", what)
		}
		if p.Known() && p.Age0to15+p.Age16to59+p.Age60Plus != p.Total {
			v.add("%s: age bands sum to %d, total is %d", what, p.Age0to15+p.Age16to59+p.Age60Plus, p.Total)
		}
		if p.Known() {
			v.source(what+" population", p.Source)
		}
		switch {
		case !p.HasWorkingAge && p.WorkingAge != 0:
			v.add("%s has a working-age population of %d but no working-age figure", what, p.WorkingAge)
		case p.WorkingAge < 0:
			v.add("%s has a negative working-age population", what)
		}
		seen := map[int]bool{}
		for _, dep := range l.Deprivation {
			v.source(what+" deprivation", dep.Source)
			if seen[dep.Edition] {
				v.add("%s has two IMD %d records", what, dep.Edition)
			}
			seen[dep.Edition] = true
			if dep.Decile < 1 || dep.Decile > 10 {
				v.add("%s: IMD %d decile %d is not 1-10", what, dep.Edition, dep.Decile)
			}
			if dep.Rank < 1 {
				v.add("%s: IMD %d rank %d is not positive", what, dep.Edition, dep.Rank)
			}
		}
		v.source(what, l.Source)
	}

	v.codes("practice", len(d.Practices), func(i int) string { return d.Practices[i].Code })
	for _, p := range d.Practices {
		what := "practice " + p.Code
		switch p.Status {
		case StatusActive, StatusClosed, StatusDormant, StatusProposed:
		default:
			v.add("%s has unknown status %q", what, p.Status)
		}
		if p.HasLocation() {
			v.geometry(what, validity.LonLat(p.Location))
		}
		if p.WardCode != "" && !wards[p.WardCode] {
			v.add("%s is in unknown ward %q", what, p.WardCode)
		}
		v.date(what+" open date", p.Opened, false)
		v.date(what+" close date", p.Closed, false)
		if !p.Opened.IsZero() && !p.Closed.IsZero() && p.Closed.Before(p.Opened) {
			v.add("%s closed (%s) before it opened (%s)", what, p.Closed.Format("2006-01-02"), p.Opened.Format("2006-01-02"))
		}
		v.source(what, p.Source)
	}

	type listKey struct {
		practice string
		date     string
	}
	lists := map[listKey]bool{}
	for _, l := range d.ListSizes {
		k := listKey{l.PracticeCode, l.Date.Format("2006-01-02")}
		if lists[k] {
			v.add("practice %s has two list sizes on %s", k.practice, k.date)
		}
		lists[k] = true
		if l.Patients < 0 {
			v.add("practice %s has a negative list size on %s", k.practice, k.date)
		}
		v.date("list size of practice "+l.PracticeCode, l.Date, true)
		v.source("list size "+l.PracticeCode, l.Source)
	}

	type regKey struct {
		practice string
		level    AreaLevel
		area     string
		date     string
	}
	regs := map[regKey]bool{}
	for _, r := range d.Registrations {
		k := regKey{r.PracticeCode, r.AreaLevel, r.AreaCode, r.Date.Format("2006-01-02")}
		if regs[k] {
			v.add("practice %s has two registration counts for %s %s on %s", k.practice, k.level, k.area, k.date)
		}
		regs[k] = true
		if r.Patients < 0 {
			v.add("practice %s has a negative registration count for %s %s", r.PracticeCode, r.AreaLevel, r.AreaCode)
		}
		if r.AreaLevel != AreaLSOA && r.AreaLevel != AreaDistrict {
			v.add("registration of practice %s has unknown area level %q", r.PracticeCode, r.AreaLevel)
		}
		v.date("registration of practice "+r.PracticeCode, r.Date, true)
		v.source("registration "+r.PracticeCode, r.Source)
	}

	v.codes("trust", len(d.Trusts), func(i int) string { return d.Trusts[i].Code })
	for _, t := range d.Trusts {
		if t.HasHQ {
			v.geometry("trust "+t.Code, validity.LonLat(t.HQ))
		}
		v.source("trust "+t.Code, t.Source)
	}
	for i, h := range d.HospitalSites {
		v.geometry(fmt.Sprintf("hospital site %d (%s)", i, h.Name), validity.LonLat(h.Location))
		v.source("hospital site "+h.Name, h.Source)
	}

	type catchKey struct{ msoa, trust string }
	catch := map[catchKey]bool{}
	for _, c := range d.Catchments {
		k := catchKey{c.MSOACode, c.TrustCode}
		if catch[k] {
			v.add("MSOA %s has two catchment shares for trust %s", c.MSOACode, c.TrustCode)
		}
		catch[k] = true
		if math.IsNaN(c.Proportion) || c.Proportion < 0 || c.Proportion > 1 {
			v.add("catchment share of MSOA %s for trust %s is %g, not within 0-1", c.MSOACode, c.TrustCode, c.Proportion)
		}
		if !msoas[c.MSOACode] {
			v.add("catchment share names unknown MSOA %q", c.MSOACode)
		}
		v.source("catchment "+c.MSOACode, c.Source)
	}
	v.indicators(d, msoas)
	return v.err()
}

func (v *validator) indicators(d *Dataset, _ map[string]bool) {
	ids := v.codes("indicator", len(d.Indicators), func(i int) string { return d.Indicators[i].ID })
	byID := make(map[string]Indicator, len(d.Indicators))
	for _, ind := range d.Indicators {
		byID[ind.ID] = ind
	}
	for _, ind := range d.Indicators {
		what := "indicator " + ind.ID
		if !slices.Contains(IndicatorDomains, ind.Domain) {
			v.add("%s: domain %q is not one of %v", what, ind.Domain, IndicatorDomains)
		}
		if !slices.Contains(IndicatorUnits, ind.Unit) {
			v.add("%s: unit %q is not one of %v", what, ind.Unit, IndicatorUnits)
		}
		if !slices.Contains(IndicatorPolarities, ind.Polarity) {
			v.add("%s: polarity %q is not one of %v", what, ind.Polarity, IndicatorPolarities)
		}
		if ind.Level != string(AreaLSOA) && ind.Level != IndicatorLevelMSOA && ind.Level != IndicatorLevelWard && ind.Level != IndicatorLevelPractice {
			v.add("%s: level %q is not lsoa, msoa, ward or practice", what, ind.Level)
		}
		if ind.Measure != "" && ind.Measure != MeasureCount && ind.Measure != MeasureMean && ind.Measure != MeasureAreaShare {
			v.add("%s: measure %q is not %s, %s or %s", what, ind.Measure, MeasureCount, MeasureMean, MeasureAreaShare)
		}
		if ind.SuppressedBelow < 0 || (ind.SuppressedBelow > 0 && !ind.HasInterval()) {
			v.add("%s: suppressed_below %d needs a count numerator", what, ind.SuppressedBelow)
		}
		if (ind.Characteristic == "") != (ind.Group == "") {
			v.add("%s: characteristic %q and group %q come together", what, ind.Characteristic, ind.Group)
		}
		if ind.BreakdownOf != "" {
			whole, ok := byID[ind.BreakdownOf]
			switch {
			case ind.BreakdownOf == ind.ID:
				v.add("%s is a breakdown of itself", what)
			case !ok:
				v.add("%s is a breakdown of unknown indicator %q", what, ind.BreakdownOf)
			case whole.Level != ind.Level:
				v.add("%s (%s) is a breakdown of %s, which is at level %s", what, ind.Level, whole.ID, whole.Level)
			}
		}
		v.source(what, ind.Source)
	}
	type key struct{ ind, area string }
	seen := map[key]bool{}
	for _, x := range d.IndicatorValues {
		if !ids[x.Indicator] {
			v.add("indicator value for unknown indicator %q", x.Indicator)
		}
		k := key{x.Indicator, x.AreaCode}
		if seen[k] {
			v.add("indicator %s has two values for %s", x.Indicator, x.AreaCode)
		}
		seen[k] = true
		// A score (an IoD indicator score can be below zero) weighted by
		// its denominator may be negative; counts and other means may not.
		negative := x.Numerator < 0 && byID[x.Indicator].Unit != "score"
		finite := !math.IsNaN(x.Numerator) && !math.IsNaN(x.Denominator) && !math.IsInf(x.Numerator, 0) && !math.IsInf(x.Denominator, 0)
		if negative || x.Denominator < 0 || !finite {
			v.add("indicator %s: %s has a negative, infinite or NaN count", x.Indicator, x.AreaCode)
		}
	}
	for _, g := range d.PracticeGroups {
		if g.PracticeCode == "" || g.Kind == "" || g.Code == "" {
			v.add("practice group %+v lacks a practice, kind or code", g)
		}
		v.source("practice group "+g.Code, g.Source)
	}
}

type validator struct {
	problems []string
	source   func(what, id string)
}

func (v *validator) add(format string, args ...any) {
	v.problems = append(v.problems, fmt.Sprintf(format, args...))
}

// date checks a calendar day: midnight UTC, years 1800-2200 (a wider range
// is a parse error in the source file, not a real date).
func (v *validator) date(what string, t time.Time, required bool) {
	if t.IsZero() {
		if required {
			v.add("%s has no date", what)
		}
		return
	}
	if t.Year() < 1800 || t.Year() > 2200 {
		v.add("%s: date %s is out of range", what, t.Format(time.DateOnly))
	}
	if t.Location() != time.UTC || t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
		v.add("%s: date %s is not a calendar day in UTC", what, t.Format(time.RFC3339Nano))
	}
}

func (v *validator) geometry(what string, err error) {
	if err != nil {
		v.add("%s: %v", what, err)
	}
}

func (v *validator) codes(kind string, n int, code func(int) string) map[string]bool {
	seen := make(map[string]bool, n)
	for i := 0; i < n; i++ {
		c := code(i)
		switch {
		case c == "":
			v.add("%s %d has no code", kind, i)
		case seen[c]:
			v.add("duplicate %s code %q", kind, c)
		}
		seen[c] = true
	}
	return seen
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}
