package indicatorprofile

import (
	"context"
	"math"
	"testing"

	"github.com/placeteam/placeteam/profiles/wardtables"
)

// TestWardSumsMatchEvaluate: on Manchester, for every indicator in each
// lens it has, the value of every team, locality and the city summed from
// WardSums is EvaluateWith's value, unknown exactly where it is unknown.
func TestWardSumsMatchEvaluate(t *testing.T) {
	ds, cfg, _ := manchester(t)
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	units := map[string][]string{"city": nil}
	for _, l := range cfg.Localities {
		for _, team := range l.Teams {
			units["team:"+team.ID] = team.Wards
			units["locality:"+l.ID] = append(units["locality:"+l.ID], team.Wards...)
			units["city"] = append(units["city"], team.Wards...)
		}
	}
	compared, unknown := 0, 0
	for _, ind := range ds.Indicators {
		lenses := []string{LensRegistered}
		if ind.Level == "practice" {
			lenses = append(lenses, LensResident)
		}
		for _, lens := range lenses {
			opts := Options{Lens: lens, Tables: tables}
			r, err := EvaluateWith(ds, cfg, ind.ID, opts)
			if err != nil {
				t.Fatal(err)
			}
			ws, err := NewWardSums(ds, ind.ID, opts)
			if err != nil {
				t.Fatal(err)
			}
			if ws.Modelled() != r.Modelled {
				t.Errorf("%s %s: modelled %v, EvaluateWith says %v", ind.ID, lens, ws.Modelled(), r.Modelled)
			}
			figures := map[string]Figure{"city": r.City}
			for _, f := range r.Teams {
				figures["team:"+f.ID] = f
			}
			for _, f := range r.Localities {
				figures["locality:"+f.ID] = f
			}
			for key, f := range figures {
				got := ws.Value(units[key])
				switch {
				case (got == nil) != (f.Value == nil):
					t.Errorf("%s %s %s: WardSums %v, EvaluateWith %v", ind.ID, lens, key, got, f.Value)
				case got == nil:
					unknown++
				case math.Abs(*got-*f.Value) > 1e-9*math.Max(1, math.Abs(*f.Value)):
					t.Errorf("%s %s %s: WardSums %v, EvaluateWith %v", ind.ID, lens, key, *got, *f.Value)
				default:
					compared++
				}
			}
		}
	}
	t.Logf("%d values compared, %d unknown in both", compared, unknown)
	if compared < 100 {
		t.Errorf("only %d values compared", compared)
	}
}
