package gravity

import (
	"fmt"
	"math"
	"runtime"
)

// Defaults for Options.
const (
	DefaultMaxIterations = 10000
	DefaultTolerance     = 1e-9
)

// Options controls balancing by iterative proportional fitting. The zero
// value selects the defaults.
type Options struct {
	// MaxIterations bounds the number of balancing iterations (one row pass and
	// one column pass each); 0 means DefaultMaxIterations.
	MaxIterations int
	// Tolerance is the largest relative error |sum − target| / target allowed
	// on any row or column target; 0 means DefaultTolerance.
	Tolerance float64
	// Workers is the number of goroutines that process groups concurrently;
	// 0 means runtime.GOMAXPROCS(0). Results do not depend on it: each
	// group's sums are always formed in the same order.
	Workers int
}

func (o Options) withDefaults() (Options, error) {
	if o.MaxIterations < 0 {
		return o, fmt.Errorf("gravity: options: max iterations %d is negative: %w", o.MaxIterations, ErrInvalidInput)
	}
	if math.IsNaN(o.Tolerance) || math.IsInf(o.Tolerance, 0) || o.Tolerance < 0 {
		return o, fmt.Errorf("gravity: options: tolerance %g is not a finite non-negative number: %w", o.Tolerance, ErrInvalidInput)
	}
	if o.Workers < 0 {
		return o, fmt.Errorf("gravity: options: %d workers is negative: %w", o.Workers, ErrInvalidInput)
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = DefaultMaxIterations
	}
	if o.Tolerance == 0 {
		o.Tolerance = DefaultTolerance
	}
	return o, nil
}

func checkDecay(decay float64) error {
	if math.IsNaN(decay) || math.IsInf(decay, 0) || decay < 0 {
		return fmt.Errorf("gravity: decay %g per km is not a finite non-negative number: %w", decay, ErrInvalidInput)
	}
	return nil
}
