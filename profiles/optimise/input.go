// Package optimise proposes better team boundaries: it searches over
// single-ward moves and swaps of adjacent wards between teams, keeping
// every constraint of a plan (team count, contiguity, locality membership,
// resident-population tolerance, wards that must not move), and returns
// the best few distinct options it found with their moves explained.
//
// The search is simulated annealing over several independent chains, each
// starting from the planner's configuration with its own seed. Every
// candidate is evaluated incrementally: a move updates the aggregates of
// the two teams it touches (resident population, local registrations,
// catchment populations, PCN practice counts) from the moved ward's row
// and column of the flow matrix, and the objective from running totals, so
// a candidate costs the size of two teams, not of the city.
//
// Why not ReCom (merge two neighbouring teams, cut a random spanning tree
// of the union into two balanced halves)? ReCom is the move of choice for
// sampling plans of thousands of precincts into a few districts, where
// single-unit moves mix slowly. A care team is two to seven wards: the
// union of two teams is a handful of wards, and its balanced spanning-tree
// splits are a handful of re-partitions that a few single moves and swaps
// reach anyway, at a fraction of the cost (no tree to draw). Swaps give the
// search its larger step: they keep both teams' sizes while exchanging
// population, which a single move under a tight tolerance often cannot.
package optimise

import (
	"fmt"
)

// City is what the search needs of the wards: measures per ward, their
// rook adjacency and the flows between them. Indices are ward indices.
type City struct {
	Wards      []Ward
	Neighbours [][]int
	// Flows are patients living in ward From registered with a practice
	// in ward To (wards of the city only; the same pair at most once).
	Flows []Flow
	// Trusts names the catchments Ward.Catchment is over.
	Trusts []string
	// PCNs names the primary care networks Ward.PCNPractices counts; a
	// PCN's practices outside the city are OutsidePCNPractices.
	PCNs                []string
	OutsidePCNPractices []int
	// FlowsModelled is true when the flows inside the city are estimates.
	FlowsModelled bool
}

// Ward is one ward's figures.
type Ward struct {
	Code string
	Name string
	// Resident is the resident population; ResidentsRegistered the
	// residents registered with any practice (in the city or not): the
	// denominator of the local registration share.
	Resident            float64
	ResidentsRegistered float64
	// Catchment[k] is the residents in trust k's catchment.
	Catchment []float64
	// PCNPractices[p] is the number of PCN p's practices in the ward.
	PCNPractices []int
}

// Flow is a count of patients from a residence ward to a practice ward.
type Flow struct {
	From, To int
	Patients float64
}

// Plan is a team configuration over the city's wards.
type Plan struct {
	Teams []Team
}

// Team is a team's id, its locality and its wards.
type Team struct {
	ID       string
	Locality string
	Wards    []int
}

// validate checks that the plan puts every ward in exactly one team.
func (c *City) validate(p *Plan) error {
	n := len(c.Wards)
	if len(c.Neighbours) != n {
		return fmt.Errorf("optimise: %d wards but %d adjacency rows", n, len(c.Neighbours))
	}
	seen := make([]bool, n)
	for _, t := range p.Teams {
		if len(t.Wards) == 0 {
			return fmt.Errorf("optimise: team %s has no wards", t.ID)
		}
		for _, w := range t.Wards {
			if w < 0 || w >= n {
				return fmt.Errorf("optimise: team %s: ward index %d out of range", t.ID, w)
			}
			if seen[w] {
				return fmt.Errorf("optimise: ward %s is in two teams", c.Wards[w].Code)
			}
			seen[w] = true
		}
	}
	for w, ok := range seen {
		if !ok {
			return fmt.Errorf("optimise: ward %s is in no team", c.Wards[w].Code)
		}
	}
	for _, f := range c.Flows {
		if f.From < 0 || f.From >= n || f.To < 0 || f.To >= n || f.Patients < 0 {
			return fmt.Errorf("optimise: bad flow %+v", f)
		}
	}
	for i, w := range c.Wards {
		if len(w.Catchment) != len(c.Trusts) || len(w.PCNPractices) != len(c.PCNs) {
			return fmt.Errorf("optimise: ward %d: %d catchments for %d trusts, %d PCN counts for %d PCNs",
				i, len(w.Catchment), len(c.Trusts), len(w.PCNPractices), len(c.PCNs))
		}
	}
	if len(c.OutsidePCNPractices) != 0 && len(c.OutsidePCNPractices) != len(c.PCNs) {
		return fmt.Errorf("optimise: %d outside PCN counts for %d PCNs", len(c.OutsidePCNPractices), len(c.PCNs))
	}
	return nil
}
