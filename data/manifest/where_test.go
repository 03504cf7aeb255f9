package manifest

import (
	"errors"
	"strings"
	"testing"
)

func TestWhereConditions(t *testing.T) {
	m, err := Read(strings.NewReader(minimal+`  - role: practices
    path: p.csv
    columns: {code: 1, name: 2, postcode: 3, commissioner: 4}
    where:
      commissioner: [14l, 01M]
      postcode: {prefix: ["M1 ", M2]}
      name: {pattern: "*SURGERY*", values: [THE HEALTH CENTRE]}
      in_city: true
`), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f := m.Files[2]
	if !f.InCity() {
		t.Error("in_city: true not seen")
	}
	tests := []struct {
		column, cell string
		want         bool
	}{
		{"commissioner", "14L", true},
		{"commissioner", " 01m ", true},
		{"commissioner", "00W", false},
		{"postcode", "M1 1AA", true},
		{"postcode", "m2 3bb", true},
		{"postcode", "M13 9WL", false}, // "M1 " keeps its space: M13 is another district
		{"postcode", "OL1 1AA", false},
		{"name", "Alpha Surgery Ltd", true},
		{"name", "the health centre", true},
		{"name", "Beta Medical Centre", false},
	}
	for _, tt := range tests {
		if got := f.Where[tt.column].Matcher()(tt.cell); got != tt.want {
			t.Errorf("where %s on %q = %v, want %v", tt.column, tt.cell, got, tt.want)
		}
	}
	// The exact form is unchanged: a scalar is one value.
	if c := f.Where["commissioner"]; len(c.Values) != 2 || len(c.Prefixes) != 0 {
		t.Errorf("exact condition = %+v", c)
	}
}

func TestWhereErrors(t *testing.T) {
	practices := "  - {role: practices, path: p.csv, columns: {code: 1, name: 2, postcode: 3}, where: %s}\n"
	tests := []struct {
		name, where, want string
	}{
		{"unknown key", "{postcode: {starts: M1}}", `not "starts"`},
		{"empty mapping", "{postcode: {}}", "an empty where condition keeps no rows"},
		{"bad pattern", `{postcode: {pattern: "M1["}}`, `pattern "M1["`},
		{"in_city false", "{in_city: false}", "in_city must be true"},
		{"in_city prefix", "{in_city: {prefix: t}}", "in_city must be true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := minimal + strings.Replace(practices, "%s", tt.where, 1)
			_, err := Read(strings.NewReader(body), "m.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
	// in_city names no column, and only practices are located in wards.
	body := minimal + "  - {role: postcodes, path: p.csv, columns: {postcode: 1, lat: 2, lon: 3}, where: {in_city: true}}\n"
	if _, err := Read(strings.NewReader(body), "m.yaml"); err == nil || !strings.Contains(err.Error(), "in_city applies to the practices file only") {
		t.Errorf("in_city on postcodes: %v", err)
	}
}

func TestValidationErrorsNameTheLine(t *testing.T) {
	body := minimal + "  - {role: hospitals, path: h.csv}\n"
	_, err := Read(strings.NewReader(body), "m.yaml")
	if err == nil || !strings.Contains(err.Error(), `m.yaml: invalid manifest: line 7: files[2] (hospitals): unknown role "hospitals"`) {
		t.Fatalf("error = %v", err)
	}
}
