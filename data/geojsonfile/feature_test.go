package geojsonfile

import (
	"math"
	"testing"
)

func TestFeatureString(t *testing.T) {
	f := Feature{Properties: map[string]any{
		"code":   "  E05000001\t",
		"blank":  "   ",
		"big":    12345678.0,
		"huge":   1e21,
		"small":  0.000001,
		"ratio":  -0.25,
		"flag":   true,
		"nested": map[string]any{"a": 1.0},
		"null":   nil,
	}}
	tests := []struct {
		key  string
		want string
		ok   bool
	}{
		{"code", "E05000001", true},
		{"blank", "", false},
		{"big", "12345678", true},
		{"huge", "1000000000000000000000", true},
		{"small", "0.000001", true},
		{"ratio", "-0.25", true},
		{"flag", "", false},
		{"nested", "", false},
		{"null", "", false},
		{"missing", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, ok := f.String(tt.key)
			if got != tt.want || ok != tt.ok {
				t.Fatalf("String(%q) = %q, %v; want %q, %v", tt.key, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFeatureFloat(t *testing.T) {
	f := Feature{Properties: map[string]any{
		"number":  12.5,
		"text":    " 1234 ",
		"words":   "twelve",
		"nan":     "NaN",
		"inf":     "+Inf",
		"flag":    false,
		"null":    nil,
		"integer": 7.0,
	}}
	tests := []struct {
		key  string
		want float64
		ok   bool
	}{
		{"number", 12.5, true},
		{"text", 1234, true},
		{"integer", 7, true},
		{"words", 0, false},
		{"nan", 0, false},
		{"inf", 0, false},
		{"flag", 0, false},
		{"null", 0, false},
		{"missing", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			got, ok := f.Float(tt.key)
			if got != tt.want || ok != tt.ok || math.IsNaN(got) {
				t.Fatalf("Float(%q) = %v, %v; want %v, %v", tt.key, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestFeatureHelpersOnDecodedFile(t *testing.T) {
	c, err := ReadFile("testdata/crs84_polygons.geojson", Options{Want: WantPolygons})
	if err != nil {
		t.Fatal(err)
	}
	f := c.Features[0]
	if code, ok := f.String("code"); code != "E05000001" || !ok {
		t.Errorf("code = %q, %v", code, ok)
	}
	if pop, ok := f.String("population"); pop != "12345678" || !ok {
		t.Errorf("population = %q, %v", pop, ok)
	}
	if area, ok := f.Float("area_ha"); area != 12.5 || !ok {
		t.Errorf("area_ha = %v, %v", area, ok)
	}
	if small, ok := c.Features[1].String("population"); small != "0.000001" || !ok {
		t.Errorf("small population = %q, %v", small, ok)
	}
}
