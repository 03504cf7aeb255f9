package phstats

import "math"

// WilsonInterval returns the Wilson score confidence interval for the
// proportion numerator/denominator, the method PHE uses for proportions:
//
//	lower, upper = (2O + z² ∓ z·√(z² + 4O(1 − O/n))) / (2(n + z²))
//
// with O the numerator, n the denominator and z = Φ⁻¹(1 − α/2). The limits
// are proportions in [0, 1]; multiply by 100 for percentages. The interval
// stays inside [0, 1] and is not degenerate at the extremes: a numerator of 0
// gives lower = 0 exactly and a positive upper limit, a numerator equal to the
// denominator gives upper = 1 exactly. Non-integer counts (e.g. weighted or
// averaged) are accepted.
//
// It returns an error wrapping ErrInvalidInput when the denominator is not
// positive, the numerator is negative or exceeds the denominator, any
// argument is NaN or infinite, or the confidence is not in (0, 1).
func WilsonInterval(numerator, denominator, confidence float64) (lower, upper float64, err error) {
	z, err := zFor("wilson interval", confidence)
	if err != nil {
		return 0, 0, err
	}
	switch {
	case !finite(numerator) || !finite(denominator):
		return 0, 0, invalid("wilson interval: numerator %v and denominator %v must be finite", numerator, denominator)
	case denominator <= 0:
		return 0, 0, invalid("wilson interval: denominator %v is not positive", denominator)
	case numerator < 0:
		return 0, 0, invalid("wilson interval: numerator %v is negative", numerator)
	case numerator > denominator:
		return 0, 0, invalid("wilson interval: numerator %v exceeds denominator %v", numerator, denominator)
	}
	p := numerator / denominator
	z2 := z * z
	centre := 2*numerator + z2
	half := z * math.Sqrt(z2+4*numerator*(1-p))
	scale := 2 * (denominator + z2)
	lower = (centre - half) / scale
	upper = (centre + half) / scale
	// At the extremes the formula gives 0 and 1 up to rounding; make them
	// exact and keep every limit inside [0, 1].
	if numerator == 0 {
		lower = 0
	}
	if numerator == denominator {
		upper = 1
	}
	return math.Max(lower, 0), math.Min(upper, 1), nil
}
