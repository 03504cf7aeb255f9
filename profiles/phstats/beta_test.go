package phstats

import (
	"fmt"
	"math"
	"testing"
)

func TestStudentTQuantile(t *testing.T) {
	tests := []struct {
		name   string
		p, df  float64
		want   float64
		relTol float64
	}{
		// Closed forms: df = 1 is Cauchy, df = 2 has t = (2p−1)/√(2p(1−p)).
		{"cauchy 97.5%", 0.975, 1, math.Tan(math.Pi * (0.975 - 0.5)), 1e-12},
		{"cauchy 99.95%", 0.9995, 1, math.Tan(math.Pi * (0.9995 - 0.5)), 1e-10},
		{"df2 97.5%", 0.975, 2, (2*0.975 - 1) / math.Sqrt(2*0.975*0.025), 1e-12},
		// mpmath references; df = 3 and 8 are the familiar table values
		// 3.182 and 2.306.
		{"df3 97.5%", 0.975, 3, 3.1824463052837084359, 1e-12},
		{"df8 97.5%", 0.975, 8, 2.3060041352041661143, 1e-12},
		{"df30 99.5%", 0.995, 30, 2.7499956535672249664, 1e-12},
		{"lower tail", 0.025, 8, -2.3060041352041661143, 1e-12},
		{"median", 0.5, 5, 0, 0},
		// Very many degrees of freedom: t → z (difference is O(1/df)).
		{"df 1e6", 0.975, 1e6, z95, 2e-6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := studentTQuantile(tt.p, tt.df)
			if tt.want == 0 {
				near(t, "t", got, 0, 1e-15)
				return
			}
			nearRel(t, fmt.Sprintf("t(%v, %v)", tt.p, tt.df), got, tt.want, tt.relTol)
		})
	}
	for _, c := range [][2]float64{{0, 3}, {1, 3}, {0.5, 0}, {math.NaN(), 3}} {
		if got := studentTQuantile(c[0], c[1]); !math.IsNaN(got) {
			t.Errorf("studentTQuantile(%v, %v) = %v, want NaN", c[0], c[1], got)
		}
	}
}

func TestRegularizedBetaClosedForms(t *testing.T) {
	for _, x := range []float64{0.001, 0.1, 0.37, 0.5, 0.8, 0.999} {
		// I_x(1, b) = 1 − (1−x)^b and I_x(a, 1) = x^a.
		near(t, "I_x(1,3.5)", regularizedBeta(x, 1-x, 1, 3.5), 1-math.Pow(1-x, 3.5), 1e-14)
		near(t, "I_x(2.5,1)", regularizedBeta(x, 1-x, 2.5, 1), math.Pow(x, 2.5), 1e-14)
		// I_x(½, ½) = (2/π)·asin(√x).
		near(t, "I_x(½,½)", regularizedBeta(x, 1-x, 0.5, 0.5), 2/math.Pi*math.Asin(math.Sqrt(x)), 1e-14)
	}
}
