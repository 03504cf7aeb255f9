package phstats

import "math"

// DeprivationGroup is one group of an area's population ranked by
// deprivation – usually one of the area's own population-weighted
// deprivation deciles (see PopulationWeightedDeciles). Groups are passed to
// SlopeIndexOfInequality in order from most deprived to least deprived.
type DeprivationGroup struct {
	// Population is the group's population or indicator denominator; it
	// must be positive (as in PHE's phe_sii, every group needs a non-zero
	// population).
	Population float64
	// Value is the group's indicator value: a rate, proportion, life
	// expectancy, ...
	Value float64
	// StandardError is the sampling standard error of Value. Only
	// GroupErrorInterval uses it; StandardErrorFromInterval derives it from
	// a symmetric confidence interval.
	StandardError float64
}

// SIIInterval chooses how SlopeIndexOfInequality builds the SII's
// confidence interval.
type SIIInterval int

const (
	// ResidualInterval (the zero value) takes the standard error of the
	// slope from the weighted regression's own residuals and uses Student's
	// t with k − 2 degrees of freedom for k groups: SII ± t·SE with
	// SE² = [Σ aᵢeᵢ² / (k − 2)] / Σ aᵢ(rᵢ − r̄)². It measures scatter about
	// the line, needs at least 3 groups, and is zero-width for groups lying
	// exactly on a line.
	ResidualInterval SIIInterval = iota
	// GroupErrorInterval propagates each group's sampling error
	// (DeprivationGroup.StandardError) through the fitted slope, which is a
	// linear combination Σ cᵢyᵢ of the group values: SII ± z·√(Σ cᵢ²SEᵢ²).
	// This is the exact limit of PHE's Monte Carlo method (phe_sii simulates
	// each group's value from a normal distribution with its standard error
	// and refits) when values are simulated on their own scale; PHE's option
	// of simulating rates and proportions on a transformed scale is not
	// reproduced. Needs at least 2 groups.
	GroupErrorInterval
)

// InequalityConfig configures SlopeIndexOfInequality.
type InequalityConfig struct {
	// Confidence is the level of the SII interval, in (0, 1), e.g. 0.95.
	Confidence float64
	// Interval chooses the interval method; the zero value is
	// ResidualInterval.
	Interval SIIInterval
}

// Inequality is the result of SlopeIndexOfInequality.
type Inequality struct {
	// SII is the slope index of inequality: the fitted value at the least
	// deprived end (rank 1) minus the fitted value at the most deprived end
	// (rank 0). Negative when the indicator is higher in deprived groups.
	SII float64
	// SIILower and SIIUpper are the confidence limits for the SII and
	// SIIStandardError its standard error, by the configured method.
	SIILower, SIIUpper, SIIStandardError float64
	// RII is the relative index of inequality, SII / Mean: the gap across
	// the whole deprivation range as a multiple of the area's mean. NaN
	// when Mean is 0.
	RII float64
	// Mean is the population-weighted mean value, Σ Populationᵢ·Valueᵢ /
	// Σ Populationᵢ. The weighted fit passes through it at rank 0.5.
	Mean float64
	// MostDeprivedFit and LeastDeprivedFit are the fitted values at ranks 0
	// and 1; SII = LeastDeprivedFit − MostDeprivedFit.
	MostDeprivedFit, LeastDeprivedFit float64
	// Ranks holds each group's relative rank (see RelativeRanks), in input
	// order.
	Ranks []float64
}

// SlopeIndexOfInequality computes the SII and RII of an indicator across
// groups ordered from most deprived to least deprived, as PHE does (Low and
// Low 2004; PHEindicatormethods::phe_sii):
//
//  1. each group gets a relative rank rᵢ, the midpoint of its share of the
//     cumulative population (most deprived end 0, least deprived end 1);
//  2. the values are regressed on rank by weighted least squares with
//     weights aᵢ = the group's population share. This is the same fit as
//     PHE's square-root transformation, an unweighted regression of √aᵢ·yᵢ
//     on √aᵢ and √aᵢ·rᵢ without an intercept;
//  3. SII is the fitted slope, i.e. fitted(1) − fitted(0), and RII is SII
//     divided by the population-weighted mean.
//
// The confidence interval comes from cfg.Interval (ResidualInterval or
// GroupErrorInterval). Errors wrap ErrInvalidInput: fewer than 2 groups (3
// for ResidualInterval), a population that is not positive and finite, a
// value or standard error that is not finite (or a negative standard error
// with GroupErrorInterval), a confidence outside (0, 1), or an unknown
// interval method.
func SlopeIndexOfInequality(groups []DeprivationGroup, cfg InequalityConfig) (Inequality, error) {
	const what = "slope index of inequality"
	z, err := zFor(what, cfg.Confidence)
	if err != nil {
		return Inequality{}, err
	}
	minGroups := 2
	switch cfg.Interval {
	case ResidualInterval:
		minGroups = 3
	case GroupErrorInterval:
	default:
		return Inequality{}, invalid("%s: unknown interval method %d", what, cfg.Interval)
	}
	if len(groups) < minGroups {
		return Inequality{}, invalid("%s: %d groups, need at least %d", what, len(groups), minGroups)
	}
	populations := make([]float64, len(groups))
	for i, g := range groups {
		populations[i] = g.Population
		if !finite(g.Value) {
			return Inequality{}, invalid("%s: group %d: value %v is not finite", what, i+1, g.Value)
		}
		if cfg.Interval == GroupErrorInterval && (!finite(g.StandardError) || g.StandardError < 0) {
			return Inequality{}, invalid("%s: group %d: standard error %v is not finite and non-negative", what, i+1, g.StandardError)
		}
	}
	ranks, err := relativeRanks(what, populations)
	if err != nil {
		return Inequality{}, err
	}

	// Weighted means with population shares as weights.
	var total float64
	for _, p := range populations {
		total += p
	}
	var meanRank, mean float64
	for i, g := range groups {
		share := g.Population / total
		meanRank += share * ranks[i]
		mean += share * g.Value
	}
	var sxx, sxy float64
	for i, g := range groups {
		share := g.Population / total
		dr := ranks[i] - meanRank
		sxx += share * dr * dr
		sxy += share * dr * (g.Value - mean)
	}
	slope := sxy / sxx
	intercept := mean - slope*meanRank

	var se, deviate float64
	switch cfg.Interval {
	case ResidualInterval:
		var sse float64
		for i, g := range groups {
			e := g.Value - (intercept + slope*ranks[i])
			sse += g.Population / total * e * e
		}
		df := float64(len(groups) - 2)
		se = math.Sqrt(sse / df / sxx)
		deviate = studentTQuantile(1-(1-cfg.Confidence)/2, df)
	case GroupErrorInterval:
		var variance float64
		for i, g := range groups {
			c := g.Population / total * (ranks[i] - meanRank) / sxx
			variance += c * c * g.StandardError * g.StandardError
		}
		se = math.Sqrt(variance)
		deviate = z
	}

	rii := math.NaN()
	if mean != 0 {
		rii = slope / mean
	}
	return Inequality{
		SII:              slope,
		SIILower:         slope - deviate*se,
		SIIUpper:         slope + deviate*se,
		SIIStandardError: se,
		RII:              rii,
		Mean:             mean,
		MostDeprivedFit:  intercept,
		LeastDeprivedFit: intercept + slope,
		Ranks:            ranks,
	}, nil
}

// RelativeRanks returns the relative rank of each group, given populations
// in order from most deprived to least deprived: the midpoint of the
// group's range in the cumulative population distribution, as a fraction of
// the total. A first group holding 12% of the population has rank 0.06; a
// second holding 10% has rank 0.12 + 0.05 = 0.17. Ranks lie in (0, 1), most
// deprived end 0, and their population-weighted mean is always ½.
//
// Every population must be positive and finite (and there must be at least
// one); otherwise the error wraps ErrInvalidInput.
func RelativeRanks(populations []float64) ([]float64, error) {
	return relativeRanks("relative ranks", populations)
}

func relativeRanks(what string, populations []float64) ([]float64, error) {
	var total float64
	for i, p := range populations {
		if !finite(p) || p <= 0 {
			return nil, invalid("%s: group %d: population %v is not positive and finite", what, i+1, p)
		}
		total += p
	}
	if math.IsInf(total, 0) || len(populations) == 0 {
		return nil, invalid("%s: total population %v of %d groups is not positive and finite", what, total, len(populations))
	}
	ranks := make([]float64, len(populations))
	var before float64
	for i, p := range populations {
		ranks[i] = (before + p/2) / total
		before += p
	}
	return ranks, nil
}

// StandardErrorFromInterval returns the standard error implied by a
// symmetric confidence interval, (upper − lower) / (2z), as PHE does when a
// group's value comes with confidence limits rather than a standard error.
// For the asymmetric intervals of counts and proportions this is an
// approximation. Errors wrap ErrInvalidInput.
func StandardErrorFromInterval(lower, upper, confidence float64) (float64, error) {
	z, err := zFor("standard error from interval", confidence)
	if err != nil {
		return 0, err
	}
	if !finite(lower) || !finite(upper) || lower > upper {
		return 0, invalid("standard error from interval: limits %v, %v are not a finite interval", lower, upper)
	}
	return (upper - lower) / (2 * z), nil
}
