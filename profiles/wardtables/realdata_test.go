package wardtables_test

import (
	"context"
	"math"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

func manchester(t testing.TB) (*dataset.Dataset, *configuration.Configuration) {
	t.Helper()
	res := importtest.Manchester(t)
	return res.Dataset, res.Configurations[0]
}

// TestManchester2015 checks the tables and the baseline profile against
// sums taken straight from the imported files.
func TestManchester2015(t *testing.T) {
	ds, cfg := manchester(t)
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tables.Dates.Registrations.Format("2006-01-02"); got != "2015-04-01" || tables.Dates.PopulationYear != 2015 {
		t.Errorf("dates = %+v", tables.Dates)
	}
	p, err := placeprofile.Evaluate(tables, cfg, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Resident population: the city and every team equal the sums of the
	// Manchester LSOAs (mid-2015) over their wards.
	wardPop := map[string]float64{}
	cityPop := 0.0
	for _, l := range ds.LSOAs {
		if l.DistrictCode == ds.City.Code {
			cityPop += float64(l.Population.Total)
		}
		wardPop[l.WardCode] += float64(l.Population.Total)
	}
	if cityPop != 529282 || p.City.ResidentPopulation.Total != cityPop {
		t.Errorf("city resident population = %v (LSOA sum %v), want 529,282", p.City.ResidentPopulation.Total, cityPop)
	}
	for _, team := range p.Teams {
		want := 0.0
		for _, w := range team.Wards {
			want += wardPop[w]
		}
		if team.ResidentPopulation.Total != want {
			t.Errorf("team %s resident = %v, wards sum to %v", team.ID, team.ResidentPopulation.Total, want)
		}
	}
	// The gravity estimate keeps every practice's total: each ward's column
	// sums to the April 2015 registrations of the practices located in it.
	practiceWard := map[string]string{}
	for _, pr := range ds.Practices {
		practiceWard[pr.Code] = pr.WardCode
	}
	wantCol := map[string]float64{}
	outOfCity := map[string]float64{}
	for _, r := range ds.Registrations {
		wantCol[practiceWard[r.PracticeCode]] += float64(r.Patients)
		if r.AreaCode != ds.City.Code {
			outOfCity[practiceWard[r.PracticeCode]] += float64(r.Patients)
		}
	}
	cols := tables.Flows.ColSums()
	for i, w := range tables.Wards {
		if math.Abs(cols[i]-wantCol[w.Code]) > 1e-6*math.Max(1, wantCol[w.Code]) {
			t.Errorf("ward %s: practice column sums to %v, registrations %v", w.Code, cols[i], wantCol[w.Code])
		}
		if got := tables.Flows.At(tables.Outside(), i); math.Abs(got-outOfCity[w.Code]) > 1e-6*math.Max(1, outOfCity[w.Code]) {
			t.Errorf("ward %s: out-of-city patients %v, real %v", w.Code, got, outOfCity[w.Code])
		}
	}
	// City figures from the real practice × district table (SOURCES.md):
	// 594,958 patients at Manchester practices, 540,633 of them living in
	// Manchester; out-of-city figures are real, not modelled.
	if p.City.LocalRegistered == nil || p.City.OutOfCityRegistered == nil {
		t.Fatalf("city flow figures unknown on the registration date: %v", p.City.Unknown)
	}
	if p.City.RegisteredPopulation != 594958 || *p.City.LocalRegistered != 540633 || *p.City.OutOfCityRegistered != 594958-540633 {
		t.Errorf("city: registered %v, local %v, out of city %v", p.City.RegisteredPopulation, *p.City.LocalRegistered, *p.City.OutOfCityRegistered)
	}
	if len(p.City.ModelledFields) != 0 || !tables.FlowModel.Modelled || !tables.FlowModel.CityIsDistrict {
		t.Errorf("city modelled fields %v, flow model %+v", p.City.ModelledFields, tables.FlowModel)
	}
	teamOutOfCity := map[string]float64{}
	for w, v := range outOfCity {
		teamOutOfCity[cfg.WardTeams()[w]] += v
	}
	for _, team := range p.Teams {
		if !contains(team.ModelledFields, "local_registration_share") || !contains(team.ModelledFields, "registered_outside_city") || contains(team.ModelledFields, "out_of_city_registered") {
			t.Errorf("team %s modelled fields = %v", team.ID, team.ModelledFields)
		}
		// Real counts come out exact, without fitting noise.
		if team.OutOfCityRegistered == nil || *team.OutOfCityRegistered != teamOutOfCity[team.ID] {
			t.Errorf("team %s out-of-city = %v, real %v", team.ID, team.OutOfCityRegistered, teamOutOfCity[team.ID])
		}
	}
	m, err := placeprofile.Flows(tables, cfg, placeprofile.LevelTeam)
	if err != nil {
		t.Fatal(err)
	}
	if m.CellModelled(placeprofile.OutsideID, "S1") || !m.CellModelled("S1", placeprofile.OutsideID) || !m.CellModelled("S1", "S2") {
		t.Error("flow cells labelled wrongly")
	}
	// List sizes of another date can be chosen (no flows then).
	t2021, err := wardtables.Build(context.Background(), ds, wardtables.Options{Date: dataset.Day(2021, 1, 1)})
	if err != nil {
		t.Fatalf("2021 tables: %v", err)
	}
	reg := 0.0
	for _, r := range t2021.Registered {
		reg += r
	}
	if reg != 675754 || t2021.FlowModel.Kind != "none" || t2021.HasResidence() {
		t.Errorf("2021: registered %v (want 675,754), flow model %q", reg, t2021.FlowModel.Kind)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// BenchmarkBuildManchester: assignment to wards, aggregation, gravity
// calibration and estimate on the real data.
func BenchmarkBuildManchester(b *testing.B) {
	ds, _ := manchester(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := wardtables.Build(context.Background(), ds, wardtables.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateManchester: one configuration from the ward tables.
func BenchmarkEvaluateManchester(b *testing.B) {
	ds, cfg := manchester(b)
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := placeprofile.Evaluate(tables, cfg, placeprofile.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
