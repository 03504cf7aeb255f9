package phstats

import (
	"math"
	"testing"
)

func TestNormalQuantile(t *testing.T) {
	// References: √2·erfinv(2p − 1) evaluated with mpmath at 30 digits.
	tests := []struct {
		p, want float64
	}{
		{0.975, 1.9599639845400542355},
		{0.025, -1.9599639845400542355},
		{0.5, 0},
		{0.995, 2.575829303548900761},
		{0.999, 3.0902323061678135415},
		{0.001, -3.0902323061678135415},
		{0.9995, 3.2905267314918947932},
		{1e-10, -6.3613409024040562047},
	}
	for _, tt := range tests {
		near(t, "NormalQuantile", NormalQuantile(tt.p), tt.want, 1e-14*math.Max(1, math.Abs(tt.want)))
	}
	// The brief's headline value, to 1e-6.
	near(t, "NormalQuantile(0.975)", NormalQuantile(0.975), 1.959964, 1e-6)
}

func TestNormalQuantileAgreesWithErfinv(t *testing.T) {
	// math.Erfinv is an independent implementation in terms of erf; for
	// p ≥ 0.5 the argument 2p − 1 is exact, so the two must agree closely.
	for p := 0.5; p < 0.9999; p += 0.00037 {
		want := math.Sqrt2 * math.Erfinv(2*p-1)
		near(t, "NormalQuantile", NormalQuantile(p), want, 1e-13*math.Max(1, want))
		near(t, "symmetry", NormalQuantile(1-p), -NormalQuantile(p), 1e-13*math.Max(1, want))
	}
}

func TestNormalQuantileEdges(t *testing.T) {
	if got := NormalQuantile(0); !math.IsInf(got, -1) {
		t.Errorf("NormalQuantile(0) = %v, want -Inf", got)
	}
	if got := NormalQuantile(1); !math.IsInf(got, 1) {
		t.Errorf("NormalQuantile(1) = %v, want +Inf", got)
	}
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if got := NormalQuantile(p); !math.IsNaN(got) {
			t.Errorf("NormalQuantile(%v) = %v, want NaN", p, got)
		}
	}
	if got := NormalQuantile(1e-300); !(got < -37 && got > -37.1) {
		t.Errorf("NormalQuantile(1e-300) = %v, want about -37.05", got)
	}
}
