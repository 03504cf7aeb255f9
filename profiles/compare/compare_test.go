package compare

import (
	"math"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

func profile(name string, teams ...placeprofile.Unit) *placeprofile.Profile {
	return &placeprofile.Profile{Configuration: name, Teams: teams}
}

func team(id string, resident, registered, local float64, wards ...string) placeprofile.Unit {
	return placeprofile.Unit{ID: id, Wards: wards, ResidentPopulation: placeprofile.Population{Total: resident}, RegisteredPopulation: registered, LocalRegistrationShare: &local}
}

func config(name string, teams map[string][]string) *configuration.Configuration {
	c := &configuration.Configuration{Name: name, Localities: []configuration.Locality{{ID: "L"}}}
	for _, id := range []string{"T1", "T2", "T3"} {
		if w, ok := teams[id]; ok {
			c.Localities[0].Teams = append(c.Localities[0].Teams, configuration.Team{ID: id, Wards: w})
		}
	}
	return c
}

func TestCompare(t *testing.T) {
	cfgA := config("A", map[string][]string{"T1": {"W1", "W2"}, "T2": {"W3"}})
	cfgB := config("B", map[string][]string{"T1": {"W1"}, "T2": {"W3", "W2"}})
	a := profile("A", team("T1", 300, 250, 0.8, "W1", "W2"), team("T2", 100, 150, 0.5, "W3"))
	b := profile("B", team("T1", 200, 200, 0.7, "W1"), team("T2", 200, 200, 0.6, "W3", "W2"))
	r := Compare(cfgA, cfgB, a, b)
	if len(r.WardsMoved) != 1 || r.WardsMoved[0] != (WardMove{Ward: "W2", FromA: "T1", ToB: "T2"}) {
		t.Errorf("wards moved = %+v", r.WardsMoved)
	}
	if len(r.Teams) != 2 || *r.Teams[0].ResidentDelta != -100 || *r.Teams[1].RegisteredDelta != 50 || math.Abs(*r.Teams[1].LocalShareDelta-0.1) > 1e-12 {
		t.Errorf("team deltas = %+v %+v", r.Teams[0], r.Teams[1])
	}
	sa, sb := r.SummaryA, r.SummaryB
	if *sa.LocalShareMin != 0.5 || *sa.LocalShareMax != 0.8 || math.Abs(*sa.LocalShareSpread-0.3) > 1e-12 {
		t.Errorf("summary A local = %v %v %v", *sa.LocalShareMin, *sa.LocalShareMax, *sa.LocalShareSpread)
	}
	// Residents 300 and 100: max/min 3, CV = 100/200 = 0.5. B is balanced.
	if *sa.ResidentMaxMinRatio != 3 || *sa.ResidentCV != 0.5 || *sb.ResidentMaxMinRatio != 1 || *sb.ResidentCV != 0 {
		t.Errorf("balance A %v/%v, B %v/%v", *sa.ResidentMaxMinRatio, *sa.ResidentCV, *sb.ResidentMaxMinRatio, *sb.ResidentCV)
	}
}

func TestCompareTeamOnlyInOneOption(t *testing.T) {
	cfgA := config("A", map[string][]string{"T1": {"W1"}, "T2": {"W2"}})
	cfgB := config("B", map[string][]string{"T1": {"W1"}, "T3": {"W2"}})
	a := profile("A", team("T1", 1, 1, 1, "W1"), team("T2", 1, 1, 1, "W2"))
	b := profile("B", team("T1", 1, 1, 1, "W1"), team("T3", 1, 1, 1, "W2"))
	r := Compare(cfgA, cfgB, a, b)
	if len(r.Teams) != 3 || r.Teams[1].ResidentB != nil || r.Teams[1].ResidentDelta != nil || r.Teams[2].ResidentA != nil {
		t.Errorf("teams = %+v", r.Teams)
	}
	if len(r.WardsMoved) != 1 || r.WardsMoved[0].Ward != "W2" {
		t.Errorf("moved = %+v", r.WardsMoved)
	}
}

// TestUnknownSideNullDelta: a figure unknown on one side (no flows there)
// has a null side and a null delta, in JSON and as a blank CSV cell, and
// the result says why.
func TestUnknownSideNullDelta(t *testing.T) {
	cfg := config("A", map[string][]string{"T1": {"W1"}})
	known := team("T1", 300, 250, 0.8, "W1")
	out := 40.0
	known.OutOfCityRegistered = &out
	unknown := team("T1", 300, 250, 0, "W1")
	unknown.LocalRegistrationShare = nil
	why := "no registrations by area of residence dated 2021-01-01"
	unknown.Unknown = map[string]string{placeprofile.FieldOutOfCityRegistered: why, placeprofile.FieldLocalRegistrationShare: why}
	pb := profile("B", unknown)
	pb.Unknown = unknown.Unknown
	r := Compare(cfg, cfg, profile("A", known), pb)
	d := r.Teams[0]
	if d.OutOfCityA == nil || d.OutOfCityB != nil || d.OutOfCityDelta != nil || d.LocalShareDelta != nil {
		t.Errorf("out of city %v → %v (Δ %v), local share Δ %v: want known → null, null delta", d.OutOfCityA, d.OutOfCityB, d.OutOfCityDelta, d.LocalShareDelta)
	}
	if d.ResidentDelta == nil || *d.ResidentDelta != 0 {
		t.Errorf("known resident delta lost: %v", d.ResidentDelta)
	}
	if r.Unknown[placeprofile.FieldOutOfCityRegistered] != why {
		t.Errorf("unknown = %v", r.Unknown)
	}
	row := r.CSVRows()[0]
	for i, h := range CSVHeader {
		if (h == "out_of_city_registered_b" || h == "out_of_city_registered_delta") && row[i] != "" {
			t.Errorf("CSV %s = %q, want blank", h, row[i])
		}
	}
	// Unknown registered populations: null side, left out of the balance.
	noLists := team("T1", 300, 0, 0.8, "W1")
	noLists.Unknown = map[string]string{placeprofile.FieldRegisteredPopulation: "no practice has a location"}
	r = Compare(cfg, cfg, profile("A", known), profile("B", noLists))
	if r.Teams[0].RegisteredB != nil || r.Teams[0].RegisteredDelta != nil || r.SummaryB.RegisteredCV != nil {
		t.Errorf("unknown registered population: B %v, Δ %v, CV %v", r.Teams[0].RegisteredB, r.Teams[0].RegisteredDelta, r.SummaryB.RegisteredCV)
	}
}
