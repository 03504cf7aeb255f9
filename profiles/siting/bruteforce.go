package siting

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// BruteForceLimit is the largest number of hub sets BruteForce evaluates.
const BruteForceLimit = 5_000_000

// BruteForce finds an optimal hub set by evaluating every feasible one: all
// choices of the non-fixed hubs among the non-fixed candidates, keeping those
// that give every team a hub under OnePerTeam. The work is exponential,
// C(m−f, P−f)·n·P for f fixed sites and P hubs, so it is meant for tests and
// small checks; it fails with ErrTooLarge beyond BruteForceLimit sets. It
// ignores NearestLists. Ties (within a relative 1e-9) on the objective are
// broken by the p-median cost, then by the first set in lexicographic order.
func BruteForce(ctx context.Context, p Problem) (*Solution, error) {
	in, err := newInstance(p)
	if err != nil {
		return nil, err
	}
	if err := in.checkHubs(); err != nil {
		return nil, err
	}
	var free []int
	for j, c := range p.Candidates {
		if !c.Fixed {
			free = append(free, j)
		}
	}
	choose := in.hubs - len(in.fixed)
	if sets := binomial(len(free), choose, BruteForceLimit); sets > BruteForceLimit {
		return nil, fmt.Errorf("siting: brute force: more than %d hub sets (choose %d of %d candidates): %w", BruteForceLimit, choose, len(free), ErrTooLarge)
	}
	dist := make([]float64, in.n*in.m)
	for i := range in.n {
		for j := range in.m {
			d := inf
			if in.allowed(i, j) {
				if d, err = measure(in, i, j); err != nil {
					return nil, err
				}
			}
			dist[i*in.m+j] = d
		}
	}

	hubs := append(make([]int, 0, in.hubs), in.fixed...)
	pick := make([]int, choose) // positions in free, ascending
	for k := range pick {
		pick[k] = k
	}
	d := make([]float64, in.n)
	teamHas := make([]bool, in.groups())
	var best *Solution
	bestD := make([]float64, in.n)
	for sets := 0; ; sets++ {
		if sets%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("siting: brute force: %w", err)
			}
		}
		hubs = hubs[:len(in.fixed)]
		for _, k := range pick {
			hubs = append(hubs, free[k])
		}
		if feasible(in, hubs, teamHas) {
			for i := range in.n {
				row := dist[i*in.m : (i+1)*in.m]
				d[i] = inf
				for _, j := range hubs {
					d[i] = math.Min(d[i], row[j])
				}
			}
			obj, cost := in.objective(d)
			if best == nil || betterObjective(obj, cost, best.Objective, best.Cost) {
				best = &Solution{Objective: obj, Cost: cost, Hubs: append([]int(nil), hubs...)}
				copy(bestD, d)
			}
		}
		if !nextCombination(pick, len(free)) {
			best.Iterations = sets + 1
			break
		}
	}
	// The fixed sites come first in hubs; sort and assign like Solve.
	slices.Sort(best.Hubs)
	best.Assignment = make([]int, in.n)
	for i := range in.n {
		a := -1
		for _, j := range best.Hubs {
			if dj := dist[i*in.m+j]; dj < inf && (a < 0 || dj < dist[i*in.m+a]) {
				a = j
			}
		}
		best.Assignment[i] = a
	}
	best.LocalOptimum = true
	return best, nil
}

// feasible reports whether hubs give every team one of its own candidates
// (always true without OnePerTeam).
func feasible(in *instance, hubs []int, teamHas []bool) bool {
	if !in.p.OnePerTeam {
		return true
	}
	clear(teamHas)
	for _, j := range hubs {
		if t := in.candTeam[j]; t >= 0 {
			teamHas[t] = true
		}
	}
	for _, ok := range teamHas {
		if !ok {
			return false
		}
	}
	return true
}

// nextCombination advances pick, an ascending choice of len(pick) of n, to
// the next in lexicographic order, reporting false after the last.
func nextCombination(pick []int, n int) bool {
	k := len(pick)
	for x := k - 1; x >= 0; x-- {
		if pick[x] < n-k+x {
			pick[x]++
			for y := x + 1; y < k; y++ {
				pick[y] = pick[y-1] + 1
			}
			return true
		}
	}
	return false
}

// binomial is C(n, k), or limit+1 when it exceeds limit.
func binomial(n, k, limit int) int {
	if k < 0 || k > n {
		return 0
	}
	k = min(k, n-k)
	c := 1
	for x := 1; x <= k; x++ {
		// c·(n−k+x)/x is exact (it is C(n−k+x, x)), and c ≤ limit here, so
		// the product cannot overflow for any realistic n.
		c = c * (n - k + x) / x
		if c > limit {
			return limit + 1
		}
	}
	return c
}
