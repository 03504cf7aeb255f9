package manifest

import (
	"fmt"
	"slices"
)

var denominatorsFrom = []string{"population", "age_0_15", "age_16_59", "age_60_plus"}

// checkIndicators validates an indicators file's specs.
func (f *File) checkIndicators(where string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if f.Level != "lsoa" && f.Level != "practice" {
		add("%s: level must be lsoa or practice, not %q", where, f.Level)
	}
	if f.Level == "practice" {
		for _, s := range f.Indicators {
			if s.DenominatorFrom != "" {
				add("%s: indicator %q: denominator_from needs LSOA values", where, s.ID)
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
		if s.Numerator == "" {
			add("%s (%s): no numerator column", at, s.ID)
		}
		if (s.Denominator == "") == (s.DenominatorFrom == "") {
			add("%s (%s): give a denominator column or denominator_from, not both or neither", at, s.ID)
		}
		if s.DenominatorFrom != "" && !slices.Contains(denominatorsFrom, s.DenominatorFrom) {
			add("%s (%s): denominator_from must be one of %v", at, s.ID, denominatorsFrom)
		}
	}
	return problems
}
