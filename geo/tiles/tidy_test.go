package tiles

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/paulmach/orb"
)

func TestTidyGeometry(t *testing.T) {
	// In tile coordinates (y down) orb calls a ring of positive area CCW;
	// MVT 2 wants that for exterior rings.
	positive := orb.Ring{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}
	negative := orb.Ring{{0, 0}, {0, 10}, {10, 10}, {10, 0}, {0, 0}}
	hole := orb.Ring{{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}
	holeWrong := orb.Ring{{2, 2}, {4, 2}, {4, 4}, {2, 4}, {2, 2}}

	tests := []struct {
		name string
		in   orb.Geometry
		want orb.Geometry // nil: dropped
	}{
		{"point kept", orb.Point{1, 2}, orb.Point{1, 2}},
		{"empty multipoint dropped", orb.MultiPoint{}, nil},
		{"repeated line points removed", orb.LineString{{0, 0}, {0, 0}, {1, 1}, {1, 1}}, orb.LineString{{0, 0}, {1, 1}}},
		{"line collapsed to a point dropped", orb.LineString{{3, 3}, {3, 3}}, nil},
		{"collapsed part of multiline dropped", orb.MultiLineString{{{0, 0}, {0, 0}}, {{0, 0}, {5, 5}}}, orb.MultiLineString{{{0, 0}, {5, 5}}}},
		{"exterior rewound", orb.Polygon{clone(negative)}, orb.Polygon{positive}},
		{"exterior kept", orb.Polygon{clone(positive)}, orb.Polygon{positive}},
		{"hole rewound", orb.Polygon{clone(positive), clone(holeWrong)}, orb.Polygon{positive, hole}},
		{"flat hole dropped", orb.Polygon{clone(positive), {{2, 2}, {3, 3}, {2, 2}, {2, 2}}}, orb.Polygon{positive}},
		{"flat exterior drops polygon", orb.Polygon{{{0, 0}, {5, 0}, {10, 0}, {0, 0}}, clone(hole)}, nil},
		{"repeated ring points removed", orb.Polygon{{{0, 0}, {10, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}}, orb.Polygon{positive}},
		{"unclosed ring closed", orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}, orb.Polygon{positive}},
		{"multipolygon parts each rewound", orb.MultiPolygon{{clone(negative)}, {clone(negative)}}, orb.MultiPolygon{{positive}, {positive}}},
		{"flat multipolygon part dropped", orb.MultiPolygon{{{{0, 0}, {1, 1}, {0, 0}}}, {clone(positive)}}, orb.MultiPolygon{{positive}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tidyGeometry(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("tidyGeometry (-want +got):\n%s", diff)
			}
		})
	}
}

func clone(r orb.Ring) orb.Ring { return orb.Clone(r).(orb.Ring) }
