package adjacency

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// east, north place a point the given metres from (lon0, lat0).
func offset(east, north float64) orb.Point {
	return orb.Point{lon0 + degreesEast(east), lat0 + north/metresPerDegree}
}

func TestSharedMetres(t *testing.T) {
	s0, s1 := offset(0, 0), offset(100, 0) // 100 m due east
	n0, n1 := offset(0, 0), offset(0, 100) // 100 m due north
	tests := []struct {
		name           string
		s0, s1, t0, t1 orb.Point
		want           float64
	}{
		{"identical", s0, s1, s0, s1, 100},
		{"reversed", s0, s1, s1, s0, 100},
		{"inside", s0, s1, offset(20, 0), offset(50, 0), 30},
		{"overhanging the end", s0, s1, offset(80, 0), offset(150, 0), 20},
		{"covering both ends", s0, s1, offset(-50, 0), offset(150, 0), 100},
		{"beyond the end", s0, s1, offset(100, 0), offset(150, 0), 0},
		{"parallel 0.4 m away", s0, s1, offset(0, 0.4), offset(100, 0.4), 100},
		{"parallel 0.6 m away", s0, s1, offset(0, -0.6), offset(100, -0.6), 0},
		{"north, parallel 0.4 m east", n0, n1, offset(0.4, 0), offset(0.4, 100), 100},
		{"north, parallel 0.6 m east", n0, n1, offset(0.6, 0), offset(0.6, 100), 0},
		{"crossing at right angles", s0, s1, offset(50, -50), offset(50, 50), 0},
		{"crossing at 45 degrees", s0, s1, offset(0, -50), offset(100, 50), 0},
		// Leaves s0 at 1°: within 0.5 m of s for 0.5/tan(1°) = 28.64 m.
		{"diverging at 1 degree", s0, s1, s0, offset(100, 100*math.Tan(math.Pi/180)), 0.5 / math.Tan(math.Pi/180)},
		{"diverging at 3 degrees", s0, s1, s0, offset(100, 100*math.Tan(3*math.Pi/180)), 0},
		{"tilted across, within 0.5 m throughout", s0, s1, offset(0, -0.5), offset(100, 0.5), 100},
		{"tilted across, within 0.5 m in the middle half", s0, s1, offset(0, -1), offset(100, 1), 50},
		{"zero-length t", s0, s1, offset(50, 0), offset(50, 0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sharedMetres(tt.s0, tt.s1, tt.t0, tt.t1, DefaultToleranceMetres)
			if math.Abs(got-tt.want) > 1e-3 {
				t.Errorf("sharedMetres() = %.6f m, want %.6f m", got, tt.want)
			}
		})
	}
}
