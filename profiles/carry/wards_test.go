package carry

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadWards(t *testing.T) {
	square := `{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}`
	feature := func(props string) string {
		return `{"type":"Feature","properties":{` + props + `},"geometry":` + square + `}`
	}
	file := func(features ...string) string {
		return `{"type":"FeatureCollection","features":[` + strings.Join(features, ",") + `]}`
	}
	tests := []struct {
		name, body     string
		code, nameProp string
		want           string // first ward "CODE name", or the error's text
		wantErr        error
	}{
		{name: "WDnnCD found", body: file(feature(`"WD22CD":"e05011350","WD22NM":"Ancoats","area_code":"other"`)), want: "E05011350 Ancoats"},
		{name: "area_code found", body: file(feature(`"area_code":"E1","area_name":"One","lat":53`)), want: "E1 One"},
		{name: "named properties", body: file(feature(`"id":"E2","label":"Two"`)), code: "id", nameProp: "label", want: "E2 Two"},
		{name: "numeric code", body: file(feature(`"code":12345678,"name":"Three"`)), want: "12345678 Three"},
		{name: "none found", body: file(feature(`"id":"E2","label":"Two"`)), want: "the file has id, label", wantErr: ErrProperty},
		{name: "property missing", body: file(feature(`"area_code":"E1","area_name":"One"`)), code: "WD22CD", want: `no "WD22CD" property`, wantErr: ErrProperty},
		{name: "not on every feature", body: file(feature(`"area_code":"E1","area_name":"One"`), feature(`"area_code":"E2"`)), want: "none of area_name, name", wantErr: ErrProperty},
		{name: "name blank", body: file(feature(`"area_code":"E1","area_name":"One"`), feature(`"area_code":"E2","area_name":" "`)), nameProp: "area_name", want: "ward E2 has no", wantErr: ErrProperty},
		{name: "duplicate", body: file(feature(`"area_code":"E1","area_name":"One"`), feature(`"area_code":"e1","area_name":"Again"`)), want: "duplicate code E1"},
		{name: "empty", body: file(), want: "no features"},
		{name: "points", body: `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,0]}}]}`, want: "x.geojson"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "x.geojson")
			if err := os.WriteFile(path, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			wards, err := ReadWards(WardFile{Path: path, CodeProperty: tt.code, NameProperty: tt.nameProp})
			if err != nil {
				if !strings.Contains(err.Error(), tt.want) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
					t.Errorf("error %v, want %q (%v)", err, tt.want, tt.wantErr)
				}
				return
			}
			if got := wards[0].Code + " " + wards[0].Name; got != tt.want {
				t.Errorf("first ward %q, want %q", got, tt.want)
			}
			if len(wards[0].Geometry) != 1 {
				t.Errorf("geometry %v", wards[0].Geometry)
			}
		})
	}
	if _, err := ReadWards(WardFile{Path: filepath.Join(t.TempDir(), "missing.geojson")}); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.geojson") {
		t.Errorf("missing file: %v", err)
	}
}
