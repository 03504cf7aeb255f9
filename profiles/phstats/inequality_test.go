package phstats

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestRelativeRanks(t *testing.T) {
	// PHE's phe_sii documentation: a first decile with 12% of the
	// population has rank 0.06, a second with 10% has 0.12 + 0.05 = 0.17.
	ranks, err := RelativeRanks([]float64{12, 10, 78})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0.06, 0.17, 0.61}
	for i := range want {
		near(t, fmt.Sprintf("rank %d", i+1), ranks[i], want[i], 1e-15)
	}
	for _, bad := range [][]float64{nil, {1, 0, 2}, {1, -1}, {math.NaN()}, {math.Inf(1)}} {
		if _, err := RelativeRanks(bad); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("RelativeRanks(%v) err = %v, want ErrInvalidInput", bad, err)
		}
	}
}

func TestSlopeIndexHandWorked(t *testing.T) {
	// Five equal quintiles, most deprived first, values 10, 8, 7, 5, 4.
	// Ranks 0.1, 0.3, 0.5, 0.7, 0.9 (mean 0.5); mean value 6.8.
	// Deviations: rank −0.4, −0.2, 0, 0.2, 0.4; value 3.2, 1.2, 0.2, −1.8, −2.8.
	// Σ dr·dy = −1.28 − 0.24 + 0 − 0.36 − 1.12 = −3.0; Σ dr² = 0.4;
	// slope = −7.5, so SII = −7.5 (value falls by 7.5 from the most to the
	// least deprived end), fitted ends 6.8 ± 3.75 = 10.55 and 3.05,
	// RII = −7.5/6.8 = −1.10294117647059.
	// Residuals 0.2, −0.3, 0.2, −0.3, 0.2: SSE 0.30, s² = 0.30/3 = 0.1,
	// SE = √(0.1/0.4) = 0.5; t(0.975, 3) = 3.18244630528371, so the 95%
	// interval is −7.5 ± 1.59122315264185 = [−9.09122315264185, −5.90877684735815].
	// With every group SE = 1 the slope weights are cᵢ = dr/Σdr² = −1, −0.5,
	// 0, 0.5, 1, Σcᵢ² = 2.5, SE = 1.58113883008419 and the 95% interval is
	// −7.5 ± 3.09897516152281.
	groups := make([]DeprivationGroup, 5)
	for i, v := range []float64{10, 8, 7, 5, 4} {
		groups[i] = DeprivationGroup{Population: 2000, Value: v, StandardError: 1}
	}
	got, err := SlopeIndexOfInequality(groups, InequalityConfig{Confidence: 0.95})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "SII", got.SII, -7.5, 1e-12)
	near(t, "RII", got.RII, -7.5/6.8, 1e-12)
	near(t, "Mean", got.Mean, 6.8, 1e-12)
	near(t, "MostDeprivedFit", got.MostDeprivedFit, 10.55, 1e-12)
	near(t, "LeastDeprivedFit", got.LeastDeprivedFit, 3.05, 1e-12)
	near(t, "SE", got.SIIStandardError, 0.5, 1e-12)
	near(t, "lower", got.SIILower, -9.09122315264185, 1e-9)
	near(t, "upper", got.SIIUpper, -5.90877684735815, 1e-9)

	got, err = SlopeIndexOfInequality(groups, InequalityConfig{Confidence: 0.95, Interval: GroupErrorInterval})
	if err != nil {
		t.Fatal(err)
	}
	near(t, "SII (group errors)", got.SII, -7.5, 1e-12)
	near(t, "SE (group errors)", got.SIIStandardError, 1.58113883008419, 1e-12)
	near(t, "lower (group errors)", got.SIILower, -7.5-3.09897516152281, 1e-9)
	near(t, "upper (group errors)", got.SIIUpper, -7.5+3.09897516152281, 1e-9)
}

// unequalPopulations are ten decile populations of deliberately uneven size.
var unequalPopulations = []float64{1200, 800, 1500, 600, 900, 1000, 1300, 700, 1100, 900}

// ranksByHand recomputes cumulative-midpoint ranks independently.
func ranksByHand(populations []float64) []float64 {
	total := 0.0
	for _, p := range populations {
		total += p
	}
	ranks := make([]float64, len(populations))
	cumulative := 0.0
	for i, p := range populations {
		ranks[i] = (cumulative + p/2) / total
		cumulative += p
	}
	return ranks
}

func TestSlopeIndexRecoversLinearGradient(t *testing.T) {
	tests := []struct {
		name             string
		intercept, slope float64
	}{
		// Life expectancy rising by 9 years from most to least deprived.
		{"rising", 75, 9},
		// Mortality falling by 120 per 100,000: SII is negative.
		{"falling", 300, -120},
	}
	ranks := ranksByHand(unequalPopulations)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups := make([]DeprivationGroup, len(unequalPopulations))
			for i, p := range unequalPopulations {
				groups[i] = DeprivationGroup{Population: p, Value: tt.intercept + tt.slope*ranks[i], StandardError: 0.5}
			}
			got, err := SlopeIndexOfInequality(groups, InequalityConfig{Confidence: 0.95})
			if err != nil {
				t.Fatal(err)
			}
			near(t, "SII", got.SII, tt.slope, 1e-10)
			// The weighted mean rank is exactly ½, so the mean value is
			// the line's value at ½ and RII = b / (a + b/2).
			near(t, "Mean", got.Mean, tt.intercept+tt.slope/2, 1e-10)
			near(t, "RII", got.RII, tt.slope/(tt.intercept+tt.slope/2), 1e-12)
			near(t, "MostDeprivedFit", got.MostDeprivedFit, tt.intercept, 1e-10)
			near(t, "LeastDeprivedFit", got.LeastDeprivedFit, tt.intercept+tt.slope, 1e-10)
			near(t, "residual SE on an exact line", got.SIIStandardError, 0, 1e-9)
			for i := range ranks {
				near(t, fmt.Sprintf("rank %d", i+1), got.Ranks[i], ranks[i], 1e-15)
			}
		})
	}
}

// noise is a fixed, zero-free pattern of perturbations.
var noise = []float64{0.8, -1.1, 0.3, 0.5, -0.9, 1.2, -0.4, -0.6, 0.7, -0.2}

// phePseudoRegression fits PHE's square-root-transformed model
// √a·y = β₀·√a + β₁·√a·r (no intercept) by ordinary least squares via the
// 2×2 normal equations, returning β₁ and its usual OLS standard error —
// an independent route to the same weighted fit.
func phePseudoRegression(populations, values []float64) (slope, intercept, se float64) {
	total := 0.0
	for _, p := range populations {
		total += p
	}
	ranks := ranksByHand(populations)
	var s00, s01, s11, t0, t1 float64
	for i, p := range populations {
		a := p / total
		x0, x1, y := math.Sqrt(a), math.Sqrt(a)*ranks[i], math.Sqrt(a)*values[i]
		s00 += x0 * x0
		s01 += x0 * x1
		s11 += x1 * x1
		t0 += x0 * y
		t1 += x1 * y
	}
	det := s00*s11 - s01*s01
	intercept = (s11*t0 - s01*t1) / det
	slope = (s00*t1 - s01*t0) / det
	var rss float64
	for i, p := range populations {
		a := p / total
		e := math.Sqrt(a)*values[i] - intercept*math.Sqrt(a) - slope*math.Sqrt(a)*ranks[i]
		rss += e * e
	}
	sigma2 := rss / float64(len(populations)-2)
	return slope, intercept, math.Sqrt(sigma2 * s00 / det)
}

func TestSlopeIndexWithNoise(t *testing.T) {
	const a, b, amplitude = 80, -15, 0.6
	ranks := ranksByHand(unequalPopulations)
	groups := make([]DeprivationGroup, len(unequalPopulations))
	values := make([]float64, len(unequalPopulations))
	for i, p := range unequalPopulations {
		values[i] = a + b*ranks[i] + amplitude*noise[i]
		groups[i] = DeprivationGroup{Population: p, Value: values[i], StandardError: amplitude}
	}
	got, err := SlopeIndexOfInequality(groups, InequalityConfig{Confidence: 0.95})
	if err != nil {
		t.Fatal(err)
	}

	wantSlope, wantIntercept, wantSE := phePseudoRegression(unequalPopulations, values)
	near(t, "SII vs transformed regression", got.SII, wantSlope, 1e-10)
	near(t, "intercept vs transformed regression", got.MostDeprivedFit, wantIntercept, 1e-10)
	nearRel(t, "SE vs transformed regression", got.SIIStandardError, wantSE, 1e-10)
	nearRel(t, "CI half-width", got.SIIUpper-got.SII, studentTQuantile(0.975, 8)*wantSE, 1e-10)

	if math.Abs(got.SII-b) > 3*got.SIIStandardError || got.SIIStandardError == 0 {
		t.Errorf("SII = %v ± %v, far from the underlying %v", got.SII, got.SIIStandardError, b)
	}
	if !(got.SIILower < b && b < got.SIIUpper) {
		t.Errorf("95%% CI [%v, %v] misses the underlying slope %v", got.SIILower, got.SIIUpper, b)
	}
	if !(got.SII < 0 && got.RII < 0) {
		t.Errorf("falling gradient gave SII %v, RII %v; want both negative", got.SII, got.RII)
	}
}

func TestSlopeIndexGroupErrorsMatchFiniteDifferences(t *testing.T) {
	// The slope is linear in the values, so its sensitivity to group i is
	// exactly the change in SII when Valueᵢ rises by 1. Propagating the
	// standard errors through those sensitivities must give the
	// GroupErrorInterval standard error.
	ranks := ranksByHand(unequalPopulations)
	groups := make([]DeprivationGroup, len(unequalPopulations))
	for i, p := range unequalPopulations {
		groups[i] = DeprivationGroup{Population: p, Value: 50 + 10*ranks[i] + noise[i], StandardError: 0.2 + 0.1*float64(i)}
	}
	cfg := InequalityConfig{Confidence: 0.95, Interval: GroupErrorInterval}
	base, err := SlopeIndexOfInequality(groups, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var variance float64
	for i := range groups {
		bumped := append([]DeprivationGroup(nil), groups...)
		bumped[i].Value++
		moved, err := SlopeIndexOfInequality(bumped, cfg)
		if err != nil {
			t.Fatal(err)
		}
		c := moved.SII - base.SII
		variance += c * c * groups[i].StandardError * groups[i].StandardError
	}
	nearRel(t, "SE", base.SIIStandardError, math.Sqrt(variance), 1e-8)
	nearRel(t, "half-width", base.SIIUpper-base.SII, z95*math.Sqrt(variance), 1e-8)
}

func TestSlopeIndexZeroMeanRII(t *testing.T) {
	groups := []DeprivationGroup{{Population: 1, Value: -1}, {Population: 1, Value: 0}, {Population: 1, Value: 1}}
	got, err := SlopeIndexOfInequality(groups, InequalityConfig{Confidence: 0.95})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.RII) {
		t.Errorf("RII = %v with mean 0, want NaN", got.RII)
	}
	near(t, "SII", got.SII, 3, 1e-12) // ranks 1/6, 1/2, 5/6: slope 1/(1/3)
}

func TestSlopeIndexErrors(t *testing.T) {
	three := []DeprivationGroup{{Population: 1, Value: 1}, {Population: 2, Value: 2}, {Population: 3, Value: 3}}
	with := func(i int, g DeprivationGroup) []DeprivationGroup {
		out := append([]DeprivationGroup(nil), three...)
		out[i] = g
		return out
	}
	tests := []struct {
		name   string
		groups []DeprivationGroup
		cfg    InequalityConfig
	}{
		{"no groups", nil, InequalityConfig{Confidence: 0.95}},
		{"two groups, residual interval", three[:2], InequalityConfig{Confidence: 0.95}},
		{"one group, group errors", three[:1], InequalityConfig{Confidence: 0.95, Interval: GroupErrorInterval}},
		{"zero population", with(1, DeprivationGroup{Population: 0, Value: 2}), InequalityConfig{Confidence: 0.95}},
		{"negative population", with(1, DeprivationGroup{Population: -5, Value: 2}), InequalityConfig{Confidence: 0.95}},
		{"NaN value", with(2, DeprivationGroup{Population: 3, Value: math.NaN()}), InequalityConfig{Confidence: 0.95}},
		{"negative SE", with(0, DeprivationGroup{Population: 1, Value: 1, StandardError: -1}), InequalityConfig{Confidence: 0.95, Interval: GroupErrorInterval}},
		{"zero confidence", three, InequalityConfig{}},
		{"unknown method", three, InequalityConfig{Confidence: 0.95, Interval: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := SlopeIndexOfInequality(tt.groups, tt.cfg); !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
	// A negative SE is harmless when the residual interval ignores it.
	if _, err := SlopeIndexOfInequality(with(0, DeprivationGroup{Population: 1, Value: 1, StandardError: -1}), InequalityConfig{Confidence: 0.95}); err != nil {
		t.Errorf("residual interval rejected an unused standard error: %v", err)
	}
}

func TestStandardErrorFromInterval(t *testing.T) {
	se, err := StandardErrorFromInterval(70, 74, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	near(t, "SE", se, 4/(2*z95), 1e-12)
	for _, c := range [][3]float64{{74, 70, 0.95}, {math.NaN(), 1, 0.95}, {1, 2, 1}} {
		if _, err := StandardErrorFromInterval(c[0], c[1], c[2]); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("StandardErrorFromInterval(%v) err = %v, want ErrInvalidInput", c, err)
		}
	}
}

func ExampleSlopeIndexOfInequality() {
	// Male life expectancy in a city's own population-weighted deprivation
	// deciles, most deprived first.
	lifeExpectancy := []float64{73.1, 74.9, 75.6, 77.0, 77.8, 78.9, 79.2, 80.4, 81.1, 82.3}
	groups := make([]DeprivationGroup, len(lifeExpectancy))
	for i, le := range lifeExpectancy {
		groups[i] = DeprivationGroup{Population: 25000, Value: le}
	}
	got, err := SlopeIndexOfInequality(groups, InequalityConfig{Confidence: 0.95})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("SII %.1f years (95%% CI %.1f to %.1f)\n", got.SII, got.SIILower, got.SIIUpper)
	fmt.Printf("fitted %.1f (most deprived) to %.1f (least deprived)\n", got.MostDeprivedFit, got.LeastDeprivedFit)
	fmt.Printf("RII %.3f of the mean %.1f\n", got.RII, got.Mean)
	// Output:
	// SII 9.6 years (95% CI 8.7 to 10.5)
	// fitted 73.2 (most deprived) to 82.8 (least deprived)
	// RII 0.123 of the mean 78.0
}
