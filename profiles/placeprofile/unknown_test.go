package placeprofile

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// strip is the demo city with parts of its data left out, as a city
// without the richer files has it.
func strip(t *testing.T, registrations, locations, catchments bool) (*wardtables.Tables, *configuration.Configuration, *Profile) {
	t.Helper()
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if registrations {
		if len(ds.ListSizes) == 0 {
			t.Fatal("the demo city has no list sizes: nothing to profile without registrations")
		}
		ds.Registrations = nil
	}
	if locations {
		for i := range ds.Practices {
			ds.Practices[i].Located, ds.Practices[i].WardCode = dataset.NotLocated, ""
		}
	}
	if catchments {
		ds.Catchments = nil
	}
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Evaluate(tables, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return tables, cfg, p
}

// jsonUnit is a unit as its JSON has it.
func jsonUnit(t *testing.T, u Unit) map[string]any {
	t.Helper()
	b, err := json.Marshal(u)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// csvUnit is a unit's CSV row by column name, read back with encoding/csv.
func csvUnit(t *testing.T, u Unit) map[string]string {
	t.Helper()
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(CSVHeader)
	_ = w.WriteAll(CSVRows([]Unit{u}))
	records, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil || len(records) != 2 {
		t.Fatalf("CSV does not parse back: %v (%d records)", err, len(records))
	}
	out := map[string]string{}
	for i, h := range records[0] {
		out[h] = records[1][i]
	}
	return out
}

// TestNoRegistrationsIsUnknown: on a dataset with list sizes but no
// registrations by area of residence, every flow figure of every unit is
// nil — null with a reason in JSON, blank in CSV — never 0, the flow
// matrix has no rows, and the figures that do not rest on flows stay known.
func TestNoRegistrationsIsUnknown(t *testing.T) {
	tables, cfg, p := strip(t, true, false, false)
	if p.DataDates.RegistrationsByResidence != nil || p.DataDates.ListSizes == nil {
		t.Errorf("data dates %+v: want list sizes and no registrations by residence", p.DataDates)
	}
	if p.Unknown[FieldFlows] == "" {
		t.Errorf("profile unknown = %v: no reason for the flows", p.Unknown)
	}
	for _, f := range FlowFields {
		if _, ok := p.FigureDates[f]; ok {
			t.Errorf("figure_dates gives unknown %s a date", f)
		}
	}
	for _, u := range append(append(append([]Unit{}, p.Teams...), p.Localities...), p.City) {
		if u.ResidentsRegistered != nil || u.LocalRegistered != nil || u.OutOfCityRegistered != nil || u.RegisteredOutsideCity != nil ||
			u.LocalRegistrationShare != nil || u.PracticeListsResidentShare != nil || u.OutOfCityShare != nil || u.OutOfCitySignificant != nil {
			t.Errorf("%s %s has a flow figure without flows", u.Level, u.ID)
		}
		j, c := jsonUnit(t, u), csvUnit(t, u)
		reasons, _ := j["unknown"].(map[string]any)
		for _, f := range FlowFields {
			if v, ok := j[f]; !ok || v != nil {
				t.Errorf("%s %s: JSON %s = %v, want null", u.Level, u.ID, f, v)
			}
			if why, _ := reasons[f].(string); !strings.Contains(why, "no registrations by area of residence") {
				t.Errorf("%s %s: JSON unknown[%s] = %q", u.Level, u.ID, f, why)
			}
			if c[f] != "" {
				t.Errorf("%s %s: CSV %s = %q, want blank", u.Level, u.ID, f, c[f])
			}
			if !slices.Contains(strings.Fields(c["unknown_fields"]), f) {
				t.Errorf("%s %s: CSV unknown_fields %q lacks %s", u.Level, u.ID, c["unknown_fields"], f)
			}
		}
		if !u.Known(FieldRegisteredPopulation) || j[FieldRegisteredPopulation] == nil || c[FieldRegisteredPopulation] == "" {
			t.Errorf("%s %s: registered population (from list sizes) unknown", u.Level, u.ID)
		}
	}
	city := 0.0
	for _, r := range tables.Registered {
		city += r
	}
	if city == 0 || p.City.RegisteredPopulation != city {
		t.Errorf("city registered population %v, ward lists sum to %v", p.City.RegisteredPopulation, city)
	}

	m, err := Flows(tables, cfg, LevelTeam)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(m)
	var mj map[string]any
	_ = json.Unmarshal(b, &mj)
	if m.Known() || mj["rows"] != nil || !strings.Contains(m.Unknown, "no registrations by area of residence") {
		t.Errorf("flow matrix without flows: rows %v, unknown %q", mj["rows"], m.Unknown)
	}
	rows := m.CSVRows()
	if len(rows) != len(m.Units)*len(m.Units) || rows[0][2] != "" {
		t.Errorf("flow CSV without flows: %d rows (want %d, every cell blank), first %v", len(rows), len(m.Units)*len(m.Units), rows[0])
	}
}

// TestNoLocationsNoCatchmentsIsUnknown: with no practice placed in a ward,
// registered populations (and what rests on them) are unknown, not 0;
// without catchments, catchment shares are null.
func TestNoLocationsNoCatchmentsIsUnknown(t *testing.T) {
	tables, _, p := strip(t, false, true, true)
	if tables.UnplacedPractices == 0 {
		t.Fatal("no practice counted as unplaced")
	}
	for _, u := range append(append([]Unit{}, p.Teams...), p.City) {
		j, c := jsonUnit(t, u), csvUnit(t, u)
		for _, f := range []string{FieldRegisteredPopulation, FieldRegisteredToResidentRatio, FieldPracticeCount, FieldCatchmentShares} {
			if u.Known(f) {
				t.Errorf("%s %s: %s known", u.Level, u.ID, f)
			}
			if v, ok := j[f]; !ok || v != nil {
				t.Errorf("%s %s: JSON %s = %v, want null", u.Level, u.ID, f, v)
			}
			if v, ok := c[f]; ok && v != "" {
				t.Errorf("%s %s: CSV %s = %q, want blank", u.Level, u.ID, f, v)
			}
		}
		if u.ResidentPopulation.Total == 0 || j["resident_population"] == nil {
			t.Errorf("%s %s: resident population lost", u.Level, u.ID)
		}
	}
	if !strings.Contains(p.Unknown[FieldRegisteredPopulation], "location") || !strings.Contains(p.Unknown[FieldCatchmentShares], "catchments") {
		t.Errorf("reasons: %v", p.Unknown)
	}
}

// TestEverythingKnownOnTheDemo: the full demo city has no unknown figure.
func TestEverythingKnownOnTheDemo(t *testing.T) {
	_, cfg, tables := demoTables(t)
	p, err := Evaluate(tables, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Unknown != nil || p.DataDates.RegistrationsByResidence == nil {
		t.Errorf("unknown %v, data dates %+v", p.Unknown, p.DataDates)
	}
	for _, u := range append(p.Teams, p.City) {
		if len(u.Unknown) > 0 || u.OutOfCityRegistered == nil || u.OutOfCitySignificant == nil || u.CatchmentShares == nil {
			t.Errorf("%s %s: unknown %v", u.Level, u.ID, u.Unknown)
		}
	}
}
