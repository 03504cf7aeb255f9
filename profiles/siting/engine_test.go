package siting

import (
	"context"
	"math/rand/v2"
	"testing"
)

// exactScore recomputes the engine's objective from scratch for its hub set
// with swapped in place of out (−1: none), by measuring every pair.
func exactScore(e *engine, in, out int32) score {
	var total score
	for i := range e.in.n {
		d := inf
		for _, j := range e.hubs {
			if j == out {
				j = in
			}
			if e.in.allowed(i, int(j)) {
				d = min(d, e.in.p.Dist.Distance(i, int(j)))
			}
		}
		total = total.add(e.value(i, d))
	}
	return total
}

func closeScores(a, b score) bool {
	for k := range a {
		if !nearlyEqual(a[k], b[k]) && (a[k]-b[k] > 1e-9 || b[k]-a[k] > 1e-9) {
			return false
		}
	}
	return true
}

// The fast bookkeeping must agree with recomputation after every swap, and
// at the end no single feasible swap may improve the objective. Short
// nearest lists exercise the fallback points.
func TestEngineBookkeeping(t *testing.T) {
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 7))
	for k := range 150 {
		model := []Model{PMedian, MaxCoverage, PCentre}[k%3]
		p, desc := randomProblem(t, r, model, k)
		p.NearestLists = []int{0, 1, 2, 3, 5}[k%5]
		e, _, err := prepare(ctx, p, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.greedy(ctx); err != nil {
			t.Fatal(err)
		}
		e.startSearch()
		// The search loop, checking the bookkeeping after every swap.
		for improved := true; improved; {
			improved = false
			for j := range int32(e.in.m) {
				if e.open[j] {
					continue
				}
				if delta, s, ok := e.evaluate(j); ok && e.improves(delta) {
					before := e.obj
					e.swap(j, s)
					improved = true
					got, want := e.obj, exactScore(e, -1, -1)
					if !closeScores(got, want) {
						t.Fatalf("instance %d (%s, lists %d) after swap %d: objective %v, recomputed %v", k, desc, p.NearestLists, e.swaps, got, want)
					}
					if e.mode != modeCentre || before[2]+delta[2] > 0.5 {
						// (A p-centre swap that lowers the maximum rescales
						// the objective; otherwise it must fall by delta.)
						if d := want.sub(before); !closeScores(d, delta) {
							t.Fatalf("instance %d (%s): swap changed the objective by %v, predicted %v", k, desc, d, delta)
						}
					}
				}
			}
		}
		// The real search must then find nothing more to do.
		if _, err := e.search(ctx, DefaultMaxSwaps); err != nil {
			t.Fatal(err)
		}
		// Every swap's predicted change must match, and none may improve.
		for j := range int32(e.in.m) {
			if e.open[j] {
				continue
			}
			delta, s, ok := e.evaluate(j)
			if ok {
				want := exactScore(e, j, e.hubs[s]).sub(e.obj)
				if !closeScores(delta, want) {
					t.Errorf("instance %d (%s, lists %d): swap %d for %d predicted %v, recomputed %v", k, desc, p.NearestLists, j, e.hubs[s], delta, want)
				}
			}
			for s, r := range e.hubs {
				if e.fixed[r] {
					continue
				}
				if t0 := e.in.candTeam[r]; p.OnePerTeam && t0 >= 0 && e.teamHubs[t0] == 1 && e.in.candTeam[j] != t0 {
					continue
				}
				if d := exactScore(e, j, r).sub(e.obj); e.improves(d) {
					t.Errorf("instance %d (%s, lists %d): swap %d for %d (slot %d) improves by %v but search stopped", k, desc, p.NearestLists, j, r, s, d)
				}
			}
		}
	}
}
