package optimise

import (
	"context"
	"testing"

	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/profiles/plancheck"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// demoInput is the demo city (32 wards, 12 teams) as the search sees it.
func demoInput(b *testing.B) (*City, *Plan) {
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		b.Fatal(err)
	}
	check, err := plancheck.NewCity(ctx, ds.Wards)
	if err != nil {
		b.Fatal(err)
	}
	city, err := NewCity(ds, tables, check.Neighbours, "pcn")
	if err != nil {
		b.Fatal(err)
	}
	plan, err := PlanOf(city, cfg)
	if err != nil {
		b.Fatal(err)
	}
	return city, plan
}

// BenchmarkMoveCity: one ward move to a neighbouring team re-evaluated
// incrementally (aggregates of the two teams, contiguity of both, the
// objective) and undone, at city scale.
func BenchmarkMoveCity(b *testing.B) {
	city, plan := demoInput(b)
	obj := Objective{MinLocal: 1, Catchment: 1, PCN: 1}
	e, err := NewEvaluator(city, plan, Options{Objective: obj})
	if err != nil {
		b.Fatal(err)
	}
	moves := neighbourMoves(e)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m := moves[i%len(moves)]
		e.Try(m[0], m[1])
	}
}

// neighbourMoves lists every move of a ward to a neighbouring ward's team.
func neighbourMoves(e *Evaluator) [][2]int {
	var moves [][2]int
	for w := range e.p.n {
		for _, x := range e.p.nbr[w] {
			if t := e.st.team[x]; t != e.st.team[w] {
				moves = append(moves, [2]int{w, int(t)})
			}
		}
	}
	return moves
}

// BenchmarkSearchCity: candidate moves evaluated per second by a whole
// run (four chains on the machine's cores) at city scale.
func BenchmarkSearchCity(b *testing.B) {
	city, plan := demoInput(b)
	const moves = 1_000_000
	var tried int64
	for b.Loop() {
		res, err := Run(context.Background(), city, plan, Options{Objective: Objective{MinLocal: 1}, Seed: 1, Moves: moves})
		if err != nil {
			b.Fatal(err)
		}
		tried += res.MovesTried
	}
	b.ReportMetric(float64(tried)/b.Elapsed().Seconds(), "moves/s")
}
