package optimise

import (
	"math"
)

// entry is one stored cell of a ward's flow row or column.
type entry struct {
	ward     int32
	patients float64
}

// problem is the city, the start plan and the constraints in the form the
// search reads: flat slices by ward and team index.
type problem struct {
	city    *City
	n, k    int
	trusts  int
	pcns    int
	teamIDs []string
	teamLoc []int32 // team → locality index
	locIDs  []string

	nbr  [][]int32
	out  [][]entry // out[w]: patients living in w registered in another ward
	in   [][]entry // in[w]: patients living in another ward registered in w
	diag []float64 // patients living and registered in w

	totalResident, totalRegistered float64
	target                         float64 // mean resident population per team

	weights                [5]float64 // by Terms order
	weightSum              float64
	tolerance              float64
	resCap                 []float64 // per team: the largest |deviation| allowed
	pieceCap               []int     // per team: the most pieces allowed
	locPieceCap            []int     // per locality
	frozen                 []bool
	freeLocalities         bool
	outsidePCN             []int32
	pcnCount               int // PCNs with any practice (the split share's denominator)
	startTeam              []int32
	startPieces, startLocP []int
}

// parsimony is what each ward away from its start team costs in the
// search (times the sum of the weights): of two plans scoring alike the
// search drifts to the one that moves fewer wards, and options that tie
// are ranked by wards moved.
const parsimony = 1e-4

// capWeight is how much heavier population beyond a team's cap weighs
// than population beyond the tolerance.
const capWeight = 4

const (
	wMin = iota
	wLocal
	wCatch
	wBal
	wPCN
)

// state is one plan and its running aggregates.
type state struct {
	p       *problem
	team    []int32
	members [][]int32
	pos     []int32 // index of ward w in members[team[w]]

	res, regd, local []float64   // per team
	catch            [][]float64 // [team][trust]
	best             []float64   // per team: its largest catchment population
	pcn              [][]int32   // [pcn][team]: practices; team k is outside
	spread           []int32     // [pcn]: teams holding any of its practices

	sumLocal, sumBest, sumDev2 float64
	softSum                    float64 // Σ exp(-β·share) over teams with residents registered
	softTeams                  int
	splits                     int
	excess                     float64 // Σ max(0, |dev| − tolerance)
	capExcess                  float64 // Σ max(0, |dev| − the team's cap)
	// penalty weighs excess in score: the chain raises it as it cools.
	penalty float64
	// moved counts the wards not in their start team.
	moved int

	seen  []int32 // BFS marks
	mark  int32
	queue []int32
}

func newState(p *problem, team []int32) *state {
	s := &state{p: p, team: append([]int32(nil), team...)}
	s.members = make([][]int32, p.k)
	s.pos = make([]int32, p.n)
	for w, t := range s.team {
		s.pos[w] = int32(len(s.members[t]))
		s.members[t] = append(s.members[t], int32(w))
	}
	s.res = make([]float64, p.k)
	s.regd = make([]float64, p.k)
	s.local = make([]float64, p.k)
	s.best = make([]float64, p.k)
	s.catch = make([][]float64, p.k)
	for t := range s.catch {
		s.catch[t] = make([]float64, p.trusts)
	}
	s.pcn = make([][]int32, p.pcns)
	for i := range s.pcn {
		s.pcn[i] = make([]int32, p.k+1)
		if len(p.outsidePCN) > 0 {
			s.pcn[i][p.k] = p.outsidePCN[i]
		}
	}
	s.spread = make([]int32, p.pcns)
	for w := 0; w < p.n; w++ {
		t := s.team[w]
		ward := &p.city.Wards[w]
		s.res[t] += ward.Resident
		s.regd[t] += ward.ResidentsRegistered
		s.local[t] += p.diag[w]
		for _, e := range p.out[w] {
			if s.team[e.ward] == t {
				s.local[t] += e.patients
			}
		}
		for j, v := range ward.Catchment {
			s.catch[t][j] += v
		}
		for i, c := range ward.PCNPractices {
			s.pcn[i][t] += int32(c)
		}
	}
	s.seen = make([]int32, p.n)
	for w := range s.team {
		if s.team[w] != p.startTeam[w] {
			s.moved++
		}
	}
	s.recount()
	return s
}

// recount recomputes the running totals from the team aggregates (done at
// the start and now and then against rounding drift).
func (s *state) recount() {
	p := s.p
	s.sumLocal, s.sumBest, s.sumDev2, s.softSum, s.softTeams, s.excess, s.capExcess = 0, 0, 0, 0, 0, 0, 0
	for t := 0; t < p.k; t++ {
		s.best[t] = maxOf(s.catch[t])
		s.sumLocal += s.local[t]
		s.sumBest += s.best[t]
		d := s.dev(t)
		s.sumDev2 += d * d
		s.excess += excess(d, p.tolerance)
		s.capExcess += excess(d, p.resCap[t])
		if s.regd[t] > 0 {
			s.softSum += math.Exp(-softMinBeta * s.local[t] / s.regd[t])
			s.softTeams++
		}
	}
	s.splits = 0
	for i := range s.pcn {
		s.spread[i] = 0
		for _, c := range s.pcn[i] {
			if c > 0 {
				s.spread[i]++
			}
		}
		if s.spread[i] > 1 {
			s.splits++
		}
	}
}

func maxOf(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		if x > m {
			m = x
		}
	}
	return m
}

func excess(dev, tol float64) float64 {
	if d := math.Abs(dev) - tol; d > 0 {
		return d
	}
	return 0
}

func (s *state) dev(t int) float64 { return (s.res[t] - s.p.target) / s.p.target }

func (s *state) share(t int) (float64, bool) {
	if s.regd[t] <= 0 {
		return 0, false
	}
	return s.local[t] / s.regd[t], true
}

// before removes team t's terms from the running totals; after adds them
// back once t has changed.
func (s *state) before(t int) { s.teamTerms(t, -1) }
func (s *state) after(t int)  { s.teamTerms(t, +1) }

func (s *state) teamTerms(t int, sign float64) {
	p := s.p
	if sign > 0 {
		s.best[t] = maxOf(s.catch[t])
	}
	s.sumLocal += sign * s.local[t]
	s.sumBest += sign * s.best[t]
	d := s.dev(t)
	s.sumDev2 += sign * d * d
	s.excess += sign * excess(d, p.tolerance)
	s.capExcess += sign * excess(d, p.resCap[t])
	if share, ok := s.share(t); ok {
		s.softSum += sign * math.Exp(-softMinBeta*share)
		s.softTeams += int(sign)
	}
}

// move puts ward w in team b, updating every aggregate. It is its own
// undo: move(w, a) after move(w, b) restores the state exactly up to
// rounding.
func (s *state) move(w int, b int32) {
	p := s.p
	a := s.team[w]
	if a == b {
		return
	}
	s.before(int(a))
	s.before(int(b))
	ward := &p.city.Wards[w]
	// Local registrations: w's own cell and its cells with the wards of a
	// and b, read from w's row and column.
	var lossA, gainB float64
	lossA, gainB = p.diag[w], p.diag[w]
	for _, e := range p.out[w] {
		switch s.team[e.ward] {
		case a:
			lossA += e.patients
		case b:
			gainB += e.patients
		}
	}
	for _, e := range p.in[w] {
		switch s.team[e.ward] {
		case a:
			lossA += e.patients
		case b:
			gainB += e.patients
		}
	}
	s.local[a] -= lossA
	s.local[b] += gainB
	s.res[a] -= ward.Resident
	s.res[b] += ward.Resident
	s.regd[a] -= ward.ResidentsRegistered
	s.regd[b] += ward.ResidentsRegistered
	for j, v := range ward.Catchment {
		s.catch[a][j] -= v
		s.catch[b][j] += v
	}
	for i, c := range ward.PCNPractices {
		if c == 0 {
			continue
		}
		wasSplit := s.spread[i] > 1
		if s.pcn[i][a] -= int32(c); s.pcn[i][a] == 0 {
			s.spread[i]--
		}
		if s.pcn[i][b] == 0 {
			s.spread[i]++
		}
		s.pcn[i][b] += int32(c)
		if isSplit := s.spread[i] > 1; isSplit != wasSplit {
			if isSplit {
				s.splits++
			} else {
				s.splits--
			}
		}
	}
	// Membership.
	ma := s.members[a]
	i := s.pos[w]
	last := ma[len(ma)-1]
	ma[i] = last
	s.pos[last] = i
	s.members[a] = ma[:len(ma)-1]
	s.pos[w] = int32(len(s.members[b]))
	s.members[b] = append(s.members[b], int32(w))
	s.team[w] = b
	if start := p.startTeam[w]; start == a {
		s.moved++
	} else if start == b {
		s.moved--
	}
	if len(s.members[a]) == 0 {
		// An empty team has no share: keep its soft-minimum term out.
		s.local[a], s.regd[a], s.res[a] = 0, 0, 0
	}
	s.after(int(a))
	s.after(int(b))
}

// pieces counts the connected pieces of team t (rook adjacency).
func (s *state) pieces(t int32) int {
	return s.piecesOf(s.members[t], func(w int32) bool { return s.team[w] == t })
}

// localityPieces counts the pieces of locality l.
func (s *state) localityPieces(l int32) int {
	var wards []int32
	for t := 0; t < s.p.k; t++ {
		if s.p.teamLoc[t] == l {
			wards = append(wards, s.members[t]...)
		}
	}
	return s.piecesOf(wards, func(w int32) bool { return s.p.teamLoc[s.team[w]] == l })
}

func (s *state) piecesOf(wards []int32, in func(int32) bool) int {
	s.mark++
	if s.mark == math.MaxInt32 {
		clear(s.seen)
		s.mark = 1
	}
	pieces := 0
	for _, start := range wards {
		if s.seen[start] == s.mark {
			continue
		}
		pieces++
		s.seen[start] = s.mark
		q := append(s.queue[:0], start)
		for len(q) > 0 {
			x := q[len(q)-1]
			q = q[:len(q)-1]
			for _, y := range s.p.nbr[x] {
				if s.seen[y] != s.mark && in(y) {
					s.seen[y] = s.mark
					q = append(q, y)
				}
			}
		}
		s.queue = q
	}
	return pieces
}

// feasible checks the constraints the walk keeps on the teams (and
// localities) a move touched: no team empty, none in more pieces than
// allowed. The population tolerance is not among them: the walk may cross
// plans beyond it (penalised in score) so that it can reach plans within
// it that no path of plans within it leads to; only plans within it are
// kept as options (withinCaps).
func (s *state) feasible(teams ...int32) bool {
	p := s.p
	for _, t := range teams {
		if len(s.members[t]) == 0 {
			return false
		}
	}
	for _, t := range teams {
		if s.pieces(t) > p.pieceCap[t] {
			return false
		}
	}
	if p.freeLocalities {
		for i, t := range teams {
			l := p.teamLoc[t]
			dup := false
			for _, u := range teams[:i] {
				dup = dup || p.teamLoc[u] == l
			}
			if !dup && s.localityPieces(l) > p.locPieceCap[l] {
				return false
			}
		}
	}
	return true
}

// teamWithinCap reports whether team t's resident population is within
// its cap.
func (s *state) teamWithinCap(t int32) bool {
	return math.Abs(s.dev(int(t))) <= s.p.resCap[t]+1e-12
}

// withinTolerance reports whether every team is within the tolerance.
func (s *state) withinTolerance() bool { return s.excess <= 1e-9 }

// withinCaps reports whether every team's resident population is within
// its cap.
func (s *state) withinCaps() bool {
	for t := 0; t < s.p.k; t++ {
		if math.Abs(s.dev(t)) > s.p.resCap[t]+1e-12 {
			return false
		}
	}
	return true
}

// score is the objective the search climbs: the soft minimum for
// min_local, less a penalty for population beyond the tolerance and, four
// times heavier, beyond a team's cap (its start deviation when that is
// beyond the tolerance), which an option may not pass.
func (s *state) score() float64 {
	p := s.p
	v := 0.0
	if w := p.weights[wMin]; w > 0 && s.softTeams > 0 {
		soft := -math.Log(s.softSum/float64(s.softTeams)) / softMinBeta
		v += w * ((1-softMinShare)*s.minShare() + softMinShare*soft)
	}
	v += s.flatTerms()
	return v - s.penalty*(s.excess+capWeight*s.capExcess) - parsimony*p.weightSum*float64(s.moved)
}

// flatTerms are the weighted terms other than the minimum.
func (s *state) flatTerms() float64 {
	p := s.p
	v := 0.0
	if w := p.weights[wLocal]; w > 0 && p.totalRegistered > 0 {
		v += w * s.sumLocal / p.totalRegistered
	}
	if w := p.weights[wCatch]; w > 0 && p.totalResident > 0 {
		v += w * s.sumBest / p.totalResident
	}
	if w := p.weights[wBal]; w > 0 {
		v += w * (1 - math.Sqrt(math.Max(s.sumDev2, 0)/float64(p.k)))
	}
	if w := p.weights[wPCN]; w > 0 && p.pcnCount > 0 {
		v += w * (1 - float64(s.splits)/float64(p.pcnCount))
	}
	return v
}

// minShare is the lowest local registration share over teams.
func (s *state) minShare() float64 {
	m, any := 1.0, false
	for t := 0; t < s.p.k; t++ {
		if share, ok := s.share(t); ok {
			any = true
			m = math.Min(m, share)
		}
	}
	if !any {
		return 0
	}
	return m
}

// value is the objective an option is ranked by (the true minimum, no
// penalty).
func (s *state) value() float64 {
	v := s.flatTerms()
	if w := s.p.weights[wMin]; w > 0 {
		v += w * s.minShare()
	}
	return v
}
