package phstats

import "math"

// Iteration budget and tolerance for the series and continued fractions.
const (
	seriesEpsilon = 1e-16
	tinyFloat     = 1e-300
)

// logGammaDensityFactor returns log(x^a e^(−x) / Γ(a)) for a > 0, x > 0.
// For large a the direct form a·log x − x − lgamma(a) cancels badly (both
// terms are about a·log a), so it is rearranged with Stirling's series:
// a·(log1p(t) − t) + ½·log(a/2π) − stirling(a), t = (x − a)/a, which keeps
// about 1e-13 relative accuracy in the result for any a.
func logGammaDensityFactor(a, x float64) float64 {
	if a < 15 {
		lg, _ := math.Lgamma(a)
		return a*math.Log(x) - x - lg
	}
	t := (x - a) / a
	var core float64
	if math.Abs(t) < 1e-3 {
		// log1p(t) − t by its Taylor series, avoiding the cancellation.
		t2 := t * t
		core = -t2/2 + t2*t/3 - t2*t2/4 + t2*t2*t/5 - t2*t2*t2/6 + t2*t2*t2*t/7
	} else {
		core = math.Log1p(t) - t
	}
	return a*core + 0.5*math.Log(a/(2*math.Pi)) - stirlingCorrection(a)
}

// stirlingCorrection returns lgamma(a) − ((a − ½)·log a − a + ½·log 2π) for
// a ≥ 15 from the asymptotic series; the first omitted term is below 3e-14.
func stirlingCorrection(a float64) float64 {
	r := 1 / a
	r2 := r * r
	return r * (1.0/12 - r2*(1.0/360-r2*(1.0/1260-r2*(1.0/1680-r2/1188))))
}

// maxIterations bounds the series and continued fractions for shape a: both
// need O(√a) terms near x ≈ a.
func maxIterations(a float64) int {
	return 1000 + int(50*math.Sqrt(a))
}

// regularizedGamma returns P(a, x) and Q(a, x) = 1 − P(a, x), the
// regularized lower and upper incomplete gamma functions, each to full
// relative precision (the smaller one is computed directly, never as 1
// minus the larger). It returns NaNs for a ≤ 0, x < 0 or non-convergence.
func regularizedGamma(a, x float64) (p, q float64) {
	switch {
	case !(a > 0) || !(x >= 0) || math.IsInf(a, 0) || math.IsNaN(x):
		return math.NaN(), math.NaN()
	case x == 0:
		return 0, 1
	case math.IsInf(x, 1):
		return 1, 0
	}
	factor := math.Exp(logGammaDensityFactor(a, x))
	limit := maxIterations(a)
	if x < a+1 {
		// Series: P = factor · Σ xⁿ / (a(a+1)…(a+n)).
		term := 1 / a
		sum := term
		for n := 1; ; n++ {
			if n > limit {
				return math.NaN(), math.NaN()
			}
			term *= x / (a + float64(n))
			sum += term
			if math.Abs(term) < math.Abs(sum)*seriesEpsilon {
				break
			}
		}
		p = factor * sum
		return p, 1 - p
	}
	// Continued fraction for Q (modified Lentz).
	b := x + 1 - a
	c := 1 / tinyFloat
	d := 1 / b
	h := d
	for i := 1; ; i++ {
		if i > limit {
			return math.NaN(), math.NaN()
		}
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tinyFloat {
			d = tinyFloat
		}
		c = b + an/c
		if math.Abs(c) < tinyFloat {
			c = tinyFloat
		}
		d = 1 / d
		delta := d * c
		h *= delta
		if math.Abs(delta-1) < seriesEpsilon {
			break
		}
	}
	q = factor * h
	return 1 - q, q
}

// gammaQuantile returns x with P(a, x) = p for the standard gamma
// distribution with shape a > 0 (scale 1), by Newton's method safeguarded
// with bisection. It returns NaN when a or p is outside its domain or the
// incomplete gamma function fails to converge.
func gammaQuantile(p, a float64) float64 {
	switch {
	case math.IsNaN(p) || p < 0 || p > 1 || !(a > 0) || math.IsInf(a, 0):
		return math.NaN()
	case p == 0:
		return 0
	case p == 1:
		return math.Inf(1)
	}
	// Solve in whichever tail is smaller so the target keeps its precision:
	// f(x) = P(a,x) − p, or f(x) = (1 − p) − Q(a,x); both increase with x.
	upperTail := p > 0.5
	target := p
	if upperTail {
		target = 1 - p
	}
	f := func(x float64) float64 {
		lower, upper := regularizedGamma(a, x)
		if upperTail {
			return target - upper
		}
		return lower - target
	}

	// Starting point: Wilson–Hilferty, or the small-x limit
	// P(a,x) ≈ xᵃ/Γ(a+1) when that gives nonsense.
	z := NormalQuantile(p)
	x := a * math.Pow(1-1/(9*a)+z/(3*math.Sqrt(a)), 3)
	if !(x > 0) || math.IsInf(x, 0) {
		lg, _ := math.Lgamma(a + 1)
		x = math.Exp((math.Log(p) + lg) / a)
	}
	if !(x > 0) || math.IsInf(x, 0) {
		x = a
	}

	// Bracket the root: f(lo) < 0 ≤ f(hi).
	lo, hi := 0.0, x
	for {
		v := f(hi)
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v >= 0 {
			break
		}
		lo = hi
		hi *= 2
		if math.IsInf(hi, 1) {
			return math.NaN()
		}
	}

	for range 200 {
		v := f(x)
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v == 0 {
			return x
		}
		if v < 0 {
			lo = x
		} else {
			hi = x
		}
		density := math.Exp(logGammaDensityFactor(a, x)) / x
		next := x - v/density
		if !(next > lo && next < hi) {
			next = lo + (hi-lo)/2
		}
		if math.Abs(next-x) <= 1e-15*x || hi-lo <= 1e-15*hi {
			return next
		}
		x = next
	}
	return x
}

// ChiSquareQuantile returns the p-th quantile of the chi-square distribution
// with df > 0 degrees of freedom (Excel's CHISQ.INV(p, df)), computed as
// twice the quantile of a gamma distribution with shape df/2. It returns 0
// at p = 0, +Inf at p = 1 and NaN outside the domain.
func ChiSquareQuantile(p, df float64) float64 {
	return 2 * gammaQuantile(p, df/2)
}
