package plancheck

import (
	"context"
	"testing"

	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// BenchmarkCheckCity: every plan check of one option at city scale (the
// demo city: 32 wards, 12 teams), given its profile and the city's
// adjacency (built once per dataset).
func BenchmarkCheckCity(b *testing.B) {
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		b.Fatal(err)
	}
	p, err := placeprofile.Evaluate(tables, cfg, placeprofile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	city, err := NewCity(ctx, ds.Wards)
	if err != nil {
		b.Fatal(err)
	}
	groups := indicatorprofile.Groups(ds, cfg, "pcn")
	for b.Loop() {
		if r := Check(city, cfg, p, groups, Options{}); !r.Assignment.OK {
			b.Fatal(r.Assignment)
		}
	}
}
