package siting

import (
	"context"
	"fmt"
)

// rebuildEvery is how many swaps pass between full recomputations of the
// losses and the objective, which bounds floating-point drift.
const rebuildEvery = 128

// startSearch locates every demand point exactly (measuring the open hubs
// where its list is too short), switches the scorer to the model and sets
// the tolerances below which a change does not count as an improvement.
func (e *engine) startSearch() {
	for i := range e.in.n {
		e.locate(i)
	}
	switch e.in.model {
	case MaxCoverage:
		e.mode = modeCoverage
	case PCentre:
		e.mode = modeCentre
		e.centre = e.centreMax()
	default:
		e.mode = modeMedian
	}
	e.rebuild()
	var total, cost float64
	for i, w := range e.in.weight {
		total += w
		cost += w * e.bestD[i]
	}
	costTol := 1e-10*cost + 1e-12
	switch e.mode {
	case modeMedian:
		e.tol = score{0.5, costTol}
	case modeCoverage:
		e.tol = score{0.5, 1e-10*total + 1e-12, costTol}
	case modeCentre:
		e.tol = score{0.5, 0.5, 0.5, costTol}
	}
}

// improves reports whether a change of the objective is an improvement: its
// first component beyond tolerance is negative.
func (e *engine) improves(delta score) bool {
	for k := range delta {
		if delta[k] < -e.tol[k] {
			return true
		}
		if delta[k] > e.tol[k] {
			return false
		}
	}
	return false
}

// search is Teitz and Bart's vertex substitution with Whitaker's fast
// evaluation: it cycles through the closed candidates; for each it finds the
// hub whose replacement by it changes the objective most, and makes the swap
// if that is an improvement. It stops after a full cycle without an
// improving swap (a local optimum; reported true) or after maxSwaps swaps.
func (e *engine) search(ctx context.Context, maxSwaps int) (bool, error) {
	m := e.in.m
	if len(e.hubs) == m {
		return true, nil
	}
	quiet, j := 0, 0
	for quiet < m {
		if quiet%256 == 0 {
			if err := ctx.Err(); err != nil {
				return false, fmt.Errorf("siting: vertex substitution: %w", err)
			}
		}
		if !e.open[j] {
			if delta, s, ok := e.evaluate(int32(j)); ok && e.improves(delta) {
				if e.improving >= maxSwaps {
					return false, nil
				}
				e.swap(int32(j), s)
				e.improving++
				quiet = 0
			}
		}
		quiet++
		j = (j + 1) % m
	}
	return true, nil
}

// evaluate finds the best slot to give candidate j: the swap (j in, hub of
// slot s out) with the smallest objective change
//
//	Δ(j, s) = loss(s) − gain(j) − extra(j, s)
//	gain(j)     = Σ_i value(D_i) − value(min(D_i, d_ij))
//	extra(j, s) = Σ_{i: best_i in s, d_ij < S_i} value(S_i) − value(max(d_ij, D_i))
//
// (D_i, S_i: distances to the nearest and second-nearest hubs; Resende and
// Werneck 2007). Only points with d_ij < S_i contribute: those in j's reverse
// list, which holds every such point unless the point is a fallback point
// (measured directly). Cost: O(|reverse list of j| + fallback points +
// touched slots). The free slot with the smallest loss among those extra does
// not touch comes from the sorted free list.
func (e *engine) evaluate(j int32) (score, int32, bool) {
	e.epoch++
	if e.epoch == 0 {
		clear(e.stamp)
		e.epoch = 1
	}
	e.touched = e.touched[:0]
	e.gain = score{}
	l := e.l
	secondD := e.secondD
	for k := l.rstart[j]; k < l.rstart[j+1]; k++ {
		// Most entries lie beyond the point's second hub: test that first.
		if i, d := l.rdem[k], l.rdist[k]; d < secondD[i] && !e.fallback[i] {
			e.accumulate(int(i), d)
		}
	}
	if t := e.in.candTeam[j]; t >= 0 {
		e.accumulateFallback(e.fb[t], j)
	} else {
		for _, points := range e.fb {
			e.accumulateFallback(points, j)
		}
	}
	gain := e.gain

	var best score
	bestSlot := int32(-1)
	consider := func(s int32, delta score) {
		if bestSlot < 0 || compareScores(delta, best) < 0 {
			best, bestSlot = delta, s
		}
	}
	for _, s := range e.touched {
		if e.free[s] {
			consider(s, e.loss[s].sub(gain).sub(e.extra[s]))
		}
	}
	if s := e.leastUntouchedFree(); s >= 0 {
		consider(s, e.loss[s].sub(gain))
	}
	// With OnePerTeam, the only hub of j's team may make way for j.
	if t := e.in.candTeam[j]; t >= 0 && e.in.p.OnePerTeam && e.teamHubs[t] == 1 {
		if r := int32(e.teamSum[t]); !e.fixed[r] {
			s := e.slotOf[r]
			delta := e.loss[s].sub(gain)
			if e.stamp[s] == e.epoch {
				delta = delta.sub(e.extra[s])
			}
			consider(s, delta)
		}
	}
	return best, bestSlot, bestSlot >= 0
}

// accumulate adds demand i at distance d from the candidate being evaluated
// to e.gain and e.extra.
func (e *engine) accumulate(i int, d float64) {
	if d >= e.secondD[i] {
		return
	}
	b := e.best[i]
	if b < 0 {
		return
	}
	s := e.slotOf[b]
	if e.stamp[s] != e.epoch {
		e.stamp[s] = e.epoch
		e.extra[s] = score{}
		e.touched = append(e.touched, s)
	}
	if d < e.bestD[i] {
		v := e.value(i, d)
		e.gain = e.gain.add(e.bestV[i].sub(v))
		e.extra[s] = e.extra[s].add(e.secondV[i].sub(e.bestV[i]))
	} else {
		e.extra[s] = e.extra[s].add(e.secondV[i].sub(e.value(i, d)))
	}
}

func (e *engine) accumulateFallback(points []int32, j int32) {
	for _, i := range points {
		if !e.fartherThanSecond(i, j) {
			e.accumulate(int(i), e.in.p.Dist.Distance(int(i), int(j)))
		}
	}
}

// fartherThanSecond reports, from a cheap lower bound, that candidate j is
// no nearer to demand i than its second hub. With GreatCircle the bound is
// R·chord ≤ great-circle distance (three multiplications instead of a
// haversine); a margin of 1e-9 covers rounding.
func (e *engine) fartherThanSecond(i, j int32) bool {
	if e.gc == nil {
		return false
	}
	sd := e.secondD[i]
	c2 := dist2(e.gc.dem[i].unit, e.gc.cand[j].unit)
	return c2*(earthRadiusKm*earthRadiusKm) > sd*sd*(1+1e-9)
}

// swap opens candidate j in slot s, closing its hub r, and updates the
// points whose nearest or second-nearest hub changes: those that j is nearer
// to than their second (j's reverse list), those served first or second by r
// (r's reverse list) and fallback points for which either holds.
func (e *engine) swap(j, s int32) {
	r := e.hubs[s]
	e.pepoch++
	if e.pepoch == 0 {
		clear(e.pstamp)
		e.pepoch = 1
	}
	e.affected = e.affected[:0]
	mark := func(i int32) {
		if e.pstamp[i] != e.pepoch {
			e.pstamp[i] = e.pepoch
			e.affected = append(e.affected, i)
		}
	}
	l := e.l
	for k := l.rstart[j]; k < l.rstart[j+1]; k++ {
		if i := l.rdem[k]; !e.fallback[i] && l.rdist[k] < e.secondD[i] {
			mark(i)
		}
	}
	for k := l.rstart[r]; k < l.rstart[r+1]; k++ {
		if i := l.rdem[k]; !e.fallback[i] && (e.best[i] == r || e.second[i] == r) {
			mark(i)
		}
	}
	for _, points := range e.fb {
		for _, i := range points {
			if e.best[i] == r || e.second[i] == r ||
				(e.in.allowed(int(i), int(j)) && !e.fartherThanSecond(i, j) && e.in.p.Dist.Distance(int(i), int(j)) < e.secondD[i]) {
				mark(i)
			}
		}
	}
	for _, i := range e.affected {
		e.obj = e.obj.sub(e.bestV[i])
		if b := e.best[i]; b >= 0 {
			bs := e.slotOf[b]
			e.loss[bs] = e.loss[bs].sub(e.secondV[i].sub(e.bestV[i]))
		}
	}

	e.open[r], e.slotOf[r] = false, -1
	e.open[j], e.slotOf[j], e.hubs[s] = true, s, j
	if t := e.in.candTeam[r]; t >= 0 {
		e.teamHubs[t]--
		e.teamSum[t] -= int64(r)
	}
	if t := e.in.candTeam[j]; t >= 0 {
		e.teamHubs[t]++
		e.teamSum[t] += int64(j)
	}
	e.loss[s] = score{}

	for _, i := range e.affected {
		e.locate(int(i))
		e.obj = e.obj.add(e.bestV[i])
		if b := e.best[i]; b >= 0 {
			bs := e.slotOf[b]
			e.loss[bs] = e.loss[bs].add(e.secondV[i].sub(e.bestV[i]))
		}
	}
	e.swaps++
	switch {
	case e.mode == modeCentre && e.obj[2] < 0.5:
		// No point is at the old maximum any more: the maximum fell.
		e.centre = e.centreMax()
		e.rebuild()
	case e.swaps%rebuildEvery == 0:
		e.rebuild()
	default:
		if e.fbStale {
			e.refreshFallback()
		}
		e.sortFree()
	}
}
