package optimise

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults for zero Options fields.
const (
	DefaultMoves     = 1_000_000
	DefaultTop       = 3
	DefaultChains    = 4
	DefaultTolerance = 0.10
)

// Options set a run.
type Options struct {
	Objective Objective
	// Seed fixes the run: the same seed, budget and input give the same
	// result, whatever the machine (unless Time cuts the run short).
	Seed uint64
	// Moves is the number of candidate moves to evaluate over all chains
	// (default DefaultMoves).
	Moves int64
	// Time is a ceiling on the run's wall time (0: none). A run it stops
	// says so (Result.Stopped is "time") and is not reproducible.
	Time time.Duration
	// Top is how many distinct options to return (default 3).
	Top int
	// Chains is the number of independent annealing chains (default 4),
	// run in parallel.
	Chains int
	// Tolerance is how far a team's resident population may lie from the
	// mean over teams, as a fraction (default 0.10; negative: no limit).
	// When the start has teams outside it, no team may end further out
	// than the start's worst team (the plan's maximum deviation does not
	// get worse); the search is pushed towards the tolerance (a penalty on
	// the population beyond it) and ranks options within it first.
	Tolerance float64
	// FreeLocalities lets a ward move to a team of another locality (the
	// team stays in its locality, so the localities' ward sets change and
	// each must stay as contiguous as it was). Default: frozen, a ward
	// moves only between teams of its own locality.
	FreeLocalities bool
	// Frozen are wards that must not move (indices).
	Frozen []int
	// Progress, when set, is called now and then during the run (and once
	// at its end) from one goroutine.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// Progress is a run's state so far.
type Progress struct {
	MovesTried    int64         `json:"moves_tried"`
	MovesAccepted int64         `json:"moves_accepted"`
	Budget        int64         `json:"moves_budget"`
	Elapsed       time.Duration `json:"-"`
	ElapsedS      float64       `json:"elapsed_s"`
	// Best is the best option's objective so far and whether it is within
	// the tolerance.
	Best            *float64 `json:"best,omitempty"`
	WithinTolerance bool     `json:"within_tolerance"`
}

// Result is a finished run.
type Result struct {
	Objective     string  `json:"objective"`
	Seed          uint64  `json:"seed"`
	Chains        int     `json:"chains"`
	Budget        int64   `json:"moves_budget"`
	MovesTried    int64   `json:"moves_tried"`
	MovesAccepted int64   `json:"moves_accepted"`
	Stopped       string  `json:"stopped"` // "budget", "time" or "cancelled"
	ElapsedS      float64 `json:"elapsed_s"`
	Tolerance     float64 `json:"tolerance"`
	// Start is the start plan's score; Options the best distinct options
	// found, best first (none better than the start is still listed, so a
	// planner sees the search found nothing better).
	Start   Score    `json:"start"`
	Options []Option `json:"options,omitempty"`
	// Improved is true when the best option ranks above the start: within
	// the tolerance where the start is not, or a higher value.
	Improved bool `json:"improved"`
	// FlowsModelled is true when the objective rests on modelled flows.
	FlowsModelled bool `json:"flows_modelled"`
}

// Score is a plan's objective and its terms.
type Score struct {
	Value float64 `json:"value"`
	// Terms are every term's score, in use or not (see the constants).
	Terms map[string]float64 `json:"terms"`
	// MinLocalTeam is the team with the lowest local registration share.
	MinLocalTeam         string  `json:"min_local_team"`
	SplitPCNs            int     `json:"split_pcns"`
	MaxResidentDeviation float64 `json:"max_resident_deviation"`
	WithinTolerance      bool    `json:"within_tolerance"`
}

// Option is one proposed plan: each ward's team, its score and the moves
// from the start that make it.
type Option struct {
	Team  []int  `json:"-"` // team index per ward
	Score Score  `json:"score"`
	Moves []Step `json:"moves"`
}

// ErrNoMoves is returned when no ward can move at all.
var ErrNoMoves = errors.New("optimise: no ward can move under the constraints")

// Run searches for better plans than start.
func Run(ctx context.Context, city *City, start *Plan, opts Options) (*Result, error) {
	p, err := newProblem(city, start, &opts)
	if err != nil {
		return nil, err
	}
	began := time.Now()
	runCtx := ctx
	if opts.Time > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, opts.Time)
		defer cancel()
	}
	var tried, accepted atomic.Int64
	var best bestSoFar
	chains := make([]*chainResult, opts.Chains)
	perChain := opts.Moves / int64(opts.Chains)
	var wg sync.WaitGroup
	for c := range chains {
		budget := perChain
		if c == 0 {
			budget += opts.Moves % int64(opts.Chains)
		}
		wg.Add(1)
		go func(c int, budget int64) {
			defer wg.Done()
			chains[c] = runChain(runCtx, p, opts.Seed, uint64(c), budget, opts.Top, &tried, &accepted, &best)
		}(c, budget)
	}
	done := make(chan struct{})
	var progressDone sync.WaitGroup
	report := func() {
		if opts.Progress == nil {
			return
		}
		pr := Progress{MovesTried: tried.Load(), MovesAccepted: accepted.Load(), Budget: opts.Moves, Elapsed: time.Since(began)}
		pr.ElapsedS = pr.Elapsed.Seconds()
		if v, within, ok := best.get(); ok {
			pr.Best, pr.WithinTolerance = &v, within
		}
		opts.Progress(pr)
	}
	if opts.Progress != nil {
		progressDone.Add(1)
		go func() {
			defer progressDone.Done()
			every := opts.ProgressEvery
			if every <= 0 {
				every = 250 * time.Millisecond
			}
			tick := time.NewTicker(every)
			defer tick.Stop()
			for {
				select {
				case <-done:
					return
				case <-tick.C:
					report()
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	progressDone.Wait()

	res := &Result{Objective: opts.Objective.String(), Seed: opts.Seed, Chains: opts.Chains, Budget: opts.Moves,
		MovesTried: tried.Load(), MovesAccepted: accepted.Load(), Stopped: "budget",
		Tolerance: opts.Tolerance, FlowsModelled: city.FlowsModelled && opts.Objective.usesFlows()}
	switch {
	case ctx.Err() != nil:
		res.Stopped = "cancelled"
	case runCtx.Err() != nil:
		res.Stopped = "time"
	}
	res.ElapsedS = time.Since(began).Seconds()
	report()
	if res.Stopped == "cancelled" {
		return res, ctx.Err()
	}
	startState := newState(p, p.startTeam)
	res.Start = p.scoreOf(startState)
	var all []archived
	for _, ch := range chains {
		all = append(all, ch.top...)
	}
	sortArchived(all)
	seen := map[uint64][]int32{}
	for _, a := range all {
		if prev, ok := seen[a.hash]; ok && slices.Equal(prev, a.team) {
			continue
		}
		if slices.Equal(a.team, p.startTeam) {
			continue
		}
		seen[a.hash] = a.team
		st := newState(p, a.team)
		opt := Option{Team: make([]int, p.n), Score: p.scoreOf(st)}
		for w, t := range a.team {
			opt.Team[w] = int(t)
		}
		opt.Moves = p.explain(a.team)
		if len(res.Options) == 0 {
			res.Improved = a.within() && !startState.withinTolerance() || a.value > startState.value()+1e-9
		}
		res.Options = append(res.Options, opt)
		if len(res.Options) == opts.Top {
			break
		}
	}
	return res, nil
}

// bestSoFar is the best option over chains, for progress reports.
type bestSoFar struct {
	mu     sync.Mutex
	set    bool
	key    rankKey
	within bool
}

func (b *bestSoFar) offer(k rankKey, within bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.set || k.better(b.key) {
		b.set, b.key, b.within = true, k, within
	}
}

func (b *bestSoFar) get() (float64, bool, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.key.value, b.within, b.set
}

// rankKey orders options: those with every team within the tolerance
// first, then a higher objective, then fewer wards moved. (Among plans beyond it the objective
// ranks, not the distance beyond: the search is already pushed towards
// balance, and a planner whose start is far out wants better plans that
// are no worse, not merely the least unbalanced.)
type rankKey struct {
	excess float64
	value  float64
	moved  int
}

func (k rankKey) within() bool { return k.excess <= 1e-9 }

func (k rankKey) better(o rankKey) bool {
	if k.within() != o.within() {
		return k.within()
	}
	if math.Abs(k.value-o.value) > 1e-9 {
		return k.value > o.value
	}
	return k.moved < o.moved
}

type archived struct {
	rankKey
	hash uint64
	team []int32
}

func sortArchived(a []archived) {
	sort.SliceStable(a, func(i, j int) bool {
		if a[i].rankKey.better(a[j].rankKey) {
			return true
		}
		if a[j].rankKey.better(a[i].rankKey) {
			return false
		}
		return a[i].hash < a[j].hash
	})
}

func hashTeams(team []int32) uint64 {
	h := fnv.New64a()
	var b [4]byte
	for _, t := range team {
		b[0], b[1], b[2], b[3] = byte(t), byte(t>>8), byte(t>>16), byte(t>>24)
		h.Write(b[:])
	}
	return h.Sum64()
}

type chainResult struct {
	top []archived
}

// Annealing schedule: the temperature falls geometrically from t0 to t1
// (times the sum of the weights) over a chain's budget.
//
// Half the chains (the even ones) never leave the teams' caps and weigh
// population beyond the tolerance at hardPenalty. In the others the
// penalty rises from penalty0 to penalty1 (times the sum of the weights,
// per unit of relative deviation beyond the tolerance, four times that
// beyond a cap) over the budget: early on such a chain may cross plans
// beyond the caps to reach plans within them that no path within them
// leads to (a ward of a two-ward team often cannot move without a team
// passing through the tolerance); at the end it holds to them. Only plans
// within the caps are kept as options, from either kind.
const (
	t0          = 0.02
	t1          = 1e-5
	penalty0    = 0.005
	penalty1    = 5
	hardPenalty = 2
	swapChance  = 0.25
)

func runChain(ctx context.Context, p *problem, seed, chain uint64, budget int64, top int,
	tried, accepted *atomic.Int64, best *bestSoFar) *chainResult {
	rng := rand.New(rand.NewPCG(seed, chain+1))
	st := newState(p, p.startTeam)
	cur := st.score()
	w := p.weights[wMin] + p.weights[wLocal] + p.weights[wCatch] + p.weights[wBal] + p.weights[wPCN]
	temp := t0 * w
	// Even chains keep every team within its cap at every step (the
	// penalty only pulls towards the tolerance); odd chains may cross
	// plans beyond the caps, at a penalty that rises as they cool.
	hard := chain%2 == 0
	st.penalty = penalty0 * w
	if hard {
		st.penalty = hardPenalty * w
	}
	cur = st.score()
	var factor, penaltyFactor float64
	if budget > 0 {
		factor = math.Pow(t1/t0, 1/float64(budget))
		penaltyFactor = math.Pow(penalty1/penalty0, 1/float64(budget))
	}
	if hard {
		penaltyFactor = 1
	}
	out := &chainResult{}
	offer := func() {
		k := rankKey{excess: st.excess, moved: st.moved}
		if !st.withinCaps() {
			return
		}
		if len(out.top) == top && out.top[len(out.top)-1].within() && !k.within() {
			return
		}
		k.value = st.value()
		if len(out.top) == top && !k.better(out.top[len(out.top)-1].rankKey) {
			return
		}
		h := hashTeams(st.team)
		for _, a := range out.top {
			if a.hash == h && slices.Equal(a.team, st.team) {
				return
			}
		}
		a := archived{rankKey: k, hash: h, team: append([]int32(nil), st.team...)}
		if len(out.top) == top {
			out.top = out.top[:top-1]
		}
		out.top = append(out.top, a)
		sortArchived(out.top)
		best.offer(out.top[0].rankKey, out.top[0].within())
	}
	var n, acc, sinceReport int64
	attempts := int64(0)
	for n < budget {
		attempts++
		if attempts&255 == 0 {
			if ctx.Err() != nil {
				break
			}
			if attempts > 64*budget+1024 {
				break // almost no ward can move
			}
		}
		x := rng.IntN(p.n)
		if p.frozen[x] || len(p.nbr[x]) == 0 {
			continue
		}
		y := p.nbr[x][rng.IntN(len(p.nbr[x]))]
		a, b := st.team[x], st.team[y]
		if a == b || (!p.freeLocalities && p.teamLoc[a] != p.teamLoc[b]) {
			continue
		}
		swap := rng.Float64() < swapChance && !p.frozen[y]
		n++
		sinceReport++
		st.move(x, b)
		if swap {
			st.move(int(y), a)
		}
		ok := st.feasible(a, b) && (!hard || st.teamWithinCap(a) && st.teamWithinCap(b))
		var next float64
		if ok {
			next = st.score()
			if d := next - cur; d < 0 && rng.Float64() >= math.Exp(d/temp) {
				ok = false
			}
		}
		if ok {
			cur = next
			acc++
			offer()
		} else {
			if swap {
				st.move(int(y), b)
			}
			st.move(x, a)
		}
		temp *= factor
		st.penalty *= penaltyFactor
		if n&0x3ff == 0 {
			if n&0xffff == 0 {
				st.recount()
			}
			cur = st.score() // the penalty has moved on
		}
		if sinceReport == 1024 {
			tried.Add(sinceReport)
			accepted.Add(acc)
			sinceReport, acc = 0, 0
		}
	}
	tried.Add(sinceReport)
	accepted.Add(acc)
	return out
}

// scoreOf is a plan's score for the result.
func (p *problem) scoreOf(st *state) Score {
	sc := Score{Value: st.value(), Terms: map[string]float64{}, SplitPCNs: st.splits, WithinTolerance: st.excess <= 1e-9}
	sc.Terms[MinLocal] = st.minShare()
	if p.totalRegistered > 0 {
		sc.Terms[Local] = st.sumLocal / p.totalRegistered
	}
	if p.totalResident > 0 {
		sc.Terms[Catchment] = st.sumBest / p.totalResident
	}
	sc.Terms[Balance] = 1 - math.Sqrt(math.Max(st.sumDev2, 0)/float64(p.k))
	if p.pcnCount > 0 {
		sc.Terms[PCN] = 1 - float64(st.splits)/float64(p.pcnCount)
	} else {
		sc.Terms[PCN] = 1
	}
	low := math.Inf(1)
	for t := 0; t < p.k; t++ {
		if share, ok := st.share(t); ok && share < low {
			low, sc.MinLocalTeam = share, p.teamIDs[t]
		}
		sc.MaxResidentDeviation = math.Max(sc.MaxResidentDeviation, math.Abs(st.dev(t)))
	}
	if p.tolerance < 0 || math.IsInf(p.tolerance, 1) {
		sc.WithinTolerance = true
	}
	return sc
}

// newProblem checks the input and sets the defaults into opts.
func newProblem(city *City, start *Plan, opts *Options) (*problem, error) {
	if err := city.validate(start); err != nil {
		return nil, err
	}
	if err := opts.Objective.Validate(); err != nil {
		return nil, err
	}
	if opts.Moves == 0 {
		opts.Moves = DefaultMoves
	}
	if opts.Moves < 0 {
		return nil, fmt.Errorf("optimise: moves %d (want > 0)", opts.Moves)
	}
	if opts.Top <= 0 {
		opts.Top = DefaultTop
	}
	if opts.Chains <= 0 {
		opts.Chains = DefaultChains
	}
	if opts.Tolerance == 0 {
		opts.Tolerance = DefaultTolerance
	}
	if math.IsNaN(opts.Tolerance) {
		return nil, errors.New("optimise: tolerance is NaN")
	}
	n, k := len(city.Wards), len(start.Teams)
	p := &problem{city: city, n: n, k: k, trusts: len(city.Trusts), pcns: len(city.PCNs),
		freeLocalities: opts.FreeLocalities, tolerance: opts.Tolerance}
	if p.tolerance < 0 {
		p.tolerance = math.Inf(1)
	}
	for i, name := range Terms {
		p.weights[i] = opts.Objective[name]
	}
	p.weightSum = opts.Objective.total()
	locIndex := map[string]int32{}
	p.startTeam = make([]int32, n)
	for t, team := range start.Teams {
		p.teamIDs = append(p.teamIDs, team.ID)
		l, ok := locIndex[team.Locality]
		if !ok {
			l = int32(len(p.locIDs))
			locIndex[team.Locality] = l
			p.locIDs = append(p.locIDs, team.Locality)
		}
		p.teamLoc = append(p.teamLoc, l)
		for _, w := range team.Wards {
			p.startTeam[w] = int32(t)
		}
	}
	p.nbr = make([][]int32, n)
	for w, ns := range city.Neighbours {
		for _, x := range ns {
			if x < 0 || x >= n || x == w {
				return nil, fmt.Errorf("optimise: ward %s: neighbour index %d", city.Wards[w].Code, x)
			}
			p.nbr[w] = append(p.nbr[w], int32(x))
		}
	}
	p.out = make([][]entry, n)
	p.in = make([][]entry, n)
	p.diag = make([]float64, n)
	for _, f := range city.Flows {
		if f.From == f.To {
			p.diag[f.From] += f.Patients
			continue
		}
		p.out[f.From] = append(p.out[f.From], entry{int32(f.To), f.Patients})
		p.in[f.To] = append(p.in[f.To], entry{int32(f.From), f.Patients})
	}
	for _, w := range city.Wards {
		p.totalResident += w.Resident
		p.totalRegistered += w.ResidentsRegistered
	}
	if k == 0 || p.totalResident <= 0 {
		return nil, errors.New("optimise: no teams or no residents")
	}
	p.target = p.totalResident / float64(k)
	if len(city.OutsidePCNPractices) > 0 {
		p.outsidePCN = make([]int32, len(city.PCNs))
		for i, c := range city.OutsidePCNPractices {
			p.outsidePCN[i] = int32(c)
		}
	}
	for i := range city.PCNs {
		total := 0
		for _, w := range city.Wards {
			total += w.PCNPractices[i]
		}
		if total > 0 {
			p.pcnCount++
		}
	}
	p.frozen = make([]bool, n)
	for _, w := range opts.Frozen {
		if w < 0 || w >= n {
			return nil, fmt.Errorf("optimise: frozen ward index %d out of range", w)
		}
		p.frozen[w] = true
	}
	// Caps from the start: nothing may get worse than it was.
	p.resCap = make([]float64, k)
	for t := range p.resCap {
		p.resCap[t] = math.Inf(1) // until measured
	}
	st := newState(p, p.startTeam)
	p.pieceCap = make([]int, k)
	p.startPieces = make([]int, k)
	worst := 0.0
	for t := 0; t < k; t++ {
		worst = math.Max(worst, math.Abs(st.dev(t)))
	}
	for t := 0; t < k; t++ {
		p.resCap[t] = math.Max(p.tolerance, worst)
		p.startPieces[t] = st.pieces(int32(t))
		p.pieceCap[t] = max(1, p.startPieces[t])
	}
	p.locPieceCap = make([]int, len(p.locIDs))
	p.startLocP = make([]int, len(p.locIDs))
	for l := range p.locIDs {
		p.startLocP[l] = st.localityPieces(int32(l))
		p.locPieceCap[l] = max(1, p.startLocP[l])
	}
	return p, nil
}

// Feasible reports whether team (a team index per ward) keeps every
// constraint of a run of opts from start; for tests and callers that
// check an option independently of the search.
func Feasible(city *City, start *Plan, opts Options, team []int) (bool, string, error) {
	p, err := newProblem(city, start, &opts)
	if err != nil {
		return false, "", err
	}
	if len(team) != p.n {
		return false, "", fmt.Errorf("optimise: %d teams for %d wards", len(team), p.n)
	}
	t32 := make([]int32, p.n)
	for w, t := range team {
		if t < 0 || t >= p.k {
			return false, fmt.Sprintf("ward %s: no team %d", city.Wards[w].Code, t), nil
		}
		t32[w] = int32(t)
		if p.frozen[w] && t32[w] != p.startTeam[w] {
			return false, fmt.Sprintf("frozen ward %s moved", city.Wards[w].Code), nil
		}
		if !p.freeLocalities && p.teamLoc[t32[w]] != p.teamLoc[p.startTeam[w]] {
			return false, fmt.Sprintf("ward %s changed locality", city.Wards[w].Code), nil
		}
	}
	st := newState(p, t32)
	for t := 0; t < p.k; t++ {
		if len(st.members[t]) == 0 {
			return false, fmt.Sprintf("team %s is empty", p.teamIDs[t]), nil
		}
		if math.Abs(st.dev(t)) > p.resCap[t]+1e-9 {
			return false, fmt.Sprintf("team %s: resident deviation %.3f beyond %.3f", p.teamIDs[t], st.dev(t), p.resCap[t]), nil
		}
		if pc := st.pieces(int32(t)); pc > p.pieceCap[t] {
			return false, fmt.Sprintf("team %s in %d pieces (at most %d)", p.teamIDs[t], pc, p.pieceCap[t]), nil
		}
	}
	for l := range p.locIDs {
		if pc := st.localityPieces(int32(l)); pc > p.locPieceCap[l] {
			return false, fmt.Sprintf("locality %s in %d pieces (at most %d)", p.locIDs[l], pc, p.locPieceCap[l]), nil
		}
	}
	return true, "", nil
}

// Evaluator re-evaluates single-ward moves of a plan incrementally: what
// the search does for every candidate, offered for callers that rank
// moves themselves (hints in an editor, benchmarks).
type Evaluator struct {
	p  *problem
	st *state
}

// NewEvaluator prepares start for move evaluation under opts.
func NewEvaluator(city *City, start *Plan, opts Options) (*Evaluator, error) {
	p, err := newProblem(city, start, &opts)
	if err != nil {
		return nil, err
	}
	st := newState(p, p.startTeam)
	st.penalty = hardPenalty * opts.Objective.total()
	return &Evaluator{p: p, st: st}, nil
}

// Try evaluates moving ward w to team t: the objective after the move
// (as Score.Value) and whether the move keeps every constraint. The plan
// is left as it was.
func (e *Evaluator) Try(w, t int) (value float64, feasible bool) {
	st := e.st
	from := st.team[w]
	to := int32(t)
	if from == to {
		return st.value(), true
	}
	st.move(w, to)
	feasible = !e.p.frozen[w] && (e.p.freeLocalities || e.p.teamLoc[from] == e.p.teamLoc[to]) &&
		st.feasible(from, to) && st.teamWithinCap(from) && st.teamWithinCap(to)
	value = st.value()
	st.move(w, from)
	return value, feasible
}

// Value is the plan's objective.
func (e *Evaluator) Value() float64 { return e.st.value() }
