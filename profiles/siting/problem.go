package siting

import (
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// Demand is a demand point: for placeteam, the representative point of an
// LSOA weighted by its resident population, optionally adjusted for need.
type Demand struct {
	ID     string
	Point  orb.Point // longitude, latitude in degrees
	Weight float64   // finite, ≥ 0
	// Team is the local team the point belongs to. With Problem.OnePerTeam
	// every point needs one; reports are also broken down by it.
	Team string
	// Group is an equity group (for example the IMD quintile 1..5); 0 means
	// none. Reports are broken down by the groups other than 0.
	Group int
}

// Candidate is a site that may become a hub (a health and care centre).
type Candidate struct {
	ID    string
	Point orb.Point // longitude, latitude in degrees
	// Team is the local team the site lies in. With Problem.OnePerTeam a site
	// in team t serves only team t's demand and fills team t's slot; a site
	// with Team "" is not tied to a team: it serves every team's demand but
	// can only be one of the K extra hubs.
	Team string
	// Fixed sites are always chosen (they must stay).
	Fixed bool
	// Kind is descriptive only ("practice", "hospital", "user").
	Kind string
}

// Model names what a solution minimises.
type Model string

// Models. The zero Model is PMedian.
const (
	// PMedian minimises the demand-weighted distance Σ w_i d_i.
	PMedian Model = "p-median"
	// MaxCoverage minimises the weight of demand farther than
	// Problem.Threshold from its hub (maximal covering), ties broken by the
	// p-median cost.
	MaxCoverage Model = "max-coverage"
	// PCentre minimises the largest distance of a demand point with positive
	// weight, ties broken by the p-median cost.
	PCentre Model = "p-centre"
)

// Distances gives the distance from a demand point to a candidate, both by
// index, in kilometres or minutes. It must be finite and non-negative for
// every pair Solve asks about (it checks). GreatCircle and TravelTimes
// provide one.
type Distances interface {
	Distance(demand, candidate int) float64
}

// Problem is one siting question.
type Problem struct {
	Demand     []Demand
	Candidates []Candidate
	Dist       Distances
	Model      Model // "" means PMedian
	// K is the number of hubs city-wide or, with OnePerTeam, the number of
	// extra hubs beyond one per team (0 for exactly one per team).
	K int
	// OnePerTeam requires at least one hub among every team's own
	// candidates, with T + K hubs in all for T teams (exactly one per team
	// when K = 0), and assigns demand only to hubs of its own team or with
	// Team "". The teams are the distinct Team values of the demand points.
	OnePerTeam bool
	// Threshold is the coverage radius (same unit as Dist) for MaxCoverage,
	// where it must be positive; a point at exactly Threshold is covered.
	// Evaluate reports coverage within it when given no thresholds.
	Threshold float64
	// NearestLists is the number of nearest candidates kept per demand point
	// (see the package documentation); 0 keeps all of them.
	NearestLists int
}

// Solution is a set of hubs found by Solve or BruteForce.
type Solution struct {
	Hubs []int // candidate indices, ascending
	// Objective is the model's objective: the p-median cost, the uncovered
	// weight or the largest distance.
	Objective float64
	// Cost is the p-median cost Σ w_i d_i of the solution (the tie-break of
	// MaxCoverage and PCentre; equal to Objective for PMedian).
	Cost float64
	// Assignment maps each demand point to the candidate index of its
	// nearest hub (within its team when OnePerTeam; ties go to the lower
	// candidate index).
	Assignment []int
	// Iterations counts the improving swaps Solve made after the greedy
	// start, or the hub sets BruteForce evaluated.
	Iterations int
	// LocalOptimum reports that no single swap improves the solution (always
	// true for BruteForce; false when Solve stopped at Options.MaxSwaps).
	LocalOptimum bool
}

// instance is a validated Problem with teams resolved to indices.
type instance struct {
	p      Problem
	model  Model
	n, m   int
	weight []float64
	// teams are the demand teams under OnePerTeam (sorted); demTeam[i] is
	// the team of demand i and candTeam[j] that of candidate j, −1 for a
	// candidate with Team "" (it serves every team). Without OnePerTeam
	// there is one pseudo-team: demTeam is all 0 and candTeam all −1.
	teams    []string
	demTeam  []int32
	candTeam []int32
	// teamCands counts each team's own candidates.
	teamCands []int
	fixed     []int
	hubs      int // number of hubs to choose (Solve, BruteForce)
}

// allowed reports whether candidate j may serve demand i.
func (in *instance) allowed(i, j int) bool {
	t := in.candTeam[j]
	return t < 0 || t == in.demTeam[i]
}

// groups is the number of demand teams (1 without OnePerTeam).
func (in *instance) groups() int { return max(len(in.teams), 1) }

// newInstance checks the data of p (points, weights, teams, model,
// threshold) but not the number of hubs; see checkHubs.
func newInstance(p Problem) (*instance, error) {
	in := &instance{p: p, model: p.Model, n: len(p.Demand), m: len(p.Candidates)}
	if in.model == "" {
		in.model = PMedian
	}
	switch in.model {
	case PMedian, MaxCoverage, PCentre:
	default:
		return nil, fmt.Errorf("siting: unknown model %q (want %q, %q or %q): %w", p.Model, PMedian, MaxCoverage, PCentre, ErrInvalidInput)
	}
	if in.n == 0 {
		return nil, fmt.Errorf("siting: no demand points: %w", ErrInvalidInput)
	}
	if in.m == 0 {
		return nil, fmt.Errorf("siting: no candidate sites: %w", ErrInvalidInput)
	}
	if p.Dist == nil {
		return nil, fmt.Errorf("siting: no distances (use GreatCircle or TravelTimes): %w", ErrInvalidInput)
	}
	if s, ok := p.Dist.(sized); ok {
		if n, m := s.size(); n != in.n || m != in.m {
			return nil, fmt.Errorf("siting: distances are for %d demand points and %d candidates, the problem has %d and %d: %w", n, m, in.n, in.m, ErrInvalidInput)
		}
	}
	if math.IsNaN(p.Threshold) || math.IsInf(p.Threshold, 0) || p.Threshold < 0 {
		return nil, fmt.Errorf("siting: threshold %g is not a finite non-negative number: %w", p.Threshold, ErrInvalidInput)
	}
	if in.model == MaxCoverage && p.Threshold == 0 {
		return nil, fmt.Errorf("siting: model %q needs a positive threshold: %w", MaxCoverage, ErrInvalidInput)
	}
	if p.K < 0 {
		return nil, fmt.Errorf("siting: K %d is negative: %w", p.K, ErrInvalidInput)
	}
	if p.NearestLists < 0 {
		return nil, fmt.Errorf("siting: nearest lists %d is negative: %w", p.NearestLists, ErrInvalidInput)
	}
	in.weight = make([]float64, in.n)
	for i, d := range p.Demand {
		if err := checkPoint(d.Point); err != nil {
			return nil, fmt.Errorf("siting: demand %q: %w", d.ID, err)
		}
		if math.IsNaN(d.Weight) || math.IsInf(d.Weight, 0) || d.Weight < 0 {
			return nil, fmt.Errorf("siting: demand %q: weight %g is not a finite non-negative number: %w", d.ID, d.Weight, ErrInvalidInput)
		}
		in.weight[i] = d.Weight
	}
	for j, c := range p.Candidates {
		if err := checkPoint(c.Point); err != nil {
			return nil, fmt.Errorf("siting: candidate %q: %w", c.ID, err)
		}
		if c.Fixed {
			in.fixed = append(in.fixed, j)
		}
	}
	in.demTeam = make([]int32, in.n)
	in.candTeam = make([]int32, in.m)
	if !p.OnePerTeam {
		for j := range in.candTeam {
			in.candTeam[j] = -1
		}
		in.teamCands = []int{0}
		return in, nil
	}
	index := map[string]int32{}
	for _, d := range p.Demand {
		if d.Team == "" {
			return nil, fmt.Errorf("siting: demand %q has no team; one-per-team needs every demand point in a team: %w", d.ID, ErrInvalidInput)
		}
		if _, ok := index[d.Team]; !ok {
			index[d.Team] = 0
			in.teams = append(in.teams, d.Team)
		}
	}
	slices.Sort(in.teams)
	for t, name := range in.teams {
		index[name] = int32(t)
	}
	for i, d := range p.Demand {
		in.demTeam[i] = index[d.Team]
	}
	in.teamCands = make([]int, len(in.teams))
	for j, c := range p.Candidates {
		if c.Team == "" {
			in.candTeam[j] = -1
			continue
		}
		t, ok := index[c.Team]
		if !ok {
			return nil, fmt.Errorf("siting: candidate %q is in team %q, which has no demand points (leave Team empty for a site not tied to a team): %w", c.ID, c.Team, ErrInvalidInput)
		}
		in.candTeam[j] = t
		in.teamCands[t]++
	}
	for t, name := range in.teams {
		if in.teamCands[t] == 0 {
			return nil, fmt.Errorf("siting: team %q has no candidate sites; one-per-team needs at least one: %w", name, ErrInvalidInput)
		}
	}
	return in, nil
}

// checkHubs sets in.hubs from K and checks that the fixed sites fit.
func (in *instance) checkHubs() error {
	k := in.p.K
	if !in.p.OnePerTeam {
		if k == 0 {
			return fmt.Errorf("siting: K is 0; city-wide siting needs at least one hub: %w", ErrInvalidInput)
		}
		in.hubs = k
		if len(in.fixed) > k {
			return fmt.Errorf("siting: %d fixed sites but K is %d; raise K to at least %d: %w", len(in.fixed), k, len(in.fixed), ErrInvalidInput)
		}
	} else {
		in.hubs = len(in.teams) + k
		covered := make([]bool, len(in.teams))
		for _, j := range in.fixed {
			if t := in.candTeam[j]; t >= 0 {
				covered[t] = true
			}
		}
		open := 0
		for _, c := range covered {
			if !c {
				open++
			}
		}
		if need := len(in.fixed) + open; need > in.hubs {
			return fmt.Errorf("siting: %d fixed sites and %d teams without a fixed site need %d hubs, but one-per-team with %d teams and K=%d gives %d; raise K to at least %d: %w",
				len(in.fixed), open, need, len(in.teams), k, in.hubs, need-len(in.teams), ErrInvalidInput)
		}
	}
	if in.hubs > in.m {
		return fmt.Errorf("siting: %d hubs wanted but only %d candidate sites: %w", in.hubs, in.m, ErrInvalidInput)
	}
	return nil
}

func checkPoint(p orb.Point) error {
	lon, lat := p[0], p[1]
	if math.IsNaN(lon) || math.IsNaN(lat) || math.IsInf(lon, 0) || math.IsInf(lat, 0) {
		return fmt.Errorf("point %v is not finite: %w", p, ErrInvalidInput)
	}
	if lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return fmt.Errorf("point %v is not a longitude, latitude in degrees: %w", p, ErrInvalidInput)
	}
	return nil
}

// sized is implemented by the package's Distances so that a mismatch with
// the problem is caught up front.
type sized interface {
	size() (demand, candidates int)
}
