package geojsonfile_test

import (
	"fmt"
	"strings"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/data/geojsonfile"
)

func ExampleRead() {
	const wards = `{"type": "FeatureCollection",
 "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
 "features": [{"type": "Feature", "properties": {"code": " E05000687 "},
  "geometry": {"type": "Polygon", "coordinates": [[[384000, 398000], [385000, 398000], [385000, 399000], [384000, 398000]]]}}]}`

	c, err := geojsonfile.Read(strings.NewReader(wards), geojsonfile.Options{Name: "wards.geojson", Want: geojsonfile.WantPolygons})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range c.Features {
		code, _ := f.String("code")
		first := f.Geometry.(orb.MultiPolygon)[0][0][0]
		fmt.Printf("%s from %s: %.4f, %.4f\n", code, c.CRS, first[0], first[1])
	}
	// Output: E05000687 from EPSG:27700: -2.2425, 53.4785
}
