package gravity

import (
	"math"
	"slices"
	"testing"
)

// A slowly contracting linear map x ← Mx + c: Anderson mixing must reach the
// same fixed point as plain iteration in far fewer steps.
func TestAndersonLinearFixedPoint(t *testing.T) {
	const n = 20
	apply := func(x, out []float64) {
		for i := range x {
			// M is tridiagonal with rows summing to 0.995: plain iteration
			// gains about 0.2% per step.
			v := 0.5 * x[i]
			if i > 0 {
				v += 0.2475 * x[i-1]
			} else {
				v += 0.2475 * x[n-1]
			}
			v += 0.2475 * x[(i+1)%n]
			out[i] = v + float64(i%3)
		}
	}
	solve := func(accelerate bool) ([]float64, int) {
		x, gx := make([]float64, n), make([]float64, n)
		a := newAnderson(n)
		for it := 1; it <= 100000; it++ {
			apply(x, gx)
			var worst float64
			for i := range x {
				worst = max(worst, math.Abs(gx[i]-x[i]))
			}
			if worst < 1e-9 {
				return x, it
			}
			if accelerate {
				a.step(x, gx)
			} else {
				copy(x, gx)
			}
		}
		return x, -1
	}
	plain, plainSteps := solve(false)
	fast, fastSteps := solve(true)
	t.Logf("plain %d steps, Anderson %d steps", plainSteps, fastSteps)
	if fastSteps < 0 || plainSteps < 0 || fastSteps*10 > plainSteps {
		t.Errorf("Anderson took %d steps, plain iteration %d: want at least ten times fewer", fastSteps, plainSteps)
	}
	for i := range plain {
		if math.Abs(plain[i]-fast[i]) > 1e-5 {
			t.Fatalf("fixed points differ at %d: %g, %g", i, plain[i], fast[i])
		}
	}
}

func TestAndersonFallback(t *testing.T) {
	a := newAnderson(2)
	x := []float64{0, 0}
	a.step(x, []float64{1, 2}) // no history: plain step
	if !slices.Equal(x, []float64{1, 2}) || a.fallback(x) {
		t.Fatalf("first step: x = %v, want the plain step and no fallback", x)
	}
	a.step(x, []float64{1.5, 2.5}) // extrapolated
	if !a.accelerated {
		t.Fatalf("second step was not extrapolated")
	}
	if !a.fallback(x) || !slices.Equal(x, []float64{1.5, 2.5}) {
		t.Errorf("fallback: x = %v, want the plain step [1.5 2.5]", x)
	}
	if a.fallback(x) {
		t.Errorf("a second fallback without a new step reported true")
	}
}
