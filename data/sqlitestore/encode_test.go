package sqlitestore

import (
	"database/sql"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

func TestTimeEncoding(t *testing.T) {
	now := time.Now() // carries a monotonic reading
	tests := []struct {
		name string
		in   time.Time
		want time.Time
	}{
		{"zero", time.Time{}, time.Time{}},
		{"UTC day", time.Date(2015, time.April, 1, 0, 0, 0, 0, time.UTC), time.Date(2015, time.April, 1, 0, 0, 0, 0, time.UTC)},
		{"nanoseconds", time.Date(2019, 10, 2, 13, 14, 15, 123456789, time.UTC), time.Date(2019, 10, 2, 13, 14, 15, 123456789, time.UTC)},
		{"other zone becomes UTC", time.Date(2024, 5, 6, 9, 30, 0, 0, time.FixedZone("BST", 3600)), time.Date(2024, 5, 6, 8, 30, 0, 0, time.UTC)},
		{"monotonic reading dropped", now, now.Round(0).UTC()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := encodeTime(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var s sql.NullString
			if v != nil {
				s = sql.NullString{String: v.(string), Valid: true}
			}
			got, err := decodeTime(s)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("round trip of %v = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
	if _, err := encodeTime(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("year 10000 encoded without error")
	}
}

func TestGeometryEncoding(t *testing.T) {
	tests := []struct {
		name string
		in   orb.MultiPolygon
		want orb.MultiPolygon
	}{
		{"nil", nil, nil},
		{"empty becomes nil", orb.MultiPolygon{}, nil},
		{"polygon with hole", orb.MultiPolygon{{square(0, 0, 1), reversed(square(0.25, 0.25, 0.5))}},
			orb.MultiPolygon{{square(0, 0, 1), reversed(square(0.25, 0.25, 0.5))}}},
		{"awkward floats", orb.MultiPolygon{{{{-2.2426305, 53.4807593}, {0.1 + 0.2, math.SmallestNonzeroFloat64}, {179.99999999999997, -89.9}, {-2.2426305, 53.4807593}}}},
			orb.MultiPolygon{{{{-2.2426305, 53.4807593}, {0.1 + 0.2, math.SmallestNonzeroFloat64}, {179.99999999999997, -89.9}, {-2.2426305, 53.4807593}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := encodeGeometry(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			var b []byte
			if v != nil {
				b = v.([]byte)
			}
			got, err := decodeGeometry(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("round trip = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := decodeGeometry([]byte{1, 2, 3}); err == nil {
		t.Error("garbage decoded without error")
	}
}

func TestFloatEncoding(t *testing.T) {
	for _, f := range []float64{0, -1.5, 0.1 + 0.2, math.MaxFloat64, math.Inf(-1)} {
		v := encodeFloat(f)
		got := decodeFloat(sql.NullFloat64{Float64: v.(float64), Valid: true})
		if got != f {
			t.Errorf("round trip of %v = %v", f, got)
		}
	}
	if v := encodeFloat(math.NaN()); v != nil {
		t.Errorf("NaN encoded as %v, want NULL", v)
	}
	if got := decodeFloat(sql.NullFloat64{}); !math.IsNaN(got) {
		t.Errorf("NULL decoded as %v, want NaN", got)
	}
}
