package gravity

import (
	"context"
	"fmt"
	"math"
)

// likelihoodModel is the origin-constrained model with balanced
// attractiveness over every origin with O_i > 0 and every located destination
// with N_j > 0, kept between evaluations so that each evaluation starts from
// the attractiveness of the previous one (warm start).
type likelihoodModel struct {
	nOrigins, nDests, nGroups int
	// workers is the number of goroutines that process groups concurrently.
	workers int
	// Origins are ordered by group: groupStart[g] ≤ i < groupStart[g+1] are
	// the (compact) origins of group g.
	groupStart  []int
	originTotal []float64 // O_i
	// excess[i·nDests+j] is d_ij − min_k d_ik in km: p_ij does not change when a
	// row of f is scaled, so subtracting each origin's nearest distance keeps
	// every row's largest seed at 1.
	excess      []float64
	destTotal   []float64 // N_j
	counts      []float64 // N_jD at [g·nDests+j]
	users       float64   // Σ N_jD
	seeds       []float64 // f_ij for the current decay
	logAttract  []float64 // log A_j, the iterate
	attract     []float64 // A_j
	update      []float64 // plain IPF update of logAttract
	accelerator *anderson
	rowFactor   []float64 // O_i / Σ_k A_k f_ik
	groupColumn []float64 // Σ_{i∈D} rowFactor_i f_ij at [g·nDests+j]
	column      []float64 // Σ_i rowFactor_i f_ij
}

// newLikelihoodModel assumes p is valid.
func newLikelihoodModel(ctx context.Context, p Problem, workers int) (*likelihoodModel, error) {
	l := newLayout(p)
	// Destinations: located, with a positive count from some group with origins.
	destIndex := make(map[int]int)
	var dests []int
	for _, g := range l.groups {
		for _, t := range g.totals {
			if !p.Destinations[t.Destination].Located {
				continue
			}
			if _, ok := destIndex[t.Destination]; !ok {
				destIndex[t.Destination] = len(dests)
				dests = append(dests, t.Destination)
			}
		}
	}
	m := &likelihoodModel{nDests: len(dests), workers: workers}
	var origins []int
	m.groupStart = []int{0}
	var rowCounts [][]float64
	for _, g := range l.groups {
		row := make([]float64, len(dests))
		var total float64
		for _, t := range g.totals {
			if k, ok := destIndex[t.Destination]; ok {
				row[k] = t.Count
				total += t.Count
			}
		}
		if total == 0 {
			continue
		}
		for _, i := range g.origins {
			if w := p.Origins[i].Weight; w > 0 {
				origins = append(origins, i)
				m.originTotal = append(m.originTotal, w*total/g.weight)
			}
		}
		m.groupStart = append(m.groupStart, len(origins))
		rowCounts = append(rowCounts, row)
		m.users += total
	}
	m.nGroups = len(rowCounts)
	m.nOrigins = len(origins)
	if m.nGroups < 2 {
		return nil, fmt.Errorf("gravity: calibrate: %d group(s) with located registrations and populated origins, need at least 2: %w", m.nGroups, ErrNoInformation)
	}
	m.counts = make([]float64, m.nGroups*m.nDests)
	m.destTotal = make([]float64, m.nDests)
	for g, row := range rowCounts {
		copy(m.counts[g*m.nDests:], row)
		for j, n := range row {
			m.destTotal[j] += n
		}
	}

	m.excess = make([]float64, m.nOrigins*m.nDests)
	err := forEach(m.workers, m.nGroups, func(g int) error {
		for r := m.groupStart[g]; r < m.groupStart[g+1]; r++ {
			if r%64 == 0 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("gravity: calibrate: distances: %w", err)
				}
			}
			row := m.excess[r*m.nDests : (r+1)*m.nDests]
			o := p.Origins[origins[r]].Point
			nearest := math.Inf(1)
			for k, j := range dests {
				d := distanceKm(o, p.Destinations[j].Point)
				row[k] = d
				nearest = min(nearest, d)
			}
			for k := range row {
				row[k] -= nearest
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	m.seeds = make([]float64, len(m.excess))
	m.logAttract = make([]float64, m.nDests)
	m.attract = make([]float64, m.nDests)
	m.update = make([]float64, m.nDests)
	m.accelerator = newAnderson(m.nDests)
	m.rowFactor = make([]float64, m.nOrigins)
	m.groupColumn = make([]float64, m.nGroups*m.nDests)
	m.column = make([]float64, m.nDests)
	return m, nil
}

// logLikelihood balances the attractiveness for decay, starting from the
// current m.attract, and returns LL(decay) and the iterations it took.
func (m *likelihoodModel) logLikelihood(ctx context.Context, decay float64, opts Options) (float64, int, error) {
	nJ := m.nDests
	// Seeds by group, each group writing only its own rows.
	err := forEach(m.workers, m.nGroups, func(g int) error {
		lo, hi := m.groupStart[g]*nJ, m.groupStart[g+1]*nJ
		for k, e := range m.excess[lo:hi] {
			m.seeds[lo+k] = seed(decay, e)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	m.accelerator.reset()
	cold := false
	for it := 1; ; it++ {
		if err := ctx.Err(); err != nil {
			return 0, it, fmt.Errorf("gravity: calibrate: decay %g: %w", decay, err)
		}
		for j, u := range m.logAttract {
			m.attract[j] = math.Exp(u)
		}
		if !m.pass() {
			if m.accelerator.fallback(m.logAttract) {
				continue
			}
			if !cold {
				// The warm start, from another decay, is out of range here.
				clear(m.logAttract)
				cold = true
				continue
			}
			return 0, it, fmt.Errorf("gravity: calibrate: decay %g: %w", decay, ErrOutOfRange)
		}
		// N̂_j = A_j column_j; converged when every N̂_j is within tolerance.
		var worst float64
		for j, c := range m.column {
			if e := math.Abs(m.attract[j]*c-m.destTotal[j]) / m.destTotal[j]; e > worst {
				worst = e
			}
		}
		if worst <= opts.Tolerance {
			return m.value(), it, nil
		}
		if it >= opts.MaxIterations {
			return 0, it, fmt.Errorf("gravity: calibrate: decay %g: relative error %.3g after %d iterations: %w", decay, worst, it, ErrNotConverged)
		}
		// The IPF update A_j ← N_j / column_j, in logs, accelerated.
		for j, c := range m.column {
			m.update[j] = math.Log(m.destTotal[j] / c)
		}
		m.accelerator.step(m.logAttract, m.update)
	}
}

// pass sets rowFactor_i = O_i / Σ_k A_k f_ik for every origin and, while
// each row is in cache, groupColumn_Dj = Σ_{i∈D} rowFactor_i f_ij, then
// column_j = Σ_D groupColumn_Dj. Groups run concurrently; each writes only its
// own rows and its own slice of groupColumn. It reports false when an
// accessibility or a column sum is zero or not finite.
func (m *likelihoodModel) pass() bool {
	nJ := m.nDests
	err := forEach(m.workers, m.nGroups, func(g int) error {
		acc := m.groupColumn[g*nJ : (g+1)*nJ]
		clear(acc)
		for i := m.groupStart[g]; i < m.groupStart[g+1]; i++ {
			row := m.seeds[i*nJ : (i+1)*nJ]
			s := dot(row, m.attract)
			if !(s > 0) || math.IsInf(s, 0) {
				return ErrOutOfRange
			}
			m.rowFactor[i] = m.originTotal[i] / s
			axpy(m.rowFactor[i], row, acc)
		}
		return nil
	})
	if err != nil {
		return false
	}
	clear(m.column)
	for g := range m.nGroups {
		for j, v := range m.groupColumn[g*nJ : (g+1)*nJ] {
			m.column[j] += v
		}
	}
	for _, c := range m.column {
		if !(c > 0) || math.IsInf(c, 0) {
			return false
		}
	}
	return true
}

// value is Σ_{j,D} N_jD · log(N̂_jD / N̂_j) for the last column pass. The
// share N̂_jD / N̂_j = groupColumn_Dj / column_j does not depend on A_j, and
// equals N̂_jD / N_j once balanced.
func (m *likelihoodModel) value() float64 {
	var ll float64
	nJ := m.nDests
	for g := range m.nGroups {
		counts := m.counts[g*nJ : (g+1)*nJ]
		acc := m.groupColumn[g*nJ : (g+1)*nJ]
		for j, n := range counts {
			if n > 0 {
				ll += n * math.Log(acc[j]/m.column[j])
			}
		}
	}
	return ll
}
