package plancheck

import (
	"context"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/geo/dissolve"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// TestManchester2015Checks checks the real 2015 teams. Whether each team
// is one piece is decided again, independently of the adjacency graph, by
// dissolving its ward polygons (geo/dissolve, an exact overlay) and
// counting the polygons of the union.
func TestManchester2015Checks(t *testing.T) {
	ctx := context.Background()
	res := importtest.Manchester(t)
	ds, cfg := res.Dataset, res.Configurations[0]
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := placeprofile.Evaluate(tables, cfg, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	city, err := NewCity(ctx, ds.Wards)
	if err != nil {
		t.Fatal(err)
	}
	r := Check(city, cfg, p, indicatorprofile.Groups(ds, cfg, "pcn"), Options{})

	if !r.Assignment.OK || !r.TeamCount.OK || r.TeamCount.Got != 12 {
		t.Errorf("assignment %+v, team count %+v", r.Assignment, r.TeamCount)
	}
	geom := map[string]orb.MultiPolygon{}
	for _, w := range ds.Wards {
		geom[w.Code] = w.Geometry
	}
	groups := map[string][]orb.MultiPolygon{}
	for _, team := range cfg.Teams() {
		for _, w := range team.Wards {
			groups[team.ID] = append(groups[team.ID], geom[w])
		}
	}
	unions, err := dissolve.Groups(ctx, groups, dissolve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, team := range cfg.Teams() {
		want := 1
		switch u := unions[team.ID].(type) {
		case orb.MultiPolygon:
			want = len(u)
		case orb.Polygon:
		default:
			t.Fatalf("team %s dissolves to %T", team.ID, u)
		}
		tc, _ := r.Team(team.ID)
		if tc.Pieces != want {
			t.Errorf("team %s (%s): %d pieces by adjacency, %d polygons in its dissolved outline", team.ID, team.Name, tc.Pieces, want)
		}
		if tc.PolsbyPopper <= 0 || tc.PolsbyPopper > 1 || tc.HullRatio <= 0 || tc.HullRatio > 1 {
			t.Errorf("team %s: Polsby–Popper %v, hull ratio %v", team.ID, tc.PolsbyPopper, tc.HullRatio)
		}
		if tc.CatchmentCoherence == nil || *tc.CatchmentCoherence <= 0 || *tc.CatchmentCoherence > 1 {
			t.Errorf("team %s: catchment coherence %v", team.ID, tc.CatchmentCoherence)
		}
	}
	// The city's residents are split over 12 teams: the target is their mean.
	if got, want := r.Resident.Target, p.City.ResidentPopulation.Total/12; got != want {
		t.Errorf("resident target %v, want %v", got, want)
	}
	t.Logf("Manchester 2015: failing %v; non-contiguous teams %v; resident range %.0f–%.0f (max deviation %.0f%%), outside ±10%%: %v; PCN splits %d",
		r.Failing, r.Contiguity.Teams, r.Resident.Min, r.Resident.Max, 100*r.Resident.MaxDeviation, r.Resident.Outside, len(r.PCNSplits))
}
