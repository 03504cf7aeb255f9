package manifest

import (
	"errors"
	"strings"
	"testing"
)

// withIndicators is minimal plus a population file (mapping working_age
// when workingAge) and the given indicators files.
func withIndicators(workingAge bool, files string) string {
	cols := "{lsoa: a, total: b, age_0_15: c, age_16_59: d, age_60_plus: e}"
	if workingAge {
		cols = "{lsoa: a, total: b, age_0_15: c, age_16_59: d, age_60_plus: e, working_age: f}"
	}
	return minimal + "  - {id: pop, role: population, path: p.csv, year: 2015, columns: " + cols + "}\n" + files
}

const incomeFile = `  - id: iod
    role: indicators
    level: lsoa
    path: i.csv
    columns: {area: code}
    indicators:
      - {id: income, name: Income, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: inc, denominator_from: population}
`

func TestIndicatorSpecs(t *testing.T) {
	m, err := Read(strings.NewReader(withIndicators(true, incomeFile+`      - {id: idaci, name: Children, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: kids, denominator_from: age_0_15,
         characteristic: age, group: "0-15", breakdown_of: income}
      - {id: employment, name: Employment, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: emp, denominator_from: working_age}
      - {id: mood, name: Mood, domain: population-health, unit: score, polarity: higher-is-worse, value: mood, denominator_from: population}
  - id: deciles
    role: indicators
    level: lsoa
    path: d.csv
    columns: {area: code}
    indicators:
      - id: imd-20
        name: Most deprived 20%
        domain: determinants
        unit: proportion
        polarity: higher-is-worse
        count_if: {"Education, Skills and Training Decile (where 1 is most deprived 10% of LSOAs)": [1, 2]}
        denominator_from: population
  - id: msoa
    role: indicators
    level: msoa
    path: m.csv
    columns: {area: msoa}
    indicators:
      - {id: admissions, name: Admissions, domain: population-health, unit: ratio, polarity: higher-is-worse, value: sar, denominator_from: population}
`)), "m.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var idaci, deciles IndicatorSpec
	for _, f := range m.FilesWithRole(RoleIndicators) {
		for _, s := range f.Indicators {
			switch s.ID {
			case "idaci":
				idaci = s
			case "imd-20":
				deciles = s
			}
		}
	}
	if idaci.Characteristic != "age" || idaci.Group != "0-15" || idaci.BreakdownOf != "income" {
		t.Errorf("idaci breakdown = %q %q %q", idaci.Characteristic, idaci.Group, idaci.BreakdownOf)
	}
	values := deciles.CountIf["Education, Skills and Training Decile (where 1 is most deprived 10% of LSOAs)"]
	if len(deciles.CountIf) != 1 || len(values) != 2 || values[0] != "1" || values[1] != "2" {
		t.Errorf("count_if = %#v", deciles.CountIf)
	}
}

func TestIndicatorSpecErrors(t *testing.T) {
	spec := func(fields string) string {
		return incomeFile + "      - {id: x, name: X, domain: determinants, unit: proportion, polarity: higher-is-worse, " + fields + "}\n"
	}
	tests := []struct {
		name, body, want string
	}{
		{"numerator and value", withIndicators(false, spec("numerator: a, value: b, denominator_from: population")),
			"files[3] (iod): indicators[1] (x): give exactly one of numerator, value or count_if"},
		{"none of numerator, value, count_if", withIndicators(false, spec("denominator_from: population")),
			"indicators[1] (x): give exactly one of numerator, value or count_if"},
		{"value and count_if", withIndicators(false, spec("value: b, count_if: {d: [1]}, denominator_from: population")),
			"indicators[1] (x): give exactly one of numerator, value or count_if"},
		{"value of a count", withIndicators(false, strings.Replace(spec("value: b, denominator_from: population"), "unit: proportion, polarity: higher-is-worse, value", "unit: count, polarity: higher-is-worse, value", 1)),
			`indicators[1] (x): value is averaged, so its unit must be one of proportion, ratio, score, km, not "count"`},
		{"value of a rate", withIndicators(false, strings.Replace(spec("value: b, denominator_from: population"), "unit: proportion, polarity: higher-is-worse, value", "unit: rate-per-1000, polarity: higher-is-worse, value", 1)),
			`not "rate-per-1000"`},
		{"count_if two columns", withIndicators(false, spec("count_if: {d: [1], e: [2]}, denominator_from: population")),
			"indicators[1] (x): count_if names one column and its values"},
		{"count_if no values", withIndicators(false, spec("count_if: {d: []}, denominator_from: population")),
			"indicators[1] (x): count_if needs a column and at least one value"},
		{"group without characteristic", withIndicators(false, spec(`numerator: a, denominator_from: population, group: "0-15"`)),
			"indicators[1] (x): characteristic and group come together"},
		{"characteristic without group", withIndicators(false, spec("numerator: a, denominator_from: population, characteristic: age")),
			"indicators[1] (x): characteristic and group come together"},
		{"breakdown of unknown", withIndicators(false, spec("numerator: a, denominator_from: population, breakdown_of: incme")),
			`files[3] (iod): indicators[1] (x): breakdown_of "incme" is not an indicator of this manifest`},
		{"breakdown of itself", withIndicators(false, spec("numerator: a, denominator_from: population, breakdown_of: x")),
			"files[3] (iod): indicators[1] (x): breakdown_of names the indicator itself"},
		{"breakdown across levels", withIndicators(false, incomeFile+`  - id: qof
    role: indicators
    level: practice
    path: q.csv
    columns: {area: practice}
    indicators:
      - {id: dm, name: DM, domain: population-health, unit: proportion, polarity: higher-is-worse, numerator: r, denominator: l, breakdown_of: income}
`), `files[4] (qof): indicators[0] (dm): breakdown_of "income" is at level lsoa, this indicator at level practice`},
		{"id in two files", withIndicators(false, incomeFile+strings.Replace(incomeFile, "id: iod", "id: iod2", 1)),
			`files[4] (iod2): indicators[0]: indicator id "income" is also defined in files[3] (iod): indicators[0]`},
		{"working age unmapped", withIndicators(false, spec("numerator: a, denominator_from: working_age")),
			"indicators[1] (x): denominator_from: working_age needs the population file to map its working_age column"},
		{"suppressed_below on a value", withIndicators(false, spec("value: a, denominator_from: population, suppressed_below: 10")),
			"indicators[1] (x): suppressed_below is a positive count threshold of a numerator column"},
		{"negative suppressed_below", withIndicators(false, spec("numerator: a, denominator_from: population, suppressed_below: -1")),
			"indicators[1] (x): suppressed_below is a positive count threshold of a numerator column"},
		{"bad denominator_from", withIndicators(true, spec("numerator: a, denominator_from: adults")),
			"indicators[1] (x): denominator_from must be one of"},
		{"bad level", withIndicators(false, strings.Replace(incomeFile, "level: lsoa", "level: oa", 1)),
			`files[3] (iod): level must be one of lsoa, msoa, ward, practice, not "oa"`},
		{"denominator_from at practice level", withIndicators(false, strings.Replace(incomeFile, "level: lsoa", "level: practice", 1)),
			`indicator "income": denominator_from needs LSOA or MSOA values`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.body), "m.yaml")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrInvalid) {
				t.Fatalf("error = %v\nwant it to contain %q and wrap ErrInvalid", err, tt.want)
			}
		})
	}
}
