package gravity

import "math"

// andersonDepth is the number of previous iterates Anderson acceleration mixes.
const andersonDepth = 16

// anderson accelerates a fixed-point iteration x ← G(x) (here: the log column
// factors of iterative proportional fitting, where G is one row pass and one
// column pass). Plain IPF converges linearly and, when the decay is large and
// catchments barely overlap, very slowly; Anderson mixing (type II, Walker &
// Ni 2011) extrapolates from the last andersonDepth iterates and residuals.
// When the residual more than doubles after an extrapolation the history is
// cleared and the next step is a plain one; an extrapolation that leaves the
// float64 range is replaced by the plain step (fallback). The fixed point, and
// hence the result, is that of plain IPF.
type anderson struct {
	// dx[k], df[k] are differences of successive iterates and residuals,
	// ring-buffered; count is how many are valid and next where the next goes.
	dx, df      [][]float64
	count, next int
	prevX       []float64
	prevF       []float64
	prevNorm    float64
	started     bool
	// plain is G of the last iterate, the step plain IPF would have taken;
	// accelerated reports that the last step was extrapolated instead.
	plain       []float64
	accelerated bool
	f           []float64
	gram        [andersonDepth][andersonDepth + 1]float64
	gamma       [andersonDepth]float64
}

func newAnderson(n int) *anderson {
	a := &anderson{prevX: make([]float64, n), prevF: make([]float64, n), f: make([]float64, n), plain: make([]float64, n)}
	for range andersonDepth {
		a.dx = append(a.dx, make([]float64, n))
		a.df = append(a.df, make([]float64, n))
	}
	return a
}

// reset forgets the history (after the iterate was changed from outside).
func (a *anderson) reset() {
	a.count, a.next, a.started, a.accelerated = 0, 0, false, false
}

// fallback undoes an extrapolated step that led out of the floating-point
// range: it sets x to the plain IPF step from the previous iterate, forgets
// the history and reports true. After a plain step it reports false.
func (a *anderson) fallback(x []float64) bool {
	if !a.accelerated {
		return false
	}
	copy(x, a.plain)
	a.reset()
	return true
}

// step replaces x, the current iterate, by the next one, given gx = G(x).
func (a *anderson) step(x, gx []float64) {
	var norm float64
	for i := range x {
		a.f[i] = gx[i] - x[i]
		norm += a.f[i] * a.f[i]
	}
	if a.started {
		if norm > 4*a.prevNorm || math.IsNaN(norm) {
			a.count, a.next = 0, 0 // the extrapolation went astray: start again from here
		} else {
			dx, df := a.dx[a.next], a.df[a.next]
			for i := range x {
				dx[i] = x[i] - a.prevX[i]
				df[i] = a.f[i] - a.prevF[i]
			}
			a.next = (a.next + 1) % andersonDepth
			a.count = min(a.count+1, andersonDepth)
		}
	}
	copy(a.prevX, x)
	copy(a.prevF, a.f)
	copy(a.plain, gx)
	a.prevNorm, a.started = norm, true

	a.accelerated = a.count > 0 && a.solve()
	if !a.accelerated {
		copy(x, gx)
		return
	}
	for i := range x {
		v := gx[i]
		for k := range a.count {
			v -= a.gamma[k] * (a.dx[k][i] + a.df[k][i])
		}
		x[i] = v
	}
}

// solve finds gamma minimising ‖f − Σ_k gamma_k df_k‖ through the regularised
// normal equations, by Gaussian elimination with partial pivoting. It reports
// false when the system is singular.
func (a *anderson) solve() bool {
	m := a.count
	var trace float64
	for r := range m {
		for c := r; c < m; c++ {
			var s float64
			for i, v := range a.df[r] {
				s += v * a.df[c][i]
			}
			a.gram[r][c], a.gram[c][r] = s, s
		}
		trace += a.gram[r][r]
		var s float64
		for i, v := range a.df[r] {
			s += v * a.f[i]
		}
		a.gram[r][m] = s
	}
	if !(trace > 0) || math.IsInf(trace, 0) {
		return false
	}
	for r := range m {
		a.gram[r][r] += 1e-10 * trace / float64(m)
	}
	for col := range m {
		pivot := col
		for r := col + 1; r < m; r++ {
			if math.Abs(a.gram[r][col]) > math.Abs(a.gram[pivot][col]) {
				pivot = r
			}
		}
		if a.gram[pivot][col] == 0 {
			return false
		}
		a.gram[col], a.gram[pivot] = a.gram[pivot], a.gram[col]
		for r := col + 1; r < m; r++ {
			factor := a.gram[r][col] / a.gram[col][col]
			for c := col; c <= m; c++ {
				a.gram[r][c] -= factor * a.gram[col][c]
			}
		}
	}
	for r := m - 1; r >= 0; r-- {
		s := a.gram[r][m]
		for c := r + 1; c < m; c++ {
			s -= a.gram[r][c] * a.gamma[c]
		}
		a.gamma[r] = s / a.gram[r][r]
		if math.IsNaN(a.gamma[r]) || math.IsInf(a.gamma[r], 0) {
			return false
		}
	}
	return true
}
