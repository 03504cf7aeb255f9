package gpkg

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestEncodeDecode(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {2, 0}, {2, 1}, {0, 1}, {0, 0}}}
	for _, tc := range []struct {
		name string
		g    orb.Geometry
		env  bool
	}{
		{"point", orb.Point{-2.24, 53.48}, true},
		{"polygon", square, true},
		{"multipolygon", orb.MultiPolygon{square}, true},
		{"empty", orb.MultiPolygon{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Encode(tc.g, SRSWGS84)
			if err != nil {
				t.Fatal(err)
			}
			if string(b[:2]) != "GP" || b[2] != 0 {
				t.Fatalf("header % x", b[:4])
			}
			if got := int32(binary.LittleEndian.Uint32(b[4:])); got != SRSWGS84 {
				t.Errorf("srs %d", got)
			}
			if hasEnv := b[3]&envelopeMask != 0; hasEnv != tc.env {
				t.Errorf("envelope %v, want %v", hasEnv, tc.env)
			}
			if tc.env {
				bd := tc.g.Bound()
				minX := math.Float64frombits(binary.LittleEndian.Uint64(b[8:]))
				maxY := math.Float64frombits(binary.LittleEndian.Uint64(b[32:]))
				if minX != bd.Min[0] || maxY != bd.Max[1] {
					t.Errorf("envelope minx %v maxy %v, want %v %v", minX, maxY, bd.Min[0], bd.Max[1])
				}
			}
			g, srs, err := Decode(b)
			if err != nil {
				t.Fatal(err)
			}
			if srs != SRSWGS84 || !orb.Equal(g, tc.g) {
				t.Errorf("decoded %v (srs %d), want %v", g, srs, tc.g)
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("GP"), []byte("XX\x00\x03\x00\x00\x00\x00"), []byte("GP\x01\x01\x00\x00\x00\x00"), []byte("GP\x00\x0f\x00\x00\x00\x00")} {
		if _, _, err := Decode(b); !errors.Is(err, ErrNotGeoPackage) {
			t.Errorf("Decode(%q) = %v, want ErrNotGeoPackage", b, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	b, _ := Encode(orb.Point{1, 2}, SRSWGS84)
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _, _ = Decode(data)
	})
}
