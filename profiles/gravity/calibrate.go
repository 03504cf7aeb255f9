package gravity

import (
	"context"
	"fmt"
	"math"
)

// Defaults for CalibrateOptions.
const (
	DefaultMinDecay        = 0.01 // per km
	DefaultMaxDecay        = 10   // per km
	DefaultGridPoints      = 16
	DefaultSearchTolerance = 1e-4 // in log(decay)
)

// CalibrateOptions controls Calibrate. The zero value selects the defaults.
type CalibrateOptions struct {
	// MinDecay and MaxDecay bound the search, per km; 0 means DefaultMinDecay
	// and DefaultMaxDecay. MinDecay must be positive (the search runs on
	// log(decay)) and below MaxDecay. Keep MaxDecay × (spread of distances in
	// km) below about 700: beyond that seeds sit at their floor e^−700 (the
	// deterrence is no longer exactly exponential for those pairs) and
	// balancing may fail with ErrOutOfRange.
	MinDecay, MaxDecay float64
	// GridPoints is the number of points of the coarse grid, evenly spaced in
	// log(decay) from MinDecay to MaxDecay, at least 3; 0 means
	// DefaultGridPoints.
	GridPoints int
	// Tolerance ends the golden-section search when the bracket is narrower
	// than this in log(decay) (≈ relative precision of the decay); 0 means
	// DefaultSearchTolerance.
	Tolerance float64
	// Balancing controls the iteration of the attractiveness A_j at each
	// evaluated decay, and the number of workers.
	Balancing Options
}

func (o CalibrateOptions) withDefaults() (CalibrateOptions, error) {
	if o.MinDecay == 0 {
		o.MinDecay = DefaultMinDecay
	}
	if o.MaxDecay == 0 {
		o.MaxDecay = DefaultMaxDecay
	}
	if o.GridPoints == 0 {
		o.GridPoints = DefaultGridPoints
	}
	if o.Tolerance == 0 {
		o.Tolerance = DefaultSearchTolerance
	}
	if !(o.MinDecay > 0) || math.IsInf(o.MaxDecay, 0) || !(o.MaxDecay > o.MinDecay) {
		return o, fmt.Errorf("gravity: calibrate options: decay range [%g, %g] must satisfy 0 < min < max < +Inf: %w", o.MinDecay, o.MaxDecay, ErrInvalidInput)
	}
	if o.GridPoints < 3 {
		return o, fmt.Errorf("gravity: calibrate options: %d grid points, need at least 3: %w", o.GridPoints, ErrInvalidInput)
	}
	if !(o.Tolerance > 0) || math.IsInf(o.Tolerance, 0) {
		return o, fmt.Errorf("gravity: calibrate options: tolerance %g must be positive and finite: %w", o.Tolerance, ErrInvalidInput)
	}
	var err error
	o.Balancing, err = o.Balancing.withDefaults()
	return o, err
}

// Calibration is the result of Calibrate.
type Calibration struct {
	// Decay is the maximum-likelihood distance decay, per km.
	Decay float64 `json:"decay"`
	// LogLikelihood is LL(Decay).
	LogLikelihood float64 `json:"log_likelihood"`
	// Evaluations counts the decays at which LL was evaluated (grid included).
	Evaluations int `json:"evaluations"`
	// Profile is LL on the coarse grid, by increasing decay. An LL can be
	// −Inf where the model gives an observed count zero probability (seeds at
	// their floor); encoding/json rejects such values.
	Profile []ProfilePoint `json:"profile"`
	// Unimodal reports whether the grid profile rises to its maximum and falls
	// after it. When false the golden-section search only explored the
	// neighbourhood of the best grid point: inspect Profile.
	Unimodal bool `json:"unimodal"`
	// AtBound reports that the best grid point is MinDecay or MaxDecay: the
	// likelihood may keep rising outside the range, so widen it.
	AtBound bool `json:"at_bound"`
	// Users is Σ N_jD over the counts the likelihood used: located
	// destinations and groups with populated origins.
	Users float64 `json:"users"`
}

// ProfilePoint is the log-likelihood at one decay.
type ProfilePoint struct {
	Decay         float64 `json:"decay"`
	LogLikelihood float64 `json:"log_likelihood"`
}

// Calibrate finds the distance decay that maximises the multinomial
// log-likelihood of the observed counts N_jD under the origin-constrained
// model with balanced attractiveness (see the package documentation): LL on a
// grid evenly spaced in log(decay), then golden-section search on log(decay)
// between the neighbours of the best grid point.
//
// Destinations with Located=false carry no distance information and are left
// out. Errors wrap ErrInvalidInput, ErrNoInformation (fewer than two groups
// with registrations at located destinations and populated origins),
// ErrNotConverged (attractiveness balancing did not converge at some decay),
// ErrOutOfRange (balancing left the float64 range at some decay) or
// ctx.Err(); the Calibration is then nil.
func Calibrate(ctx context.Context, p Problem, opts CalibrateOptions) (*Calibration, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	m, err := newLikelihoodModel(ctx, p, opts.Balancing.Workers)
	if err != nil {
		return nil, err
	}
	cal := &Calibration{Users: m.users}
	evaluate := func(decay float64) (float64, error) {
		cal.Evaluations++
		ll, _, err := m.logLikelihood(ctx, decay, opts.Balancing)
		return ll, err
	}

	// Coarse grid, by increasing decay, each evaluation warm-started from the
	// previous one; keep the attractiveness at the best point.
	lo, hi := math.Log(opts.MinDecay), math.Log(opts.MaxDecay)
	step := (hi - lo) / float64(opts.GridPoints-1)
	grid := make([]float64, opts.GridPoints)
	cal.Profile = make([]ProfilePoint, opts.GridPoints)
	best := -1
	var bestAttract []float64
	for k := range grid {
		decay := math.Exp(lo + float64(k)*step)
		switch k {
		case 0:
			decay = opts.MinDecay
		case opts.GridPoints - 1:
			decay = opts.MaxDecay
		}
		grid[k] = math.Log(decay)
		ll, err := evaluate(decay)
		if err != nil {
			return nil, err
		}
		cal.Profile[k] = ProfilePoint{Decay: decay, LogLikelihood: ll}
		if best < 0 || ll > cal.Profile[best].LogLikelihood {
			best = k
			bestAttract = append(bestAttract[:0], m.logAttract...)
		}
	}
	cal.Unimodal = unimodal(cal.Profile, best)
	cal.AtBound = best == 0 || best == len(grid)-1
	cal.Decay, cal.LogLikelihood = cal.Profile[best].Decay, cal.Profile[best].LogLikelihood
	copy(m.logAttract, bestAttract)

	// Golden-section search on u = log(decay) over the best point's neighbours.
	a, b := grid[max(best-1, 0)], grid[min(best+1, len(grid)-1)]
	const invPhi = 0.6180339887498949 // (√5 − 1) / 2
	x1, x2 := b-invPhi*(b-a), a+invPhi*(b-a)
	f1, err := evaluate(math.Exp(x1))
	if err != nil {
		return nil, err
	}
	f2, err := evaluate(math.Exp(x2))
	if err != nil {
		return nil, err
	}
	consider := func(u, ll float64) {
		if ll > cal.LogLikelihood {
			cal.Decay, cal.LogLikelihood = math.Exp(u), ll
		}
	}
	consider(x1, f1)
	consider(x2, f2)
	for b-a > opts.Tolerance {
		if f1 >= f2 {
			b, x2, f2 = x2, x1, f1
			x1 = b - invPhi*(b-a)
			if f1, err = evaluate(math.Exp(x1)); err != nil {
				return nil, err
			}
			consider(x1, f1)
		} else {
			a, x1, f1 = x1, x2, f2
			x2 = a + invPhi*(b-a)
			if f2, err = evaluate(math.Exp(x2)); err != nil {
				return nil, err
			}
			consider(x2, f2)
		}
	}
	return cal, nil
}

// unimodal reports whether profile is non-decreasing up to best and
// non-increasing after it, allowing differences at rounding level.
func unimodal(profile []ProfilePoint, best int) bool {
	slack := 1e-12 * math.Abs(profile[best].LogLikelihood)
	for k := 1; k <= best; k++ {
		if profile[k].LogLikelihood < profile[k-1].LogLikelihood-slack {
			return false
		}
	}
	for k := best + 1; k < len(profile); k++ {
		if profile[k].LogLikelihood > profile[k-1].LogLikelihood+slack {
			return false
		}
	}
	return true
}

// LogLikelihood evaluates LL(decay) as Calibrate does, for reporting or for
// likelihood-ratio intervals around the calibrated decay (per km, finite and
// not negative). Errors are those of Calibrate.
func LogLikelihood(ctx context.Context, p Problem, decay float64, opts Options) (float64, error) {
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if err := checkDecay(decay); err != nil {
		return 0, err
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return 0, err
	}
	m, err := newLikelihoodModel(ctx, p, opts.Workers)
	if err != nil {
		return 0, err
	}
	ll, _, err := m.logLikelihood(ctx, decay, opts)
	return ll, err
}
