// Package phstats computes public-health statistics the way English
// public-health analysts (PHE, now OHID, in Fingertips) compute them:
// Wilson score intervals for proportions, Byar's and exact Poisson intervals
// for counts and crude rates, the "compared with benchmark" judgement by
// confidence-interval overlap, and the slope and relative indices of
// inequality (SII, RII) across the city's own population-weighted
// deprivation deciles.
//
// # Conventions
//
// Confidence levels are fractions in (0, 1): 0.95 for 95%, 0.998 for 99.8%.
// The normal deviate used throughout is z = Φ⁻¹(1 − α/2) with
// α = 1 − confidence (z = 1.959964 at 95%), never the rounded 1.96.
//
// Counts and rates: RateInterval uses the exact (Garwood, chi-square)
// interval for counts below ByarMinCount (10) and Byar's approximation from
// 10 upwards. PHE's Technical Guide on confidence intervals notes that at 95%
// Byar's method is within 0.2% of the exact limits for counts of 10 or more;
// below 10 it drifts further and at 99.8% its lower limit turns negative for
// the smallest counts, so the exact interval is used there.
//
// Deprivation: groups and areas run from most deprived to least deprived.
// The relative rank of a group is the midpoint of its share of the
// cumulative population, so the most deprived end is rank 0 and the least
// deprived end rank 1. The SII is the fitted value at the least deprived end
// minus the fitted value at the most deprived end (the slope of the fitted
// line): it is positive when the indicator rises as deprivation falls (life
// expectancy, screening coverage) and negative when the indicator is higher
// in deprived areas (mortality, smoking). This matches PHE's phe_sii, whose
// SII "could be positive or negative according to the indicator polarity".
//
// Errors are prefixed "phstats:" and wrap ErrInvalidInput for bad arguments
// (or ErrNoConvergence should an iteration give up); test with errors.Is. No
// function panics on bad input; the plain math functions NormalQuantile and
// ChiSquareQuantile return NaN outside their domain, like package math.
//
// # Numerical accuracy
//
// NormalQuantile implements Wichura's AS241 (PPND16), relative error about
// 1e-16 over (0, 1). The regularized incomplete gamma and beta functions use
// the series and Lentz continued-fraction expansions with a Stirling-series
// prefactor for large shapes; ChiSquareQuantile and the Student t quantile
// are found by safeguarded Newton/bisection on them and agree with
// high-precision references to about 1e-12 relative (checked in the tests
// for shapes up to 1e6). No Wilson–Hilferty or other closed-form
// approximation is used for the exact Poisson interval.
package phstats
