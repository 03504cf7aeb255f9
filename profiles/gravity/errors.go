package gravity

import "errors"

// Sentinel errors; every error the package returns wraps at most one of them,
// so callers can test with errors.Is.
var (
	// ErrInvalidInput marks a Problem, decay or options that break a documented
	// requirement (negative or NaN weight or count, index out of range,
	// duplicate total, non-finite point, ...).
	ErrInvalidInput = errors.New("invalid input")

	// ErrNotConverged marks balancing that did not meet its tolerance within
	// the allowed number of iterations.
	ErrNotConverged = errors.New("balancing did not converge")

	// ErrOutOfRange marks seeds or balancing factors that left the float64
	// range: the decay is too large for the spread of distances (keep
	// decay × spread in km below about 700).
	ErrOutOfRange = errors.New("out of floating-point range")

	// ErrNoInformation marks a calibration problem whose counts say nothing
	// about distance decay (fewer than two groups with registrations).
	ErrNoInformation = errors.New("no information about distance decay")
)
