package hubplan

import (
	"context"
	"errors"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/profiles/siting"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

func TestRunOnDemoCity(t *testing.T) {
	ctx := context.Background()
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Run(ctx, ds, tables, cfg, Options{OnePerTeam: true})
	if err != nil {
		t.Fatal(err)
	}
	teams := map[string]bool{}
	for _, h := range plan.Hubs {
		if teams[h.Team] {
			t.Errorf("two hubs in team %s", h.Team)
		}
		teams[h.Team] = true
	}
	if len(plan.Hubs) != 12 || len(teams) != 12 {
		t.Fatalf("%d hubs in %d teams, want 12 in 12", len(plan.Hubs), len(teams))
	}
	// Every open city practice is a spoke of a hub in its own team.
	hubTeam := map[string]string{}
	for _, h := range plan.Hubs {
		hubTeam[h.ID] = h.Team
	}
	practices := 0
	for w := range tables.Wards {
		practices += len(tables.Practices[w])
	}
	if len(plan.Spokes) != practices {
		t.Errorf("%d spokes for %d practices", len(plan.Spokes), practices)
	}
	for _, s := range plan.Spokes {
		if hubTeam[s.Hub] != s.Team {
			t.Errorf("practice %s (team %s) is a spoke of %s in team %s", s.Practice, s.Team, s.Hub, hubTeam[s.Hub])
		}
	}
	// Served demand adds up to the city's population.
	served := 0.0
	for _, h := range plan.Hubs {
		served += h.Served
	}
	if served != plan.Report.Overall.Weight || served != sumResident(tables) {
		t.Errorf("served %v, report weight %v, residents %v", served, plan.Report.Overall.Weight, sumResident(tables))
	}
	// The current sites (every practice) are nearer on average than 12 hubs.
	if plan.Current.Overall.MeanDistance >= plan.Report.Overall.MeanDistance {
		t.Errorf("current mean %v ≥ hubs mean %v", plan.Current.Overall.MeanDistance, plan.Report.Overall.MeanDistance)
	}
	// GeoJSON: hubs, spokes and coverage circles (counter-clockwise).
	fc := plan.GeoJSON()
	if len(fc.Features) != 2*len(plan.Hubs)+len(plan.Spokes) {
		t.Errorf("GeoJSON features = %d", len(fc.Features))
	}
	last := fc.Features[len(fc.Features)-1]
	if poly, ok := last.Geometry.(orb.Polygon); !ok || planar.Area(poly[0]) <= 0 {
		t.Errorf("coverage circle = %T, want a counter-clockwise polygon", last.Geometry)
	}

	// A fixed site is always chosen.
	fixed := plan.Spokes[0].Practice
	withFixed, err := Run(ctx, ds, tables, cfg, Options{OnePerTeam: true, Fixed: []string{"practice:" + fixed}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range withFixed.Hubs {
		found = found || (h.ID == "practice:"+fixed && h.Fixed)
	}
	if !found {
		t.Errorf("fixed site practice:%s not chosen", fixed)
	}
	if _, err := Run(ctx, ds, tables, cfg, Options{K: 3, Fixed: []string{"practice:NOPE"}}); !errors.Is(err, siting.ErrInvalidInput) {
		t.Errorf("unknown fixed site: %v", err)
	}
	if _, err := Run(ctx, ds, tables, cfg, Options{K: 3, Weight: "wealth"}); !errors.Is(err, siting.ErrInvalidInput) {
		t.Errorf("unknown weighting: %v", err)
	}
	// Check refuses what Run refuses, without solving, and passes what it solves.
	for _, bad := range []Options{
		{K: 3, Fixed: []string{"practice:NOPE"}},
		{K: 3, Weight: "wealth"},
		{K: 3, Model: "best"},
		{K: 0},                        // city-wide with no hubs
		{K: 100000, OnePerTeam: true}, // more hubs than candidates
	} {
		_, runErr := Run(ctx, ds, tables, cfg, bad)
		checkErr := Check(ds, tables, cfg, bad)
		if runErr == nil || !errors.Is(checkErr, siting.ErrInvalidInput) {
			t.Errorf("options %+v: Run %v, Check %v; want both refused as invalid input", bad, runErr, checkErr)
		}
	}
	if err := Check(ds, tables, cfg, Options{OnePerTeam: true, Model: siting.MaxCoverage}); err != nil {
		t.Errorf("Check refuses a valid run: %v", err)
	}
}

func sumResident(t *wardtables.Tables) float64 {
	s := 0.0
	for _, r := range t.Resident {
		s += r.Total
	}
	return s
}

func TestTravelTimes(t *testing.T) {
	ctx := context.Background()
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A matrix missing every pair is refused with the siting error.
	_, err = Run(ctx, ds, tables, cfg, Options{K: 3, TravelTimes: []byte("origin,destination,minutes\n"), TravelTimesName: "times.csv"})
	if !errors.Is(err, siting.ErrTravelTimes) {
		t.Fatalf("empty matrix: %v", err)
	}
}
