package siting

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// nanDistances reports NaN for one pair.
type nanDistances struct {
	Distances
	i, j int
}

func (d nanDistances) Distance(i, j int) float64 {
	if i == d.i && j == d.j {
		return math.NaN()
	}
	return d.Distances.Distance(i, j)
}

func TestProblemErrors(t *testing.T) {
	base := func() Problem {
		demand := []Demand{
			{ID: "L1", Point: orb.Point{-2.24, 53.48}, Weight: 10, Team: "N"},
			{ID: "L2", Point: orb.Point{-2.25, 53.47}, Weight: 20, Team: "S"},
		}
		cands := []Candidate{
			{ID: "P1", Point: orb.Point{-2.24, 53.481}, Team: "N"},
			{ID: "P2", Point: orb.Point{-2.25, 53.471}, Team: "S"},
			{ID: "P3", Point: orb.Point{-2.245, 53.475}, Team: "S"},
		}
		return Problem{Demand: demand, Candidates: cands, Dist: GreatCircle(demand, cands), K: 2}
	}
	tests := []struct {
		name     string
		edit     func(p *Problem)
		opts     Options
		want     string
		sentinel error
	}{
		{"unknown model", func(p *Problem) { p.Model = "p-mean" },
			Options{}, `siting: unknown model "p-mean" (want "p-median", "max-coverage" or "p-centre"): invalid input`, ErrInvalidInput},
		{"no demand", func(p *Problem) { p.Demand = nil },
			Options{}, "siting: no demand points: invalid input", ErrInvalidInput},
		{"no candidates", func(p *Problem) { p.Candidates = nil },
			Options{}, "siting: no candidate sites: invalid input", ErrInvalidInput},
		{"no distances", func(p *Problem) { p.Dist = nil },
			Options{}, "siting: no distances (use GreatCircle or TravelTimes): invalid input", ErrInvalidInput},
		{"NaN point", func(p *Problem) { p.Demand[1].Point = orb.Point{math.NaN(), 53} },
			Options{}, `siting: demand "L2": point [NaN 53] is not finite: invalid input`, ErrInvalidInput},
		{"easting as longitude", func(p *Problem) { p.Candidates[0].Point = orb.Point{383000, 398000} },
			Options{}, `siting: candidate "P1": point [383000 398000] is not a longitude, latitude in degrees: invalid input`, ErrInvalidInput},
		{"negative weight", func(p *Problem) { p.Demand[0].Weight = -1 },
			Options{}, `siting: demand "L1": weight -1 is not a finite non-negative number: invalid input`, ErrInvalidInput},
		{"NaN weight", func(p *Problem) { p.Demand[0].Weight = math.NaN() },
			Options{}, `siting: demand "L1": weight NaN is not a finite non-negative number: invalid input`, ErrInvalidInput},
		{"negative K", func(p *Problem) { p.K = -1 },
			Options{}, "siting: K -1 is negative: invalid input", ErrInvalidInput},
		{"K zero city-wide", func(p *Problem) { p.K = 0 },
			Options{}, "siting: K is 0; city-wide siting needs at least one hub: invalid input", ErrInvalidInput},
		{"more hubs than candidates", func(p *Problem) { p.K = 4 },
			Options{}, "siting: 4 hubs wanted but only 3 candidate sites: invalid input", ErrInvalidInput},
		{"K too small for fixed sites", func(p *Problem) {
			p.K = 1
			p.Candidates[0].Fixed, p.Candidates[2].Fixed = true, true
		}, Options{}, "siting: 2 fixed sites but K is 1; raise K to at least 2: invalid input", ErrInvalidInput},
		{"one per team: fixed sites crowd out a team", func(p *Problem) {
			p.OnePerTeam, p.K = true, 0
			p.Candidates[1].Fixed, p.Candidates[2].Fixed = true, true
		}, Options{}, "siting: 2 fixed sites and 1 teams without a fixed site need 3 hubs, but one-per-team with 2 teams and K=0 gives 2; raise K to at least 1: invalid input", ErrInvalidInput},
		{"one per team: demand without team", func(p *Problem) { p.OnePerTeam = true; p.Demand[1].Team = "" },
			Options{}, `siting: demand "L2" has no team; one-per-team needs every demand point in a team: invalid input`, ErrInvalidInput},
		{"one per team: team without candidates", func(p *Problem) { p.OnePerTeam = true; p.Candidates[0].Team = "" },
			Options{}, `siting: team "N" has no candidate sites; one-per-team needs at least one: invalid input`, ErrInvalidInput},
		{"one per team: candidate in unknown team", func(p *Problem) { p.OnePerTeam = true; p.Candidates[2].Team = "W" },
			Options{}, `siting: candidate "P3" is in team "W", which has no demand points (leave Team empty for a site not tied to a team): invalid input`, ErrInvalidInput},
		{"coverage without threshold", func(p *Problem) { p.Model = MaxCoverage },
			Options{}, `siting: model "max-coverage" needs a positive threshold: invalid input`, ErrInvalidInput},
		{"NaN threshold", func(p *Problem) { p.Threshold = math.NaN() },
			Options{}, "siting: threshold NaN is not a finite non-negative number: invalid input", ErrInvalidInput},
		{"negative nearest lists", func(p *Problem) { p.NearestLists = -5 },
			Options{}, "siting: nearest lists -5 is negative: invalid input", ErrInvalidInput},
		{"NaN distance", func(p *Problem) { p.Dist = nanDistances{p.Dist, 1, 2} },
			Options{}, `siting: distance from demand "L2" to candidate "P3" is NaN, not a finite non-negative number: invalid input`, ErrInvalidInput},
		{"lists too long", func(p *Problem) {},
			Options{MaxListEntries: 5}, "siting: candidate lists need more than 5 entries (2 demand points × up to 3 candidates each); set Problem.NearestLists (for example 50) or raise Options.MaxListEntries: instance too large", ErrTooLarge},
		{"nearest lists too long", func(p *Problem) { p.NearestLists = 3 },
			Options{MaxListEntries: 5}, "siting: candidate lists need more than 5 entries (2 demand points × up to 3 candidates each); shorten Problem.NearestLists or raise Options.MaxListEntries: instance too large", ErrTooLarge},
		{"negative option", func(p *Problem) {},
			Options{Workers: -1}, "siting: options: -1 workers is negative: invalid input", ErrInvalidInput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base()
			tt.edit(&p)
			_, err := Solve(context.Background(), p, tt.opts)
			if err == nil || err.Error() != tt.want {
				t.Errorf("Solve error\n got %v\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("Solve error does not wrap %v", tt.sentinel)
			}
			if tt.opts != (Options{}) {
				return
			}
			if _, err := BruteForce(context.Background(), p); err == nil || err.Error() != tt.want {
				t.Errorf("BruteForce error\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestBruteForceTooLarge(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	demand, cands := synthetic(r, syntheticConfig{demand: 10, candidates: 60, radiusKm: 5})
	p := Problem{Demand: demand, Candidates: cands, Dist: GreatCircle(demand, cands), K: 10} // C(60,10) ≈ 7.5e10
	_, err := BruteForce(context.Background(), p)
	want := "siting: brute force: more than 5000000 hub sets (choose 10 of 60 candidates): instance too large"
	if err == nil || err.Error() != want || !errors.Is(err, ErrTooLarge) {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

// Fixed sites are chosen even where they serve nobody well: here each sits
// 30 km outside the city.
func TestFixedSitesAlwaysChosen(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, model := range []Model{PMedian, MaxCoverage, PCentre} {
		for _, onePerTeam := range []bool{false, true} {
			cfg := syntheticConfig{demand: 282, candidates: 100, radiusKm: 12}
			if onePerTeam {
				cfg.teams = 4
			}
			demand, cands := synthetic(r, cfg)
			far := []int{7, 42, 77}
			for _, j := range far {
				cands[j].Point = pointInCircle(r, orb.Point{manchester[0] + 0.5, manchester[1]}, 1)
				cands[j].Fixed = true
				if onePerTeam {
					cands[j].Team = demand[j].Team
				}
			}
			p := Problem{Demand: demand, Candidates: cands, Dist: GreatCircle(demand, cands), Model: model, K: 8, OnePerTeam: onePerTeam, Threshold: 1.5}
			s, err := Solve(context.Background(), p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSolution(t, p, s)
			for _, j := range far {
				if !slices.Contains(s.Hubs, j) {
					t.Errorf("%s, one per team %v: fixed site %d missing from %v", model, onePerTeam, j, s.Hubs)
				}
			}
		}
	}
}

// With one hub per team each of the 12 teams gets exactly one hub of its own
// (K = 0), or at least one with K extra hubs on top; demand is served within
// its team.
func TestOnePerTeam(t *testing.T) {
	for _, model := range []Model{PMedian, MaxCoverage, PCentre} {
		for _, k := range []int{0, 3} {
			for _, lists := range []int{0, 5} {
				p := manchesterProblem(model)
				p.K, p.NearestLists = k, lists
				// Two hospital sites not tied to a team: extras only.
				p.Candidates[98].Team, p.Candidates[99].Team = "", ""
				s, err := Solve(context.Background(), p, Options{})
				if err != nil {
					t.Fatal(err)
				}
				checkSolution(t, p, s)
				perTeam := map[string]int{}
				for _, j := range s.Hubs {
					perTeam[p.Candidates[j].Team]++
				}
				if len(s.Hubs) != 12+k {
					t.Errorf("%s K=%d: %d hubs, want %d", model, k, len(s.Hubs), 12+k)
				}
				for _, team := range teamNames(p) {
					if n := perTeam[team]; n < 1 || (k == 0 && n != 1) {
						t.Errorf("%s K=%d lists=%d: team %s has %d hubs", model, k, lists, team, n)
					}
				}
				for i, j := range s.Assignment {
					if c := p.Candidates[j].Team; c != "" && c != p.Demand[i].Team {
						t.Errorf("%s K=%d: demand %s of team %s served by %s of team %s", model, k, p.Demand[i].ID, p.Demand[i].Team, p.Candidates[j].ID, c)
					}
				}
			}
		}
	}
}

func teamNames(p Problem) []string {
	seen := map[string]bool{}
	var names []string
	for _, d := range p.Demand {
		if !seen[d.Team] {
			seen[d.Team] = true
			names = append(names, d.Team)
		}
	}
	return names
}

func TestSolveCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Solve(ctx, manchesterProblem(PMedian), Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

// Nearest lists only speed the search up: the answer's objective is exact
// (checked against Evaluate) and close to the one found with full lists.
func TestNearestLists(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	demand, cands := synthetic(r, syntheticConfig{demand: 800, candidates: 160, radiusKm: 15})
	// Local search from different starts lands on different local optima;
	// p-centre's flat objective spreads them most.
	allowed := map[Model]float64{PMedian: 0.01, MaxCoverage: 0.01, PCentre: 0.06}
	for _, model := range []Model{PMedian, MaxCoverage, PCentre} {
		p := Problem{Demand: demand, Candidates: cands, Dist: GreatCircle(demand, cands), Model: model, K: 32, Threshold: 1}
		full, err := Solve(context.Background(), p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkSolution(t, p, full)
		for _, lists := range []int{8, 20} {
			p.NearestLists = lists
			short, err := Solve(context.Background(), p, Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkSolution(t, p, short)
			var total float64
			for _, d := range demand {
				total += d.Weight
			}
			g := gap(model, short.Objective, full.Objective, total)
			t.Logf("%s, lists %d: objective %g (full lists %g), gap %+.4f", model, lists, short.Objective, full.Objective, g)
			if g > allowed[model] {
				t.Errorf("%s, lists %d: gap %.4f to full lists, want at most %g", model, lists, g, allowed[model])
			}
		}
	}
}

// Edge cases with nothing or little to choose.
func TestNothingToSwap(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	tests := []struct {
		name  string
		cfg   syntheticConfig
		k     int
		teams bool
	}{
		{"every candidate a hub", syntheticConfig{demand: 30, candidates: 6, radiusKm: 5}, 6, false},
		{"every hub fixed", syntheticConfig{demand: 30, candidates: 9, radiusKm: 5, fixed: 4}, 4, false},
		{"one candidate per team", syntheticConfig{demand: 30, candidates: 3, radiusKm: 5, teams: 3}, 0, true},
	}
	for _, tt := range tests {
		for _, model := range []Model{PMedian, MaxCoverage, PCentre} {
			demand, cands := synthetic(r, tt.cfg)
			p := Problem{Demand: demand, Candidates: cands, Dist: GreatCircle(demand, cands), Model: model, K: tt.k, OnePerTeam: tt.teams, Threshold: 1}
			s, err := Solve(context.Background(), p, Options{})
			if err != nil {
				t.Fatalf("%s, %s: %v", tt.name, model, err)
			}
			checkSolution(t, p, s)
			if !s.LocalOptimum || s.Iterations != 0 {
				t.Errorf("%s, %s: local optimum %v after %d swaps, want true after 0", tt.name, model, s.LocalOptimum, s.Iterations)
			}
		}
	}
}

// The answer depends on the seed only, not on the number of workers.
func TestDeterministic(t *testing.T) {
	for _, model := range []Model{PMedian, PCentre} {
		p := manchesterProblem(model)
		p.NearestLists = 20
		var first *Solution
		for _, workers := range []int{1, 2, 5} {
			s, err := Solve(context.Background(), p, Options{Workers: workers, Seed: 9})
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = s
				continue
			}
			if !slices.Equal(first.Hubs, s.Hubs) || first.Objective != s.Objective {
				t.Errorf("%s, %d workers: hubs %v objective %g, with 1 worker %v %g", model, workers, s.Hubs, s.Objective, first.Hubs, first.Objective)
			}
		}
	}
}
