package manifest

import (
	"fmt"
	"slices"
	"strings"
)

// denominatorsFrom are the population figures denominator_from may name.
// working_age needs a population file that maps the working_age column.
var denominatorsFrom = []string{"population", "age_0_15", "age_16_59", "age_60_plus", "working_age"}

// indicatorLevels are the geographies an indicators file may be keyed by.
var indicatorLevels = []string{"lsoa", "msoa", "ward", "practice"}

// meanUnits are the units a value: column may have: a value is averaged
// (weighted by the denominator), so it cannot be a count, and a rate would
// be scaled again by its per-1000 or per-100000 multiplier.
var meanUnits = []string{"proportion", "ratio", "score", "km"}

// checkIndicators validates an indicators file's specs on their own; the
// checks across files (ids, breakdown_of) are in checkIndicatorRefs.
func (f *File) checkIndicators(where string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if !slices.Contains(indicatorLevels, f.Level) {
		add("%s: level must be one of %s, not %q", where, strings.Join(indicatorLevels, ", "), f.Level)
	}
	if f.Level == "practice" {
		for _, s := range f.Indicators {
			if s.DenominatorFrom != "" {
				add("%s: indicator %q: denominator_from needs LSOA or MSOA values", where, s.ID)
			}
		}
	}
	if len(f.Indicators) == 0 {
		add("%s: an indicators file lists at least one indicator", where)
	}
	ids := map[string]bool{}
	for i, s := range f.Indicators {
		at := fmt.Sprintf("%s: indicators[%d]", where, i)
		if s.ID == "" || s.Name == "" {
			add("%s: needs an id and a name", at)
		}
		if ids[s.ID] {
			add("%s: id %q is used twice", at, s.ID)
		}
		ids[s.ID] = true
		given := 0
		for _, set := range []bool{s.Numerator != "", s.Value != "", s.CountIf != nil} {
			if set {
				given++
			}
		}
		if given != 1 {
			add("%s (%s): give exactly one of numerator, value or count_if", at, s.ID)
		}
		if s.Value != "" && !slices.Contains(meanUnits, s.Unit) {
			add("%s (%s): value is averaged, so its unit must be one of %s, not %q", at, s.ID, strings.Join(meanUnits, ", "), s.Unit)
		}
		if s.CountIf != nil {
			if len(s.CountIf) != 1 {
				add("%s (%s): count_if names one column and its values, e.g. {decile: [1, 2]}", at, s.ID)
			}
			for col, values := range s.CountIf {
				if strings.TrimSpace(col) == "" || len(values) == 0 {
					add("%s (%s): count_if needs a column and at least one value", at, s.ID)
				}
			}
		}
		if (s.Denominator == "") == (s.DenominatorFrom == "") {
			add("%s (%s): give a denominator column or denominator_from, not both or neither", at, s.ID)
		}
		if s.DenominatorFrom != "" && !slices.Contains(denominatorsFrom, s.DenominatorFrom) {
			add("%s (%s): denominator_from must be one of %v", at, s.ID, denominatorsFrom)
		}
		if s.SuppressedBelow < 0 || (s.SuppressedBelow > 0 && s.Numerator == "") {
			add("%s (%s): suppressed_below is a positive count threshold of a numerator column", at, s.ID)
		}
		if (s.Characteristic == "") != (s.Group == "") {
			add("%s (%s): characteristic and group come together (e.g. characteristic: age, group: \"0-15\")", at, s.ID)
		}
	}
	return problems
}

// checkIndicatorRefs checks what spans indicators files: an id is defined
// once in the manifest; breakdown_of names another indicator of the same
// level; denominator_from: working_age has a working-age column to read.
func (m *Manifest) checkIndicatorRefs() []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	type defined struct {
		level, where string
		file         int
	}
	ids := map[string]defined{}
	for i := range m.Files {
		f := &m.Files[i]
		if f.Role != RoleIndicators {
			continue
		}
		for j, s := range f.Indicators {
			where := fmt.Sprintf("files[%d] (%s): indicators[%d]", i, f.ID, j)
			first, ok := ids[s.ID]
			switch {
			case !ok:
				ids[s.ID] = defined{level: f.Level, where: where, file: i}
			case first.file != i: // twice in one file is reported by checkIndicators
				add("%s: indicator id %q is also defined in %s", where, s.ID, first.where)
			}
		}
	}
	hasWorkingAge := false
	for _, p := range m.FilesWithRole(RolePopulation) {
		hasWorkingAge = hasWorkingAge || hasCol(p.EffectiveColumns(), "working_age")
	}
	for i := range m.Files {
		f := &m.Files[i]
		if f.Role != RoleIndicators {
			continue
		}
		for j, s := range f.Indicators {
			where := fmt.Sprintf("files[%d] (%s): indicators[%d] (%s)", i, f.ID, j, s.ID)
			if s.DenominatorFrom == "working_age" && !hasWorkingAge {
				add("%s: denominator_from: working_age needs the population file to map its working_age column", where)
			}
			if s.BreakdownOf == "" {
				continue
			}
			whole, ok := ids[s.BreakdownOf]
			switch {
			case s.BreakdownOf == s.ID:
				add("%s: breakdown_of names the indicator itself", where)
			case !ok:
				add("%s: breakdown_of %q is not an indicator of this manifest", where, s.BreakdownOf)
			case whole.level != f.Level:
				add("%s: breakdown_of %q is at level %s, this indicator at level %s", where, s.BreakdownOf, whole.level, f.Level)
			}
		}
	}
	return problems
}
