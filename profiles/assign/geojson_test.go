package assign

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestGeoJSON(t *testing.T) {
	in := `{"type":"FeatureCollection","name":"visits","features":[
 {"type":"Feature","id":1,"geometry":{"type":"Point","coordinates":[-2.25,53.45]},"properties":{"ref":"a"}},
 {"type":"Feature","id":2,"geometry":{"type":"Point","coordinates":[-2.2,53.45]},"properties":{"ref":"b"}},
 {"type":"Feature","id":3,"geometry":{"type":"Point","coordinates":[-2.05,53.45]},"properties":null},
 {"type":"Feature","id":4,"geometry":{"type":"LineString","coordinates":[[-2.25,53.45],[-2.15,53.45]]},"properties":{}},
 {"type":"Feature","id":5,"geometry":null,"properties":{}},
 {"type":"Feature","id":6,"geometry":{"type":"Point","coordinates":[-2.25,95]},"properties":{}},
 {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[1e999,53]},"properties":{}},
 {"type":"Polygon","coordinates":[]},
 {"type":"Feature","id":9,"geometry":{"type":"Point","coordinates":[-2.15,53.55,12.5]},"properties":{"ward_code":"stale"}}
]}`
	var out bytes.Buffer
	sum, err := GeoJSON(context.Background(), fixture(t), strings.NewReader(in), &out, Options{Name: "visits.geojson"})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Type     string
		Features []struct {
			ID         json.RawMessage
			Geometry   json.RawMessage
			Properties map[string]any
		}
		Summary Summary
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out.String())
	}
	if got.Type != "FeatureCollection" || len(got.Features) != 9 {
		t.Fatalf("type %q, %d features", got.Type, len(got.Features))
	}
	wants := []want{
		west,
		east, // west|east edge: lowest code
		{lsoa: "E01000009", status: StatusOutsideCity, line: 3},
		problem(StatusNotAPoint, 4),
		problem(StatusMissingLocation, 5),
		problem(StatusBadCoordinates, 6),
		problem(StatusBadCoordinates, 7),
		problem(StatusMalformedRow, 8),
		north, // a third coordinate (height) is ignored; a stale ward_code is replaced
	}
	str := func(v any) string { s, _ := v.(string); return s }
	for i, f := range got.Features {
		p := f.Properties
		g := want{ward: str(p["ward_code"]), lsoa: str(p["lsoa_code"]), team: str(p["team_id"]), locality: str(p["locality_id"]), status: Status(str(p["status"]))}
		w := wants[i]
		if w.line != 0 {
			g.line = w.line
			if !strings.HasPrefix(str(p["reason"]), "feature "+itoa(w.line)+": ") {
				t.Errorf("feature %d: reason %q", i+1, p["reason"])
			}
		}
		if g != w {
			t.Errorf("feature %d: got %+v, want %+v (%v)", i+1, g, w, p)
		}
		if g.status != StatusPlaced && p["ward_code"] != nil {
			t.Errorf("feature %d: ward_code %v, want null", i+1, p["ward_code"])
		}
	}
	if got.Features[0].Properties["ref"] != "a" || string(got.Features[0].ID) != "1" {
		t.Errorf("feature 1 lost its id or properties: %+v", got.Features[0])
	}
	if !strings.Contains(string(got.Features[3].Geometry), "LineString") {
		t.Errorf("feature 4's geometry not passed through: %s", got.Features[3].Geometry)
	}
	if got.Summary.Rows != 9 || got.Summary.Placed != 3 || sum.Placed != 3 || len(got.Summary.Problems) != 6 {
		t.Errorf("summary member %+v, returned %s", got.Summary, sum)
	}
}

func TestGeoJSONUnreadable(t *testing.T) {
	for _, tt := range []struct{ name, in string }{
		{"empty", ""},
		{"not an object", `[1,2]`},
		{"a feature", `{"type":"Feature","geometry":null,"properties":{}}`},
		{"no features", `{"type":"FeatureCollection"}`},
		{"features not an array", `{"type":"FeatureCollection","features":{}}`},
		{"syntax error before the features", `{"type":"FeatureCollection",,"features":[]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := GeoJSON(context.Background(), fixture(t), strings.NewReader(tt.in), &out, Options{Name: "body"})
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			if out.Len() != 0 && tt.name != "a feature" {
				t.Errorf("wrote %q before failing", out.String())
			}
		})
	}
}

func TestGeoJSONTruncated(t *testing.T) {
	in := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[-2.25,53.45]},"properties":{}},{"type":"Feat`
	var out bytes.Buffer
	sum, err := GeoJSON(context.Background(), fixture(t), strings.NewReader(in), &out, Options{Name: "body"})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error %v, want an *InputError", err)
	}
	var got struct {
		Features []any
		Error    string
	}
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("a cut input must still give JSON: %v\n%s", err, out.String())
	}
	if len(got.Features) != 1 || got.Error == "" || sum.Rows != 1 {
		t.Errorf("features %d, error %q, rows %d", len(got.Features), got.Error, sum.Rows)
	}
}

// TestGeoJSONRefusesHugeFeatures: a feature over the size limit ends the
// output with an error member instead of being held whole.
func TestGeoJSONRefusesHugeFeatures(t *testing.T) {
	huge := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[0.5,50.5]},"properties":{}},` +
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[0.5,50.5]},"properties":{"note":"` + strings.Repeat("x", maxValueBytes+256<<10) + `"}}]}`
	var out bytes.Buffer
	_, err := GeoJSON(context.Background(), fixture(t), strings.NewReader(huge), &out, Options{Name: "huge.geojson"})
	if !errors.Is(err, errValueTooLarge) {
		t.Fatalf("error %v, want errValueTooLarge", err)
	}
	if !strings.Contains(out.String(), `"error":`) {
		t.Errorf("the output does not end with an error member: %.200s", out.String())
	}
}
