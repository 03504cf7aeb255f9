package phstats

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

func TestWilsonInterval(t *testing.T) {
	// Worked by hand from (2O + z² ∓ z√(z² + 4O(1−p))) / (2(n + z²)) with
	// z = 1.95996398454005, z² = 3.84145882069413 (values from mpmath):
	//
	//	(0, 10):   centre 3.84145882069413, half z·√z² = 3.84145882069413,
	//	           scale 2·13.84145882069413 = 27.6829176413883
	//	           → 0, 7.68291764138825/27.6829176413883 = 0.277532799862889
	//	(5, 10):   centre 13.8414588206941, half z·√(z²+10) = 7.29187178151330
	//	           → 6.54958703918083/27.6829176413883 = 0.236593090512564,
	//	             21.1333306022074/27.6829176413883 = 0.763406909487436
	//	           (the textbook 23.7% to 76.3%)
	//	(10, 10):  centre 23.8414588206941, half 3.84145882069413
	//	           → 20.0/27.6829176413883 = 0.722467200137111, 1
	//	(1, 1000): centre 5.84145882069413, half z·√(z²+3.996) = 5.48700968821656,
	//	           scale 2007.68291764139
	//	           → 0.35444913247757/2007.68291764139 = 0.000176546370626078,
	//	             11.3284685089107/2007.68291764139 = 0.00564255859795794
	tests := []struct {
		numerator, denominator float64
		lower, upper           float64
	}{
		{0, 10, 0, 0.277532799862889},
		{5, 10, 0.236593090512564, 0.763406909487436},
		{10, 10, 0.722467200137111, 1},
		{1, 1000, 0.000176546370626078, 0.00564255859795794},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v/%v", tt.numerator, tt.denominator), func(t *testing.T) {
			lower, upper, err := WilsonInterval(tt.numerator, tt.denominator, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "lower", lower, tt.lower, 1e-6)
			near(t, "upper", upper, tt.upper, 1e-6)
			// Tighter than the brief asks, to catch a rounded z.
			near(t, "lower (tight)", lower, tt.lower, 1e-13)
			near(t, "upper (tight)", upper, tt.upper, 1e-13)
		})
	}
}

func TestWilsonIntervalProperties(t *testing.T) {
	for _, n := range []float64{1, 7, 50, 1234} {
		for o := 0.0; o <= n; o += math.Max(1, math.Floor(n/9)) {
			lower, upper, err := WilsonInterval(o, n, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if !(0 <= lower && lower <= o/n && o/n <= upper && upper <= 1) {
				t.Errorf("WilsonInterval(%v, %v) = [%v, %v] does not bracket %v inside [0, 1]", o, n, lower, upper, o/n)
			}
			// Swapping successes and failures mirrors the interval.
			mirrorLower, mirrorUpper, err := WilsonInterval(n-o, n, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "mirrored lower", mirrorLower, 1-upper, 1e-12)
			near(t, "mirrored upper", mirrorUpper, 1-lower, 1e-12)
			// A higher confidence gives a wider interval.
			wideLower, wideUpper, _ := WilsonInterval(o, n, 0.998)
			if wideLower > lower || wideUpper < upper {
				t.Errorf("99.8%% interval [%v, %v] is inside the 95%% one [%v, %v]", wideLower, wideUpper, lower, upper)
			}
		}
	}
}

func TestWilsonIntervalErrors(t *testing.T) {
	tests := []struct {
		name                               string
		numerator, denominator, confidence float64
	}{
		{"zero denominator", 0, 0, 0.95},
		{"negative denominator", 1, -10, 0.95},
		{"negative numerator", -1, 10, 0.95},
		{"numerator above denominator", 11, 10, 0.95},
		{"NaN numerator", math.NaN(), 10, 0.95},
		{"NaN denominator", 1, math.NaN(), 0.95},
		{"infinite denominator", 1, math.Inf(1), 0.95},
		{"confidence 0", 1, 10, 0},
		{"confidence 1", 1, 10, 1},
		{"confidence as percent", 1, 10, 95},
		{"NaN confidence", 1, 10, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := WilsonInterval(tt.numerator, tt.denominator, tt.confidence)
			if !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
}

func ExampleWilsonInterval() {
	// 5 of 10 patients: the Wilson 95% interval, as Fingertips shows
	// percentages.
	lower, upper, err := WilsonInterval(5, 10, 0.95)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("50.0%% (95%% CI %.1f%% to %.1f%%)\n", 100*lower, 100*upper)

	// No events still gives an informative upper limit.
	lower, upper, _ = WilsonInterval(0, 10, 0.95)
	fmt.Printf("0.0%% (95%% CI %.1f%% to %.1f%%)\n", 100*lower, 100*upper)
	// Output:
	// 50.0% (95% CI 23.7% to 76.3%)
	// 0.0% (95% CI 0.0% to 27.8%)
}
