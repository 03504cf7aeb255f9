package dissolve

import (
	"context"
	"testing"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/realdata"
)

// BenchmarkGroupsManchesterTeams dissolves the 32 wards into the 12 teams of
// the 2015 configuration, as the map service does for a configuration.
func BenchmarkGroupsManchesterTeams(b *testing.B) {
	wards := readByCode(b, realdata.File(b, "boundaries/wards_2004_2018_manchester_wd13.geojson"), "WD13CD")
	cfg, err := configuration.ReadFile("../../data/configs/manchester-2015.yaml")
	if err != nil {
		b.Fatal(err)
	}
	groups := map[string][]orb.MultiPolygon{}
	for _, team := range cfg.Teams() {
		for _, code := range team.Wards {
			groups[team.ID] = append(groups[team.ID], wards[code])
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Groups(context.Background(), groups, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnionManchesterLSOAs dissolves Manchester's 282 LSOAs into the
// city.
func BenchmarkUnionManchesterLSOAs(b *testing.B) {
	lsoas := manchesterLSOAs(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Union(context.Background(), lsoas, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnionGrid dissolves a 16 × 16 grid of cells, each with a jittered
// midpoint on every edge, so both sides of every shared edge disagree; it
// needs no data files.
func BenchmarkUnionGrid(b *testing.B) {
	var cells []orb.MultiPolygon
	const size = 0.01
	for y := range 16 {
		for x := range 16 {
			x0, y0 := -2.3+float64(x)*size, 53.4+float64(y)*size
			jitter := float64((x*7+y*13)%5-2) * 1e-6
			cells = append(cells, orb.MultiPolygon{{{
				{x0, y0}, {x0 + size/2, y0 + jitter}, {x0 + size, y0},
				{x0 + size + jitter, y0 + size/2}, {x0 + size, y0 + size},
				{x0 + size/2, y0 + size - jitter}, {x0, y0 + size},
				{x0 - jitter, y0 + size/2}, {x0, y0},
			}}})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		g, err := Union(context.Background(), cells, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if p, ok := g.(orb.Polygon); !ok || len(p) != 1 {
			b.Fatalf("grid dissolved to %T, want one Polygon without holes", g)
		}
	}
}
