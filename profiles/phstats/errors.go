package phstats

import (
	"errors"
	"fmt"
	"math"
)

// ErrInvalidInput is wrapped by every error this package returns for an
// argument outside the domain of the statistic (negative counts, a zero
// denominator, NaN, a confidence level outside (0, 1), ...).
var ErrInvalidInput = errors.New("invalid input")

// ErrNoConvergence is wrapped by the error returned when an iterative
// quantile calculation fails to converge. With the iteration budgets used
// here that is only conceivable for counts far beyond any population.
var ErrNoConvergence = errors.New("no convergence")

// invalid builds a package-prefixed error wrapping ErrInvalidInput.
func invalid(format string, args ...any) error {
	return fmt.Errorf("phstats: "+format+": %w", append(args, ErrInvalidInput)...)
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool {
	return !math.IsNaN(x) && !math.IsInf(x, 0)
}

// zFor returns the two-sided normal deviate Φ⁻¹(1 − α/2) for a confidence
// level in (0, 1), where α = 1 − confidence.
func zFor(what string, confidence float64) (float64, error) {
	if !(confidence > 0 && confidence < 1) {
		return 0, invalid("%s: confidence %v is not in (0, 1)", what, confidence)
	}
	// The lower tail keeps full precision for confidence levels near 1.
	return -NormalQuantile((1 - confidence) / 2), nil
}

// errNoConvergence reports an iterative special function that gave up.
func errNoConvergence(what string, count float64) error {
	return fmt.Errorf("phstats: %s: count %v: quantile iteration: %w", what, count, ErrNoConvergence)
}
