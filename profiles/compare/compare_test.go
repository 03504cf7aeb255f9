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
