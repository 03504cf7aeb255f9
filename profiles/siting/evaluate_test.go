package siting

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// tinyProblem is the hand-checked instance: five demand points, three
// candidates, distances from a travel-time table.
//
//	         X (N)  Y (S)  Z (S)   weight team group
//	A         1      3      5        1     N     1
//	B         2      1.5    5        2     N     1
//	C         4      0.5    2        3     S     2
//	D         3      2.5    1        4     S     2
//	E         9      9      9        0     S     0
func tinyProblem(t *testing.T) Problem {
	t.Helper()
	demand := []Demand{
		{ID: "A", Weight: 1, Team: "N", Group: 1},
		{ID: "B", Weight: 2, Team: "N", Group: 1},
		{ID: "C", Weight: 3, Team: "S", Group: 2},
		{ID: "D", Weight: 4, Team: "S", Group: 2},
		{ID: "E", Weight: 0, Team: "S"},
	}
	cands := []Candidate{{ID: "X", Team: "N"}, {ID: "Y", Team: "S"}, {ID: "Z", Team: "S"}}
	csv := `origin,destination,minutes
A,X,1
A,Y,3
A,Z,5
B,X,2
B,Y,1.5
B,Z,5
C,X,4
C,Y,0.5
C,Z,2
D,X,3
D,Y,2.5
D,Z,1
E,X,9
E,Y,9
E,Z,9
`
	return Problem{Demand: demand, Candidates: cands, Dist: mustTravelTimes(t, csv, demand, cands), K: 2}
}

var approx = cmpopts.EquateApprox(0, 1e-12)

func coverage(thresholds []float64, weights ...float64) []Coverage {
	var total float64
	for _, w := range weights[len(thresholds):] {
		total += w
	}
	c := make([]Coverage, len(thresholds))
	for k, th := range thresholds {
		c[k] = Coverage{Threshold: th, Weight: weights[k], Share: weights[k] / total}
	}
	return c
}

func TestEvaluateByHand(t *testing.T) {
	p := tinyProblem(t)
	th := []float64{1, 1.5, 2, 3}
	got, err := Evaluate(p, []int{1, 0}, th) // order does not matter
	if err != nil {
		t.Fatal(err)
	}
	// A→X 1, B→Y 1.5, C→Y 0.5, D→Y 2.5, E→X 9 (tie with Y: lower index).
	// Weighted P95: by distance C 0.5 (cum 3), A 1 (4), B 1.5 (6), D 2.5
	// (10): 95% of 10 is first reached at D.
	want := Report{
		Thresholds: th,
		Hubs: []HubLoad{
			{Candidate: 0, ID: "X", Points: 2, Weight: 1, MeanDistance: 1},
			{Candidate: 1, ID: "Y", Points: 3, Weight: 9, MeanDistance: 14.5 / 9},
		},
		Assignment: []int{0, 1, 1, 1, 0},
		Distance:   []float64{1, 1.5, 0.5, 2.5, 9},
		Overall: Summary{Points: 5, Weight: 10, Coverage: coverage(th, 4, 6, 6, 10, 10),
			MeanDistance: 1.55, P95Distance: 2.5, MaxDistance: 2.5},
		ByGroup: map[int]Summary{
			1: {Points: 2, Weight: 3, Coverage: coverage(th, 1, 3, 3, 3, 3), MeanDistance: 4.0 / 3, P95Distance: 1.5, MaxDistance: 1.5},
			2: {Points: 2, Weight: 7, Coverage: coverage(th, 3, 3, 3, 7, 7), MeanDistance: 11.5 / 7, P95Distance: 2.5, MaxDistance: 2.5},
		},
		ByTeam: map[string]Summary{
			"N": {Points: 2, Weight: 3, Coverage: coverage(th, 1, 3, 3, 3, 3), MeanDistance: 4.0 / 3, P95Distance: 1.5, MaxDistance: 1.5},
			"S": {Points: 3, Weight: 7, Coverage: coverage(th, 3, 3, 3, 7, 7), MeanDistance: 11.5 / 7, P95Distance: 2.5, MaxDistance: 2.5},
		},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}

	// One per team, and the current sites Y and Z leave team N without a
	// hub of its own: A and B are unserved.
	p.OnePerTeam = true
	got, err = Evaluate(p, []int{1, 2}, []float64{1})
	if err != nil {
		t.Fatal(err)
	}
	wantOverall := Summary{Points: 5, Weight: 10, Unserved: 3,
		Coverage:     []Coverage{{Threshold: 1, Weight: 7, Share: 0.7}},
		MeanDistance: 5.5 / 7, P95Distance: 1, MaxDistance: 1}
	if diff := cmp.Diff(wantOverall, got.Overall, approx); diff != "" {
		t.Errorf("one per team, overall (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{-1, -1, 1, 2, 1}, got.Assignment); diff != "" {
		t.Errorf("one per team, assignment (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]float64{-1, -1, 0.5, 1, 9}, got.Distance); diff != "" {
		t.Errorf("one per team, distance (-want +got):\n%s", diff)
	}
}

// The optima of the tiny instance, worked out by hand over its three hub
// pairs, for Solve and BruteForce.
func TestTinyOptima(t *testing.T) {
	tests := []struct {
		model     Model
		hubs      []int
		objective float64
		cost      float64
	}{
		// Costs: {X,Y} 15.5, {X,Z} 15, {Y,Z} 11.5.
		{PMedian, []int{1, 2}, 11.5, 11.5},
		// Largest distance (E has no weight): {X,Y} 2.5, {X,Z} 2, {Y,Z} 3.
		{PCentre, []int{0, 2}, 2, 15},
		// Uncovered beyond 1.5: {X,Y} D=4, {X,Z} B+C=5, {Y,Z} A=1.
		{MaxCoverage, []int{1, 2}, 1, 11.5},
	}
	for _, tt := range tests {
		t.Run(string(tt.model), func(t *testing.T) {
			p := tinyProblem(t)
			p.Model, p.Threshold = tt.model, 1.5
			for name, solve := range map[string]func() (*Solution, error){
				"Solve":      func() (*Solution, error) { return Solve(context.Background(), p, Options{}) },
				"BruteForce": func() (*Solution, error) { return BruteForce(context.Background(), p) },
			} {
				s, err := solve()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.hubs, s.Hubs); diff != "" {
					t.Errorf("%s hubs (-want +got):\n%s", name, diff)
				}
				if !nearlyEqual(s.Objective, tt.objective) || !nearlyEqual(s.Cost, tt.cost) {
					t.Errorf("%s objective %g cost %g, want %g %g", name, s.Objective, s.Cost, tt.objective, tt.cost)
				}
			}
		})
	}
}

func TestCompare(t *testing.T) {
	p := tinyProblem(t)
	th := []float64{1, 2}
	base, err := Evaluate(p, []int{0, 1}, th)
	if err != nil {
		t.Fatal(err)
	}
	// Y and Z: A→Y 3, B→Y 1.5, C→Y 0.5, D→Z 1, E→Y 9; mean 11.5/10, P95 3
	// (cum 3, 7, 9, 10: 9.5 reached at A).
	alt, err := Evaluate(p, []int{1, 2}, th)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Compare(base, alt)
	if err != nil {
		t.Fatal(err)
	}
	want := Comparison{
		Overall: SummaryChange{MeanDistance: 1.15 - 1.55, P95Distance: 3 - 2.5, MaxDistance: 3 - 2.5, Coverage: []float64{0.7 - 0.4, 0.9 - 0.6}},
		ByGroup: map[int]SummaryChange{
			1: {MeanDistance: 6.0/3 - 4.0/3, P95Distance: 3 - 1.5, MaxDistance: 3 - 1.5, Coverage: []float64{0 - 1.0/3, 2.0/3 - 1}},
			2: {MeanDistance: 5.5/7 - 11.5/7, P95Distance: 1 - 2.5, MaxDistance: 1 - 2.5, Coverage: []float64{1 - 3.0/7, 1 - 3.0/7}},
		},
		ByTeam: map[string]SummaryChange{
			"N": {MeanDistance: 6.0/3 - 4.0/3, P95Distance: 3 - 1.5, MaxDistance: 3 - 1.5, Coverage: []float64{0 - 1.0/3, 2.0/3 - 1}},
			"S": {MeanDistance: 5.5/7 - 11.5/7, P95Distance: 1 - 2.5, MaxDistance: 1 - 2.5, Coverage: []float64{1 - 3.0/7, 1 - 3.0/7}},
		},
		Added: []int{2}, Removed: []int{0}, Kept: []int{1},
		Reassigned: 3, // A X→Y, D Y→Z, E X→Y
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("comparison (-want +got):\n%s", diff)
	}
	if _, err := Compare(base, Report{Thresholds: []float64{1}}); err == nil || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("thresholds differ: error %v, want ErrInvalidInput", err)
	}
}

func TestEvaluateErrors(t *testing.T) {
	p := tinyProblem(t)
	tests := []struct {
		hubs       []int
		thresholds []float64
		want       string
	}{
		{[]int{3}, nil, "siting: evaluate: hub 3 is not a candidate index (0..2): invalid input"},
		{[]int{-1}, nil, "siting: evaluate: hub -1 is not a candidate index (0..2): invalid input"},
		{[]int{1, 0, 1}, nil, `siting: evaluate: candidate "Y" is listed twice: invalid input`},
		{[]int{0}, []float64{-1}, "siting: evaluate: threshold -1 is not a finite non-negative number: invalid input"},
	}
	for _, tt := range tests {
		_, err := Evaluate(p, tt.hubs, tt.thresholds)
		if err == nil || err.Error() != tt.want || !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Evaluate(%v, %v): error %v, want %s", tt.hubs, tt.thresholds, err, tt.want)
		}
	}
	// Threshold defaults to p.Threshold.
	p.Threshold = 2
	r, err := Evaluate(p, []int{0, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float64{2}; !slices.Equal(r.Thresholds, want) {
		t.Errorf("thresholds %v, want %v", r.Thresholds, want)
	}
}
