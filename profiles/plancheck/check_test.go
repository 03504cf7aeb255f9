package plancheck

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// grid is a cols × rows grid of square wards near Manchester, deg degrees
// of latitude high and as wide on the ground, coded "r<row>c<col>".
func grid(cols, rows int, deg float64) []dataset.Ward {
	var wards []dataset.Ward
	wide := deg / math.Cos(53.4*math.Pi/180)
	for r := range rows {
		for c := range cols {
			x, y := -2.3+float64(c)*wide, 53.4+float64(r)*deg
			ring := orb.Ring{{x, y}, {x + wide, y}, {x + wide, y + deg}, {x, y + deg}, {x, y}}
			wards = append(wards, dataset.Ward{Code: fmt.Sprintf("r%dc%d", r, c), Name: "w", Geometry: orb.MultiPolygon{{ring}}})
		}
	}
	return wards
}

// plan is a configuration with one locality per entry of localities, each
// a list of teams, each a list of wards; team ids are T1, T2, …
func plan(localities ...[][]string) *configuration.Configuration {
	c := &configuration.Configuration{Name: "test", City: configuration.Unit{ID: "c", Name: "C"}}
	n := 0
	for i, teams := range localities {
		l := configuration.Locality{ID: fmt.Sprintf("L%d", i+1), Name: "L"}
		for _, wards := range teams {
			n++
			l.Teams = append(l.Teams, configuration.Team{ID: fmt.Sprintf("T%d", n), Name: "T", Wards: wards})
		}
		c.Localities = append(c.Localities, l)
	}
	return c
}

// profileOf gives each team the populations listed (by team id) and one
// catchment and quintile mix.
func profileOf(pops map[string][2]float64) *placeprofile.Profile {
	p := &placeprofile.Profile{}
	for _, id := range slices.Sorted(func(yield func(string) bool) {
		for id := range pops {
			if !yield(id) {
				return
			}
		}
	}) {
		u := placeprofile.Unit{ID: id, Level: placeprofile.LevelTeam}
		u.ResidentPopulation.Total, u.RegisteredPopulation = pops[id][0], pops[id][1]
		u.CatchmentShares = []placeprofile.CatchmentShare{{Trust: "A", Share: 0.3}, {Trust: "B", Share: 0.6}}
		u.IMDQuintilePopulation = [5]float64{pops[id][0] / 2, pops[id][0] / 2}
		p.Teams = append(p.Teams, u)
	}
	return p
}

func TestCheckGrid(t *testing.T) {
	city, err := NewCity(context.Background(), grid(3, 3, 0.01))
	if err != nil {
		t.Fatal(err)
	}
	// T1: the bottom row (a 3×1 bar); T2: the two ends of the middle row
	// (two pieces); T3: the middle of the middle row and the top row (a T).
	// Localities: L1 = {T1}, L2 = {T2, T3} — L2 is one piece (T3 joins
	// T2's ends).
	cfg := plan(
		[][]string{{"r0c0", "r0c1", "r0c2"}},
		[][]string{{"r1c0", "r1c2"}, {"r1c1", "r2c0", "r2c1", "r2c2"}},
	)
	p := profileOf(map[string][2]float64{"T1": {1000, 900}, "T2": {1100, 1000}, "T3": {700, 1100}})
	groups := []indicatorprofile.TeamGroups{{Team: "T1", Split: []string{"P1"}}, {Team: "T2", Split: []string{"P1"}}, {Team: "T3", Split: []string{}}}
	r := Check(city, cfg, p, groups, Options{Teams: 3, Tolerance: 0.2})

	if !r.Assignment.OK || !r.TeamCount.OK {
		t.Errorf("assignment %+v, team count %+v", r.Assignment, r.TeamCount)
	}
	if r.Contiguity.OK || len(r.Contiguity.Teams) != 1 || r.Contiguity.Teams[0].ID != "T2" ||
		fmt.Sprint(r.Contiguity.Teams[0].Pieces) != "[[r1c0] [r1c2]]" || len(r.Contiguity.Localities) != 0 {
		t.Errorf("contiguity %+v", r.Contiguity)
	}
	// Resident mean 933.3: T3 (700) is 25% under, outside ±20%.
	if r.Resident.OK || fmt.Sprint(r.Resident.Outside) != "[T3]" || math.Abs(r.Resident.Target-2800.0/3) > 1e-9 ||
		math.Abs(r.Resident.MaxDeviation-(1-700/(2800.0/3))) > 1e-9 {
		t.Errorf("resident balance %+v", r.Resident)
	}
	if !r.Registered.OK || r.Registered.Target != 1000 {
		t.Errorf("registered balance %+v", r.Registered)
	}
	if fmt.Sprint(r.Failing) != "[contiguity resident_balance]" || r.OK {
		t.Errorf("failing %v, ok %v", r.Failing, r.OK)
	}
	if fmt.Sprint(r.PCNSplits) != "[{P1 [T1 T2]}]" {
		t.Errorf("PCN splits %v", r.PCNSplits)
	}

	// Shapes: a square's Polsby–Popper is π/4 and a 3×1 bar's
	// 4π·3/8² = 3π/16; T3 (a T of four squares, perimeter 10 sides) has
	// 4π·4/100 and fills 4/5 of its hull. The squares are square on the
	// ground to within the change of scale over the grid: allow 2%.
	t1, _ := r.Team("T1")
	t3, _ := r.Team("T3")
	near := func(what string, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > 0.02*want {
			t.Errorf("%s = %.4f, want %.4f", what, got, want)
		}
	}
	near("T1 Polsby–Popper", t1.PolsbyPopper, 3*math.Pi/16)
	near("T1 hull ratio", t1.HullRatio, 1)
	near("T3 Polsby–Popper", t3.PolsbyPopper, 16*math.Pi/100)
	near("T3 hull ratio", t3.HullRatio, 4.0/5)
	near("T1 area km²", t1.AreaKm2, 3*city.areaM2[0]/1e6)
	if !t1.Contiguous || t1.Pieces != 1 || t3.CatchmentTrust != "B" || *t3.CatchmentCoherence != 0.6 ||
		t3.IMDQuintileShares != [5]float64{0.5, 0.5} || fmt.Sprint(t1.SplitPCNs) != "[P1]" {
		t.Errorf("T1 %+v, T3 %+v", t1, t3)
	}
}

func TestCheckAssignment(t *testing.T) {
	city, err := NewCity(context.Background(), grid(2, 2, 0.01))
	if err != nil {
		t.Fatal(err)
	}
	// r1c1 in no team, r0c0 in two, X9 not a ward.
	cfg := plan([][]string{{"r0c0", "r0c1"}, {"r0c0", "r1c0", "X9"}})
	r := Check(city, cfg, profileOf(map[string][2]float64{"T1": {1, 1}, "T2": {1, 1}}), nil, Options{})
	a := r.Assignment
	if a.OK || fmt.Sprint(a.Unassigned, a.Repeated, a.Unknown) != "[r1c1] [r0c0] [X9]" {
		t.Errorf("assignment %+v", a)
	}
	if r.TeamCount.OK || r.TeamCount.Want != DefaultTeams || r.TeamCount.Got != 2 {
		t.Errorf("team count %+v", r.TeamCount)
	}
	if !slices.Contains(r.Failing, CheckAssignment) || !slices.Contains(r.Failing, CheckTeamCount) {
		t.Errorf("failing %v", r.Failing)
	}
}

// TestCheckCornerTouch: two wards meeting at a corner are two pieces.
func TestCheckCornerTouch(t *testing.T) {
	city, err := NewCity(context.Background(), grid(2, 2, 0.01))
	if err != nil {
		t.Fatal(err)
	}
	r := Check(city, plan([][]string{{"r0c0", "r1c1"}, {"r0c1", "r1c0"}}), nil, nil, Options{Teams: 2})
	if len(r.Contiguity.Teams) != 2 || len(r.Contiguity.Localities) != 0 {
		t.Errorf("contiguity %+v", r.Contiguity)
	}
}

func TestConvexHullArea(t *testing.T) {
	for _, tc := range []struct {
		name   string
		points []orb.Point
		want   float64
	}{
		{"square with an inside point", []orb.Point{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {1, 1}}, 4},
		{"collinear", []orb.Point{{0, 0}, {1, 0}, {2, 0}}, 0},
		{"L", []orb.Point{{0, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 2}, {0, 2}}, 3.5},
		{"repeated points", []orb.Point{{0, 0}, {0, 0}, {1, 0}, {1, 1}, {1, 1}}, 0.5},
	} {
		if got := convexHullArea(tc.points); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
