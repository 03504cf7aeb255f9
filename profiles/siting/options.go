package siting

import (
	"fmt"
	"runtime"
)

// Defaults for Options.
const (
	// DefaultMaxListEntries bounds the candidate-list entries Solve keeps
	// (demand points × candidates per point): 20 million entries take about
	// 480 MB with the reverse lists.
	DefaultMaxListEntries = 20_000_000
	// DefaultMaxSwaps bounds the improving swaps of the local search. It is
	// a safety net: every swap improves the objective, so the search always
	// ends, and in practice it ends after a few swaps per hub.
	DefaultMaxSwaps = 1_000_000
	// DefaultShakes is the number of shake-and-descend rounds after the
	// first local optimum for PMedian and MaxCoverage.
	DefaultShakes = 16
	// DefaultCentreShakes is that number for PCentre, whose objective is
	// flat almost everywhere and gains most from further rounds.
	DefaultCentreShakes = 128
)

// Options tunes Solve. The zero value selects the defaults.
type Options struct {
	// MaxSwaps bounds the number of improving swaps; 0 means
	// DefaultMaxSwaps. Reaching it is not an error: Solve returns the
	// solution so far with LocalOptimum false.
	MaxSwaps int
	// MaxListEntries bounds the total length of the candidate lists; 0 means
	// DefaultMaxListEntries. Solve fails with ErrTooLarge beyond it (set
	// Problem.NearestLists to keep the lists short).
	MaxListEntries int
	// Shakes is the number of variable-neighbourhood rounds after the first
	// local optimum: each makes 1 to 3 random swaps and descends again,
	// keeping the result only if it is better. 0 means DefaultShakes
	// (DefaultCentreShakes for PCentre); a negative value disables them
	// (plain greedy + vertex substitution).
	Shakes int
	// Seed seeds the random swaps of the shakes; results are deterministic
	// for a given seed.
	Seed uint64
	// Workers is the number of goroutines that build the candidate lists; 0
	// means runtime.GOMAXPROCS(0). The result does not depend on it; the
	// greedy start and the local search are sequential.
	Workers int
}

func (o Options) withDefaults() (Options, error) {
	if o.MaxSwaps < 0 {
		return o, fmt.Errorf("siting: options: max swaps %d is negative: %w", o.MaxSwaps, ErrInvalidInput)
	}
	if o.MaxListEntries < 0 {
		return o, fmt.Errorf("siting: options: max list entries %d is negative: %w", o.MaxListEntries, ErrInvalidInput)
	}
	if o.Workers < 0 {
		return o, fmt.Errorf("siting: options: %d workers is negative: %w", o.Workers, ErrInvalidInput)
	}
	if o.MaxSwaps == 0 {
		o.MaxSwaps = DefaultMaxSwaps
	}
	if o.MaxListEntries == 0 {
		o.MaxListEntries = DefaultMaxListEntries
	}
	if o.Workers == 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o, nil
}
