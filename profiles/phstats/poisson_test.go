package phstats

import (
	"errors"
	"fmt"
	"math"
	"testing"
)

// byarByHand is Byar's formula written out independently of ByarInterval:
// cubes by repeated multiplication and z as a literal.
func byarByHand(o float64) (lower, upper float64) {
	const z = 1.959963984540054
	if o > 0 {
		b := 1 - 1/(9*o) - z/(3*math.Sqrt(o))
		lower = o * b * b * b
	}
	b := 1 - 1/(9*(o+1)) + z/(3*math.Sqrt(o+1))
	upper = (o + 1) * b * b * b
	return lower, upper
}

func TestByarInterval(t *testing.T) {
	// Hand values (mpmath, 30 digits), with the bracket before cubing:
	//
	//	O = 0:   lower 0;        upper 1·1.54221021706891³   = 3.66801183217375
	//	O = 1:   1·0.235567560708871³ = 0.0130721329015043;  2·1.40641238589434³ = 5.56375558247526
	//	O = 5:   5·0.685603597585584³ = 1.61134771574719;    6·1.24819879683455³ = 11.6681641233986
	//	O = 10:  10·0.782290544787368³ = 4.78744991396756;  11·1.18688278199988³ = 18.3914586057565
	//	O = 100: 100·0.933556756070887³ = 81.3621054905279; 101·1.06390779185865³ = 121.627937579206
	tests := []struct {
		count, lower, upper float64
	}{
		{0, 0, 3.66801183217375},
		{1, 0.0130721329015043, 5.56375558247526},
		{5, 1.61134771574719, 11.6681641233986},
		{10, 4.78744991396756, 18.3914586057565},
		{100, 81.3621054905279, 121.627937579206},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.count), func(t *testing.T) {
			lower, upper, err := ByarInterval(tt.count, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			handLower, handUpper := byarByHand(tt.count)
			near(t, "lower vs formula", lower, handLower, 1e-12*math.Max(1, handLower))
			near(t, "upper vs formula", upper, handUpper, 1e-12*handUpper)
			near(t, "lower vs hand value", lower, tt.lower, 1e-9)
			near(t, "upper vs hand value", upper, tt.upper, 1e-9)
		})
	}
}

func TestByarCloseToExact(t *testing.T) {
	// PHE's Technical Guide: at 95%, Byar's limits are within 0.2% of the
	// exact ones for counts of 10 or more. At O = 10 the gap is 0.17%
	// (lower 4.7874 vs 4.7954) and 0.006% (upper 18.3915 vs 18.3904).
	for _, o := range []float64{10, 11, 25, 100, 1000} {
		byarLower, byarUpper, err := ByarInterval(o, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		exactLower, exactUpper, err := ExactPoissonInterval(o, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		nearRel(t, fmt.Sprintf("Byar lower at %v", o), byarLower, exactLower, 0.002)
		nearRel(t, fmt.Sprintf("Byar upper at %v", o), byarUpper, exactUpper, 0.002)
	}
	// Below 10 the approximation is visibly worse, which is why
	// RateInterval switches to the exact interval there: at O = 1 the lower
	// limit is almost half the exact one.
	byarLower, _, _ := ByarInterval(1, 0.95)
	exactLower, _, _ := ExactPoissonInterval(1, 0.95)
	if math.Abs(byarLower-exactLower) < 0.3*exactLower {
		t.Errorf("Byar lower at 1 = %v unexpectedly close to exact %v", byarLower, exactLower)
	}
}

func TestByarIntervalClampsNegativeLower(t *testing.T) {
	// At 99.8% (z = 3.09) the bracket for O = 1 is 1 − 1/9 − 1.03 < 0.
	lower, upper, err := ByarInterval(1, 0.998)
	if err != nil {
		t.Fatal(err)
	}
	if lower != 0 || !(upper > 1) {
		t.Errorf("ByarInterval(1, 0.998) = %v, %v, want lower clamped to 0", lower, upper)
	}
}

func TestExactPoissonInterval(t *testing.T) {
	// The brief's published values to 1e-3, and mpmath values (bisection
	// on the incomplete gamma function at 50 digits) to 1e-9 relative.
	tests := []struct {
		count, confidence float64
		lower, upper      float64 // published, 4 decimals
		lowerHP, upperHP  float64 // high precision
	}{
		{0, 0.95, 0, 3.6889, 0, 3.6888794541139354147},
		{1, 0.95, 0.0253, 5.5716, 0.025317807984289876827, 5.5716433909388975496},
		{5, 0.95, 1.6235, 11.6683, 1.6234863901184205624, 11.668332079322668192},
		{10, 0.95, 4.7954, 18.3904, 4.7953886961324336811, 18.390356042017776954},
		{100, 0.95, 81.3640, 121.6268, 81.363991250923140639, 121.62679379242638563},
		{1, 0.998, 0.0010, 9.2334, 0.001000500333583533521, 9.2334134764515847461},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%v at %v", tt.count, tt.confidence), func(t *testing.T) {
			lower, upper, err := ExactPoissonInterval(tt.count, tt.confidence)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "lower", lower, tt.lower, 1e-3)
			near(t, "upper", upper, tt.upper, 1e-3)
			if tt.count == 0 {
				if lower != 0 {
					t.Errorf("lower = %v, want exactly 0", lower)
				}
			} else {
				nearRel(t, "lower (high precision)", lower, tt.lowerHP, 1e-9)
			}
			nearRel(t, "upper (high precision)", upper, tt.upperHP, 1e-9)
		})
	}
	// O = 0 has a closed form: upper = −ln(α/2).
	_, upper, _ := ExactPoissonInterval(0, 0.95)
	nearRel(t, "upper at 0", upper, -math.Log(0.025), 1e-13)
}

func TestRateInterval(t *testing.T) {
	tests := []struct {
		name                    string
		count, denominator, per float64
		rate, lower, upper      float64
	}{
		// Below ByarMinCount: exact limits scaled by per/denominator.
		{"exact below 10", 5, 20000, 100000, 25, 1.6234863901184205624 * 5, 11.668332079322668192 * 5},
		{"zero count", 0, 1000, 1000, 0, 0, 3.6888794541139354147},
		// From ByarMinCount: Byar limits.
		{"byar at 10", 10, 50000, 100000, 20, 4.78744991396756 * 2, 18.3914586057565 * 2},
		{"byar at 100", 100, 4000, 1000, 25, 81.3621054905279 / 4, 121.627937579206 / 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rate, lower, upper, err := RateInterval(tt.count, tt.denominator, tt.per, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			near(t, "rate", rate, tt.rate, 1e-12*tt.rate)
			near(t, "lower", lower, tt.lower, 1e-8*math.Max(1, tt.lower))
			near(t, "upper", upper, tt.upper, 1e-8*tt.upper)
		})
	}
}

func TestCountIntervalErrors(t *testing.T) {
	type call func() error
	tests := []struct {
		name string
		call call
	}{
		{"byar negative", func() error { _, _, err := ByarInterval(-1, 0.95); return err }},
		{"byar NaN", func() error { _, _, err := ByarInterval(math.NaN(), 0.95); return err }},
		{"byar infinite", func() error { _, _, err := ByarInterval(math.Inf(1), 0.95); return err }},
		{"byar confidence", func() error { _, _, err := ByarInterval(5, 1.5); return err }},
		{"exact negative", func() error { _, _, err := ExactPoissonInterval(-0.5, 0.95); return err }},
		{"exact NaN", func() error { _, _, err := ExactPoissonInterval(math.NaN(), 0.95); return err }},
		{"exact confidence", func() error { _, _, err := ExactPoissonInterval(5, 0); return err }},
		{"rate zero denominator", func() error { _, _, _, err := RateInterval(5, 0, 1000, 0.95); return err }},
		{"rate negative denominator", func() error { _, _, _, err := RateInterval(5, -10, 1000, 0.95); return err }},
		{"rate zero per", func() error { _, _, _, err := RateInterval(5, 100, 0, 0.95); return err }},
		{"rate NaN per", func() error { _, _, _, err := RateInterval(5, 100, math.NaN(), 0.95); return err }},
		{"rate negative count", func() error { _, _, _, err := RateInterval(-5, 100, 1000, 0.95); return err }},
		{"rate large NaN count", func() error { _, _, _, err := RateInterval(math.NaN(), 100, 1000, 0.95); return err }},
		{"rate confidence", func() error { _, _, _, err := RateInterval(50, 100, 1000, -0.95); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
}
