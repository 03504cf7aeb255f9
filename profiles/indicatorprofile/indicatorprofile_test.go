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

func TestIMDQuintileBreakdown(t *testing.T) {
	ds, cfg := tiny()
	deciles := map[string]int{"L1": 1, "L2": 2, "L3": 9}
	for i := range ds.LSOAs {
		if d, ok := deciles[ds.LSOAs[i].Code]; ok {
			ds.LSOAs[i].Deprivation = []dataset.Deprivation{{Edition: 2019, Rank: 100 * d, Decile: d}}
		}
	}
	r, err := Evaluate(ds, cfg, "inc")
	if err != nil {
		t.Fatal(err)
	}
	q := r.City.ByIMDQuintile
	// L1 (decile 1) and L2 (decile 2, suppressed) are quintile 1; L3 (decile 9) quintile 5.
	if len(q) != 5 || q[0].Numerator != 300 || q[0].Missing != 1 || q[4].Numerator != 100 || q[2].Value != nil {
		t.Fatalf("city by quintile = %+v", q)
	}
	sum := 0.0
	for _, f := range q {
		sum += f.Numerator
	}
	if sum != r.City.Numerator {
		t.Errorf("quintiles sum to %v, city %v", sum, r.City.Numerator)
	}
	// Quintile 1 (0.30) is worse than the city (0.20) for a higher-is-worse indicator.
	if q[0].Comparison != "worse" || q[4].Comparison != "better" {
		t.Errorf("comparisons %s %s", q[0].Comparison, q[4].Comparison)
	}
}

func TestCompareOptions(t *testing.T) {
	ds, cfgA := tiny()
	// Option B moves ward W1 into team B with W2: team A disappears.
	cfgB := &configuration.Configuration{Name: "b", City: cfgA.City, Localities: []configuration.Locality{{ID: "L", Teams: []configuration.Team{{ID: "B", Wards: []string{"W1", "W2"}}}}}}
	a, err := Evaluate(ds, cfgA, "inc")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Evaluate(ds, cfgB, "inc")
	if err != nil {
		t.Fatal(err)
	}
	ch := CompareOptions(a, b)
	if len(ch) != 2 || ch[0].Team != "A" || ch[0].ValueB != nil || ch[1].Team != "B" {
		t.Fatalf("changes = %+v", ch)
	}
	// B goes from 100/1000 to 400/2000: +0.10, intervals apart.
	if d := *ch[1].Change; d < 0.0999 || d > 0.1001 || ch[1].Significant == nil || !*ch[1].Significant {
		t.Errorf("team B change %v significant %v", d, ch[1].Significant)
	}
	// Team A has no value under B: not tested.
	if ch[0].Significant != nil {
		t.Errorf("team A significant %v without a B value", *ch[0].Significant)
	}
	// A measure without intervals is never called significant or not.
	ds.Indicators[0].Measure = dataset.MeasureMean
	a, _ = Evaluate(ds, cfgA, "inc")
	b, _ = Evaluate(ds, cfgB, "inc")
	if ch := CompareOptions(a, b); ch[1].Change == nil || ch[1].Significant != nil {
		t.Errorf("mean: %+v", ch[1])
	}
}
