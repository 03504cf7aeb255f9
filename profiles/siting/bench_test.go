package siting

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/paulmach/orb"
)

// manchesterProblem is a Manchester-size instance: 282 LSOA points and 100
// candidate sites uniform in a 12 km circle, 12 teams by sector.
func manchesterProblem(model Model) Problem {
	r := rand.New(rand.NewPCG(282, 100))
	demand, cands := synthetic(r, syntheticConfig{demand: 282, candidates: 100, radiusKm: 12, teams: 12})
	return Problem{
		Demand: demand, Candidates: cands, Dist: GreatCircle(demand, cands),
		Model: model, OnePerTeam: true, Threshold: 1.5,
	}
}

// largeProblem is an England-size instance: n demand points in 120 towns
// (Gaussian clusters, σ 2–8 km, centres within 250 km) and m candidates
// near random demand points (practices are where people live).
func largeProblem(n, m, k int) Problem {
	r := rand.New(rand.NewPCG(33000, 6500))
	centre := orb.Point{-1.5, 52.5}
	type town struct {
		at    orb.Point
		sigma float64
	}
	towns := make([]town, 120)
	for t := range towns {
		towns[t] = town{pointInCircle(r, centre, 250), 2 + 6*r.Float64()}
	}
	jitter := func(p orb.Point, sigmaKm float64) orb.Point {
		dy := r.NormFloat64() * sigmaKm / kmPerDegreeLat
		dx := r.NormFloat64() * sigmaKm / (kmPerDegreeLat * math.Cos(p[1]*math.Pi/180))
		return orb.Point{p[0] + dx, p[1] + dy}
	}
	demand := make([]Demand, n)
	for i := range demand {
		t := towns[int(float64(len(towns))*r.Float64()*r.Float64())] // some towns much bigger
		demand[i] = Demand{ID: fmt.Sprintf("D%06d", i), Point: jitter(t.at, t.sigma), Weight: 1000 + 1500*r.Float64(), Group: 1 + r.IntN(5)}
	}
	cands := make([]Candidate, m)
	for j := range cands {
		cands[j] = Candidate{ID: fmt.Sprintf("C%05d", j), Point: jitter(demand[r.IntN(n)].Point, 0.5), Kind: "practice"}
	}
	return Problem{Demand: demand, Candidates: cands, Dist: GreatCircle(demand, cands), K: k, NearestLists: 50, Threshold: 3}
}

func BenchmarkManchesterSize(b *testing.B) {
	ctx := context.Background()
	for _, model := range []Model{PMedian, MaxCoverage, PCentre} {
		b.Run(string(model), func(b *testing.B) {
			p := manchesterProblem(model)
			b.ReportAllocs()
			var s *Solution
			for b.Loop() {
				var err error
				if s, err = Solve(ctx, p, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.Iterations), "swaps")
			b.ReportMetric(s.Objective, "objective")
		})
	}
}

func BenchmarkLarge(b *testing.B) {
	ctx := context.Background()
	for _, model := range []Model{PMedian, MaxCoverage, PCentre} {
		b.Run(string(model), func(b *testing.B) {
			p := largeProblem(33000, 6500, 1000)
			p.Model = model
			b.ReportAllocs()
			var s *Solution
			for b.Loop() {
				var err error
				if s, err = Solve(ctx, p, Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.Iterations), "swaps")
			b.ReportMetric(s.Objective, "objective")
		})
	}
}

// BenchmarkScale solves a p-median instance of the size in SITING_SCALE,
// "demand×candidates×hubs" (for example 100000x20000x3000), with 50 nearest
// candidates; it is skipped when the variable is unset.
func BenchmarkScale(b *testing.B) {
	var n, m, k int
	if _, err := fmt.Sscanf(os.Getenv("SITING_SCALE"), "%dx%dx%d", &n, &m, &k); err != nil {
		b.Skip("set SITING_SCALE=demand×candidates×hubs, e.g. 100000x20000x3000")
	}
	p := largeProblem(n, m, k)
	b.ReportAllocs()
	var s *Solution
	for b.Loop() {
		var err error
		if s, err = Solve(context.Background(), p, Options{MaxListEntries: n * p.NearestLists}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(s.Iterations), "swaps")
	b.ReportMetric(s.Objective, "objective")
}
