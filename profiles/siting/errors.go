package siting

import "errors"

// Sentinel errors; every error the package returns wraps at most one of them,
// so callers can test with errors.Is.
var (
	// ErrInvalidInput marks a Problem, hub list or Options that break a
	// documented requirement (NaN point, negative weight, K too small for the
	// fixed sites, a team without candidates, a distance that is NaN, ...).
	ErrInvalidInput = errors.New("invalid input")

	// ErrTravelTimes marks a travel-time file that cannot be used: a bad
	// header, a value that is not a finite non-negative number, a duplicate
	// pair, or demand–candidate pairs it does not contain.
	ErrTravelTimes = errors.New("invalid travel times")

	// ErrTooLarge marks work the package refuses to start because it would
	// not finish or not fit: BruteForce beyond BruteForceLimit combinations,
	// or complete candidate lists beyond Options.MaxListEntries.
	ErrTooLarge = errors.New("instance too large")
)
