package phstats

import (
	"math"
	"testing"
)

// z95 is Φ⁻¹(0.975) to 20 significant figures (mpmath, 30 digits).
const z95 = 1.9599639845400542355

// near fails the test unless |got − want| ≤ tol.
func near(t *testing.T, name string, got, want, tol float64) {
	t.Helper()
	if !(math.Abs(got-want) <= tol) {
		t.Errorf("%s = %.15g, want %.15g (±%g)", name, got, want, tol)
	}
}

// nearRel fails the test unless got is within a relative tolerance of want.
func nearRel(t *testing.T, name string, got, want, rel float64) {
	t.Helper()
	if !(math.Abs(got-want) <= rel*math.Abs(want)) {
		t.Errorf("%s = %.15g, want %.15g (relative ±%g)", name, got, want, rel)
	}
}
