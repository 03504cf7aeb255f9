package siting

import "cmp"

// engine holds a hub set and, for every demand point, its nearest and
// second-nearest allowed hubs: the state of the greedy start and of the
// vertex-substitution search.
type engine struct {
	in *instance
	l  *candidateLists
	gc *greatCircle // nil unless the distances are great-circle
	scorer

	// The hub set: hubs[s] is the candidate in slot s.
	open     []bool  // per candidate
	fixed    []bool  // per candidate
	slotOf   []int32 // per candidate, −1 when closed
	hubs     []int32 // per slot
	teamHubs []int32 // per team: open hubs among its own candidates
	teamSum  []int64 // per team: sum of their indices (the hub when there is one)

	// Per demand point: nearest (best) and second-nearest allowed hub, their
	// distances (+Inf for none) and contributions.
	best, second   []int32
	bestD, secondD []float64
	bestV, secondV []score
	// fallback[i]: the list of i is incomplete and holds fewer than two open
	// hubs, so best and second were found by measuring every open hub and
	// the search measures i directly. fb lists them by team.
	fallback []bool
	fb       [][]int32
	fbStale  bool

	// loss[s] is what closing slot s alone would add to the objective:
	// Σ over points served by s of value(second) − value(best).
	loss []score
	obj  score
	tol  score

	// Swap evaluation scratch.
	free      []bool  // per slot: may be closed for any candidate
	freeTop   []int32 // the freeTopSize free slots of least loss, ascending
	freeCount int     // number of free slots
	extra     []score // per slot
	stamp     []uint32
	epoch     uint32
	touched   []int32
	gain      score
	pstamp    []uint32 // per demand
	pepoch    uint32
	affected  []int32

	swaps     int // all swaps made, improving or not
	improving int // improving swaps made by search
}

func newEngine(in *instance, l *candidateLists) *engine {
	p := in.hubs
	e := &engine{
		in: in, l: l,
		scorer:   scorer{weight: in.weight, radius: in.p.Threshold},
		open:     make([]bool, in.m),
		fixed:    make([]bool, in.m),
		slotOf:   make([]int32, in.m),
		hubs:     make([]int32, 0, p),
		teamHubs: make([]int32, in.groups()),
		teamSum:  make([]int64, in.groups()),
		best:     make([]int32, in.n),
		second:   make([]int32, in.n),
		bestD:    make([]float64, in.n),
		secondD:  make([]float64, in.n),
		bestV:    make([]score, in.n),
		secondV:  make([]score, in.n),
		fallback: make([]bool, in.n),
		fb:       make([][]int32, in.groups()),
		loss:     make([]score, 0, p),
		free:     make([]bool, 0, p),
		extra:    make([]score, 0, p),
		stamp:    make([]uint32, 0, p),
		pstamp:   make([]uint32, in.n),
	}
	e.gc, _ = in.p.Dist.(*greatCircle)
	for j := range e.slotOf {
		e.slotOf[j] = -1
	}
	for _, j := range in.fixed {
		e.fixed[j] = true
	}
	return e
}

// openHub adds candidate j in a new slot.
func (e *engine) openHub(j int32) {
	s := int32(len(e.hubs))
	e.hubs = append(e.hubs, j)
	e.open[j], e.slotOf[j] = true, s
	if t := e.in.candTeam[j]; t >= 0 {
		e.teamHubs[t]++
		e.teamSum[t] += int64(j)
	}
	e.loss = append(e.loss, score{})
	e.free = append(e.free, false)
	e.extra = append(e.extra, score{})
	e.stamp = append(e.stamp, 0)
}

// before orders (distance, candidate) pairs; a negative candidate is none.
func before(d float64, j int32, d0 float64, j0 int32) bool {
	return j0 < 0 || d < d0 || (d == d0 && j < j0)
}

// locate finds the nearest and second-nearest open hubs of demand i: from
// its list when the list holds two, otherwise by measuring every open hub
// allowed to serve it.
func (e *engine) locate(i int) {
	b, s := int32(-1), int32(-1)
	bd, sd := inf, inf
	for k := e.l.start[i]; k < e.l.start[i+1]; k++ {
		j := e.l.cand[k]
		if !e.open[j] {
			continue
		}
		if b < 0 {
			b, bd = j, e.l.dist[k]
			continue
		}
		s, sd = j, e.l.dist[k]
		break
	}
	fb := s < 0 && !e.l.complete[i]
	if fb {
		b, s, bd, sd = -1, -1, inf, inf
		for _, j := range e.hubs {
			if !e.in.allowed(i, int(j)) {
				continue
			}
			d := e.in.p.Dist.Distance(i, int(j))
			if before(d, j, bd, b) {
				b, s, bd, sd = j, b, d, bd
			} else if before(d, j, sd, s) {
				s, sd = j, d
			}
		}
	}
	if fb != e.fallback[i] {
		e.fallback[i] = fb
		e.fbStale = true
	}
	e.best[i], e.second[i], e.bestD[i], e.secondD[i] = b, s, bd, sd
	e.bestV[i], e.secondV[i] = e.value(i, bd), e.value(i, sd)
}

// rebuild recomputes the contributions, losses and objective from best and
// second (after the scorer changed, and now and then against drift).
func (e *engine) rebuild() {
	for s := range e.loss {
		e.loss[s] = score{}
	}
	e.obj = score{}
	for i := range e.in.n {
		e.bestV[i], e.secondV[i] = e.value(i, e.bestD[i]), e.value(i, e.secondD[i])
		e.obj = e.obj.add(e.bestV[i])
		if b := e.best[i]; b >= 0 {
			s := e.slotOf[b]
			e.loss[s] = e.loss[s].add(e.secondV[i].sub(e.bestV[i]))
		}
	}
	e.sortFree()
	e.refreshFallback()
}

// refreshFallback regroups the fallback points by team.
func (e *engine) refreshFallback() {
	for t := range e.fb {
		e.fb[t] = e.fb[t][:0]
	}
	for i, f := range e.fallback {
		if f {
			t := e.in.demTeam[i]
			e.fb[t] = append(e.fb[t], int32(i))
		}
	}
	e.fbStale = false
}

// freeTopSize is how many free slots of least loss sortFree keeps in order.
const freeTopSize = 16

// sortFree marks the slots that may be closed whatever opens instead (not
// fixed, and not the only hub of its team) and keeps the freeTopSize of them
// with the least loss in order: a linear pass, O(p) per swap.
func (e *engine) sortFree() {
	e.freeTop, e.freeCount = e.freeTop[:0], 0
	for s, j := range e.hubs {
		free := !e.fixed[j]
		if t := e.in.candTeam[j]; free && t >= 0 && e.in.p.OnePerTeam {
			free = e.teamHubs[t] >= 2
		}
		e.free[s] = free
		if !free {
			continue
		}
		e.freeCount++
		n := len(e.freeTop)
		if n == freeTopSize && !e.lessLoss(int32(s), e.freeTop[n-1]) {
			continue
		}
		if n < freeTopSize {
			e.freeTop = append(e.freeTop, int32(s))
		} else {
			n--
		}
		// Insert s in order among the first n.
		at := n
		for at > 0 && e.lessLoss(int32(s), e.freeTop[at-1]) {
			e.freeTop[at] = e.freeTop[at-1]
			at--
		}
		e.freeTop[at] = int32(s)
	}
}

// lessLoss orders slots by loss, then index.
func (e *engine) lessLoss(a, b int32) bool {
	return cmp.Or(compareScores(e.loss[a], e.loss[b]), cmp.Compare(a, b)) < 0
}

// leastUntouchedFree is the free slot of least loss that the current
// evaluation did not touch, or −1.
func (e *engine) leastUntouchedFree() int32 {
	for _, s := range e.freeTop {
		if e.stamp[s] != e.epoch {
			return s
		}
	}
	if e.freeCount == len(e.freeTop) {
		return -1
	}
	// Every kept slot was touched: scan them all.
	best := int32(-1)
	for s := range int32(len(e.hubs)) {
		if e.free[s] && e.stamp[s] != e.epoch && (best < 0 || e.lessLoss(s, best)) {
			best = s
		}
	}
	return best
}

// centreMax is the largest distance of a demand point with positive weight.
func (e *engine) centreMax() float64 {
	var m float64
	for i, d := range e.bestD {
		if e.in.weight[i] > 0 && d > m {
			m = d
		}
	}
	return m
}
