package siting

import (
	"context"
	"fmt"
	"slices"
)

// Solve chooses hubs with a greedy start followed by vertex substitution
// (Teitz–Bart swaps with fast evaluation) until no single swap improves the
// objective, then tries Options.Shakes random perturbations, each followed by
// a new descent, keeping the best; see the package documentation for the
// models, constraints and costs. Fixed candidates are always chosen and never
// swapped out; with OnePerTeam every team keeps at least one of its own
// candidates (exactly one when K = 0) and demand is served within its team.
// The result is a heuristic answer: for an optimum on small instances use
// BruteForce.
func Solve(ctx context.Context, p Problem, opts Options) (*Solution, error) {
	e, opts, err := prepare(ctx, p, opts)
	if err != nil {
		return nil, err
	}
	if err := e.greedy(ctx); err != nil {
		return nil, err
	}
	e.startSearch()
	localOptimum, err := e.search(ctx, opts.MaxSwaps)
	if err != nil {
		return nil, err
	}
	if localOptimum && opts.Shakes > 0 {
		if localOptimum, err = e.vns(ctx, opts); err != nil {
			return nil, err
		}
	}
	return e.solution(localOptimum), nil
}

// Check validates p as Solve would — its data, model, threshold and
// number of hubs — without solving it.
func Check(p Problem) error {
	in, err := newInstance(p)
	if err != nil {
		return err
	}
	return in.checkHubs()
}

// prepare validates p and opts (returned with defaults) and builds the
// candidate lists.
func prepare(ctx context.Context, p Problem, opts Options) (*engine, Options, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, opts, err
	}
	in, err := newInstance(p)
	if err != nil {
		return nil, opts, err
	}
	if err := in.checkHubs(); err != nil {
		return nil, opts, err
	}
	if opts.Shakes == 0 {
		opts.Shakes = DefaultShakes
		if in.model == PCentre {
			opts.Shakes = DefaultCentreShakes
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, opts, fmt.Errorf("siting: %w", err)
	}
	l, err := buildLists(ctx, in, opts)
	if err != nil {
		return nil, opts, err
	}
	return newEngine(in, l), opts, nil
}

// solution reports the engine's hub set with its exact objective.
func (e *engine) solution(localOptimum bool) *Solution {
	sol := &Solution{
		Hubs:         make([]int, len(e.hubs)),
		Assignment:   make([]int, e.in.n),
		Iterations:   e.improving,
		LocalOptimum: localOptimum,
	}
	for s, j := range e.hubs {
		sol.Hubs[s] = int(j)
	}
	slices.Sort(sol.Hubs)
	for i, b := range e.best {
		sol.Assignment[i] = int(b)
	}
	sol.Objective, sol.Cost = e.in.objective(e.bestD)
	return sol
}
