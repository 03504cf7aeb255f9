package geojsonfile

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/reproject"
	"github.com/placeteam/placeteam/geo/validity"
)

func near(a, b orb.Point, tolerance float64) bool {
	return math.Abs(a[0]-b[0]) <= tolerance && math.Abs(a[1]-b[1]) <= tolerance
}

func TestRead(t *testing.T) {
	tests := []struct {
		file  string
		want  Want
		crs   reproject.CRS
		check func(t *testing.T, c *Collection)
	}{
		{"crs84_polygons.geojson", WantPolygons, reproject.CRS84, func(t *testing.T, c *Collection) {
			square := c.Features[0].Geometry.(orb.MultiPolygon)
			if len(square) != 1 || square[0][0][0] != (orb.Point{-2.25, 53.47}) {
				t.Errorf("Polygon not returned as a one-part MultiPolygon: %v", square)
			}
			parts := c.Features[1].Geometry.(orb.MultiPolygon)
			if len(parts) != 2 || len(parts[0]) != 2 {
				t.Errorf("want 2 parts, the first with a hole: %v", parts)
			}
			if parts[0][0][0] != (orb.Point{-2.24, 53.47}) {
				t.Errorf("height not dropped: %v", parts[0][0][0])
			}
			if c.Features[1].Index != 1 {
				t.Errorf("Index = %d", c.Features[1].Index)
			}
		}},
		{"crs84_polygons.geojson", WantAny, reproject.CRS84, func(t *testing.T, c *Collection) {
			if _, ok := c.Features[0].Geometry.(orb.Polygon); !ok {
				t.Errorf("WantAny changed the Polygon to %T", c.Features[0].Geometry)
			}
		}},
		{"rfc7946_no_crs.geojson", WantPolygons, reproject.CRS84, nil},
		{"epsg4326.geojson", WantPolygons, reproject.EPSG4326, func(t *testing.T, c *Collection) {
			// GDAL's EPSG:4326 GeoJSON is lon/lat, not the EPSG lat/lon order.
			if p := c.Features[0].Geometry.(orb.MultiPolygon)[0][0][0]; p != (orb.Point{-2.25, 53.47}) {
				t.Errorf("first position %v, want lon first", p)
			}
		}},
		{"bng_27700.geojson", WantPolygons, reproject.BritishNationalGrid, func(t *testing.T, c *Collection) {
			ring := c.Features[0].Geometry.(orb.MultiPolygon)[0][0]
			if !near(ring[0], orb.Point{-2.2425, 53.4785}, 1e-4) || ring[0] != ring[len(ring)-1] {
				t.Errorf("E384000 N398000 -> %v, want about (-2.2425, 53.4785) and a closed ring", ring[0])
			}
			if !near(ring[2], orb.Point{-2.2275, 53.4875}, 1e-4) {
				t.Errorf("E385000 N399000 -> %v, want about (-2.2275, 53.4875)", ring[2])
			}
			// OS test point TP16, Daresbury: OSTN15 gives 53.34480280190, -2.64049320810.
			daresbury := c.Features[1].Geometry.(orb.MultiPolygon)[0][0][0]
			if !near(daresbury, orb.Point{-2.64049320810, 53.34480280190}, 5e-5) {
				t.Errorf("TP16 -> %v", daresbury)
			}
		}},
		{"bom.geojson", WantPolygons, reproject.CRS84, nil},
		{"points.geojson", WantPoints, reproject.CRS84, func(t *testing.T, c *Collection) {
			if p := c.Features[1].Geometry.(orb.Point); p != (orb.Point{-2.2425, 53.4785}) {
				t.Errorf("one-point MultiPoint -> %v", p)
			}
		}},
		{"mixed.geojson", WantAny, reproject.CRS84, func(t *testing.T, c *Collection) {
			if _, ok := c.Features[0].Geometry.(orb.LineString); !ok {
				t.Errorf("feature 0 is %T", c.Features[0].Geometry)
			}
			if g, ok := c.Features[1].Geometry.(orb.Collection); !ok || len(g) != 2 {
				t.Errorf("feature 1 is %v", c.Features[1].Geometry)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, err := ReadFile(filepath.Join("testdata", tt.file), Options{Want: tt.want})
			if err != nil {
				t.Fatal(err)
			}
			if c.CRS != tt.crs {
				t.Errorf("CRS = %q, want %q", c.CRS, tt.crs)
			}
			for i, f := range c.Features {
				if f.Index != i {
					t.Errorf("feature %d has Index %d", i, f.Index)
				}
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name    string
		file    string // in testdata, or
		input   string // inline, read as x.geojson
		opts    Options
		want    error
		text    string
		feature int
	}{
		{name: "malformed JSON", file: "malformed.geojson", want: ErrMalformedJSON, feature: 1,
			text: `geojsonfile: malformed.geojson:5:59: feature 1: malformed JSON: invalid character '}' looking for beginning of object key string`},
		{name: "not a FeatureCollection", file: "not_collection.geojson", want: ErrNotFeatureCollection, feature: -1,
			text: `geojsonfile: not_collection.geojson: not a GeoJSON FeatureCollection: type is "Feature"`},
		{name: "feature without geometry", file: "no_geometry.geojson", want: ErrNoGeometry, feature: 1,
			text: `geojsonfile: no_geometry.geojson:5:1: feature 1: feature has no geometry`},
		{name: "unknown CRS", file: "unknown_crs.geojson", want: reproject.ErrUnknownCRS, feature: -1,
			text: `geojsonfile: unknown_crs.geojson: unknown or unsupported coordinate reference system: crs "urn:ogc:def:crs:EPSG::3857" (supported: OGC:CRS84, EPSG:4326, EPSG:27700)`},
		{name: "unclosed ring", file: "unclosed_ring.geojson", opts: Options{Want: WantPolygons}, want: validity.ErrUnclosedRing, feature: 1,
			text: `geojsonfile: unclosed_ring.geojson:5:1: feature 1: exterior ring: ring is not closed (first and last positions differ)`},
		{name: "degenerate ring", file: "degenerate_ring.geojson", opts: Options{Want: WantPolygons}, want: validity.ErrDegenerateRing, feature: 0,
			text: `geojsonfile: degenerate_ring.geojson:4:1: feature 0: polygon 1: exterior ring: ring is degenerate (fewer than 4 positions or zero area): area is zero`},
		{name: "non-finite coordinate", file: "nonfinite.geojson", want: validity.ErrBadCoordinate, feature: 0,
			text: `geojsonfile: nonfinite.geojson:4:1: feature 0: coordinate is not a finite lon/lat: coordinates: 1e400 is out of float64 range`},
		{name: "projected file without crs", file: "projected_no_crs.geojson", want: ErrCRSMismatch, feature: 0,
			text: `geojsonfile: projected_no_crs.geojson:4:1: feature 0: coordinates do not fit the coordinate reference system: ` +
				`position (384000, 398000) is outside lon/lat range: with no crs member the file must be RFC 7946 lon/lat, ` +
				`but it looks projected (British National Grid eastings/northings?); add a crs member such as ` +
				`"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}} or export it as WGS84`},
		{name: "lon/lat labelled BNG", file: "lonlat_labelled_bng.geojson", want: ErrCRSMismatch, feature: 0,
			text: `geojsonfile: lonlat_labelled_bng.geojson:5:1: feature 0: coordinates do not fit the coordinate reference system: ` +
				`every position is within lon/lat range although the crs member says EPSG:27700 (eastings and northings in metres)`},
		{name: "point in a polygon layer", file: "points.geojson", opts: Options{Want: WantPolygons}, want: ErrGeometryType, feature: 0,
			text: `geojsonfile: points.geojson:4:1: feature 0: unsupported geometry type: Point in a polygon layer (want Polygon or MultiPolygon)`},
		{name: "polygon in a point layer", file: "crs84_polygons.geojson", opts: Options{Want: WantPoints}, want: ErrGeometryType, feature: 0,
			text: `geojsonfile: crs84_polygons.geojson:6:1: feature 0: unsupported geometry type: Polygon in a point layer (want Point)`},
		{name: "line in a polygon layer", file: "mixed.geojson", opts: Options{Want: WantPolygons}, want: ErrGeometryType, feature: 0,
			text: `geojsonfile: mixed.geojson:4:1: feature 0: unsupported geometry type: LineString in a polygon layer (want Polygon or MultiPolygon)`},
		{name: "BOM does not shift columns", input: "\xef\xbb\xbf{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"geometry\":null}]}",
			want: ErrNoGeometry, feature: 0, text: `geojsonfile: x.geojson:1:41: feature 0: feature has no geometry`},
		{name: "empty", input: "  \n", want: ErrMalformedJSON, feature: -1,
			text: `geojsonfile: x.geojson: malformed JSON: file is empty`},
		{name: "truncated", input: "{\"type\":\"FeatureCollection\",\n\"features\":[", want: ErrMalformedJSON, feature: -1,
			text: `geojsonfile: x.geojson:2:12: malformed JSON: unexpected end of JSON input`},
		{name: "trailing data", input: `{"type":"FeatureCollection","features":[]} x`, want: ErrMalformedJSON, feature: -1,
			text: `geojsonfile: x.geojson:1:44: malformed JSON: invalid character 'x' after top-level value`},
		{name: "second top-level value", input: `{"type":"FeatureCollection","features":[]}` + "\n{}", want: ErrMalformedJSON, feature: -1,
			text: `geojsonfile: x.geojson:2:1: malformed JSON: invalid character '{' after top-level value`},
		{name: "top level array", input: `[1,2]`, want: ErrNotFeatureCollection, feature: -1,
			text: `geojsonfile: x.geojson: not a GeoJSON FeatureCollection: top level is an array, not an object`},
		{name: "no features", input: `{"type":"FeatureCollection"}`, want: ErrNotFeatureCollection, feature: -1,
			text: `geojsonfile: x.geojson: not a GeoJSON FeatureCollection: no features member`},
		{name: "no type", input: `{"features":[]}`, want: ErrNotFeatureCollection, feature: -1,
			text: `geojsonfile: x.geojson: not a GeoJSON FeatureCollection: top-level object has no type member`},
		{name: "type not a string", input: `{"type":5,"features":[]}`, want: ErrNotFeatureCollection, feature: -1,
			text: `geojsonfile: x.geojson: not a GeoJSON FeatureCollection: type member: got JSON number, want a string`},
		{name: "features not an array", input: `{"type":"FeatureCollection","features":{}}`, want: ErrNotFeatureCollection, feature: -1,
			text: `geojsonfile: x.geojson: not a GeoJSON FeatureCollection: features is an object, not an array`},
		{name: "feature not an object", input: `{"type":"FeatureCollection","features":[1]}`, want: ErrInvalidGeoJSON, feature: 0,
			text: `geojsonfile: x.geojson:1:41: feature 0: invalid GeoJSON: feature: got JSON number, want an object`},
		{name: "feature type", input: `{"type":"FeatureCollection","features":[{"type":"Point","coordinates":[1,2]}]}`, want: ErrInvalidGeoJSON, feature: 0,
			text: `geojsonfile: x.geojson:1:41: feature 0: invalid GeoJSON: type is "Point", want "Feature"`},
		{name: "properties not an object", input: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":"x","geometry":null}]}`,
			want: ErrInvalidGeoJSON, feature: 0,
			text: `geojsonfile: x.geojson:1:41: feature 0: invalid GeoJSON: properties: got JSON string, want an object`},
		{name: "short position", input: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]}}]}`,
			want: ErrInvalidGeoJSON, feature: 0,
			text: `geojsonfile: x.geojson:1:41: feature 0: invalid GeoJSON: coordinates: position has 1 number(s), need at least 2`},
		{name: "wrong nesting", input: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[1,2]]}}]}`,
			want: ErrInvalidGeoJSON, feature: 0,
			text: `geojsonfile: x.geojson:1:41: feature 0: invalid GeoJSON: coordinates: expected an array, found '1'`},
		{name: "unknown geometry type", input: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Circle","coordinates":[1,2]}}]}`,
			want: ErrGeometryType, feature: 0,
			text: `geojsonfile: x.geojson:1:41: feature 0: unsupported geometry type: "Circle" is not a GeoJSON geometry type`},
		{name: "link crs", input: `{"type":"FeatureCollection","crs":{"type":"link","properties":{"href":"x.prj"}},"features":[]}`,
			want: reproject.ErrUnknownCRS, feature: -1,
			text: `geojsonfile: x.geojson: unknown or unsupported coordinate reference system: crs member of type "link" (only crs members of type name or EPSG are supported)`},
		{name: "legacy EPSG crs", input: `{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":3857}},"features":[]}`,
			want: reproject.ErrUnknownCRS, feature: -1,
			text: `geojsonfile: x.geojson: unknown or unsupported coordinate reference system: crs "EPSG:3857" (supported: OGC:CRS84, EPSG:4326, EPSG:27700)`},
		{name: "declared lon/lat out of range", input: `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},"features":[` +
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[200,0]}}]}`,
			want: ErrCRSMismatch, feature: 0,
			text: `geojsonfile: x.geojson:1:97: feature 0: coordinates do not fit the coordinate reference system: position (200, 0) is outside lon/lat range although the crs member says EPSG:4326`},
		{name: "multipoint in a point layer", input: `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"MultiPoint","coordinates":[[1,2],[3,4]]}}]}`,
			opts: Options{Want: WantPoints}, want: ErrGeometryType, feature: 0,
			text: `geojsonfile: x.geojson:1:41: feature 0: unsupported geometry type: MultiPoint with 2 points in a point layer (want Point)`},
		{name: "too large", input: `{"type":"FeatureCollection","features":[]}`, opts: Options{MaxBytes: 10}, want: ErrTooLarge, feature: -1,
			text: `geojsonfile: x.geojson: file is too large: more than 10 bytes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.file != "" {
				_, err = ReadFile(filepath.Join("testdata", tt.file), tt.opts)
			} else {
				tt.opts.Name = "x.geojson"
				_, err = Read(strings.NewReader(tt.input), tt.opts)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if err.Error() != tt.text {
				t.Errorf("error text\n got: %s\nwant: %s", err, tt.text)
			}
			var located *Error
			if !errors.As(err, &located) || located.Feature != tt.feature {
				t.Errorf("want *Error for feature %d, got %#v", tt.feature, err)
			}
		})
	}
}

// TestMalformedPosition checks the reported column is the offending byte.
func TestMalformedPosition(t *testing.T) {
	data, err := os.ReadFile("testdata/malformed.geojson")
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Split(string(data), "\n")[4]
	_, err = Read(strings.NewReader(string(data)), Options{})
	var located *Error
	if !errors.As(err, &located) {
		t.Fatalf("err = %v", err)
	}
	if located.Line != 5 || line[located.Column-1] != '}' || line[located.Column-3] != ',' {
		t.Fatalf("position %d:%d does not point at the '}' after the trailing comma in %q", located.Line, located.Column, line)
	}
}

func TestReadDefaultName(t *testing.T) {
	_, err := Read(strings.NewReader("{"), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "geojsonfile: input:1:1: ") {
		t.Fatalf("err = %v", err)
	}
}

func TestReadIOError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := Read(iotest.ErrReader(boom), Options{Name: "x.geojson"})
	if !errors.Is(err, boom) || err.Error() != "geojsonfile: x.geojson: read: disk on fire" {
		t.Fatalf("err = %v", err)
	}
}

func TestReadFileMissing(t *testing.T) {
	_, err := ReadFile(filepath.Join("testdata", "missing.geojson"), Options{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
}

func TestReadMaxBytesBoundary(t *testing.T) {
	const doc = `{"type":"FeatureCollection","features":[]}`
	if _, err := Read(strings.NewReader(doc), Options{MaxBytes: int64(len(doc))}); err != nil {
		t.Fatalf("a file of exactly MaxBytes was refused: %v", err)
	}
	if _, err := Read(io.MultiReader(strings.NewReader(doc), strings.NewReader(" ")), Options{MaxBytes: int64(len(doc))}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestLegacyEPSGCRSMember(t *testing.T) {
	for _, code := range []string{`27700`, `"27700"`} {
		doc := `{"type":"FeatureCollection","crs":{"type":"EPSG","properties":{"code":` + code + `}},"features":[` +
			`{"type":"Feature","geometry":{"type":"Point","coordinates":[384000,398000]}}]}`
		c, err := Read(strings.NewReader(doc), Options{Want: WantPoints})
		if err != nil {
			t.Fatal(err)
		}
		if c.CRS != reproject.BritishNationalGrid || !near(c.Features[0].Geometry.(orb.Point), orb.Point{-2.2425, 53.4785}, 1e-4) {
			t.Fatalf("code %s: %s %v", code, c.CRS, c.Features[0].Geometry)
		}
	}
}
