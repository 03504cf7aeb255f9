package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// TestFlowsProvenance: the header line says where flows come from for each
// kind of data: generated (demo), real LSOA counts, a gravity model on real
// district counts (with or without the city boundary straight from the
// counts), and none at all.
func TestFlowsProvenance(t *testing.T) {
	sources := []dataset.Source{{ID: "demo-registrations", Modelled: true}, {ID: "registrations-lsoa"}, {ID: "registrations-2015-04"}}
	tests := []struct {
		name      string
		fm        wardtables.FlowModel
		want, not []string
	}{
		{"demo", wardtables.FlowModel{Kind: "registrations", Modelled: true, Sources: []string{"demo-registrations"}},
			[]string{"SYNTHETIC", "generated", "not real"}, []string{"real practice", "decay", "MODELLED"}},
		{"real lsoa", wardtables.FlowModel{Kind: "registrations", Sources: []string{"registrations-lsoa"}},
			[]string{"straight from practice × LSOA registration counts"}, []string{"MODELLED", "SYNTHETIC", "decay"}},
		{"gravity, city is a district", wardtables.FlowModel{Kind: "gravity", Modelled: true, Decay: 2.352, Calibrated: true, CityIsDistrict: true, Sources: []string{"registrations-2015-04", "gravity model (placeteam estimate)"}},
			[]string{"MODELLED", "decay 2.352/km", "calibrated by maximum likelihood", "practice × district counts", "straight from those counts"}, []string{"SYNTHETIC"}},
		{"gravity, city is not a district", wardtables.FlowModel{Kind: "gravity", Modelled: true, Decay: 1.5, Sources: []string{"registrations-2015-04"}},
			[]string{"MODELLED", "decay 1.500/km, set by --decay", "estimated too"}, []string{"straight from those counts"}},
		{"none", wardtables.FlowModel{Kind: "none"},
			[]string{"no registrations by area of residence"}, []string{"MODELLED", "decay"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flowsProvenance(tt.fm, sources)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("%q lacks %q", got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("%q says %q", got, n)
				}
			}
		})
	}
}

// TestDemoHeadersSaySynthetic: the demo city's profile and flows tables do
// not claim real counts or print a gravity decay they do not use.
func TestDemoHeadersSaySynthetic(t *testing.T) {
	db := demoStore(t)
	for _, cmd := range []string{"profile", "flows"} {
		out, err := run(t, cmd, "--db", db, "--config", "demo-baseline")
		if err != nil {
			t.Fatalf("%s: %v", cmd, err)
		}
		header := strings.Join(strings.SplitN(out, "\n", 4)[:3], "\n")
		if !strings.Contains(header, "SYNTHETIC") {
			t.Errorf("%s header does not say the flows are synthetic:\n%s", cmd, header)
		}
		for _, lie := range []string{"real practice", "decay 0.000", "registrations model"} {
			if strings.Contains(out, lie) {
				t.Errorf("%s says %q:\n%s", cmd, lie, header)
			}
		}
	}
}

// importManchester imports the shared Manchester data into a new store.
func importManchester(t *testing.T) string {
	t.Helper()
	dir := realdata.Dir(t)
	db := filepath.Join(t.TempDir(), "mcr.db")
	if out, err := run(t, "import", "--db", db, "--manifest", filepath.Join("..", "..", "data", "manifests", "manchester.yaml"), "--data-root", dir); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	return db
}

// TestManchesterListsOnly: at 2021-01-01 the Manchester store has list
// sizes but no registrations by area of residence, so every flow figure is
// unknown — null with a reason in JSON, blank in CSV, – with a footnote in
// tables — and the two kinds of dates are named apart.
func TestManchesterListsOnly(t *testing.T) {
	db := importManchester(t)
	base := []string{"--db", db, "--config", "manchester-2015", "--date", "2021-01-01"}

	out, err := run(t, append([]string{"profile", "--format", "json"}, base...)...)
	if err != nil {
		t.Fatalf("profile json: %v", err)
	}
	var p struct {
		Unknown   map[string]string  `json:"unknown"`
		DataDates map[string]*string `json:"data_dates"`
		Teams     []map[string]any   `json:"teams"`
		City      map[string]any     `json:"city"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"residents_registered", "local_registered", "out_of_city_registered", "registered_outside_city", "local_registration_share", "out_of_city_share"} {
		if v, ok := p.City[field]; !ok || v != nil {
			t.Errorf("city %s = %v, want null", field, v)
		}
		if v := p.Teams[0][field]; v != nil {
			t.Errorf("team %s = %v, want null", field, v)
		}
		if !strings.Contains(p.Unknown[field], "no registrations by area of residence") {
			t.Errorf("unknown[%s] = %q", field, p.Unknown[field])
		}
	}
	if p.City["registered_population"] != 675754.0 {
		t.Errorf("registered population (lists) = %v", p.City["registered_population"])
	}
	if d := p.DataDates["list_sizes"]; d == nil || *d != "2021-01-01" {
		t.Errorf("data_dates.list_sizes = %v", d)
	}
	if d, ok := p.DataDates["registrations_by_residence"]; !ok || d != nil {
		t.Errorf("data_dates.registrations_by_residence = %v, want null", d)
	}

	out, err = run(t, append([]string{"profile"}, base...)...)
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	header := strings.SplitN(out, "\n", 2)[0]
	if strings.Contains(header, "registrations 2021-01-01") || !strings.Contains(header, "list sizes 2021-01-01") {
		t.Errorf("profile header calls the list-size date registrations: %s", header)
	}
	if !strings.Contains(out, "– unknown: no registrations by area of residence") {
		t.Errorf("profile table has no footnote for unknown figures:\n%s", out)
	}
	if strings.Contains(out, "           0          –") {
		t.Errorf("profile table shows an unknown out-of-city count as 0:\n%s", out)
	}

	out, err = run(t, append([]string{"profile", "--format", "csv"}, base...)...)
	if err != nil {
		t.Fatalf("profile csv: %v", err)
	}
	lines := strings.Split(out, "\n")
	col := -1
	for i, h := range strings.Split(lines[0], ",") {
		if h == "out_of_city_registered" {
			col = i
		}
	}
	if col < 0 || strings.Split(lines[1], ",")[col] != "" {
		t.Errorf("profile csv out_of_city_registered (column %d) not blank:\n%s\n%s", col, lines[0], lines[1])
	}

	out, err = run(t, append([]string{"flows"}, base...)...)
	if err != nil {
		t.Fatalf("flows: %v", err)
	}
	if strings.Contains(out, " 0 ") || !strings.Contains(out, "–") || !strings.Contains(out, "no registrations by area of residence") {
		t.Errorf("flows table without registrations:\n%s", out)
	}
	out, err = run(t, append([]string{"flows", "--format", "json"}, base...)...)
	if err != nil {
		t.Fatalf("flows json: %v", err)
	}
	var m struct {
		Rows    *[][]float64 `json:"rows"`
		Unknown string       `json:"unknown"`
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	if m.Rows != nil || !strings.Contains(m.Unknown, "no registrations by area of residence") {
		t.Errorf("flows json: rows %v, unknown %q", m.Rows, m.Unknown)
	}
	out, err = run(t, append([]string{"flows", "--format", "csv"}, base...)...)
	if err != nil {
		t.Fatalf("flows csv: %v", err)
	}
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 1+13*13 || !strings.HasPrefix(lines[1], "N1,N1,,") {
		t.Errorf("flows csv: %d lines, first %q; want every cell with a blank count", len(lines), lines[min(1, len(lines)-1)])
	}

	// On the registration date the flows are there, modelled, and the
	// header says from what.
	out, err = run(t, "flows", "--db", db, "--config", "manchester-2015")
	if err != nil || !strings.Contains(out, "MODELLED") || !strings.Contains(out, "straight from those counts") {
		t.Errorf("flows on 2015-04-01: %v\n%s", err, out)
	}
}
