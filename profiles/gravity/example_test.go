package gravity_test

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/profiles/gravity"
)

func ExampleEstimate() {
	p := gravity.Problem{
		Origins: []gravity.Origin{
			{ID: "north", Point: orb.Point{-2.24, 53.48}, Group: "E08000003", Weight: 1500},
			{ID: "south", Point: orb.Point{-2.24, 53.44}, Group: "E08000003", Weight: 1500},
		},
		Destinations: []gravity.Destination{
			{ID: "P1", Point: orb.Point{-2.24, 53.475}, Located: true},
			{ID: "P2", Point: orb.Point{-2.24, 53.445}, Located: true},
		},
		Totals: []gravity.GroupTotal{
			{Destination: 0, Group: "E08000003", Count: 1000},
			{Destination: 1, Group: "E08000003", Count: 1000},
			{Destination: 1, Group: "E08000006", Count: 40}, // Salford: no small areas here
		},
	}
	flows, err := gravity.Estimate(context.Background(), p, 0.8, gravity.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range flows.Cells {
		fmt.Printf("%s → %s: %.1f\n", p.Origins[c.Origin].ID, p.Destinations[c.Destination].ID, c.Count)
	}
	for _, u := range flows.Unallocated {
		fmt.Printf("unallocated: %s → %s: %.0f\n", u.Group, p.Destinations[u.Destination].ID, u.Count)
	}
	// With 0.8/km the odds ratio is exp(0.8·2·(3.90 − 0.56 km)) ≈ 209, so
	// each practice draws √209 ≈ 14.5 times as many from its own side.

	// Output:
	// north → P1: 935.3
	// north → P2: 64.7
	// south → P1: 64.7
	// south → P2: 935.3
	// unallocated: E08000006 → P2: 40
}
