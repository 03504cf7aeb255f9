package optimise

import (
	"fmt"
	"sort"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// NewCity builds the search's input from a dataset's ward tables:
// residents, residents registered (the flow matrix's row sums, registered
// outside the city included, as the profiles' denominator), catchment
// populations, the ward × ward flows, and the practices of each primary
// care network (practice groups of kind pcn) by ward. neighbours gives a
// ward's rook neighbours by code (plancheck.City.Neighbours).
func NewCity(ds *dataset.Dataset, t *wardtables.Tables, neighbours func(code string) []string, pcnKind string) (*City, error) {
	c := &City{FlowsModelled: t.FlowModel.Modelled}
	for _, tr := range t.Trusts {
		c.Trusts = append(c.Trusts, tr.Code)
	}
	pcnOf := map[string]string{}
	pcnSet := map[string]bool{}
	for _, g := range ds.PracticeGroups {
		if g.Kind == pcnKind {
			pcnOf[g.PracticeCode] = g.Code
			pcnSet[g.Code] = true
		}
	}
	for code := range pcnSet {
		c.PCNs = append(c.PCNs, code)
	}
	sort.Strings(c.PCNs)
	pcnIndex := map[string]int{}
	for i, code := range c.PCNs {
		pcnIndex[code] = i
	}
	n := len(t.Wards)
	c.Wards = make([]Ward, n)
	c.Neighbours = make([][]int, n)
	for w, ref := range t.Wards {
		c.Wards[w] = Ward{Code: ref.Code, Name: ref.Name, Resident: t.Resident[w].Total,
			ResidentsRegistered: t.Flows.RowSum(w), Catchment: append([]float64(nil), t.Catchment[w]...),
			PCNPractices: make([]int, len(c.PCNs))}
		if len(c.Wards[w].Catchment) != len(c.Trusts) {
			c.Wards[w].Catchment = make([]float64, len(c.Trusts))
		}
		for _, code := range neighbours(ref.Code) {
			x, ok := t.WardIndex(code)
			if !ok {
				return nil, fmt.Errorf("optimise: neighbour %s of ward %s is not in the tables", code, ref.Code)
			}
			c.Neighbours[w] = append(c.Neighbours[w], x)
		}
		t.Flows.Each(w, func(col int, v float64) {
			if col < n {
				c.Flows = append(c.Flows, Flow{From: w, To: col, Patients: v})
			}
		})
	}
	// PCN practices by ward, as the plan checks count them: every practice
	// of the dataset in a group, those outside the city's wards as one
	// more team.
	if len(c.PCNs) > 0 {
		c.OutsidePCNPractices = make([]int, len(c.PCNs))
	}
	for _, p := range ds.Practices {
		g, ok := pcnOf[p.Code]
		if !ok {
			continue
		}
		if w, ok := t.WardIndex(p.WardCode); ok && p.WardCode != "" {
			c.Wards[w].PCNPractices[pcnIndex[g]]++
		} else {
			c.OutsidePCNPractices[pcnIndex[g]]++
		}
	}
	return c, nil
}

// PlanOf is a configuration as the search's plan (team order as in the
// configuration).
func PlanOf(c *City, cfg *configuration.Configuration) (*Plan, error) {
	index := make(map[string]int, len(c.Wards))
	for i, w := range c.Wards {
		index[w.Code] = i
	}
	p := &Plan{}
	for _, l := range cfg.Localities {
		for _, tm := range l.Teams {
			team := Team{ID: tm.ID, Locality: l.ID}
			for _, code := range tm.Wards {
				w, ok := index[code]
				if !ok {
					return nil, fmt.Errorf("optimise: configuration %s: team %s: unknown ward %s", cfg.Name, tm.ID, code)
				}
				team.Wards = append(team.Wards, w)
			}
			p.Teams = append(p.Teams, team)
		}
	}
	return p, nil
}

// ConfigurationMoves are the ward moves that turn the start into option o, in the order of
// o's explained steps.
func (o *Option) ConfigurationMoves() []configuration.Move {
	moves := make([]configuration.Move, 0, len(o.Moves))
	for _, s := range o.Moves {
		moves = append(moves, configuration.Move{Ward: s.Ward, Team: s.To})
	}
	return moves
}
