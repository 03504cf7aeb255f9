package indicatorprofile

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

func manchester(t testing.TB) (*dataset.Dataset, *configuration.Configuration, string) {
	t.Helper()
	res := importtest.Manchester(t)
	return res.Dataset, res.Configurations[0], realdata.Dir(t)
}

// readCSV reads a whole CSV with the standard library, independently of
// placeteam's readers.
func readCSV(t testing.TB, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, h := range rows[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func num(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(s), ",", ""), 64)
	return v, err == nil
}

func TestManchesterIndicators(t *testing.T) {
	ds, cfg, dir := manchester(t)
	inCity := map[string]bool{}
	for _, l := range ds.LSOAs {
		inCity[l.Code] = l.WardCode != ""
	}
	// Income deprivation: the city sums the file's numerators over
	// Manchester LSOAs that have one, over their mid-2015 populations.
	pop := map[string]float64{}
	for _, r := range readCSV(t, filepath.Join(dir, "population/population_mid2015_lsoa_manchester_and_neighbours.csv")) {
		pop[r["LSOA code (2011)"]], _ = num(r["Total population: mid 2015 (excluding prisoners)"])
	}
	var wantNum, wantDen float64
	suppressed := 0
	for _, r := range readCSV(t, filepath.Join(dir, "indicators/imd2019_underlying_indicators_lsoa_manchester_and_neighbours.csv")) {
		if !inCity[r["lsoa11_code"]] {
			continue
		}
		v, ok := num(r["income_domain_numerator"])
		if !ok {
			suppressed++
			continue
		}
		wantNum += v
		wantDen += pop[r["lsoa11_code"]]
	}
	inc, err := Evaluate(ds, cfg, "income-deprivation")
	if err != nil {
		t.Fatal(err)
	}
	if inc.City.Numerator != wantNum || inc.City.Denominator != wantDen || inc.City.Missing != suppressed {
		t.Errorf("city income deprivation %v/%v (%d missing); file says %v/%v (%d suppressed)",
			inc.City.Numerator, inc.City.Denominator, inc.City.Missing, wantNum, wantDen, suppressed)
	}
	teamNum := 0.0
	for _, f := range inc.Teams {
		teamNum += f.Numerator
		if f.Lower == nil || *f.Lower > *f.Value || *f.Upper < *f.Value {
			t.Errorf("team %s interval %v", f.ID, f)
		}
	}
	if teamNum != wantNum {
		t.Errorf("teams sum to %v, city %v", teamNum, wantNum)
	}
	if inc.Inequality == nil || len(inc.Inequality.Deciles) != 10 || inc.Inequality.SIILower > inc.Inequality.SII || inc.Inequality.SIIUpper < inc.Inequality.SII {
		t.Errorf("inequality = %+v", inc.Inequality)
	}

	// Diabetes and hypertension (QOF 2019-20), registered lens: registers
	// of practices in Manchester wards, each with its data date.
	practiceInCity := map[string]bool{}
	for _, p := range ds.Practices {
		practiceInCity[p.Code] = p.WardCode != ""
	}
	qof := readCSV(t, filepath.Join(dir, "indicators/qof_2019-20_prevalence_practice_manchester_and_neighbour_ccgs.csv"))
	for id, group := range map[string]string{"qof-dm": "DM", "qof-hyp": "HYP"} {
		var wantNum, wantDen float64
		for _, r := range qof {
			if r["GROUP_CODE"] == group && practiceInCity[r["PRACTICE_CODE"]] {
				n, _ := num(r["REGISTER"])
				d, _ := num(r["PATIENT_LIST_SIZE"])
				wantNum, wantDen = wantNum+n, wantDen+d
			}
		}
		got, err := Evaluate(ds, cfg, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.City.Numerator != wantNum || got.City.Denominator != wantDen || wantNum == 0 || got.Indicator.Period != "2019-20" {
			t.Errorf("city %s %v/%v (period %q); file says %v/%v", id, got.City.Numerator, got.City.Denominator, got.Indicator.Period, wantNum, wantDen)
		}
		teamNum := 0.0
		for _, f := range got.Teams {
			teamNum += f.Numerator
			if f.Lower == nil || *f.Lower > *f.Value || *f.Upper < *f.Value || f.Comparison == "" {
				t.Errorf("%s team %s: %+v", id, f.ID, f)
			}
		}
		if teamNum != wantNum {
			t.Errorf("%s: teams sum to %v, city %v", id, teamNum, wantNum)
		}
	}

	// PCNs: every city practice in the mapping is counted in one team.
	mapped := 0
	for _, r := range readCSV(t, filepath.Join(dir, "indicators/qof_2019-20_practice_pcn_ccg_mapping_manchester_and_neighbour_ccgs.csv")) {
		if practiceInCity[r["PRACTICE_CODE"]] {
			mapped++
		}
	}
	counted := 0
	for _, g := range Groups(ds, cfg, "pcn") {
		counted += g.Practices
		if len(g.Split) > len(g.Groups) {
			t.Errorf("team %s splits more PCNs than it has", g.Team)
		}
	}
	if counted != mapped || mapped == 0 {
		t.Errorf("PCN practices counted %d, mapped city practices %d", counted, mapped)
	}
}

// TestEthnicityBreakdown: the 14 groups plus the residual sum to the 2011
// usual residents of every team; the city's Persons total is the file's.
func TestEthnicityBreakdown(t *testing.T) {
	ds, cfg, dir := manchester(t)
	inCity := map[string]bool{}
	for _, l := range ds.LSOAs {
		inCity[l.Code] = l.WardCode != ""
	}
	persons, groups := 0.0, 0.0
	cols := []string{"WhiteBrit", "Irish", "OtherWhite", "Mixed", "Indian", "Pakistani", "Bangladeshi", "Chinese", "OtherAsian", "BlkAfrican", "BlkCaribbean", "OtherBlk", "Arab", "Other"}
	for _, r := range readCSV(t, filepath.Join(dir, "indicators/census2011_ethnic_group_lsoa_manchester_and_neighbours.csv")) {
		if !inCity[r["LSOA"]] {
			continue
		}
		p, _ := num(r["Persons"])
		persons += p
		for _, c := range cols {
			v, _ := num(r[c])
			groups += v
		}
	}
	b, err := BreakdownByCharacteristic(ds, cfg, "ethnic-group")
	if err != nil {
		t.Fatal(err)
	}
	city := b.Rows[len(b.Rows)-1]
	if len(b.Indicators) != 14 || city.Total != persons || city.Residual != persons-groups || persons == 0 {
		t.Errorf("city: total %v residual %v; file persons %v, residual %v", city.Total, city.Residual, persons, persons-groups)
	}
	total := 0.0
	for _, r := range b.Rows[:len(b.Rows)-1] {
		sum := r.Residual
		for _, c := range r.Counts {
			sum += c
		}
		if sum != r.Total || r.Residual < 0 {
			t.Errorf("team %s: groups + residual %v, total %v", r.ID, sum, r.Total)
		}
		total += r.Total
	}
	if total != persons {
		t.Errorf("teams total %v, city %v", total, persons)
	}
}

// TestManchesterResidentLens: diabetes (QOF 2019-20) through the April 2015
// practice × ward flows (gravity-modelled inside the city). Every team's
// value is a flow-weighted mean of practice prevalences, so it lies within
// their range; the teams add up to the city; the figures are marked modelled.
func TestManchesterResidentLens(t *testing.T) {
	ds, cfg, _ := manchester(t)
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := EvaluateWith(ds, cfg, "qof-dm", Options{Lens: LensResident, Tables: tables})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Modelled {
		t.Error("resident lens over gravity flows is not marked modelled")
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range ds.IndicatorValues {
		if v.Indicator == "qof-dm" && v.Known && v.Denominator > 0 && tables.Residence[v.AreaCode] != nil {
			lo, hi = min(lo, v.Numerator/v.Denominator), max(hi, v.Numerator/v.Denominator)
		}
	}
	var num, den float64
	for _, f := range r.Teams {
		if f.Value == nil || *f.Value < lo || *f.Value > hi {
			t.Errorf("team %s resident value %v outside the practices' range %v–%v", f.ID, f.Value, lo, hi)
		}
		if f.Coverage == nil || *f.Coverage <= 0 || *f.Coverage > 1 {
			t.Errorf("team %s coverage %v", f.ID, f.Coverage)
		}
		num, den = num+f.Numerator, den+f.Denominator
	}
	if math.Abs(num-r.City.Numerator) > 1e-6*num || math.Abs(den-r.City.Denominator) > 1e-6*den {
		t.Errorf("teams sum to %v/%v, city %v/%v", num, den, r.City.Numerator, r.City.Denominator)
	}
}

// TestManchesterMSOAApportionment: White British residents (2011, no
// suppressed values) summed to MSOAs and
// apportioned back to wards by population keeps the city total (Manchester's
// MSOAs lie wholly inside it) and moves little between teams.
func TestManchesterMSOAApportionment(t *testing.T) {
	ds, cfg, _ := manchester(t)
	msoa := map[string]string{}
	for _, l := range ds.LSOAs {
		msoa[l.Code] = l.MSOACode
	}
	sums := map[string]*dataset.IndicatorValue{}
	var order []string
	for _, v := range ds.IndicatorValues {
		if v.Indicator != "ethnicity-whitebrit" || !v.Known {
			continue
		}
		m := msoa[v.AreaCode]
		if sums[m] == nil {
			sums[m] = &dataset.IndicatorValue{Indicator: "income-msoa", AreaCode: m, Known: true}
			order = append(order, m)
		}
		sums[m].Numerator += v.Numerator
		sums[m].Denominator += v.Denominator
	}
	for _, m := range order {
		ds.IndicatorValues = append(ds.IndicatorValues, *sums[m])
	}
	base, _ := find(ds, "ethnicity-whitebrit")
	ind := *base
	ind.ID, ind.Level = "income-msoa", dataset.IndicatorLevelMSOA
	ds.Indicators = append(ds.Indicators, ind)
	lsoa, err := Evaluate(ds, cfg, "ethnicity-whitebrit")
	if err != nil {
		t.Fatal(err)
	}
	apportioned, err := Evaluate(ds, cfg, "income-msoa")
	if err != nil {
		t.Fatal(err)
	}
	if lsoa.City.Missing > 0 || lsoa.City.Numerator == 0 {
		t.Fatalf("the census file has suppressed or no values: %+v", lsoa.City)
	}
	if math.Abs(apportioned.City.Numerator-lsoa.City.Numerator) > 1e-6 || !apportioned.Modelled {
		t.Errorf("city: apportioned %v, LSOA %v", apportioned.City.Numerator, lsoa.City.Numerator)
	}
	worst := 0.0
	for i, f := range apportioned.Teams {
		d := math.Abs(*f.Value - *lsoa.Teams[i].Value)
		worst = max(worst, d)
		if d > 0.05 {
			t.Errorf("team %s: apportioned %.3f, LSOA %.3f", f.ID, *f.Value, *lsoa.Teams[i].Value)
		}
	}
	t.Logf("largest team difference, apportioned from MSOAs vs summed from LSOAs: %.2f points", 100*worst)
}

// TestManchesterAgeBreakdown: income deprivation per unit carries its age
// slices (IDACI 0-15, IDAOPI 60+), whose city figures are the files' sums
// over the city's LSOAs with a published (unsuppressed) numerator.
func TestManchesterAgeBreakdown(t *testing.T) {
	ds, cfg, dir := manchester(t)
	inCity := map[string]bool{}
	for _, l := range ds.LSOAs {
		inCity[l.Code] = l.WardCode != ""
	}
	children, older := map[string]float64{}, map[string]float64{}
	for _, r := range readCSV(t, filepath.Join(dir, "population/population_mid2015_lsoa_manchester_and_neighbours.csv")) {
		children[r["LSOA code (2011)"]], _ = num(r["Dependent Children aged 0-15: mid 2015 (excluding prisoners)"])
		older[r["LSOA code (2011)"]], _ = num(r["Older population aged 60 and over: mid 2015 (excluding prisoners)"])
	}
	want := map[string][4]float64{} // group → numerator, denominator, suppressed areas, their denominators
	for _, r := range readCSV(t, filepath.Join(dir, "indicators/imd2019_underlying_indicators_lsoa_manchester_and_neighbours.csv")) {
		code := r["lsoa11_code"]
		if !inCity[code] {
			continue
		}
		for group, col := range map[string]string{"0-15": "income_deprivation_affecting_children_index_idaci_numerator", "60+": "income_deprivation_affecting_older_people_index_idaopi_numerator"} {
			w := want[group]
			den := children[code]
			if group == "60+" {
				den = older[code]
			}
			if n, ok := num(r[col]); ok {
				w[0], w[1] = w[0]+n, w[1]+den
			} else {
				w[2], w[3] = w[2]+1, w[3]+den
			}
			want[group] = w
		}
	}
	r, err := Evaluate(ds, cfg, "income-deprivation")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.City.ByGroup) != 2 {
		t.Fatalf("city by group = %+v", r.City.ByGroup)
	}
	for _, g := range r.City.ByGroup {
		w := want[g.ID]
		if g.Level != "age" || g.Numerator != w[0] || g.Denominator != w[1] || g.Missing != int(w[2]) || w[1] == 0 {
			t.Errorf("city age %s: %v/%v (%d suppressed); files say %v/%v (%v)", g.ID, g.Numerator, g.Denominator, g.Missing, w[0], w[1], w[2])
		}
		// Suppressed counts are 0-9 (the manifest's suppressed_below: 10).
		lo, hi := w[0]/(w[1]+w[3]), (w[0]+9*w[2])/(w[1]+w[3])
		if w[2] == 0 || g.WithSuppressedLower == nil || math.Abs(*g.WithSuppressedLower-lo) > 1e-12 || math.Abs(*g.WithSuppressedUpper-hi) > 1e-12 {
			t.Errorf("city age %s with suppressed: %v–%v, files say %v–%v", g.ID, g.WithSuppressedLower, g.WithSuppressedUpper, lo, hi)
		}
	}
	for _, f := range r.Teams {
		if len(f.ByGroup) != 2 || f.ByGroup[0].Value == nil || f.ByGroup[0].Comparison == "" {
			t.Errorf("team %s by group = %+v", f.ID, f.ByGroup)
		}
	}
}

// TestResidentLensIsDeterministic: the same evaluation gives the same
// figures to the last bit (option A vs itself shows no change).
func TestResidentLensIsDeterministic(t *testing.T) {
	ds, cfg, _ := manchester(t)
	tables, err := wardtables.Build(context.Background(), ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	first, err := EvaluateWith(ds, cfg, "qof-hyp", Options{Lens: LensResident, Tables: tables})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 6 {
		if i%3 == 2 {
			// Tables built again: the flows' maps are filled anew.
			if tables, err = wardtables.Build(context.Background(), ds, wardtables.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		again, err := EvaluateWith(ds, cfg, "qof-hyp", Options{Lens: LensResident, Tables: tables})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range CompareOptions(first, again) {
			if c.Change == nil || *c.Change != 0 {
				t.Fatalf("team %s changed by %v between identical evaluations", c.Team, c.Change)
			}
		}
	}
}
