package importer

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/realdata"
)

// csvTable is a CSV file read with encoding/csv alone, independently of
// the importer: its rows as maps from header to cell.
type csvTable []map[string]string

func readCSV(t *testing.T, rel string) csvTable {
	t.Helper()
	f, err := os.Open(realdata.File(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	var out csvTable
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, h := range records[0] {
			row[h] = rec[i]
		}
		out = append(out, row)
	}
	return out
}

// number parses a cell such as "1,296" or "0.25".
func number(t *testing.T, cell string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(cell), ",", ""), 64)
	if err != nil {
		t.Fatalf("cell %q: %v", cell, err)
	}
	return f
}

const manchesterCode = "E08000003"

// totals sums an indicator's imported values over a set of areas.
type totals struct {
	known, unknown   int
	numerator, denom float64
}

func indicatorTotals(ds *dataset.Dataset, id string, areas map[string]bool) totals {
	var s totals
	for _, v := range ds.IndicatorValues {
		if v.Indicator != id || !areas[v.AreaCode] {
			continue
		}
		if !v.Known {
			s.unknown++
			continue
		}
		s.known++
		s.numerator += v.Numerator
		s.denom += v.Denominator
	}
	return s
}

func approx(a, b float64) bool { return math.Abs(a-b) <= 1e-6*math.Max(1, math.Abs(b)) }

// TestManchesterIndicators cross-checks the new indicators of the
// Manchester manifest against sums computed here from the source CSVs.
func TestManchesterIndicators(t *testing.T) {
	res := importCity(t, "manchester")
	ds := res.Dataset

	// The city's LSOAs per the ONS best-fit lookup, and their populations.
	city := map[string]bool{}
	for _, r := range readCSV(t, "lookups/lsoa11_to_ward15_manchester_and_neighbours.csv") {
		if r["LAD15CD"] == manchesterCode {
			city[r["LSOA11CD"]] = true
		}
	}
	if len(city) != 282 {
		t.Fatalf("lookup gives %d Manchester LSOAs, SOURCES.md says 282", len(city))
	}
	population, workingAge := map[string]float64{}, map[string]float64{}
	for _, r := range readCSV(t, "population/population_mid2015_lsoa_manchester_and_neighbours.csv") {
		population[r["LSOA code (2011)"]] = number(t, r["Total population: mid 2015 (excluding prisoners)"])
		workingAge[r["LSOA code (2011)"]] = number(t, r["Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)"])
	}
	var cityPopulation float64
	for code := range city {
		cityPopulation += population[code]
	}

	t.Run("measures", func(t *testing.T) {
		want := map[string]string{"income-deprivation": dataset.MeasureCount, "qof-2016-17-dm": dataset.MeasureCount,
			"iod-mood-anxiety": dataset.MeasureMean, "iod-road-distance-gp-km": dataset.MeasureMean, "imd2019-health-most-deprived-20pc": dataset.MeasureAreaShare}
		for _, ind := range ds.Indicators {
			if m, ok := want[ind.ID]; ok {
				if ind.Measure != m {
					t.Errorf("%s: measure %q, want %q", ind.ID, ind.Measure, m)
				}
				delete(want, ind.ID)
			}
		}
		if len(want) > 0 {
			t.Errorf("indicators missing: %v", want)
		}
	})

	t.Run("residents in the most deprived 20%", func(t *testing.T) {
		columns := map[string]string{
			"imd2019-most-deprived-20pc":                    "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)",
			"imd2019-income-most-deprived-20pc":             "Income Decile (where 1 is most deprived 10% of LSOAs)",
			"imd2019-employment-most-deprived-20pc":         "Employment Decile (where 1 is most deprived 10% of LSOAs)",
			"imd2019-education-most-deprived-20pc":          "Education, Skills and Training Decile (where 1 is most deprived 10% of LSOAs)",
			"imd2019-health-most-deprived-20pc":             "Health Deprivation and Disability Decile (where 1 is most deprived 10% of LSOAs)",
			"imd2019-crime-most-deprived-20pc":              "Crime Decile (where 1 is most deprived 10% of LSOAs)",
			"imd2019-barriers-most-deprived-20pc":           "Barriers to Housing and Services Decile (where 1 is most deprived 10% of LSOAs)",
			"imd2019-living-environment-most-deprived-20pc": "Living Environment Decile (where 1 is most deprived 10% of LSOAs)",
		}
		deciles := readCSV(t, "indicators/imd2019_domain_ranks_deciles_lsoa_manchester_and_neighbours.csv")
		for id, column := range columns {
			var want float64
			for _, r := range deciles {
				if city[r["LSOA code (2011)"]] && number(t, r[column]) <= 2 {
					want += population[r["LSOA code (2011)"]]
				}
			}
			got := indicatorTotals(ds, id, city)
			if got.known != 282 || got.unknown != 0 || !approx(got.numerator, want) || !approx(got.denom, cityPopulation) {
				t.Errorf("%s: %d known, %d unknown, %.0f of %.0f residents; want 282 known, %.0f of %.0f", id, got.known, got.unknown, got.numerator, got.denom, want, cityPopulation)
			}
			if want == 0 || want == cityPopulation {
				t.Errorf("%s: the check is vacuous (%.0f of %.0f)", id, want, cityPopulation)
			}
		}
		// The IMD decile is also in File 1 (deprivation/): the same LSOAs.
		var fromFile1 float64
		for _, l := range ds.LSOAs {
			if d, ok := l.DeprivationEdition(2019); ok && city[l.Code] && d.Decile <= 2 {
				fromFile1 += population[l.Code]
			}
		}
		if got := indicatorTotals(ds, "imd2019-most-deprived-20pc", city); !approx(got.numerator, fromFile1) {
			t.Errorf("IMD most deprived 20%%: %.0f residents from File 2, %.0f from File 1", got.numerator, fromFile1)
		}
	})

	t.Run("employment deprivation over working-age residents", func(t *testing.T) {
		var want totals
		all := map[string]bool{}
		allUnknown := 0
		for _, r := range readCSV(t, "indicators/imd2019_underlying_indicators_lsoa_manchester_and_neighbours.csv") {
			code := r["lsoa11_code"]
			all[code] = true
			blank := strings.TrimSpace(r["employment_domain_numerator"]) == ""
			if blank {
				allUnknown++
			}
			if !city[code] {
				continue
			}
			if blank {
				want.unknown++
				continue
			}
			want.known++
			want.numerator += number(t, r["employment_domain_numerator"])
			want.denom += workingAge[code]
		}
		got := indicatorTotals(ds, "employment-deprivation", city)
		if got.known != want.known || got.unknown != want.unknown || !approx(got.numerator, want.numerator) || !approx(got.denom, want.denom) {
			t.Errorf("employment deprivation in the city = %+v, want %+v", got, want)
		}
		if everywhere := indicatorTotals(ds, "employment-deprivation", all); everywhere.unknown != allUnknown || allUnknown != 4 {
			t.Errorf("suppressed employment counts: %d imported, %d blank in the file, SOURCES.md says 4", everywhere.unknown, allUnknown)
		}
	})

	t.Run("population-weighted means of LSOA values", func(t *testing.T) {
		columns := map[string]string{
			"iod-road-distance-gp-km":    "road_distance_to_a_gp_surgery_indicator_km",
			"iod-mood-anxiety":           "mood_and_anxiety_disorders_indicator",
			"iod-household-overcrowding": "household_overcrowding_indicator",
		}
		rows := readCSV(t, "indicators/imd2019_underlying_indicators_lsoa_manchester_and_neighbours.csv")
		for id, column := range columns {
			var weighted, weights float64
			negative := 0
			for _, r := range rows {
				if city[r["lsoa11_code"]] {
					v := number(t, r[column])
					weighted += v * population[r["lsoa11_code"]]
					weights += population[r["lsoa11_code"]]
					if v < 0 {
						negative++
					}
				}
			}
			got := indicatorTotals(ds, id, city)
			if got.known != 282 || !approx(got.numerator/got.denom, weighted/weights) || !approx(got.denom, cityPopulation) {
				t.Errorf("%s: %d known, mean %.6f over %.0f; want 282, %.6f over %.0f", id, got.known, got.numerator/got.denom, got.denom, weighted/weights, cityPopulation)
			}
			if id == "iod-mood-anxiety" && negative == 0 {
				t.Errorf("no negative mood and anxiety scores in the city: the check of negative values is vacuous")
			}
		}
	})

	t.Run("QOF 2016-17 hypertension register of Manchester practices", func(t *testing.T) {
		practices := map[string]bool{}
		for _, r := range readCSV(t, "indicators/qof_2016-17_organisation_reference_manchester_and_neighbour_ccgs.csv") {
			if r["CCG_CODE"] == "14L" {
				practices[r["PRACTICE_CODE"]] = true
			}
		}
		var want totals
		for _, r := range readCSV(t, "indicators/qof_2016-17_prevalence_practice_manchester_and_neighbour_ccgs.csv") {
			if practices[r["PRACTICE_CODE"]] && r["INDICATOR_GROUP_CODE"] == "HYP" {
				want.known++
				want.numerator += number(t, r["REGISTER"])
				want.denom += number(t, r["PATIENT_LIST_SIZE"])
			}
		}
		got := indicatorTotals(ds, "qof-2016-17-hyp", practices)
		if got != want {
			t.Errorf("QOF 2016-17 HYP of the CCG's practices = %+v, want %+v", got, want)
		}
		// SOURCES.md, checked when the file was cut: 90 practices, 63,951 / 628,281.
		if len(practices) != 90 || want.numerator != 63951 || want.denom != 628281 {
			t.Errorf("CCG 14L: %d practices, HYP %.0f / %.0f; SOURCES.md says 90, 63,951 / 628,281", len(practices), want.numerator, want.denom)
		}
	})

	t.Run("breakdowns", func(t *testing.T) {
		byID := map[string]dataset.Indicator{}
		for _, ind := range ds.Indicators {
			byID[ind.ID] = ind
		}
		for id, group := range map[string]string{"idaci": "0-15", "idaopi": "60+"} {
			if ind := byID[id]; ind.Characteristic != "age" || ind.Group != group || ind.BreakdownOf != "income-deprivation" {
				t.Errorf("%s breakdown = %q %q of %q", id, ind.Characteristic, ind.Group, ind.BreakdownOf)
			}
		}
		ethnic := 0
		groups := map[string]bool{}
		for _, ind := range ds.Indicators {
			if strings.HasPrefix(ind.ID, "ethnicity-") {
				ethnic++
				groups[ind.Group] = true
				if ind.Characteristic != "ethnic-group" || ind.Group == "" || ind.BreakdownOf != "" {
					t.Errorf("%s breakdown = %q %q of %q", ind.ID, ind.Characteristic, ind.Group, ind.BreakdownOf)
				}
			}
		}
		if ethnic != 14 || len(groups) != 14 {
			t.Errorf("%d ethnic-group indicators with %d distinct groups, want 14", ethnic, len(groups))
		}
	})
}
