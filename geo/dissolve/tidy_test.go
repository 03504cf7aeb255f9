package dissolve

import (
	"testing"

	"github.com/paulmach/orb"
)

func TestTidy(t *testing.T) {
	square := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}
	tests := []struct {
		name     string
		in       orb.MultiPolygon
		minWidth float64
		want     orb.MultiPolygon
	}{
		{
			name:     "sliver hole filled",
			in:       orb.MultiPolygon{{square, {{0.2, 0.5}, {0.8, 0.5}, {0.8, 0.5 + 1e-6}, {0.2, 0.5}}}},
			minWidth: 1e-5,
			want:     orb.MultiPolygon{{square}},
		},
		{
			name:     "real hole kept and wound clockwise",
			in:       orb.MultiPolygon{{square, {{0.4, 0.4}, {0.6, 0.4}, {0.6, 0.6}, {0.4, 0.6}, {0.4, 0.4}}}},
			minWidth: 1e-5,
			want:     orb.MultiPolygon{{square, {{0.4, 0.4}, {0.4, 0.6}, {0.6, 0.6}, {0.6, 0.4}, {0.4, 0.4}}}},
		},
		{
			name:     "thin hole kept in exact mode",
			in:       orb.MultiPolygon{{square, {{0.2, 0.5}, {0.2, 0.5 + 1e-6}, {0.8, 0.5}, {0.2, 0.5}}}},
			minWidth: 0,
			want:     orb.MultiPolygon{{square, {{0.2, 0.5}, {0.2, 0.500001}, {0.8, 0.5}, {0.2, 0.5}}}},
		},
		{
			name: "sliver part dropped with its hole",
			in: orb.MultiPolygon{
				{{{2, 0}, {3, 0}, {3, 4e-6}, {2, 4e-6}, {2, 0}}, {{2.1, 1e-6}, {2.1, 2e-6}, {2.2, 2e-6}, {2.1, 1e-6}}},
				{square},
			},
			minWidth: 1e-5,
			want:     orb.MultiPolygon{{square}},
		},
		{
			name:     "clockwise exterior turned, started at its lowest vertex",
			in:       orb.MultiPolygon{{{{1, 1}, {1, 0}, {0, 0}, {0, 1}, {1, 1}}}},
			minWidth: 1e-5,
			want:     orb.MultiPolygon{{square}},
		},
		{
			name:     "repeated and straight-line vertices removed",
			in:       orb.MultiPolygon{{{{0, 0}, {0.5, 0}, {0.5, 0}, {1, 0}, {1, 1}, {0.5, 1}, {0, 1}, {0, 0.5}, {0, 0}}}},
			minWidth: 1e-5,
			want:     orb.MultiPolygon{{square}},
		},
		{
			name:     "spike removed",
			in:       orb.MultiPolygon{{{{0, 0}, {1, 0}, {2, 0.5}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}},
			minWidth: 1e-5,
			want:     orb.MultiPolygon{{square}},
		},
		{
			name: "parts largest first, congruent parts west to east",
			in: orb.MultiPolygon{
				{{{5, 0}, {6, 0}, {6, 1}, {5, 1}, {5, 0}}},
				{{{3, 0}, {3.5, 0}, {3.5, 0.5}, {3, 0.5}, {3, 0}}},
				{square},
			},
			minWidth: 1e-5,
			want: orb.MultiPolygon{
				{square},
				{{{5, 0}, {6, 0}, {6, 1}, {5, 1}, {5, 0}}},
				{{{3, 0}, {3.5, 0}, {3.5, 0.5}, {3, 0.5}, {3, 0}}},
			},
		},
		{
			name: "holes ordered by lowest vertex",
			in: orb.MultiPolygon{{
				{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
				{{3, 1}, {3, 2}, {2, 2}, {3, 1}},
				{{1, 1}, {1, 2}, {2, 1}, {1, 1}},
			}},
			minWidth: 1e-5,
			want: orb.MultiPolygon{{
				{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}},
				{{1, 1}, {1, 2}, {2, 1}, {1, 1}},
				{{2, 2}, {3, 2}, {3, 1}, {2, 2}},
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tidy(tt.in, tt.minWidth)
			if !orb.Equal(got, tt.want) {
				t.Errorf("tidy =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func TestIsSliver(t *testing.T) {
	tests := []struct {
		name                      string
		area, perimeter, minWidth float64
		want                      bool
	}{
		{"strip 1e-6 wide", 1e-6, 2 + 2e-6, 1e-5, true},
		{"strip 1e-4 wide", 1e-4, 2 + 2e-4, 1e-5, false},
		{"zero area", 0, 4, 0, true},
		{"thin strip, exact mode", 1e-9, 2, 0, false},
		{"clockwise ring counts by size", -1e-6, 2, 1e-5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isSliver(tt.area, tt.perimeter, tt.minWidth); got != tt.want {
				t.Errorf("isSliver(%g, %g, %g) = %v, want %v", tt.area, tt.perimeter, tt.minWidth, got, tt.want)
			}
		})
	}
}
