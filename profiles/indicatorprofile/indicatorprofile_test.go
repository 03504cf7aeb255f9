package indicatorprofile

import (
	"math"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/phstats"
)

func tiny() (*dataset.Dataset, *configuration.Configuration) {
	ds := &dataset.Dataset{
		LSOAs: []dataset.LSOA{
			{Code: "L1", WardCode: "W1"}, {Code: "L2", WardCode: "W1"}, {Code: "L3", WardCode: "W2"}, {Code: "L4", WardCode: ""},
		},
		Practices: []dataset.Practice{{Code: "P1", WardCode: "W1", Status: dataset.StatusActive}, {Code: "P2", WardCode: "W2", Status: dataset.StatusActive}, {Code: "P3", Status: dataset.StatusActive}},
		Indicators: []dataset.Indicator{
			{ID: "inc", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa"},
			{ID: "dm", Unit: "proportion", Polarity: "higher-is-worse", Level: "practice"},
		},
		IndicatorValues: []dataset.IndicatorValue{
			{Indicator: "inc", AreaCode: "L1", Numerator: 300, Denominator: 1000, Known: true},
			{Indicator: "inc", AreaCode: "L2", Numerator: 0, Denominator: 1500, Known: false}, // suppressed
			{Indicator: "inc", AreaCode: "L3", Numerator: 100, Denominator: 1000, Known: true},
			{Indicator: "inc", AreaCode: "L4", Numerator: 999, Denominator: 1000, Known: true}, // outside the city
			{Indicator: "dm", AreaCode: "P1", Numerator: 80, Denominator: 1000, Known: true},
			{Indicator: "dm", AreaCode: "P2", Numerator: 40, Denominator: 1000, Known: true},
			{Indicator: "dm", AreaCode: "P3", Numerator: 500, Denominator: 1000, Known: true},
		},
		PracticeGroups: []dataset.PracticeGroup{{PracticeCode: "P1", Kind: "pcn", Code: "U1"}, {PracticeCode: "P2", Kind: "pcn", Code: "U1"}, {PracticeCode: "P3", Kind: "pcn", Code: "U2"}},
	}
	cfg := &configuration.Configuration{Name: "c", City: configuration.Unit{ID: "C"}, Localities: []configuration.Locality{{ID: "L", Teams: []configuration.Team{{ID: "A", Wards: []string{"W1"}}, {ID: "B", Wards: []string{"W2"}}}}}}
	return ds, cfg
}

func TestSuppressedValuesAreMissingNotZero(t *testing.T) {
	ds, cfg := tiny()
	r, err := Evaluate(ds, cfg, "inc")
	if err != nil {
		t.Fatal(err)
	}
	a := r.Teams[0]
	// L2 is suppressed: left out of both sums, counted as missing; the rate
	// is 300/1000, not 300/2500.
	if a.Numerator != 300 || a.Denominator != 1000 || a.Missing != 1 || a.Areas != 1 || *a.Value != 0.3 {
		t.Errorf("team A = %+v", a)
	}
	// The city sums counts (never averages rates) and leaves out L4.
	if r.City.Numerator != 400 || r.City.Denominator != 2000 || *r.City.Value != 0.2 {
		t.Errorf("city = %+v", r.City)
	}
	lo, hi, _ := phstats.WilsonInterval(300, 1000, Confidence)
	if math.Abs(*a.Lower-lo) > 1e-12 || math.Abs(*a.Upper-hi) > 1e-12 {
		t.Errorf("CI %v-%v, want Wilson %v-%v", *a.Lower, *a.Upper, lo, hi)
	}
	// Higher is worse: A (0.30) is worse than the city (0.20), B (0.10) better.
	if a.Comparison != "worse" || r.Teams[1].Comparison != "better" {
		t.Errorf("comparisons %s, %s", a.Comparison, r.Teams[1].Comparison)
	}
}

func TestRegisteredLensAndGroups(t *testing.T) {
	ds, cfg := tiny()
	r, err := Evaluate(ds, cfg, "dm")
	if err != nil {
		t.Fatal(err)
	}
	// P3 lies outside the city: not in any team nor in the city figure.
	if r.Teams[0].Numerator != 80 || r.Teams[1].Numerator != 40 || r.City.Numerator != 120 {
		t.Errorf("registered lens: %+v %+v %+v", r.Teams[0], r.Teams[1], r.City)
	}
	if _, err := Evaluate(ds, cfg, "nope"); err == nil {
		t.Error("unknown indicator evaluated")
	}
	g := Groups(ds, cfg, "pcn")
	// U1 spans teams A and B: both teams hold one PCN and split it.
	if len(g) != 2 || len(g[0].Groups) != 1 || len(g[0].Split) != 1 || len(g[1].Split) != 1 {
		t.Errorf("groups = %+v", g)
	}
}
