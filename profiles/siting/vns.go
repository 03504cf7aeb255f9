package siting

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
)

// vnsMaxMoves is the largest number of random swaps in one shake.
const vnsMaxMoves = 3

// vns runs opts.Shakes rounds of basic variable neighbourhood search (Hansen
// and Mladenović 1997) from the current local optimum: make k random
// feasible swaps, descend with vertex substitution, and keep the result if
// its exact objective is better (then k = 1), otherwise go back to the best
// hub set (and k = k mod 3 + 1). Each round costs one descent: at least one
// sweep over the candidates. It reports whether it ended at a local optimum
// (false when MaxSwaps ran out).
func (e *engine) vns(ctx context.Context, opts Options) (bool, error) {
	r := rand.New(rand.NewPCG(opts.Seed, 0x736974696e67))
	best := slices.Clone(e.hubs)
	bestObj, bestCost := e.in.objective(e.bestD)
	k := 1
	for range opts.Shakes {
		if err := ctx.Err(); err != nil {
			return false, fmt.Errorf("siting: shake: %w", err)
		}
		if !e.shake(r, k) {
			e.reset(best) // nothing may move
			return true, nil
		}
		ok, err := e.search(ctx, opts.MaxSwaps)
		if err != nil {
			return false, err
		}
		obj, cost := e.in.objective(e.bestD)
		if betterObjective(obj, cost, bestObj, bestCost) {
			best, bestObj, bestCost, k = append(best[:0], e.hubs...), obj, cost, 1
		} else {
			e.reset(best)
			k = k%vnsMaxMoves + 1
		}
		if !ok {
			return false, nil
		}
	}
	return true, nil
}

// shake makes k random feasible swaps; it reports false when no swap is
// feasible (every hub fixed, or no closed candidate).
func (e *engine) shake(r *rand.Rand, k int) bool {
	var slots []int32
	for range k {
		made := false
		near := e.nearerToCritical(r)
		for range 4 * e.in.m {
			j := int32(r.IntN(e.in.m))
			if len(near) > 0 {
				j = near[r.IntN(len(near))]
			}
			if e.open[j] {
				continue
			}
			slots = slots[:0]
			for s, h := range e.hubs {
				if e.free[s] {
					slots = append(slots, int32(s))
				} else if t := e.in.candTeam[h]; e.in.p.OnePerTeam && !e.fixed[h] && t >= 0 && t == e.in.candTeam[j] {
					slots = append(slots, int32(s))
				}
			}
			if len(slots) == 0 {
				continue
			}
			e.swap(j, slots[r.IntN(len(slots))])
			made = true
			break
		}
		if !made {
			return false
		}
	}
	if e.mode == modeCentre {
		// The shake may have moved the largest distance either way.
		e.centre = e.centreMax()
		e.rebuild()
	}
	return true
}

// reset makes hubs the hub set and prepares the search from it.
func (e *engine) reset(hubs []int32) {
	for _, j := range e.hubs {
		e.open[j], e.slotOf[j] = false, -1
	}
	clear(e.teamHubs)
	clear(e.teamSum)
	e.hubs, e.loss, e.free, e.extra, e.stamp = e.hubs[:0], e.loss[:0], e.free[:0], e.extra[:0], e.stamp[:0]
	e.epoch = 0
	for _, j := range hubs {
		e.openHub(j)
	}
	e.startSearch()
}

// nearerToCritical lists, for PCentre, the closed candidates nearer than its
// hub to a demand point at the largest distance (one drawn at random): the
// only candidates whose opening can shorten the largest distance (Mladenović,
// Labbé and Hansen 2003). For the other models it returns nil.
func (e *engine) nearerToCritical(r *rand.Rand) []int32 {
	if e.mode != modeCentre {
		return nil
	}
	var critical []int
	for i, d := range e.bestD {
		if e.in.weight[i] > 0 && d >= e.centre {
			critical = append(critical, i)
		}
	}
	if len(critical) == 0 {
		return nil
	}
	i := critical[r.IntN(len(critical))]
	var near []int32
	if !e.fallback[i] {
		// The hub is in the list, so is every candidate nearer than it.
		for k := e.l.start[i]; k < e.l.start[i+1] && e.l.dist[k] < e.bestD[i]; k++ {
			if j := e.l.cand[k]; !e.open[j] {
				near = append(near, j)
			}
		}
		return near
	}
	for j := range int32(e.in.m) {
		if !e.open[j] && e.in.allowed(i, int(j)) && e.in.p.Dist.Distance(i, int(j)) < e.bestD[i] {
			near = append(near, j)
		}
	}
	return near
}
