package phstats

import "math"

// ByarMinCount is the smallest count for which RateInterval uses Byar's
// approximation; smaller counts get the exact Poisson interval. PHE's
// Technical Guide on confidence intervals gives Byar's method as within 0.2%
// of the exact limits at 95% for counts of 10 or more.
const ByarMinCount = 10

// ByarInterval returns Byar's approximation to the exact Poisson confidence
// interval for an observed count O (PHE Technical Guide, Confidence
// intervals, appendix 1):
//
//	lower = O·(1 − 1/(9O) − z/(3√O))³            (0 when O = 0)
//	upper = (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³
//
// with z = Φ⁻¹(1 − α/2). Where the bracket of the lower limit turns
// negative (tiny counts at high confidence, e.g. O = 1 at 99.8%) the formula
// has no meaning and the lower limit is clamped at 0; PHEindicatormethods
// reports an error there instead, and RateInterval avoids the case by using
// the exact interval for counts below ByarMinCount.
//
// It returns an error wrapping ErrInvalidInput for a negative, NaN or
// infinite count or a confidence outside (0, 1).
func ByarInterval(count, confidence float64) (lower, upper float64, err error) {
	z, err := zFor("byar interval", confidence)
	if err != nil {
		return 0, 0, err
	}
	if err := checkCount("byar interval", count); err != nil {
		return 0, 0, err
	}
	if count > 0 {
		base := 1 - 1/(9*count) - z/(3*math.Sqrt(count))
		lower = count * math.Pow(math.Max(base, 0), 3)
	}
	next := count + 1
	upper = next * math.Pow(1-1/(9*next)+z/(3*math.Sqrt(next)), 3)
	return lower, upper, nil
}

// ExactPoissonInterval returns the exact (Garwood) confidence interval for
// the mean of a Poisson variable with observed count O, from chi-square
// quantiles as in PHE's Technical Guide (appendix 2; Excel CHIINV):
//
//	lower = χ²(α/2; 2O) / 2        (0 when O = 0)
//	upper = χ²(1 − α/2; 2O + 2) / 2
//
// computed as gamma quantiles with shapes O and O + 1 by Newton iteration on
// the regularized incomplete gamma function (relative accuracy about 1e-12;
// see the package documentation). At 95%, O = 0 gives (0, 3.6889) and O = 10
// gives (4.7954, 18.3904). Non-integer counts are accepted and treated by the
// same continuous formula.
//
// It returns an error wrapping ErrInvalidInput for a negative, NaN or
// infinite count or a confidence outside (0, 1), and a plain error if the
// iteration fails to converge (only conceivable for astronomically large
// counts).
func ExactPoissonInterval(count, confidence float64) (lower, upper float64, err error) {
	if _, err := zFor("exact poisson interval", confidence); err != nil {
		return 0, 0, err
	}
	if err := checkCount("exact poisson interval", count); err != nil {
		return 0, 0, err
	}
	alpha := 1 - confidence
	if count > 0 {
		lower = gammaQuantile(alpha/2, count)
	}
	upper = gammaQuantile(1-alpha/2, count+1)
	if math.IsNaN(lower) || math.IsNaN(upper) {
		return 0, 0, errNoConvergence("exact poisson interval", count)
	}
	return lower, upper, nil
}

// RateInterval returns the crude rate count/denominator × per (per = 1,000
// or 100,000, say) with its confidence interval: the count's interval
// scaled by per/denominator. The count interval is exact
// (ExactPoissonInterval) for counts below ByarMinCount and Byar's
// approximation (ByarInterval) from ByarMinCount upwards, so small counts get
// exact limits while larger ones match the Byar limits Fingertips publishes.
//
// It returns an error wrapping ErrInvalidInput for a negative or non-finite
// count, a denominator or per that is not positive and finite, or a
// confidence outside (0, 1).
func RateInterval(count, denominator, per, confidence float64) (rate, lower, upper float64, err error) {
	switch {
	case !finite(denominator) || denominator <= 0:
		return 0, 0, 0, invalid("rate interval: denominator %v is not positive and finite", denominator)
	case !finite(per) || per <= 0:
		return 0, 0, 0, invalid("rate interval: multiplier %v is not positive and finite", per)
	}
	interval := ByarInterval
	if count < ByarMinCount {
		interval = ExactPoissonInterval
	}
	lo, hi, err := interval(count, confidence)
	if err != nil {
		return 0, 0, 0, err
	}
	scale := per / denominator
	return count * scale, lo * scale, hi * scale, nil
}

// checkCount rejects counts that are negative, NaN or infinite.
func checkCount(what string, count float64) error {
	if !finite(count) || count < 0 {
		return invalid("%s: count %v is not a finite non-negative number", what, count)
	}
	return nil
}
