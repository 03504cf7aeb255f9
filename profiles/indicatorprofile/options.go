package indicatorprofile

// OptionChange is one team's indicator under option A and option B.
type OptionChange struct {
	Team   string   `json:"team"`
	ValueA *float64 `json:"value_a"`
	ValueB *float64 `json:"value_b"`
	Change *float64 `json:"change"`
	// Significant is true when the two 95% intervals do not overlap, false
	// when they do, and nil when either side has no interval (no value, or
	// a measure without one). The options share residents (a team of B
	// overlaps teams of A), so a test for independent samples would
	// overstate significance; non-overlap is the conservative rule.
	Significant *bool `json:"significant"`
}

// SignificanceRule says how CompareOptions judges a change.
const SignificanceRule = "significant when the two 95% intervals do not overlap (conservative: the options share residents); null when a side has no interval"

// CompareOptions sets an indicator's team figures under two configurations
// side by side, matching teams by id.
func CompareOptions(a, b *Result) []OptionChange {
	byID := map[string]Figure{}
	for _, f := range b.Teams {
		byID[f.ID] = f
	}
	var out []OptionChange
	seen := map[string]bool{}
	for _, fa := range a.Teams {
		fb, ok := byID[fa.ID]
		c := OptionChange{Team: fa.ID, ValueA: fa.Value}
		seen[fa.ID] = true
		if ok {
			c.ValueB = fb.Value
			if fa.Value != nil && fb.Value != nil {
				d := *fb.Value - *fa.Value
				c.Change = &d
			}
			if fa.Lower != nil && fb.Lower != nil {
				// Intervals widened by any suppression range.
				alo, ahi := widened(fa)
				blo, bhi := widened(fb)
				sig := blo > ahi || alo > bhi
				c.Significant = &sig
			}
		}
		out = append(out, c)
	}
	for _, fb := range b.Teams {
		if !seen[fb.ID] {
			out = append(out, OptionChange{Team: fb.ID, ValueB: fb.Value})
		}
	}
	return out
}
