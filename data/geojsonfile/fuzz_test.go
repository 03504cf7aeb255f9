package geojsonfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzRead feeds arbitrary bytes to Read: it must never panic, every error
// must be a located *Error, and whatever it accepts must be valid lon/lat
// geometry of the requested shape.
func FuzzRead(f *testing.F) {
	files, err := filepath.Glob("testdata/*.geojson")
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		for want := range uint8(3) {
			f.Add(data, want)
		}
	}
	for _, seed := range []string{
		``,
		`{"type":"FeatureCollection","features":[]}`,
		`{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":27700}},"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1e300,-1e300]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"GeometryCollection","geometries":[{"type":"GeometryCollection","geometries":[]}]}}]}`,
		`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[]]}}]}`,
	} {
		f.Add([]byte(seed), uint8(0))
	}

	f.Fuzz(func(t *testing.T, data []byte, want uint8) {
		opts := Options{Name: "fuzz.geojson", Want: Want(want % 3), MaxBytes: 1 << 20}
		c, err := Read(bytes.NewReader(data), opts)
		if err != nil {
			var located *Error
			if !errors.As(err, &located) {
				t.Fatalf("error is not an *Error: %v", err)
			}
			if located.Line < 0 || located.Column < 0 || (located.Line == 0) != (located.Column == 0) {
				t.Fatalf("bad position %d:%d in %v", located.Line, located.Column, err)
			}
			return
		}
		for i, feature := range c.Features {
			if feature.Index != i {
				t.Fatalf("feature %d has Index %d", i, feature.Index)
			}
			if err := validate(feature.Geometry); err != nil {
				t.Fatalf("feature %d accepted but invalid: %v", i, err)
			}
			switch opts.Want {
			case WantPolygons:
				if _, ok := feature.Geometry.(orb.MultiPolygon); !ok {
					t.Fatalf("polygon layer returned %T", feature.Geometry)
				}
			case WantPoints:
				if _, ok := feature.Geometry.(orb.Point); !ok {
					t.Fatalf("point layer returned %T", feature.Geometry)
				}
			}
		}
	})
}
