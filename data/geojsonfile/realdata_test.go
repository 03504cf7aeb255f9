package geojsonfile

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/geo/reproject"
)

const (
	wardsFile = "boundaries/wards_2004_2018_manchester_wd13.geojson"
	lsoaFile  = "boundaries/lsoa_2011_manchester_and_neighbours.geojson"
)

func TestReadManchesterWards(t *testing.T) {
	c, err := ReadFile(realdata.File(t, wardsFile), Options{Want: WantPolygons})
	if err != nil {
		t.Fatal(err)
	}
	if c.CRS != reproject.CRS84 {
		t.Errorf("CRS = %q", c.CRS)
	}
	if len(c.Features) != 32 {
		t.Fatalf("%d wards, want 32", len(c.Features))
	}
	seen := map[string]bool{}
	for _, f := range c.Features {
		code, ok := f.String("WD13CD")
		if !ok || !strings.HasPrefix(code, "E05") || len(code) != 9 {
			t.Errorf("feature %d: WD13CD = %q", f.Index, code)
		}
		if seen[code] {
			t.Errorf("duplicate ward code %s", code)
		}
		seen[code] = true
		mp := f.Geometry.(orb.MultiPolygon)
		// Manchester lies within 53.3–53.6 N, 2.15–2.35 W.
		if b := mp.Bound(); b.Min[0] < -2.4 || b.Max[0] > -2.1 || b.Min[1] < 53.3 || b.Max[1] > 53.6 {
			t.Errorf("feature %d (%s): bound %v is not in Manchester", f.Index, code, b)
		}
	}
}

func BenchmarkReadLSOA(b *testing.B) {
	data, err := os.ReadFile(realdata.File(b, lsoaFile))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := Read(bytes.NewReader(data), Options{Name: "lsoa.geojson", Want: WantPolygons})
		if err != nil {
			b.Fatal(err)
		}
		if len(c.Features) != 1296 {
			b.Fatalf("%d features, want 1296", len(c.Features))
		}
	}
}
