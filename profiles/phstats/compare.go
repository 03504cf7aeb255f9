package phstats

// Polarity says which direction of an indicator is good, as Fingertips
// records it for each indicator.
type Polarity string

const (
	// HigherIsBetter: a significantly higher value is "better" (Fingertips
	// "RAG – High is good", e.g. screening coverage, life expectancy).
	HigherIsBetter Polarity = "higher-is-better"
	// HigherIsWorse: a significantly higher value is "worse" (Fingertips
	// "RAG – Low is good", e.g. mortality, smoking prevalence).
	HigherIsWorse Polarity = "higher-is-worse"
	// NoJudgement: differences are reported as "higher" or "lower" without
	// a value judgement (Fingertips "BOB – Blue orange blue"). The zero
	// Polarity "" means the same.
	NoJudgement Polarity = "no-judgement"
)

// Significance is the outcome of comparing an area with a benchmark.
type Significance string

const (
	Better      Significance = "better"
	Similar     Significance = "similar"
	Worse       Significance = "worse"
	Higher      Significance = "higher"
	Lower       Significance = "lower"
	NotCompared Significance = "not compared"
)

// Compare judges an area against a benchmark the way Fingertips does for
// "compared with benchmark": by whether the benchmark's value lies outside
// the area's confidence interval. This is the area-CI-versus-benchmark-value
// method (the benchmark's own interval is not used), so it is only as
// meaningful as the interval passed in – usually the area's 95% interval,
// or 99.8% for the stricter Fingertips comparison.
//
// If lower > benchmark the area is significantly higher; if
// upper < benchmark it is significantly lower; otherwise (including a
// benchmark exactly on a limit) the two are similar. Higher and lower become
// Better or Worse according to the polarity, or stay Higher and Lower for
// NoJudgement (and the zero Polarity). Similar is returned for every
// polarity.
//
// NotCompared is returned, as Fingertips shows "not compared", when any of
// value, lower, upper or benchmark is NaN or infinite, when lower > upper,
// when value lies outside [lower, upper], or when the polarity is not one of
// the constants above.
func Compare(value, lower, upper, benchmarkValue float64, polarity Polarity) Significance {
	for _, x := range []float64{value, lower, upper, benchmarkValue} {
		if !finite(x) {
			return NotCompared
		}
	}
	if lower > upper || value < lower || value > upper {
		return NotCompared
	}
	var higher bool
	switch {
	case lower > benchmarkValue:
		higher = true
	case upper < benchmarkValue:
		higher = false
	default:
		if !knownPolarity(polarity) {
			return NotCompared
		}
		return Similar
	}
	switch polarity {
	case HigherIsBetter:
		return pick(higher, Better, Worse)
	case HigherIsWorse:
		return pick(higher, Worse, Better)
	case NoJudgement, "":
		return pick(higher, Higher, Lower)
	}
	return NotCompared
}

// knownPolarity reports whether p is one of the Polarity constants or "".
func knownPolarity(p Polarity) bool {
	switch p {
	case HigherIsBetter, HigherIsWorse, NoJudgement, "":
		return true
	}
	return false
}

func pick(higher bool, ifHigher, ifLower Significance) Significance {
	if higher {
		return ifHigher
	}
	return ifLower
}
