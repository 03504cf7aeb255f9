package dataset

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/paulmach/orb"
)

func square(x0, y0, size float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}, {x0, y0}}}}
}

func small() *Dataset {
	return &Dataset{
		Name: "t", City: Area{Code: "E08000001", Name: "T"}, Commissioners: []string{"99X"},
		Sources: []Source{{ID: "s"}},
		Wards:   []Ward{{Code: "W1", Name: "One", Geometry: square(0, 50, 1), Source: "s"}},
		MSOAs:   []MSOA{{Code: "M1", Geometry: square(0, 50, 1), Source: "s"}},
		LSOAs: []LSOA{{Code: "L1", MSOACode: "M1", WardCode: "W1", WardMethod: WardByLookup, Geometry: square(0, 50, 1),
			Population:  Population{Year: 2015, Total: 10, Age0to15: 2, Age16to59: 5, Age60Plus: 3, Source: "s"},
			Deprivation: []Deprivation{{Edition: 2019, Rank: 5, Decile: 1, Source: "s"}}, Source: "s"}},
		Practices: []Practice{
			{Code: "P1", Status: StatusActive, Location: orb.Point{0.5, 50.5}, Located: LocatedByPostcode, WardCode: "W1", Commissioner: "99X", Source: "s"},
			{Code: "P2", Status: StatusClosed, Closed: Day(2014, 3, 31), Location: orb.Point{5, 55}, Located: LocatedByPostcode, Commissioner: "99X", Source: "s"},
		},
		ListSizes:     []ListSize{{PracticeCode: "P1", Date: Day(2015, 4, 1), Patients: 100, Source: "s"}, {PracticeCode: "P2", Date: Day(2015, 4, 1), Patients: 50, Source: "s"}},
		Registrations: []Registration{{PracticeCode: "P1", AreaLevel: AreaLSOA, AreaCode: "L1", Date: Day(2015, 4, 1), Patients: 8, Source: "s"}},
		Catchments:    []CatchmentShare{{MSOACode: "M1", TrustCode: "R1", Proportion: 0.9, Source: "s"}},
		Indicators: []Indicator{
			{ID: "inc", Name: "Income", Domain: "determinants", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa", Source: "s"},
			{ID: "inc-kids", Name: "Income, children", Domain: "determinants", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa", Source: "s",
				Characteristic: "age", Group: "0-15", BreakdownOf: "inc"},
			{ID: "mood", Name: "Mood", Domain: "population-health", Unit: "score", Polarity: "higher-is-worse", Level: "msoa", Source: "s"},
		},
		IndicatorValues: []IndicatorValue{
			{Indicator: "inc", AreaCode: "L1", Numerator: 3, Denominator: 10, Known: true},
			{Indicator: "mood", AreaCode: "M1", Numerator: -4.5, Denominator: 10, Known: true}, // a score may be below zero
		},
	}
}

func TestValidate(t *testing.T) {
	if err := small().Validate(); err != nil {
		t.Fatalf("valid dataset: %v", err)
	}
	tests := []struct {
		name string
		edit func(d *Dataset)
		want string
	}{
		{"duplicate ward", func(d *Dataset) { d.Wards = append(d.Wards, d.Wards[0]) }, `duplicate ward code "W1"`},
		{"unclosed ward ring", func(d *Dataset) { d.Wards[0].Geometry[0][0] = d.Wards[0].Geometry[0][0][:4] }, "ward W1: exterior ring: ring is not closed"},
		{"unknown ward", func(d *Dataset) { d.LSOAs[0].WardCode = "W9" }, `LSOA L1 is in unknown ward "W9"`},
		{"negative population", func(d *Dataset) { d.LSOAs[0].Population.Age0to15 = -2 }, "LSOA L1 has a negative population"},
		{"bands", func(d *Dataset) { d.LSOAs[0].Population.Total = 11 }, "LSOA L1: age bands sum to 10, total is 11"},
		{"decile", func(d *Dataset) { d.LSOAs[0].Deprivation[0].Decile = 0 }, "IMD 2019 decile 0 is not 1-10"},
		{"negative list", func(d *Dataset) { d.ListSizes[0].Patients = -1 }, "practice P1 has a negative list size on 2015-04-01"},
		{"duplicate list", func(d *Dataset) { d.ListSizes[1].PracticeCode = "P1" }, "practice P1 has two list sizes on 2015-04-01"},
		{"not a day", func(d *Dataset) { d.ListSizes[0].Date = d.ListSizes[0].Date.Add(3600e9) }, "is not a calendar day in UTC"},
		{"share over one", func(d *Dataset) { d.Catchments[0].Proportion = 1.5 }, "is 1.5, not within 0-1"},
		{"unknown source", func(d *Dataset) { d.Wards[0].Source = "x" }, `ward W1 names unknown source "x"`},
		{"bad status", func(d *Dataset) { d.Practices[0].Status = "open" }, `practice P1 has unknown status "open"`},
		{"working age without figure", func(d *Dataset) { d.LSOAs[0].Population.WorkingAge = 4 }, "LSOA L1 has a working-age population of 4 but no working-age figure"},
		{"negative working age", func(d *Dataset) { d.LSOAs[0].Population.WorkingAge, d.LSOAs[0].Population.HasWorkingAge = -1, true }, "LSOA L1 has a negative working-age population"},
		{"indicator level", func(d *Dataset) { d.Indicators[0].Level = "oa" }, `indicator inc: level "oa" is not lsoa, msoa, ward or practice`},
		{"group without characteristic", func(d *Dataset) { d.Indicators[1].Characteristic = "" }, `indicator inc-kids: characteristic "" and group "0-15" come together`},
		{"breakdown of unknown", func(d *Dataset) { d.Indicators[1].BreakdownOf = "income" }, `indicator inc-kids is a breakdown of unknown indicator "income"`},
		{"breakdown of itself", func(d *Dataset) { d.Indicators[1].BreakdownOf = "inc-kids" }, "indicator inc-kids is a breakdown of itself"},
		{"breakdown across levels", func(d *Dataset) { d.Indicators[1].BreakdownOf = "mood" }, "indicator inc-kids (lsoa) is a breakdown of mood, which is at level msoa"},
		{"negative proportion numerator", func(d *Dataset) { d.IndicatorValues[0].Numerator = -1 }, "indicator inc: L1 has a negative, infinite or NaN count"},
		{"negative denominator of a score", func(d *Dataset) { d.IndicatorValues[1].Denominator = -1 }, "indicator mood: M1 has a negative, infinite or NaN count"},
		{"infinite score", func(d *Dataset) { d.IndicatorValues[1].Numerator = math.Inf(-1) }, "indicator mood: M1 has a negative, infinite or NaN count"},
		{"closed before opened", func(d *Dataset) { d.Practices[1].Opened = Day(2015, 1, 1) }, "practice P2 closed (2014-03-31) before it opened (2015-01-01)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := small()
			tt.edit(d)
			err := d.Validate()
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v\nwant %q", err, tt.want)
			}
		})
	}
}

func TestCheckAndSummarize(t *testing.T) {
	d := small()
	got := map[string]int{}
	for _, w := range d.Check() {
		got[w.Kind] = w.Count
	}
	want := map[string]int{"practice-outside-city": 1, "list-size-practice-not-open": 1, "catchment-trust-not-located": 1}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("warning %s = %d, want %d (all %v)", k, got[k], n, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("warnings = %v, want %v", got, want)
	}
	s := d.Summarize()
	if s.CityLSOAs != 1 || len(s.ListSizes) != 1 || s.ListSizes[0].Patients != 150 || s.ListSizes[0].CityPatients != 100 || s.ListSizes[0].CityPractices != 1 {
		t.Errorf("summary = %+v", s)
	}
	if s.Practices.InCity[StatusActive] != 1 || s.Practices.CityCCGCount[StatusClosed] != 1 {
		t.Errorf("practice counts = %+v", s.Practices)
	}
}

func TestOpenOn(t *testing.T) {
	p := Practice{Opened: Day(2000, 1, 1), Closed: Day(2014, 3, 31)}
	cases := []struct {
		day  time.Time
		want bool
	}{
		{Day(1999, 12, 31), false},
		{Day(2000, 1, 1), true},
		{Day(2014, 3, 31), true},
		{Day(2014, 4, 1), false},
	}
	for _, c := range cases {
		if got := p.OpenOn(c.day); got != c.want {
			t.Errorf("OpenOn(%s) = %v, want %v", c.day.Format(time.DateOnly), got, c.want)
		}
	}
	if !(Practice{}).OpenOn(Day(1900, 1, 1)) {
		t.Error("a practice with unknown dates counts as open")
	}
}
