package gravity

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestDistanceKm(t *testing.T) {
	degree := math.Pi * 6378.137 / 180 // one degree of a great circle on orb's sphere
	tests := []struct {
		name string
		a, b orb.Point
		want float64
	}{
		{"same point", orb.Point{-2.2, 53.45}, orb.Point{-2.2, 53.45}, 0},
		{"one degree north", orb.Point{-2.2, 53}, orb.Point{-2.2, 54}, degree},
		{"one degree east at the equator", orb.Point{0, 0}, orb.Point{1, 0}, degree},
		// Along the parallel the great circle is a little shorter than the
		// parallel's 111.32·cos(53.45°) = 66.31 km.
		{"one degree east at 53.45° N", orb.Point{-2.7, 53.45}, orb.Point{-1.7, 53.45},
			2 * 6378.137 * math.Asin(math.Cos(53.45*math.Pi/180)*math.Sin(0.5*math.Pi/180))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := distanceKm(tt.a, tt.b); math.Abs(got-tt.want) > 1e-9 {
				t.Errorf("distanceKm = %.4f km, want %.4f km", got, tt.want)
			}
		})
	}
}

func TestSeedNeverUnderflows(t *testing.T) {
	tests := []struct {
		decay, excess, want float64
	}{
		{0, 50, 1},
		{1, 0, 1},
		{0.5, 2, math.Exp(-1)},
		{10, 1000, math.Exp(minLogSeed)},
	}
	for _, tt := range tests {
		if got := seed(tt.decay, tt.excess); got != tt.want || !(got > 0) {
			t.Errorf("seed(%g, %g) = %g, want %g", tt.decay, tt.excess, got, tt.want)
		}
	}
}
