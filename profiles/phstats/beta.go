package phstats

import "math"

// regularizedBeta returns I_x(a, b), the regularized incomplete beta
// function, given x and y = 1 − x separately so callers can pass the
// complement without cancellation. It uses the continued fraction of
// Numerical Recipes (betacf) with the symmetry I_x(a,b) = 1 − I_y(b,a).
func regularizedBeta(x, y, a, b float64) float64 {
	switch {
	case !(a > 0) || !(b > 0) || !(x >= 0) || !(y >= 0):
		return math.NaN()
	case x == 0:
		return 0
	case y == 0:
		return 1
	}
	if x > (a+1)/(a+b+2) {
		return 1 - regularizedBeta(y, x, b, a)
	}
	lab, _ := math.Lgamma(a + b)
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	factor := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log(y))
	cf := betaContinuedFraction(x, a, b)
	if math.IsNaN(cf) {
		return math.NaN()
	}
	return factor * cf / a
}

// betaContinuedFraction evaluates the continued fraction for I_x(a, b) by
// the modified Lentz method; NaN if it fails to converge.
func betaContinuedFraction(x, a, b float64) float64 {
	qab, qap, qam := a+b, a+1, a-1
	c := 1.0
	d := 1 - qab*x/qap
	if math.Abs(d) < tinyFloat {
		d = tinyFloat
	}
	d = 1 / d
	h := d
	limit := maxIterations(math.Max(a, b))
	for m := 1; m <= limit; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tinyFloat {
			d = tinyFloat
		}
		c = 1 + aa/c
		if math.Abs(c) < tinyFloat {
			c = tinyFloat
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tinyFloat {
			d = tinyFloat
		}
		c = 1 + aa/c
		if math.Abs(c) < tinyFloat {
			c = tinyFloat
		}
		d = 1 / d
		delta := d * c
		h *= delta
		if math.Abs(delta-1) < seriesEpsilon {
			return h
		}
	}
	return math.NaN()
}

// studentTUpperTail returns P(T > t) for t ≥ 0 and df > 0 degrees of
// freedom: ½·I_{df/(df+t²)}(df/2, ½).
func studentTUpperTail(t, df float64) float64 {
	t2 := t * t
	return 0.5 * regularizedBeta(df/(df+t2), t2/(df+t2), df/2, 0.5)
}

// studentTQuantile returns the p-th quantile of Student's t distribution
// with df > 0 degrees of freedom for p in (0, 1), by bisection on the upper
// tail (relative accuracy about 1e-14); NaN outside the domain.
func studentTQuantile(p, df float64) float64 {
	switch {
	case math.IsNaN(p) || p <= 0 || p >= 1 || !(df > 0):
		return math.NaN()
	case p == 0.5:
		return 0
	case p < 0.5:
		return -studentTQuantile(1-p, df)
	}
	tail := 1 - p
	hi := 1.0
	for studentTUpperTail(hi, df) > tail {
		hi *= 2
		if math.IsInf(hi, 1) {
			return math.NaN()
		}
	}
	lo := 0.0
	for range 2000 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi || hi-lo <= 1e-15*hi {
			break
		}
		v := studentTUpperTail(mid, df)
		if math.IsNaN(v) {
			return math.NaN()
		}
		if v > tail {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2
}
