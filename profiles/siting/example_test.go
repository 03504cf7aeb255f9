package siting_test

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/profiles/siting"
)

// Two teams, one hub each, with the current sites as the comparison.
func Example() {
	demand := []siting.Demand{
		{ID: "E01000001", Point: orb.Point{-2.250, 53.480}, Weight: 1500, Team: "North", Group: 1},
		{ID: "E01000002", Point: orb.Point{-2.240, 53.490}, Weight: 1700, Team: "North", Group: 2},
		{ID: "E01000003", Point: orb.Point{-2.230, 53.500}, Weight: 1600, Team: "North", Group: 5},
		{ID: "E01000004", Point: orb.Point{-2.250, 53.440}, Weight: 1400, Team: "South", Group: 1},
		{ID: "E01000005", Point: orb.Point{-2.260, 53.430}, Weight: 1800, Team: "South", Group: 3},
	}
	cands := []siting.Candidate{
		{ID: "P1", Point: orb.Point{-2.240, 53.489}, Team: "North", Kind: "practice"},
		{ID: "P2", Point: orb.Point{-2.262, 53.470}, Team: "North", Kind: "practice"},
		{ID: "P3", Point: orb.Point{-2.255, 53.436}, Team: "South", Kind: "practice"},
		{ID: "H1", Point: orb.Point{-2.230, 53.455}, Team: "South", Kind: "hospital"},
	}
	p := siting.Problem{
		Demand: demand, Candidates: cands, Dist: siting.GreatCircle(demand, cands),
		Model: siting.PMedian, OnePerTeam: true, Threshold: 1.5,
	}
	sol, err := siting.Solve(context.Background(), p, siting.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	chosen, err := siting.Evaluate(p, sol.Hubs, []float64{1, 1.5, 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	current, err := siting.Evaluate(p, []int{1, 3}, []float64{1, 1.5, 2})
	if err != nil {
		fmt.Println(err)
		return
	}
	diff, err := siting.Compare(current, chosen)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, h := range chosen.Hubs {
		fmt.Printf("hub %s serves %d areas, %.0f people, mean %.2f km\n", h.ID, h.Points, h.Weight, h.MeanDistance)
	}
	fmt.Printf("within 1.5 km: %.0f%%, mean %.2f km, P95 %.2f km\n",
		100*chosen.Overall.Coverage[1].Share, chosen.Overall.MeanDistance, chosen.Overall.P95Distance)
	fmt.Printf("against current sites: mean %+.2f km, within 1.5 km %+.0f points\n",
		diff.Overall.MeanDistance, 100*diff.Overall.Coverage[1])
	// Output:
	// hub P1 serves 3 areas, 4800 people, mean 0.88 km
	// hub P3 serves 2 areas, 3200 people, mean 0.66 km
	// within 1.5 km: 100%, mean 0.79 km, P95 1.39 km
	// against current sites: mean -1.96 km, within 1.5 km +81 points
}
