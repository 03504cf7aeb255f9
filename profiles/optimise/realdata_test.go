package optimise_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/optimise"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// cityCase is a dataset with its baseline, tables and plan-check city.
type cityCase struct {
	name   string
	ds     *dataset.Dataset
	cfg    *configuration.Configuration
	tables *wardtables.Tables
	check  *plancheck.City
	city   *optimise.City
	start  *optimise.Plan
}

func newCase(t *testing.T, name string, ds *dataset.Dataset, cfg *configuration.Configuration) *cityCase {
	t.Helper()
	ctx := context.Background()
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check, err := plancheck.NewCity(ctx, ds.Wards)
	if err != nil {
		t.Fatal(err)
	}
	city, err := optimise.NewCity(ds, tables, check.Neighbours, "pcn")
	if err != nil {
		t.Fatal(err)
	}
	start, err := optimise.PlanOf(city, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &cityCase{name, ds, cfg, tables, check, city, start}
}

func demoCase(t *testing.T) *cityCase {
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return newCase(t, "demo", ds, cfg)
}

func manchesterCase(t *testing.T) *cityCase {
	res := importtest.Manchester(t)
	return newCase(t, "manchester", res.Dataset, res.Configurations[0])
}

// configurationOf is the baseline with the option's wards.
func (c *cityCase) configurationOf(team []int) *configuration.Configuration {
	out := c.cfg.Clone()
	i := 0
	for li := range out.Localities {
		for ti := range out.Localities[li].Teams {
			out.Localities[li].Teams[ti].Wards = nil
			for w, x := range team {
				if x == i {
					out.Localities[li].Teams[ti].Wards = append(out.Localities[li].Teams[ti].Wards, c.city.Wards[w].Code)
				}
			}
			i++
		}
	}
	return out
}

// report checks a configuration with the plan checks (their own
// contiguity and balance code) and profiles it.
func (c *cityCase) report(t *testing.T, cfg *configuration.Configuration, tol float64) (*plancheck.Report, *placeprofile.Profile) {
	t.Helper()
	p, err := placeprofile.Evaluate(c.tables, cfg, placeprofile.Options{})
	if err != nil {
		t.Fatalf("%s: %v", cfg.Name, err)
	}
	return plancheck.Check(c.check, cfg, p, indicatorprofile.Groups(c.ds, cfg, "pcn"), plancheck.Options{Tolerance: tol}), p
}

func pieces(r *plancheck.Report) (teams, localities map[string]int) {
	teams, localities = map[string]int{}, map[string]int{}
	for _, tc := range r.Teams {
		teams[tc.ID] = tc.Pieces
	}
	for _, l := range r.Contiguity.Localities {
		localities[l.ID] = len(l.Pieces)
	}
	return teams, localities
}

// TestNeverBreaksAConstraintOnRealCities: over many seeds, objectives and
// constraints, on the demo city and Manchester 2015, the plan checks find
// no option that breaks a constraint: no team (or locality) in more
// pieces than at the start, every team within the tolerance or no
// further out than the start's worst, frozen wards where they were,
// localities unchanged unless free, the team count kept.
func TestNeverBreaksAConstraintOnRealCities(t *testing.T) {
	cases := []func(t *testing.T) *cityCase{demoCase, manchesterCase}
	objectives := []string{"min_local", "local", "catchment", "balance", "pcn", "min_local=1,catchment=1"}
	for _, newCase := range cases {
		c := newCase(t)
		t.Run(c.name, func(t *testing.T) {
			startReport, _ := c.report(t, c.cfg, 0.10)
			startTeams, startLocs := pieces(startReport)
			wardTeam := c.cfg.WardTeams()
			locOf := map[string]string{}
			for _, l := range c.cfg.Localities {
				for _, tm := range l.Teams {
					locOf[tm.ID] = l.ID
				}
			}
			for seed := uint64(1); seed <= 12; seed++ {
				obj, err := optimise.ParseObjective(objectives[seed%uint64(len(objectives))])
				if err != nil {
					t.Fatal(err)
				}
				tol := []float64{0.10, 0.2, -1}[seed%3]
				opts := optimise.Options{Objective: obj, Seed: seed, Moves: 60_000, FreeLocalities: seed%2 == 0, Tolerance: tol}
				if seed%4 == 1 {
					opts.Frozen = []int{0, 7, 11}
				}
				res, err := optimise.Run(context.Background(), c.city, c.start, opts)
				if err != nil {
					t.Fatal(err)
				}
				worst := startReport.Resident.MaxDeviation
				for i, o := range res.Options {
					cfg := c.configurationOf(o.Team)
					r, _ := c.report(t, cfg, 0.10)
					where := fmt.Sprintf("seed %d %s option %d", seed, obj, i+1)
					if !r.Assignment.OK || r.TeamCount.Got != len(c.cfg.Teams()) {
						t.Errorf("%s: assignment %+v, %d teams", where, r.Assignment, r.TeamCount.Got)
					}
					teams, locs := pieces(r)
					for id, n := range teams {
						if n > max(1, startTeams[id]) {
							t.Errorf("%s: team %s in %d pieces (start %d)", where, id, n, startTeams[id])
						}
					}
					for id, n := range locs {
						if n > max(1, startLocs[id]) {
							t.Errorf("%s: locality %s in %d pieces (start %d)", where, id, n, startLocs[id])
						}
					}
					if tol > 0 {
						for _, tc := range r.Teams {
							if math.Abs(tc.ResidentDeviation) > math.Max(tol, worst)+1e-9 {
								t.Errorf("%s: team %s resident deviation %.4f beyond %.2f and the start's worst %.4f", where, tc.ID, tc.ResidentDeviation, tol, worst)
							}
						}
					}
					moved := cfg.WardTeams()
					for _, w := range opts.Frozen {
						code := c.city.Wards[w].Code
						if moved[code] != wardTeam[code] {
							t.Errorf("%s: frozen ward %s moved", where, code)
						}
					}
					if !opts.FreeLocalities {
						for code, team := range moved {
							if locOf[team] != locOf[wardTeam[code]] {
								t.Errorf("%s: ward %s changed locality", where, code)
							}
						}
					}
				}
			}
		})
	}
}

// TestImprovesRealCities: on the demo city and Manchester 2015 the best
// option under min_local and under catchment coherence (localities free:
// with frozen localities whose teams share one trust, coherence cannot
// change) beats the start, and its figures are the profile's.
func TestImprovesRealCities(t *testing.T) {
	for _, newCase := range []func(t *testing.T) *cityCase{demoCase, manchesterCase} {
		c := newCase(t)
		for _, tc := range []struct {
			objective string
			free      bool
		}{{"min_local", false}, {"catchment", true}} {
			t.Run(c.name+"/"+tc.objective, func(t *testing.T) {
				obj, _ := optimise.ParseObjective(tc.objective)
				res, err := optimise.Run(context.Background(), c.city, c.start, optimise.Options{Objective: obj, Seed: 1, Moves: 400_000, FreeLocalities: tc.free})
				if err != nil {
					t.Fatal(err)
				}
				if !res.Improved || len(res.Options) == 0 || res.Options[0].Score.Value <= res.Start.Value {
					t.Fatalf("no improvement: start %.4f, %d options", res.Start.Value, len(res.Options))
				}
				best := res.Options[0]
				_, p := c.report(t, c.configurationOf(best.Team), 0.10)
				_, p0 := c.report(t, c.cfg, 0.10)
				var value, start float64
				switch tc.objective {
				case "min_local":
					value, start = minShare(p), minShare(p0)
				case "catchment":
					value, start = coherence(p), coherence(p0)
				}
				if math.Abs(value-best.Score.Value) > 1e-9 || math.Abs(start-res.Start.Value) > 1e-9 {
					t.Errorf("profile says %.6f (start %.6f), the optimiser %.6f (start %.6f)", value, start, best.Score.Value, res.Start.Value)
				}
				if res.FlowsModelled != (tc.objective == "min_local" && c.tables.FlowModel.Modelled) {
					t.Errorf("flows modelled %v with flow model %+v", res.FlowsModelled, c.tables.FlowModel)
				}
				t.Logf("%s %s: %.4f → %.4f, %d wards moved", c.name, tc.objective, res.Start.Value, best.Score.Value, len(best.Moves))
			})
		}
	}
}

func minShare(p *placeprofile.Profile) float64 {
	low := math.Inf(1)
	for _, u := range p.Teams {
		if u.LocalRegistrationShare != nil {
			low = math.Min(low, *u.LocalRegistrationShare)
		}
	}
	return low
}

// coherence is the resident-weighted share living in the team's dominant
// trust's catchment.
func coherence(p *placeprofile.Profile) float64 {
	var in, total float64
	for _, u := range p.Teams {
		best := 0.0
		for _, s := range u.CatchmentShares {
			best = math.Max(best, s.Share)
		}
		in += best * u.ResidentPopulation.Total
		total += u.ResidentPopulation.Total
	}
	return in / total
}
