package indicatorprofile

import (
	"context"
	"testing"

	"github.com/placeteam/placeteam/profiles/wardtables"
)

// BenchmarkManchester times one indicator profile for the Manchester 2015
// configuration: an LSOA indicator (with quintiles and the SII), a practice
// indicator through each lens, and the ward figures of the map.
func BenchmarkManchester(b *testing.B) {
	ds, cfg, _ := manchester(b)
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, id string
		opts     Options
	}{
		{"lsoa", "income-deprivation", Options{}},
		{"practice-registered", "qof-dm", Options{}},
		{"practice-resident", "qof-dm", Options{Lens: LensResident, Tables: tables}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := EvaluateWith(ds, cfg, c.id, c.opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("ward-figures-resident", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := WardFigures(ds, "qof-dm", Options{Lens: LensResident, Tables: tables}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
