package siting

import (
	"fmt"
	"slices"
)

// Comparison sets one scenario's Report against a base (for example the
// current sites): every change is alt − base.
type Comparison struct {
	Overall SummaryChange
	ByGroup map[int]SummaryChange
	ByTeam  map[string]SummaryChange
	// Added are hubs of alt that base lacks, Removed the reverse, Kept the
	// hubs of both (candidate indices, ascending).
	Added, Removed, Kept []int
	// Reassigned counts the demand points whose hub differs.
	Reassigned int
}

// SummaryChange is the change of a Summary's figures.
type SummaryChange struct {
	MeanDistance float64
	P95Distance  float64
	MaxDistance  float64
	Unserved     float64
	// Coverage is the change of the covered share within each threshold.
	Coverage []float64
}

// Compare reports how alt differs from base. Both must come from Evaluate on
// the same demand with the same thresholds. A group or team missing from one
// report counts as all zeros there.
func Compare(base, alt Report) (Comparison, error) {
	if !slices.Equal(base.Thresholds, alt.Thresholds) {
		return Comparison{}, fmt.Errorf("siting: compare: thresholds %v and %v differ: %w", base.Thresholds, alt.Thresholds, ErrInvalidInput)
	}
	if len(base.Assignment) != len(alt.Assignment) {
		return Comparison{}, fmt.Errorf("siting: compare: reports cover %d and %d demand points: %w", len(base.Assignment), len(alt.Assignment), ErrInvalidInput)
	}
	c := Comparison{
		Overall: change(base.Overall, alt.Overall, len(base.Thresholds)),
		ByGroup: map[int]SummaryChange{},
		ByTeam:  map[string]SummaryChange{},
	}
	for g := range union(base.ByGroup, alt.ByGroup) {
		c.ByGroup[g] = change(base.ByGroup[g], alt.ByGroup[g], len(base.Thresholds))
	}
	for t := range union(base.ByTeam, alt.ByTeam) {
		c.ByTeam[t] = change(base.ByTeam[t], alt.ByTeam[t], len(base.Thresholds))
	}
	inBase := map[int]bool{}
	for _, h := range base.Hubs {
		inBase[h.Candidate] = true
	}
	inAlt := map[int]bool{}
	for _, h := range alt.Hubs {
		inAlt[h.Candidate] = true
		if inBase[h.Candidate] {
			c.Kept = append(c.Kept, h.Candidate)
		} else {
			c.Added = append(c.Added, h.Candidate)
		}
	}
	for _, h := range base.Hubs {
		if !inAlt[h.Candidate] {
			c.Removed = append(c.Removed, h.Candidate)
		}
	}
	for i := range base.Assignment {
		if base.Assignment[i] != alt.Assignment[i] {
			c.Reassigned++
		}
	}
	return c, nil
}

func change(base, alt Summary, thresholds int) SummaryChange {
	c := SummaryChange{
		MeanDistance: alt.MeanDistance - base.MeanDistance,
		P95Distance:  alt.P95Distance - base.P95Distance,
		MaxDistance:  alt.MaxDistance - base.MaxDistance,
		Unserved:     alt.Unserved - base.Unserved,
		Coverage:     make([]float64, thresholds),
	}
	for k := range c.Coverage {
		var a, b float64
		if k < len(alt.Coverage) {
			a = alt.Coverage[k].Share
		}
		if k < len(base.Coverage) {
			b = base.Coverage[k].Share
		}
		c.Coverage[k] = a - b
	}
	return c
}

func union[K comparable, V any](a, b map[K]V) map[K]bool {
	u := make(map[K]bool, len(a)+len(b))
	for k := range a {
		u[k] = true
	}
	for k := range b {
		u[k] = true
	}
	return u
}
