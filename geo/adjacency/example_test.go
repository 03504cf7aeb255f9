package adjacency_test

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/adjacency"
)

func square(lon, lat, size float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{
		{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}, {lon, lat},
	}}}
}

// Four wards in a 2 × 2 block: 0 and 3 (and 1 and 2) meet only at the
// centre, so they are not neighbours, and a team of just those two is in
// two pieces.
func Example() {
	const size = 0.01 // degrees
	wards := []orb.MultiPolygon{
		square(-2.25, 53.48, size),           // 0: south-west
		square(-2.25+size, 53.48, size),      // 1: south-east
		square(-2.25, 53.48+size, size),      // 2: north-west
		square(-2.25+size, 53.48+size, size), // 3: north-east
	}
	g, err := adjacency.Build(context.Background(), wards, adjacency.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range g.Edges() {
		fmt.Printf("%d-%d share %.0f m\n", e.A, e.B, e.SharedMetres)
	}
	fmt.Println("neighbours of 0:", g.Neighbours(0))
	fmt.Println("team {0, 3}:", g.Components([]int{0, 3}), g.Connected([]int{0, 3}))
	fmt.Println("team {0, 1, 3}:", g.Components([]int{0, 1, 3}), g.Connected([]int{0, 1, 3}))
	// Output:
	// 0-1 share 1113 m
	// 0-2 share 662 m
	// 1-3 share 662 m
	// 2-3 share 1113 m
	// neighbours of 0: [1 2]
	// team {0, 3}: [[0] [3]] false
	// team {0, 1, 3}: [[0 1 3]] true
}
