package validity

import (
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestPolygon(t *testing.T) {
	square := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	tests := []struct {
		name string
		poly orb.Polygon
		want error
	}{
		{"valid", orb.Polygon{square}, nil},
		{"empty", orb.Polygon{}, ErrEmpty},
		{"unclosed", orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}, ErrUnclosedRing},
		{"too few positions", orb.Polygon{{{0, 0}, {1, 0}, {0, 0}}}, ErrDegenerateRing},
		{"zero area", orb.Polygon{{{0, 0}, {1, 0}, {2, 0}, {0, 0}}}, ErrDegenerateRing},
		{"latitude out of range", orb.Polygon{{{0, 0}, {1, 0}, {1, 91}, {0, 0}}}, ErrBadCoordinate},
		{"NaN", orb.Polygon{{{0, 0}, {math.NaN(), 0}, {1, 1}, {0, 0}}}, ErrBadCoordinate},
		{"bad hole", orb.Polygon{square, {{0.2, 0.2}, {0.4, 0.2}, {0.2, 0.2}}}, ErrDegenerateRing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Polygon(tt.poly)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Polygon() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestMultiPolygonNamesPolygon(t *testing.T) {
	good := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}
	bad := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}}}
	err := MultiPolygon(orb.MultiPolygon{good, bad})
	if !errors.Is(err, ErrUnclosedRing) || err.Error() != "polygon 1: exterior ring: ring is not closed (first and last positions differ)" {
		t.Fatalf("MultiPolygon() = %v", err)
	}
}
