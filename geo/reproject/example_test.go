package reproject_test

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/reproject"
)

func ExampleToLonLat() {
	crs, err := reproject.ParseCRS("urn:ogc:def:crs:EPSG::27700")
	if err != nil {
		fmt.Println(err)
		return
	}
	g, err := reproject.ToLonLat(orb.Point{384000, 398000}, crs)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := g.(orb.Point)
	fmt.Printf("%s: lon %.4f, lat %.4f\n", crs, p[0], p[1])
	// Output: EPSG:27700: lon -2.2425, lat 53.4785
}
