package gravity

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Flows is the result of Estimate.
type Flows struct {
	// Decay is the distance decay used, per km.
	Decay float64 `json:"decay"`
	// Cells holds every positive T_ij, ordered by origin then destination.
	// Pairs absent from Cells carry no flow: origins and destinations of
	// different groups, destinations with no count for the origin's group and
	// origins with zero weight.
	Cells []Cell `json:"cells"`
	// Unallocated holds, in Problem order, the totals that could not be spread
	// over origins: their group has no origins, or its origins all have zero
	// weight. The counts are real users (patients); report them, do not drop
	// them. Never nil.
	Unallocated []GroupTotal `json:"unallocated"`
	// Iterations is the largest number of balancing iterations any group took.
	Iterations int `json:"iterations"`
	// MaxRelativeError is the largest |sum − target| / target over every
	// origin total O_i and every count N_jD, measured on Cells (so it can
	// exceed Options.Tolerance by rounding, ~1e−15 relative).
	MaxRelativeError float64 `json:"max_relative_error"`
}

// Cell is one estimated flow T_ij.
type Cell struct {
	Origin      int     `json:"origin"`      // index into Problem.Origins
	Destination int     `json:"destination"` // index into Problem.Destinations
	Count       float64 `json:"count"`
}

// Estimate spreads every count N_jD over the origins of group D with the
// doubly constrained gravity model described in the package documentation,
// for a distance decay given per km.
//
// Invalid input yields an error wrapping ErrInvalidInput, cancellation one
// wrapping ctx.Err(), and factors leaving the float64 range (a decay far too
// large for the distances) one wrapping ErrOutOfRange; the flows are then nil.
// When some group does not reach opts.Tolerance within opts.MaxIterations,
// Estimate returns the flows reached so far together with an error wrapping
// ErrNotConverged, so the caller can inspect MaxRelativeError.
func Estimate(ctx context.Context, p Problem, decay float64, opts Options) (*Flows, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := checkDecay(decay); err != nil {
		return nil, err
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	l := newLayout(p)

	// Groups are independent: fit them concurrently, each into its own slot.
	fits := make([]*groupFit, len(l.groups))
	notConverged := make([]error, len(l.groups))
	err = forEach(opts.Workers, len(l.groups), func(k int) error {
		fit, err := newGroupFit(ctx, p, l.groups[k], decay)
		if err != nil || fit == nil {
			return err
		}
		if err := fit.balance(ctx, opts); err != nil {
			if !errors.Is(err, ErrNotConverged) {
				return err
			}
			notConverged[k] = err
		}
		fits[k] = fit
		return nil
	})
	if err != nil {
		return nil, err
	}
	fits = slices.DeleteFunc(fits, func(f *groupFit) bool { return f == nil })

	flows := &Flows{Decay: decay, Unallocated: append([]GroupTotal{}, l.unallocated...)}
	flows.assemble(len(p.Origins), fits)
	return flows, errors.Join(notConverged...)
}

// groupFit is the doubly constrained table of one group:
// T[r][c] = rowScale[r] · seed[r·len(cols)+c] · colScale[c].
type groupFit struct {
	name      string
	decay     float64
	rows      []int     // origin indices with O_i > 0
	cols      []int     // destination indices with N_jD > 0
	rowTarget []float64 // O_i
	colTarget []float64 // N_jD
	seed      []float64 // len(rows) × len(cols), row-major
	rowScale  []float64
	colScale  []float64
	// iterations is the number of completed balancing iterations.
	iterations int
}

// newGroupFit builds the seeds of group g, or returns nil when the group has
// no registrations. It assumes p is valid and g.weight > 0.
func newGroupFit(ctx context.Context, p Problem, g group, decay float64) (*groupFit, error) {
	var total float64
	for _, t := range g.totals {
		total += t.Count
	}
	if total == 0 {
		return nil, nil
	}
	f := &groupFit{name: g.name, decay: decay}
	for _, i := range g.origins {
		if w := p.Origins[i].Weight; w > 0 {
			f.rows = append(f.rows, i)
			f.rowTarget = append(f.rowTarget, w*total/g.weight)
		}
	}
	for _, t := range g.totals {
		f.cols = append(f.cols, t.Destination)
		f.colTarget = append(f.colTarget, t.Count)
	}
	nr, nc := len(f.rows), len(f.cols)
	f.seed = make([]float64, nr*nc)
	// Distances first; nearest[c] is the shortest distance from any of the
	// group's origins to column c, the reference that keeps every column's
	// largest seed at 1 (a column factor, absorbed by colScale).
	nearest := make([]float64, nc)
	for c := range nearest {
		nearest[c] = math.Inf(1)
	}
	for r, i := range f.rows {
		if r%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("gravity: estimate group %q: %w", g.name, err)
			}
		}
		row := f.seed[r*nc : (r+1)*nc]
		for c, j := range f.cols {
			if !p.Destinations[j].Located {
				continue
			}
			d := distanceKm(p.Origins[i].Point, p.Destinations[j].Point)
			row[c] = d
			if d < nearest[c] {
				nearest[c] = d
			}
		}
	}
	for r := range f.rows {
		row := f.seed[r*nc : (r+1)*nc]
		for c, j := range f.cols {
			if !p.Destinations[j].Located {
				row[c] = 1 // distance-free seed
				continue
			}
			row[c] = seed(decay, row[c]-nearest[c])
		}
	}
	f.rowScale = make([]float64, nr)
	f.colScale = make([]float64, nc)
	return f, nil
}

// balance runs iterative proportional fitting (Sinkhorn scaling) on the log
// column factors, accelerated (see anderson). Each iteration makes every row
// sum exact and then measures the columns, so on return the rows are exact
// and every column is within opts.Tolerance.
func (f *groupFit) balance(ctx context.Context, opts Options) error {
	nc := len(f.cols)
	b := f.colScale
	logCol := make([]float64, nc)
	update := make([]float64, nc)
	colSum := make([]float64, nc)
	accelerator := newAnderson(nc)
	for it := 1; ; it++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("gravity: estimate group %q: %w", f.name, err)
		}
		for c, x := range logCol {
			b[c] = math.Exp(x)
		}
		if !f.pass(colSum) {
			if accelerator.fallback(logCol) {
				continue
			}
			return fmt.Errorf("gravity: estimate group %q: decay %g: %w", f.name, f.decay, ErrOutOfRange)
		}
		var worst float64
		for c, s := range colSum {
			if e := math.Abs(b[c]*s-f.colTarget[c]) / f.colTarget[c]; e > worst {
				worst = e
			}
		}
		f.iterations = it
		if worst <= opts.Tolerance {
			return nil
		}
		if it >= opts.MaxIterations {
			return fmt.Errorf("gravity: estimate group %q: relative error %.3g after %d iterations: %w", f.name, worst, it, ErrNotConverged)
		}
		for c, s := range colSum {
			update[c] = math.Log(f.colTarget[c] / s)
		}
		accelerator.step(logCol, update)
	}
}

// pass sets every row factor so that its row sum is exact for the current
// column factors, and adds the resulting column sums into colSum (cleared
// first). It reports false when a row or column sum is zero or not finite.
func (f *groupFit) pass(colSum []float64) bool {
	nc := len(f.cols)
	clear(colSum)
	for r := range f.rows {
		row := f.seed[r*nc : (r+1)*nc]
		s := dot(row, f.colScale)
		if !(s > 0) || math.IsInf(s, 0) {
			return false
		}
		f.rowScale[r] = f.rowTarget[r] / s
		axpy(f.rowScale[r], row, colSum)
	}
	for _, s := range colSum {
		if !(s > 0) || math.IsInf(s, 0) {
			return false
		}
	}
	return true
}

// assemble writes the cells of every fit in origin order and measures the
// largest relative error against the targets.
func (fl *Flows) assemble(origins int, fits []*groupFit) {
	type place struct{ fit, row int }
	where := make([]place, origins)
	for i := range where {
		where[i] = place{-1, -1}
	}
	size := 0
	colSums := make([][]float64, len(fits))
	for k, f := range fits {
		for r, i := range f.rows {
			where[i] = place{k, r}
		}
		size += len(f.rows) * len(f.cols)
		colSums[k] = make([]float64, len(f.cols))
		fl.Iterations = max(fl.Iterations, f.iterations)
	}
	fl.Cells = make([]Cell, 0, size)
	for i, w := range where {
		if w.fit < 0 {
			continue
		}
		f := fits[w.fit]
		nc := len(f.cols)
		row := f.seed[w.row*nc : (w.row+1)*nc]
		ar := f.rowScale[w.row]
		var rowSum float64
		for c, v := range row {
			t := ar * v * f.colScale[c]
			rowSum += t
			colSums[w.fit][c] += t
			if t > 0 {
				fl.Cells = append(fl.Cells, Cell{Origin: i, Destination: f.cols[c], Count: t})
			}
		}
		fl.MaxRelativeError = max(fl.MaxRelativeError, math.Abs(rowSum-f.rowTarget[w.row])/f.rowTarget[w.row])
	}
	for k, f := range fits {
		for c, s := range colSums[k] {
			fl.MaxRelativeError = max(fl.MaxRelativeError, math.Abs(s-f.colTarget[c])/f.colTarget[c])
		}
	}
}
