package phstats

import (
	"math"
	"testing"
)

func TestCompare(t *testing.T) {
	// An area at 30 with 95% CI [25, 35] against benchmarks below, inside
	// and above its interval.
	const value, lower, upper = 30.0, 25.0, 35.0
	tests := []struct {
		name      string
		benchmark float64
		polarity  Polarity
		want      Significance
	}{
		{"higher, higher is better", 20, HigherIsBetter, Better},
		{"lower, higher is better", 40, HigherIsBetter, Worse},
		{"overlap, higher is better", 32, HigherIsBetter, Similar},
		{"higher, higher is worse", 20, HigherIsWorse, Worse},
		{"lower, higher is worse", 40, HigherIsWorse, Better},
		{"overlap, higher is worse", 28, HigherIsWorse, Similar},
		{"higher, no judgement", 20, NoJudgement, Higher},
		{"lower, no judgement", 40, NoJudgement, Lower},
		{"overlap, no judgement", 30, NoJudgement, Similar},
		{"zero polarity is no judgement", 20, "", Higher},
		{"benchmark on lower limit is similar", 25, HigherIsBetter, Similar},
		{"benchmark on upper limit is similar", 35, HigherIsWorse, Similar},
		{"just below lower limit", 24.999, HigherIsBetter, Better},
		{"unknown polarity", 20, "RAG", NotCompared},
		{"unknown polarity when similar", 30, "RAG", NotCompared},
		{"NaN benchmark", math.NaN(), HigherIsBetter, NotCompared},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(value, lower, upper, tt.benchmark, tt.polarity); got != tt.want {
				t.Errorf("Compare(%v, [%v, %v], %v, %q) = %q, want %q", value, lower, upper, tt.benchmark, tt.polarity, got, tt.want)
			}
		})
	}
}

func TestCompareNotCompared(t *testing.T) {
	tests := []struct {
		name                           string
		value, lower, upper, benchmark float64
	}{
		{"NaN value", math.NaN(), 1, 2, 5},
		{"NaN lower", 1.5, math.NaN(), 2, 5},
		{"infinite upper", 1.5, 1, math.Inf(1), 5},
		{"limits reversed", 1.5, 2, 1, 5},
		{"value outside its interval", 3, 1, 2, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Compare(tt.value, tt.lower, tt.upper, tt.benchmark, HigherIsBetter); got != NotCompared {
				t.Errorf("Compare = %q, want %q", got, NotCompared)
			}
		})
	}
}

func TestCompareWithComputedInterval(t *testing.T) {
	// 60 of 100 screened against an England benchmark of 72%: the Wilson
	// 95% interval (50.2% to 69.1%) lies wholly below, so worse; against
	// 65% it overlaps, so similar.
	lower, upper, err := WilsonInterval(60, 100, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if got := Compare(0.60, lower, upper, 0.72, HigherIsBetter); got != Worse {
		t.Errorf("against 72%%: %q, want %q", got, Worse)
	}
	if got := Compare(0.60, lower, upper, 0.65, HigherIsBetter); got != Similar {
		t.Errorf("against 65%%: %q, want %q", got, Similar)
	}
}
