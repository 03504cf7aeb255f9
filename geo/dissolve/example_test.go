package dissolve_test

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/dissolve"
)

// Two wards share an edge, but the eastern one was digitised 0.3 m further
// east: they still dissolve into one polygon, with no sliver between them.
func ExampleUnion() {
	west := orb.MultiPolygon{{{{-2.30, 53.40}, {-2.25, 53.40}, {-2.25, 53.45}, {-2.30, 53.45}, {-2.30, 53.40}}}}
	east := orb.MultiPolygon{{{{-2.249995, 53.40}, {-2.20, 53.40}, {-2.20, 53.45}, {-2.249995, 53.45}, {-2.249995, 53.40}}}}

	g, err := dissolve.Union(context.Background(), []orb.MultiPolygon{west, east}, dissolve.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := g.(orb.Polygon)
	fmt.Println(g.GeoJSONType(), "with", len(p)-1, "holes:", p[0])
	// Output: Polygon with 0 holes: [[-2.3 53.4] [-2.2 53.4] [-2.2 53.45] [-2.3 53.45] [-2.3 53.4]]
}

func ExampleGroups() {
	cell := func(x float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x, 0}, {x + 1, 0}, {x + 1, 1}, {x, 1}, {x, 0}}}}
	}
	teams := map[string][]orb.MultiPolygon{
		"T1": {cell(0), cell(1)}, // neighbours
		"T2": {cell(5), cell(7)}, // apart
	}
	got, err := dissolve.Groups(context.Background(), teams, dissolve.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("T1:", got["T1"].GeoJSONType())
	fmt.Println("T2:", got["T2"].GeoJSONType(), "of", len(got["T2"].(orb.MultiPolygon)), "parts")
	// Output:
	// T1: Polygon
	// T2: MultiPolygon of 2 parts
}
