package phstats

import (
	"fmt"
	"math"
	"testing"
)

// poissonUpperTail returns Q(n, x) for whole n by its closed form, the
// Poisson probability of fewer than n events: e^(−x)·Σ_{k<n} xᵏ/k!.
func poissonUpperTail(n int, x float64) float64 {
	term, sum := 1.0, 1.0
	for k := 1; k < n; k++ {
		term *= x / float64(k)
		sum += term
	}
	return math.Exp(-x) * sum
}

func TestRegularizedGammaClosedForms(t *testing.T) {
	for _, x := range []float64{1e-6, 0.01, 0.3, 1, 2.5, 7, 15, 40} {
		p, q := regularizedGamma(1, x)
		near(t, fmt.Sprintf("P(1,%v)", x), p, -math.Expm1(-x), 1e-14)
		nearRel(t, fmt.Sprintf("Q(1,%v)", x), q, math.Exp(-x), 1e-13)

		p, q = regularizedGamma(0.5, x)
		near(t, fmt.Sprintf("P(½,%v)", x), p, math.Erf(math.Sqrt(x)), 1e-14)
		nearRel(t, fmt.Sprintf("Q(½,%v)", x), q, math.Erfc(math.Sqrt(x)), 1e-12)

		for _, n := range []int{2, 5, 11, 30} {
			_, q = regularizedGamma(float64(n), x)
			nearRel(t, fmt.Sprintf("Q(%d,%v)", n, x), q, poissonUpperTail(n, x), 1e-12)
		}
	}
}

func TestRegularizedGammaLargeShape(t *testing.T) {
	// Shapes ≥ 15 use the Stirling prefactor; compare with the whole-number
	// closed form across the bulk of the distribution.
	for _, n := range []int{15, 60, 200} {
		for _, k := range []float64{-3, -1, 0, 1, 4} {
			x := float64(n) + k*math.Sqrt(float64(n))
			_, q := regularizedGamma(float64(n), x)
			nearRel(t, fmt.Sprintf("Q(%d,%v)", n, x), q, poissonUpperTail(n, x), 1e-11)
		}
	}
}

func TestRegularizedGammaDomain(t *testing.T) {
	for _, c := range [][2]float64{{0, 1}, {-1, 1}, {1, -1}, {math.NaN(), 1}, {1, math.NaN()}} {
		if p, q := regularizedGamma(c[0], c[1]); !math.IsNaN(p) || !math.IsNaN(q) {
			t.Errorf("regularizedGamma(%v, %v) = %v, %v, want NaN", c[0], c[1], p, q)
		}
	}
	if p, q := regularizedGamma(2, 0); p != 0 || q != 1 {
		t.Errorf("regularizedGamma(2, 0) = %v, %v, want 0, 1", p, q)
	}
}

func TestChiSquareQuantile(t *testing.T) {
	// References: closed forms where they exist, otherwise mpmath bisection
	// on the incomplete gamma function at 40–50 digits.
	tests := []struct {
		p, df, want float64
	}{
		{0.95, 1, z95 * z95},                    // χ²₁ = Z²
		{0.975, 2, -2 * math.Log(0.025)},        // χ²₂ is exponential with mean 2
		{0.025, 2, -2 * math.Log1p(-0.025)},     // lower tail of the same
		{0.05, 10, 3.9402991361190600947},       // mpmath
		{0.95, 10, 18.307038053275144003},       // mpmath
		{0.001, 2e6, 2 * 996912.61731981519424}, // mpmath, shape 1e6
		{0.999, 2e6, 2 * 1003093.0823698544716}, // mpmath, shape 1e6
		{1e-10, 1, 2 * 7.8539816339744839e-21},  // P(½, x) ≈ 2√(x/π)
	}
	for _, tt := range tests {
		nearRel(t, fmt.Sprintf("ChiSquareQuantile(%v, %v)", tt.p, tt.df), ChiSquareQuantile(tt.p, tt.df), tt.want, 1e-12)
	}
	if got := ChiSquareQuantile(0, 3); got != 0 {
		t.Errorf("ChiSquareQuantile(0, 3) = %v, want 0", got)
	}
	if got := ChiSquareQuantile(1, 3); !math.IsInf(got, 1) {
		t.Errorf("ChiSquareQuantile(1, 3) = %v, want +Inf", got)
	}
	for _, c := range [][2]float64{{-0.1, 3}, {1.1, 3}, {0.5, 0}, {0.5, -2}, {math.NaN(), 3}} {
		if got := ChiSquareQuantile(c[0], c[1]); !math.IsNaN(got) {
			t.Errorf("ChiSquareQuantile(%v, %v) = %v, want NaN", c[0], c[1], got)
		}
	}
}

func TestGammaQuantileRoundTrip(t *testing.T) {
	for _, a := range []float64{0.1, 0.5, 1, 3.7, 10, 99, 1234.5, 1e5} {
		for _, p := range []float64{1e-8, 0.001, 0.025, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-8} {
			x := gammaQuantile(p, a)
			lower, upper := regularizedGamma(a, x)
			if p < 0.5 {
				nearRel(t, fmt.Sprintf("P(%v, quantile(%v))", a, p), lower, p, 1e-11)
			} else {
				nearRel(t, fmt.Sprintf("Q(%v, quantile(%v))", a, p), upper, 1-p, 1e-9)
			}
		}
	}
}
