package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const minimal = `
name: t
city: {code: E08000001, name: T}
files:
  - {role: wards, path: w.geojson, columns: {code: C, name: N}}
  - {role: lsoa-boundaries, path: l.geojson, columns: {code: C}}
`

func TestRead(t *testing.T) {
	m, err := Read(strings.NewReader(minimal+`  - {role: list-sizes, path: a.csv, date: 2021-01-01, columns: {practice: 1, patients: NUMBER}}
  - {role: list-sizes, path: b.csv, columns: {practice: CODE, patients: N, date: D}}
  - {role: practices, format: epraccur, path: e.csv, header: auto, where: {prescribing_setting: "4"}}
`), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if m.Files[0].ID != "wards" || m.Files[2].ID != "list-sizes" || m.Files[3].ID != "list-sizes-2" {
		t.Errorf("default ids: %q %q %q", m.Files[0].ID, m.Files[2].ID, m.Files[3].ID)
	}
	if c := m.Files[2].Columns["practice"]; c.Position != 1 || c.Name != "" {
		t.Errorf("positional column = %+v", c)
	}
	if c := m.Files[4].EffectiveColumns()["postcode"]; c.Position != 10 {
		t.Errorf("epraccur default postcode column = %+v", c)
	}
	if m.Files[1].Format != FormatGeoJSON {
		t.Errorf("default format = %q", m.Files[1].Format)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "file is empty"},
		{"unknown field", minimal + "colour: red\n", "field colour not found"},
		{"unknown role", minimal + "  - {role: hospitals, path: h.csv}\n", `unknown role "hospitals"`},
		{"wrong format", minimal + "  - {role: population, format: geojson, path: p.csv, year: 2015, columns: {lsoa: a, total: b, age_0_15: c, age_16_59: d, age_60_plus: e}}\n", `role "population" cannot be read from format "geojson"`},
		{"missing column", minimal + "  - {role: catchments, path: c.csv, columns: {msoa: m, trust: t}}\n", `no column mapping for "proportion"`},
		{"unknown column", minimal + "  - {role: catchments, path: c.csv, columns: {msoa: m, trust: t, proportion: p, colour: c}}\n", `role "catchments" has no column "colour"`},
		{"no date", minimal + "  - {role: registrations, level: lsoa, path: r.csv, columns: {practice: p, area: a, patients: n}}\n", "no date column and no date"},
		{"bad level", minimal + "  - {role: registrations, level: ward, date: 2015-04-01, path: r.csv, columns: {practice: p, area: a, patients: n}}\n", "level must be lsoa or district"},
		{"bad date", minimal + "  - {role: registrations, level: lsoa, date: April 2015, path: r.csv, columns: {practice: p, area: a, patients: n}}\n", `date "April 2015" is not YYYY-MM-DD`},
		{"two ward files", minimal + "  - {role: wards, id: w2, path: w2.geojson, columns: {code: C, name: N}}\n", `only one file may have role "wards"`},
		{"position zero", minimal + "  - {role: postcodes, path: p.csv, columns: {postcode: 0, lat: 1, lon: 2}}\n", "column position 0 is not 1 or more"},
		{"where unmapped", minimal + "  - {role: postcodes, path: p.csv, columns: {postcode: 1, lat: 2, lon: 3}, where: {sex: ALL}}\n", `where names column "sex", which is not mapped`},
		{"keep_wards needs lookup district", strings.Replace(minimal, "columns: {code: C, name: N}", "keep_wards: lookup, columns: {code: C, name: N}", 1), "keep_wards: lookup needs an lsoa-ward-lookup file with a district column"},
		{"no city", "name: t\nfiles: []\n", "no city code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.body), "m.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error = %v\nwant it to contain %q and wrap ErrInvalid", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "manifest: m.yaml: ") {
				t.Errorf("error does not name the file: %v", err)
			}
		})
	}
}

// TestCommittedManifests: every manifest in data/manifests parses and its
// configurations exist.
func TestCommittedManifests(t *testing.T) {
	paths, err := filepath.Glob("../manifests/*.yaml")
	if err != nil || len(paths) < 2 {
		t.Fatalf("manifests: %v %v", paths, err)
	}
	for _, p := range paths {
		m, err := ReadFile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		for _, c := range m.ConfigurationPaths() {
			if _, err := os.Stat(c); err != nil {
				t.Errorf("%s: configuration %v", p, err)
			}
		}
	}
}

func FuzzRead(f *testing.F) {
	f.Add(minimal)
	f.Add(minimal + "  - {role: list-sizes, path: a.csv, date: 2021-01-01, columns: {practice: 1, patients: NUMBER}}\n")
	f.Add("name: [\n")
	f.Add(minimal + "  - {role: practices, path: p.csv, columns: {code: 1, name: 2, postcode: 3}, where: {postcode: {prefix: [\"M1 \", M2], pattern: \"M?[0-9] *\"}, in_city: true}}\n")
	f.Add(minimal + "  - {role: practices, path: p.csv, columns: {code: 1, name: 2}, where: {name: {values: []}, in_city: {prefix: x}}}\n")
	f.Fuzz(func(t *testing.T, body string) {
		m, err := Read(strings.NewReader(body), "fuzz.yaml")
		if err == nil && (m.Name == "" || m.City.Code == "") {
			t.Fatalf("accepted a manifest without name or city: %+v", m)
		}
	})
}
