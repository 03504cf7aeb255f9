package englandbench

import (
	"context"
	"testing"

	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/optimise"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// englandPlan is the England-size country as the optimiser and the plan
// checks see it (built per benchmark; not timed).
func englandPlan(b *testing.B) (*country, *wardtables.Tables, *plancheck.City, *optimise.City, *optimise.Plan) {
	c := englandCountry(b)
	ctx := context.Background()
	tables, err := wardtables.Build(ctx, c.dataset, wardtables.Options{})
	if err != nil {
		b.Fatal(err)
	}
	check, err := plancheck.NewCity(ctx, c.dataset.Wards)
	if err != nil {
		b.Fatal(err)
	}
	city, err := optimise.NewCity(c.dataset, tables, check.Neighbours, "pcn")
	if err != nil {
		b.Fatal(err)
	}
	plan, err := optimise.PlanOf(city, c.configuration)
	if err != nil {
		b.Fatal(err)
	}
	return c, tables, check, city, plan
}

// BenchmarkEnglandMove: one ward move re-evaluated incrementally (the two
// touched teams' aggregates and contiguity, the objective over every
// team) and undone, at England scale; target under 5 ms.
func BenchmarkEnglandMove(b *testing.B) {
	_, _, _, city, plan := englandPlan(b)
	e, err := optimise.NewEvaluator(city, plan, optimise.Options{Objective: optimise.Objective{optimise.MinLocal: 1, optimise.Catchment: 1}})
	if err != nil {
		b.Fatal(err)
	}
	team := make([]int, len(city.Wards))
	for t, tm := range plan.Teams {
		for _, w := range tm.Wards {
			team[w] = t
		}
	}
	var moves [][2]int
	for w, ns := range city.Neighbours {
		for _, x := range ns {
			if team[x] != team[w] {
				moves = append(moves, [2]int{w, team[x]})
			}
		}
	}
	if len(moves) == 0 {
		b.Fatal("no boundary wards")
	}
	b.ReportMetric(float64(len(plan.Teams)), "teams")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m := moves[(i*7919)%len(moves)]
		e.Try(m[0], m[1])
	}
}

// BenchmarkEnglandPlanCheck: every plan check of one option at England
// scale (the profile it needs is timed in BenchmarkEnglandEvaluate).
func BenchmarkEnglandPlanCheck(b *testing.B) {
	c, tables, check, _, _ := englandPlan(b)
	p, err := placeprofile.Evaluate(tables, c.configuration, placeprofile.Options{})
	if err != nil {
		b.Fatal(err)
	}
	groups := indicatorprofile.Groups(c.dataset, c.configuration, "pcn")
	b.ResetTimer()
	for b.Loop() {
		r := plancheck.Check(check, c.configuration, p, groups, plancheck.Options{Teams: len(c.configuration.Teams())})
		if !r.Assignment.OK {
			b.Fatalf("assignment %+v", r.Assignment)
		}
	}
}
