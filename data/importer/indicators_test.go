package importer

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
)

// The fixture city's populations (testdata/city/population.csv): total,
// 0-15 and, in withWorkingAge, the working-age figure. E01000001 and
// E01000002 make up MSOA E02000001; E01000003 and E01000004 E02000002.
const (
	popL1, popL2, popL3, popL4 = 1500, 1600, 1200, 1300
	kidsL1                     = 300
)

// withWorkingAge is the fixture population file with a working-age column,
// blank (not published) for E01000004.
const withWorkingAge = `LSOA code (2011),Total population: mid 2015,0-15,16-59,60+,Working age
E01000001,"1,500",300,"1,000",200,900
E01000002,"1,600",400,"1,000",200,950
E01000003,"1,200",200,800,200,700
E01000004,"1,300",300,700,300,
E01000005,"2,000",500,"1,200",300,"1,150"
`

// indicatorFixture runs the fixture city with extra manifest entries and
// files; workingAge maps the population file's working-age column.
func indicatorFixture(t *testing.T, workingAge bool, entries string, files map[string]string) (*Result, error) {
	t.Helper()
	m := mustRead(t, "manifest.yaml")
	if workingAge {
		m = strings.Replace(m, "age_60_plus: 60+}", "age_60_plus: 60+, working_age: Working age}", 1)
		files["population.csv"] = withWorkingAge
	}
	files["manifest.yaml"] = m + entries
	return runFixture(t, files)
}

func valuesOf(res *Result) map[string]dataset.IndicatorValue {
	out := map[string]dataset.IndicatorValue{}
	for _, v := range res.Dataset.IndicatorValues {
		out[v.Indicator+" "+v.AreaCode] = v
	}
	return out
}

func warningCounts(res *Result) map[string]int {
	out := map[string]int{}
	for _, w := range res.Report.Warnings {
		out[w.Kind] = w.Count
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

func checkValues(t *testing.T, got map[string]dataset.IndicatorValue, want map[string]dataset.IndicatorValue) {
	t.Helper()
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: no value", k)
			continue
		}
		if g.Known != w.Known || !near(g.Numerator, w.Numerator) || !near(g.Denominator, w.Denominator) {
			t.Errorf("%s = %+v, want %+v", k, g, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d values, want %d: %v", len(got), len(want), got)
	}
}

// TestIndicatorValueAndCountIf: a value column gives value × denominator
// (a score may be negative); count_if gives the whole denominator or none;
// blanks stay unknown.
func TestIndicatorValueAndCountIf(t *testing.T) {
	wide := `lsoa11_code,mood,overcrowding,"Health Decile (where 1 is most deprived 10% of LSOAs)",households,urban
E01000001,-0.5,0.25,1,400,YES
E01000002,1.25,,2,500, Yes
E01000003,,0.1, 3 ,600,no
E01000004,0,0.2,,700,yes
`
	entries := `
  - id: iod
    role: indicators
    level: lsoa
    path: wide.csv
    period: "2019"
    columns: {area: lsoa11_code}
    indicators:
      - {id: mood, name: Mood, domain: population-health, unit: score, polarity: higher-is-worse, value: mood, denominator_from: population}
      - {id: crowded, name: Overcrowding, domain: determinants, unit: proportion, polarity: higher-is-worse, value: overcrowding, denominator: households}
      - id: health-20
        name: Most deprived 20% (health)
        domain: population-health
        unit: proportion
        polarity: higher-is-worse
        count_if: {"Health Decile (where 1 is most deprived 10% of LSOAs)": ["1", " 2 "]}
        denominator_from: population
      - {id: health-kids, name: Children in the most deprived 20%, domain: population-health, unit: proportion, polarity: higher-is-worse,
         count_if: {"health decile (where 1 is most deprived 10% of lsoas)": [1, 2]}, denominator_from: age_0_15,
         characteristic: age, group: "0-15", breakdown_of: health-20}
      - {id: urban, name: Urban residents, domain: determinants, unit: proportion, polarity: no-judgement, count_if: {urban: "yes "}, denominator: households}
`
	res, err := indicatorFixture(t, false, entries, map[string]string{"wide.csv": wide})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, valuesOf(res), map[string]dataset.IndicatorValue{
		"mood E01000001":        {Numerator: -0.5 * popL1, Denominator: popL1, Known: true},
		"mood E01000002":        {Numerator: 1.25 * popL2, Denominator: popL2, Known: true},
		"mood E01000003":        {Denominator: popL3},
		"mood E01000004":        {Numerator: 0, Denominator: popL4, Known: true},
		"crowded E01000001":     {Numerator: 100, Denominator: 400, Known: true},
		"crowded E01000002":     {Denominator: 500},
		"crowded E01000003":     {Numerator: 60, Denominator: 600, Known: true},
		"crowded E01000004":     {Numerator: 140, Denominator: 700, Known: true},
		"health-20 E01000001":   {Numerator: popL1, Denominator: popL1, Known: true},
		"health-20 E01000002":   {Numerator: popL2, Denominator: popL2, Known: true},
		"health-20 E01000003":   {Numerator: 0, Denominator: popL3, Known: true},
		"health-20 E01000004":   {Denominator: popL4},
		"health-kids E01000001": {Numerator: kidsL1, Denominator: kidsL1, Known: true},
		"health-kids E01000002": {Numerator: 400, Denominator: 400, Known: true},
		"health-kids E01000003": {Numerator: 0, Denominator: 200, Known: true},
		"health-kids E01000004": {Denominator: 300},
		"urban E01000001":       {Numerator: 400, Denominator: 400, Known: true},
		"urban E01000002":       {Numerator: 500, Denominator: 500, Known: true},
		"urban E01000003":       {Numerator: 0, Denominator: 600, Known: true},
		"urban E01000004":       {Numerator: 700, Denominator: 700, Known: true},
	})
	if n := warningCounts(res)["indicator-suppressed"]; n != 4 {
		t.Errorf("suppressed warnings = %d, want 4 (mood, crowded, two count_if blanks)", n)
	}
	var kids dataset.Indicator
	for _, ind := range res.Dataset.Indicators {
		if ind.ID == "health-kids" {
			kids = ind
		}
	}
	if kids.Characteristic != "age" || kids.Group != "0-15" || kids.BreakdownOf != "health-20" || kids.Level != "lsoa" {
		t.Errorf("breakdown indicator = %+v", kids)
	}
}

// TestIndicatorValueErrors: a value out of its unit's range is an error
// naming the file, the line and the column.
func TestIndicatorValueErrors(t *testing.T) {
	entry := func(unit string) string {
		return `
  - id: iod
    role: indicators
    level: lsoa
    path: wide.csv
    columns: {area: lsoa11_code}
    indicators:
      - {id: x, name: X, domain: determinants, unit: ` + unit + `, polarity: higher-is-worse, value: v, denominator_from: population}
`
	}
	tests := []struct {
		name, unit, csv, want string
		is                    error
	}{
		{"negative ratio", "ratio", "lsoa11_code,v\nE01000001,1\nE01000002,-0.5\n", `wide.csv: line 3: column "v": negative count: -0.5 (indicator x, unit ratio; only a score may be negative)`, tabular.ErrNegative},
		{"negative proportion", "proportion", "lsoa11_code,v\nE01000001,-0.01\n", `wide.csv: line 2: column "v": negative count`, tabular.ErrNegative},
		{"proportion over one", "proportion", "lsoa11_code,v\nE01000001,0.5\nE01000002,0.2\nE01000003,12.5\n", `wide.csv: line 4: column "v": a proportion is between 0 and 1: 12.5`, errProportionRange},
		{"not a number", "score", "lsoa11_code,v\nE01000001,high\n", `wide.csv: line 2: column "v": not a number`, tabular.ErrNotNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := indicatorFixture(t, false, entry(tt.unit), map[string]string{"wide.csv": tt.csv})
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, tt.is) {
				t.Fatalf("error = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

// TestWorkingAgeDenominator: denominator_from working_age reads the
// population file's optional column; a blank figure leaves the value
// unknown and reported, never zero.
func TestWorkingAgeDenominator(t *testing.T) {
	entries := `
  - id: iod
    role: indicators
    level: lsoa
    path: wide.csv
    columns: {area: lsoa11_code}
    indicators:
      - {id: employment, name: Employment deprivation, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: emp, denominator_from: working_age}
`
	wide := "lsoa11_code,emp\nE01000001,90\nE01000002,\nE01000003,70\nE01000004,65\n"
	res, err := indicatorFixture(t, true, entries, map[string]string{"wide.csv": wide})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, valuesOf(res), map[string]dataset.IndicatorValue{
		"employment E01000001": {Numerator: 90, Denominator: 900, Known: true},
		"employment E01000002": {Denominator: 950},
		"employment E01000003": {Numerator: 70, Denominator: 700, Known: true},
		"employment E01000004": {Numerator: 65},
	})
	w := warningCounts(res)
	if w["indicator-denominator-unknown"] != 1 || w["indicator-suppressed"] != 1 {
		t.Errorf("warnings = %v; want one unknown denominator (E01000004) and one suppressed numerator (E01000002)", w)
	}
	for _, l := range res.Dataset.LSOAs {
		p := l.Population
		switch l.Code {
		case "E01000004":
			if p.HasWorkingAge {
				t.Errorf("%s: blank working age read as %d", l.Code, p.WorkingAge)
			}
		case "E01000005":
			if !p.HasWorkingAge || p.WorkingAge != 1150 {
				t.Errorf("%s: working age %d (known %v), want 1,150", l.Code, p.WorkingAge, p.HasWorkingAge)
			}
		}
	}

	// Without the column mapped, no LSOA has a working-age figure.
	res, err = runFixture(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range res.Dataset.LSOAs {
		if l.Population.HasWorkingAge {
			t.Errorf("%s has a working-age figure from a file without the column", l.Code)
		}
	}

	// More working-age residents than residents (IoD2019 File 6 has three
	// such LSOAs in Manchester) is kept as published, with a warning.
	over := strings.Replace(withWorkingAge, `"2,000",500,"1,200",300,"1,150"`, `"2,000",500,"1,200",300,"2,150"`, 1)
	res, err = runFixture(t, map[string]string{
		"manifest.yaml":  strings.Replace(mustRead(t, "manifest.yaml"), "age_60_plus: 60+}", "age_60_plus: 60+, working_age: Working age}", 1),
		"population.csv": over,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := warningCounts(res)["population-working-age-over-total"]; n != 1 {
		t.Errorf("working age over total: %d warnings, want 1", n)
	}
	for _, l := range res.Dataset.LSOAs {
		if l.Code == "E01000005" && (!l.Population.HasWorkingAge || l.Population.WorkingAge != 2150) {
			t.Errorf("%s working age = %d (known %v), want 2,150 as published", l.Code, l.Population.WorkingAge, l.Population.HasWorkingAge)
		}
	}
}

// TestMSOAIndicators: values keyed by MSOA; population denominators are the
// sums over the MSOA's LSOAs, unknown when any of them lacks the figure;
// unknown MSOAs are warned about and dropped.
func TestMSOAIndicators(t *testing.T) {
	entries := `
  - id: msoa
    role: indicators
    level: msoa
    path: msoa.csv
    columns: {area: MSOA11CD}
    indicators:
      - {id: admissions, name: Emergency admissions ratio, domain: population-health, unit: ratio, polarity: higher-is-worse, value: sar, denominator_from: population}
      - {id: employment, name: Employment deprivation, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: emp, denominator_from: working_age}
      - {id: deaths, name: Deaths, domain: population-health, unit: rate-per-1000, polarity: higher-is-worse, numerator: deaths, denominator: pop}
`
	msoa := "MSOA11CD,sar,emp,deaths,pop\ne02000001,1.1,180,30,3000\nE02000002,0.9,130,20,2500\nE02000099,1,1,1,100\n"
	res, err := indicatorFixture(t, true, entries, map[string]string{"msoa.csv": msoa})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, valuesOf(res), map[string]dataset.IndicatorValue{
		"admissions E02000001": {Numerator: 1.1 * (popL1 + popL2), Denominator: popL1 + popL2, Known: true},
		"admissions E02000002": {Numerator: 0.9 * (popL3 + popL4), Denominator: popL3 + popL4, Known: true},
		"employment E02000001": {Numerator: 180, Denominator: 900 + 950, Known: true},
		"employment E02000002": {Numerator: 130}, // E01000004 has no working-age figure
		"deaths E02000001":     {Numerator: 30, Denominator: 3000, Known: true},
		"deaths E02000002":     {Numerator: 20, Denominator: 2500, Known: true},
	})
	w := warningCounts(res)
	if w["indicator-area-unknown"] != 3 || w["indicator-denominator-unknown"] != 1 {
		t.Errorf("warnings = %v; want E02000099 ignored for 3 indicators and one unknown denominator", w)
	}
	for _, ind := range res.Dataset.Indicators {
		if ind.Level != dataset.IndicatorLevelMSOA {
			t.Errorf("indicator %s level %q, want msoa", ind.ID, ind.Level)
		}
	}
}

// TestWardIndicators: values keyed by ward code; population denominators
// are the sums over the ward's LSOAs; unknown wards are warned about.
func TestWardIndicators(t *testing.T) {
	entries := `
  - id: ward
    role: indicators
    level: ward
    path: ward.csv
    columns: {area: ward}
    indicators:
      - {id: le, name: Life expectancy gap, domain: population-health, unit: score, polarity: higher-is-worse, value: gap, denominator_from: population}
      - {id: falls, name: Falls admissions, domain: population-health, unit: rate-per-100000, polarity: higher-is-worse, numerator: falls, denominator_from: age_60_plus}
`
	ward := "ward,gap,falls\nE05000001,-1.5,12\nE05000002,2,\nE05999999,0,1\n"
	res, err := indicatorFixture(t, false, entries, map[string]string{"ward.csv": ward})
	if err != nil {
		t.Fatal(err)
	}
	got := valuesOf(res)
	checkValues(t, got, map[string]dataset.IndicatorValue{
		"le E05000001": {Numerator: -1.5 * (popL1 + popL2), Denominator: popL1 + popL2, Known: true},
		"le E05000002": {Numerator: 2 * (popL3 + popL4), Denominator: popL3 + popL4, Known: true},
		// 60+ of E01000001 and E01000002 (200 each); a blank count stays
		// unknown.
		"falls E05000001": {Numerator: 12, Denominator: 400, Known: true},
		"falls E05000002": {Denominator: 500},
	})
	if w := warningCounts(res); w["indicator-area-unknown"] != 2 {
		t.Errorf("warnings = %v; want E05999999 ignored for both indicators", w)
	}
}

// TestMSOADenominatorNeedsEveryLSOA: an MSOA one of whose LSOAs has no
// population estimate gets no population denominator.
func TestMSOADenominatorNeedsEveryLSOA(t *testing.T) {
	entries := `
  - id: msoa
    role: indicators
    level: msoa
    path: msoa.csv
    columns: {area: MSOA11CD}
    indicators:
      - {id: admissions, name: Emergency admissions ratio, domain: population-health, unit: ratio, polarity: higher-is-worse, value: sar, denominator_from: population}
`
	population := strings.Replace(mustRead(t, "population.csv"), "E01000003,\"1,200\",200,800,200\n", "", 1)
	res, err := indicatorFixture(t, false, entries, map[string]string{"msoa.csv": "MSOA11CD,sar\nE02000001,1.5\nE02000002,0.5\n", "population.csv": population})
	if err != nil {
		t.Fatal(err)
	}
	checkValues(t, valuesOf(res), map[string]dataset.IndicatorValue{
		"admissions E02000001": {Numerator: 1.5 * (popL1 + popL2), Denominator: popL1 + popL2, Known: true},
		"admissions E02000002": {},
	})
}

// TestBreakdownOfUnknownIndicator: the manifest names the field.
func TestBreakdownOfUnknownIndicator(t *testing.T) {
	entries := `
  - id: iod
    role: indicators
    level: lsoa
    path: wide.csv
    columns: {area: lsoa11_code}
    indicators:
      - {id: idaci, name: Children, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: kids, denominator_from: age_0_15,
         characteristic: age, group: "0-15", breakdown_of: income}
`
	_, err := indicatorFixture(t, false, entries, map[string]string{"wide.csv": "lsoa11_code,kids\nE01000001,5\n"})
	if err == nil || !errors.Is(err, manifest.ErrInvalid) || !strings.Contains(err.Error(), `indicators[0] (idaci): breakdown_of "income" is not an indicator of this manifest`) {
		t.Errorf("error = %v", err)
	}
}

// FuzzIndicatorReader feeds fuzzed CSV to an indicators file that uses a
// numerator, a value, a count_if and a denominator column: the import must
// fail with an error or give a dataset that passes validation.
func FuzzIndicatorReader(f *testing.F) {
	f.Add("area,num,val,decile,den\nE01000001,5,0.5,1,10\nE02000001,,-1,x,\n")
	f.Add("area,num,val,decile,den\nE01000001,\"1,000\",NA, 2 ,\"2,000\"\nE01000001,1,1,1,1\n")
	f.Add("area,num,val,decile,den\nE01000001,1e308,1e308,1,1e308\n")
	entries := `
  - id: fuzz
    role: indicators
    level: lsoa
    path: fuzz.csv
    columns: {area: area}
    indicators:
      - {id: n, name: N, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: num, denominator: den}
      - {id: v, name: V, domain: determinants, unit: score, polarity: higher-is-worse, value: val, denominator_from: population}
      - {id: c, name: C, domain: determinants, unit: proportion, polarity: higher-is-worse, count_if: {decile: [1, 2]}, denominator: den}
`
	f.Fuzz(func(t *testing.T, body string) {
		if body == "" {
			return // the fixture reads "" as "delete the file"
		}
		res, err := indicatorFixture(t, false, entries, map[string]string{"fuzz.csv": body})
		if err != nil {
			return
		}
		if err := res.Dataset.Validate(); err != nil {
			t.Fatalf("imported dataset is invalid: %v", err)
		}
	})
}
