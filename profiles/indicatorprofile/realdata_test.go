package indicatorprofile

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/realdata"
)

func manchester(t *testing.T) (*dataset.Dataset, *configuration.Configuration, string) {
	t.Helper()
	dir := realdata.Dir(t)
	m, err := manifest.ReadFile(filepath.Join("..", "..", "data", "manifests", "manchester.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := importer.Run(context.Background(), importer.Options{Manifest: m, DataRoot: dir})
	if err != nil {
		t.Fatal(err)
	}
	return res.Dataset, res.Configurations[0], dir
}

// readCSV reads a whole CSV with the standard library, independently of
// placeteam's readers.
func readCSV(t *testing.T, path string) []map[string]string {
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

	// Diabetes (QOF 2019-20), registered lens: registers of practices in
	// Manchester wards.
	practiceInCity := map[string]bool{}
	for _, p := range ds.Practices {
		practiceInCity[p.Code] = p.WardCode != ""
	}
	var dmNum, dmDen float64
	for _, r := range readCSV(t, filepath.Join(dir, "indicators/qof_2019-20_prevalence_practice_manchester_and_neighbour_ccgs.csv")) {
		if r["GROUP_CODE"] == "DM" && practiceInCity[r["PRACTICE_CODE"]] {
			n, _ := num(r["REGISTER"])
			d, _ := num(r["PATIENT_LIST_SIZE"])
			dmNum, dmDen = dmNum+n, dmDen+d
		}
	}
	dm, err := Evaluate(ds, cfg, "qof-dm")
	if err != nil {
		t.Fatal(err)
	}
	if dm.City.Numerator != dmNum || dm.City.Denominator != dmDen || dmNum == 0 {
		t.Errorf("city diabetes %v/%v; file says %v/%v", dm.City.Numerator, dm.City.Denominator, dmNum, dmDen)
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
	b, err := BreakdownByPrefix(ds, cfg, "ethnicity-")
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
