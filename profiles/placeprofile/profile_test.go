package placeprofile

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func demoTables(t testing.TB) (*dataset.Dataset, *configuration.Configuration, *wardtables.Tables) {
	t.Helper()
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return ds, cfg, tables
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// TestConservation: team sums equal locality sums equal city totals, for
// every additive figure.
func TestConservation(t *testing.T) {
	_, cfg, tables := demoTables(t)
	p, err := Evaluate(tables, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	type figures struct{ resident, registered, area, outOfCity, practices, quintile1, catchment float64 }
	sum := func(units []Unit) figures {
		var f figures
		for _, u := range units {
			f.resident += u.ResidentPopulation.Total
			f.registered += u.RegisteredPopulation
			f.area += u.AreaKm2
			f.outOfCity += *u.OutOfCityRegistered
			f.practices += float64(u.PracticeCount)
			f.quintile1 += u.IMDQuintilePopulation[0]
			for _, c := range u.CatchmentShares {
				f.catchment += c.Share * u.ResidentPopulation.Total
			}
		}
		return f
	}
	teams, localities, city := sum(p.Teams), sum(p.Localities), sum([]Unit{p.City})
	for name, pair := range map[string][3]float64{
		"resident":    {teams.resident, localities.resident, city.resident},
		"registered":  {teams.registered, localities.registered, city.registered},
		"area":        {teams.area, localities.area, city.area},
		"out of city": {teams.outOfCity, localities.outOfCity, city.outOfCity},
		"practices":   {teams.practices, localities.practices, city.practices},
		"IMD Q1":      {teams.quintile1, localities.quintile1, city.quintile1},
		"catchment":   {teams.catchment, localities.catchment, city.catchment},
	} {
		if !near(pair[0], pair[2]) || !near(pair[1], pair[2]) {
			t.Errorf("%s: teams %v, localities %v, city %v", name, pair[0], pair[1], pair[2])
		}
	}
	// Each locality is the sum of its teams.
	for _, l := range p.Localities {
		var res, reg float64
		for _, tm := range p.Teams {
			if tm.Locality == l.ID {
				res += tm.ResidentPopulation.Total
				reg += tm.RegisteredPopulation
			}
		}
		if !near(res, l.ResidentPopulation.Total) || !near(reg, l.RegisteredPopulation) {
			t.Errorf("locality %s: teams sum to %v / %v, locality has %v / %v", l.ID, res, reg, l.ResidentPopulation.Total, l.RegisteredPopulation)
		}
	}
	// The flow matrix holds every flow once: team matrix total = ward total.
	m, err := Flows(tables, cfg, LevelTeam)
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, row := range m.Rows {
		for _, v := range row {
			total += v
		}
	}
	if !near(total, tables.Flows.Total()) {
		t.Errorf("team flows total %v, ward flows total %v", total, tables.Flows.Total())
	}
}

// TestFlowRowsMatchRegistrations: every ward row of the flow matrix sums to
// the registered residents of that ward, counted straight from the dataset.
func TestFlowRowsMatchRegistrations(t *testing.T) {
	ds, _, tables := demoTables(t)
	lsoaWard := map[string]string{}
	for _, l := range ds.LSOAs {
		lsoaWard[l.Code] = l.WardCode
	}
	want := map[string]float64{}
	for _, r := range ds.Registrations {
		if r.Date.Equal(tables.Dates.Registrations) && r.AreaLevel == dataset.AreaLSOA {
			want[lsoaWard[r.AreaCode]] += float64(r.Patients)
		}
	}
	for i, w := range tables.Wards {
		if got := tables.Flows.RowSum(i); !near(got, want[w.Code]) {
			t.Errorf("ward %s: row sums to %v, dataset has %v registered residents", w.Code, got, want[w.Code])
		}
	}
}

// TestMovingAWardMovesItsCounts: moving one ward changes the two teams by
// exactly that ward's counts and leaves the others as they were.
func TestMovingAWardMovesItsCounts(t *testing.T) {
	_, cfg, tables := demoTables(t)
	a, err := Evaluate(tables, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	moved := cfg.Localities[0].Teams[0].Wards[0]
	from, to := cfg.Localities[0].Teams[0].ID, cfg.Localities[0].Teams[1].ID
	b := *cfg
	b.Name = "moved"
	b.Localities = append([]configuration.Locality(nil), cfg.Localities...)
	b.Localities[0].Teams = append([]configuration.Team(nil), cfg.Localities[0].Teams...)
	b.Localities[0].Teams[0].Wards = append([]string(nil), cfg.Localities[0].Teams[0].Wards[1:]...)
	b.Localities[0].Teams[1].Wards = append(append([]string(nil), cfg.Localities[0].Teams[1].Wards...), moved)
	pb, err := Evaluate(tables, &b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := tables.WardIndex(moved)
	wardRes, wardReg := tables.Resident[w].Total, tables.Registered[w]
	for i := range a.Teams {
		ta, tb := a.Teams[i], pb.Teams[i]
		dRes := tb.ResidentPopulation.Total - ta.ResidentPopulation.Total
		dReg := tb.RegisteredPopulation - ta.RegisteredPopulation
		want := 0.0
		switch ta.ID {
		case from:
			want = -1
		case to:
			want = 1
		}
		if !near(dRes, want*wardRes) || !near(dReg, want*wardReg) {
			t.Errorf("team %s: resident Δ %v, registered Δ %v; want %v × (%v, %v)", ta.ID, dRes, dReg, want, wardRes, wardReg)
		}
	}
	if !near(a.City.ResidentPopulation.Total, pb.City.ResidentPopulation.Total) || !near(*a.City.LocalRegistrationShare, *pb.City.LocalRegistrationShare) {
		t.Error("moving a ward changed the city")
	}
}

// TestGoldenProfile compares the demo city's baseline profile with
// testdata/demo-baseline.golden (go test -update rewrites it).
func TestGoldenProfile(t *testing.T) {
	_, cfg, tables := demoTables(t)
	p, err := Evaluate(tables, cfg, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "demo-baseline.golden")
	if *update {
		if err := os.WriteFile(golden, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != string(got)+"\n" {
		t.Errorf("profile differs from %s; run go test ./profiles/placeprofile -update and review the diff", golden)
	}
}

func TestEvaluateRejectsConfigurationOfOtherWards(t *testing.T) {
	_, cfg, tables := demoTables(t)
	bad := *cfg
	bad.Localities = append([]configuration.Locality(nil), cfg.Localities...)
	bad.Localities[0].Teams = append([]configuration.Team(nil), cfg.Localities[0].Teams...)
	bad.Localities[0].Teams[0].Wards = append(append([]string(nil), cfg.Localities[0].Teams[0].Wards...), "E05000001")
	if _, err := Evaluate(tables, &bad, Options{}); err == nil {
		t.Fatal("a configuration naming an unknown ward was evaluated")
	}
}

func BenchmarkEvaluateCity(b *testing.B) {
	_, cfg, tables := demoTables(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Evaluate(tables, cfg, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
