package indicatorprofile

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestMSOAValuesAreApportionedByPopulation(t *testing.T) {
	ds, cfg := tiny()
	pop := func(n int) dataset.Population {
		return dataset.Population{Year: 2015, Total: n, Age16to59: n}
	}
	// M1 = L1 (W1, 100) + L3 (W2, 300) + L4 (outside, 100).
	ds.LSOAs[0].MSOACode, ds.LSOAs[0].Population = "M1", pop(100)
	ds.LSOAs[1].MSOACode, ds.LSOAs[1].Population = "M2", pop(0)
	ds.LSOAs[2].MSOACode, ds.LSOAs[2].Population = "M1", pop(300)
	ds.LSOAs[3].MSOACode, ds.LSOAs[3].Population = "M1", pop(100)
	ds.Indicators = append(ds.Indicators, dataset.Indicator{ID: "adm", Unit: "rate-per-1000", Polarity: "higher-is-worse", Level: dataset.IndicatorLevelMSOA})
	ds.IndicatorValues = append(ds.IndicatorValues,
		dataset.IndicatorValue{Indicator: "adm", AreaCode: "M1", Numerator: 50, Denominator: 500, Known: true},
		dataset.IndicatorValue{Indicator: "adm", AreaCode: "M2", Known: false})
	r, err := Evaluate(ds, cfg, "adm")
	if err != nil {
		t.Fatal(err)
	}
	a, b := r.Teams[0], r.Teams[1]
	// A gets 100/500 of M1, B 300/500; the 100/500 living outside leaves.
	if !near(a.Numerator, 10) || !near(a.Denominator, 100) || !near(b.Numerator, 30) || !near(b.Denominator, 300) {
		t.Errorf("apportioned: A %v/%v, B %v/%v", a.Numerator, a.Denominator, b.Numerator, b.Denominator)
	}
	if !near(r.City.Numerator, 40) || !near(r.City.Denominator, 400) || !near(*r.City.Value, 100) {
		t.Errorf("city %+v", r.City)
	}
	// M2 (suppressed, all of it in W1 with no population: equal shares)
	// counts as missing in A only; M1 is one area in the city, not three.
	if a.Missing != 1 || b.Missing != 0 || r.City.Areas != 1 {
		t.Errorf("missing A %d B %d, city areas %d", a.Missing, b.Missing, r.City.Areas)
	}
	if !r.Modelled {
		t.Error("apportioned MSOA figures are not marked modelled")
	}
	ds.Wards = []dataset.Ward{{Code: "W1"}, {Code: "W2"}}
	w, modelled, err := WardFigures(ds, "adm", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !near(w["W1"].Numerator, 10) || !near(w["W2"].Numerator, 30) || len(w) != 2 || !modelled {
		t.Errorf("ward figures %+v", w)
	}
}

func TestResidentLensSpreadsPracticesByFlows(t *testing.T) {
	ds, cfg := tiny()
	tables := &wardtables.Tables{
		Wards: []wardtables.Ref{{Code: "W1"}, {Code: "W2"}},
		// P1: 600 in W1, 300 in W2, 100 outside. P3 (outside the city):
		// 200 in W2, 800 outside. P2 has no flows.
		Residence: map[string]map[int]float64{
			"P1": {0: 600, 1: 300, 2: 100},
			"P3": {1: 200, 2: 800},
			"P9": {0: 50}, // no value: uncovered
		},
		FlowModel: wardtables.FlowModel{Kind: "gravity", Modelled: true},
	}
	if _, err := EvaluateWith(ds, cfg, "dm", Options{Lens: LensResident}); !errors.Is(err, ErrLens) {
		t.Errorf("resident lens without flows: %v", err)
	}
	if _, err := EvaluateWith(ds, cfg, "dm", Options{Lens: "sideways"}); !errors.Is(err, ErrLens) {
		t.Errorf("unknown lens: %v", err)
	}
	r, err := EvaluateWith(ds, cfg, "dm", Options{Lens: LensResident, Tables: tables})
	if err != nil {
		t.Fatal(err)
	}
	a, b := r.Teams[0], r.Teams[1]
	// P1 is 80/1000: 60% of it lives in A, 30% in B. P3 is 500/1000: 20%
	// in B.
	if !near(a.Numerator, 48) || !near(a.Denominator, 600) || !near(*a.Value, 0.08) {
		t.Errorf("A = %+v", a)
	}
	if !near(b.Numerator, 24+100) || !near(b.Denominator, 300+200) {
		t.Errorf("B = %+v", b)
	}
	if !r.Modelled || a.Coverage == nil || !near(*a.Coverage, 600.0/650) || !near(*b.Coverage, 1) {
		t.Errorf("modelled %v, coverage %v %v", r.Modelled, a.Coverage, b.Coverage)
	}
	// The same practices through the registered lens: P3 is outside.
	reg, err := Evaluate(ds, cfg, "dm")
	if err != nil {
		t.Fatal(err)
	}
	if reg.Modelled || reg.Teams[1].Numerator != 40 {
		t.Errorf("registered lens changed: %+v", reg.Teams[1])
	}
}

func TestAgeBandSlicesAreProfiledPerUnit(t *testing.T) {
	ds, cfg := tiny()
	ds.Indicators = append(ds.Indicators, dataset.Indicator{ID: "inc-child", Name: "children", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa", Characteristic: "age", Group: "0-15", BreakdownOf: "inc"})
	ds.IndicatorValues = append(ds.IndicatorValues,
		dataset.IndicatorValue{Indicator: "inc-child", AreaCode: "L1", Numerator: 100, Denominator: 200, Known: true},
		dataset.IndicatorValue{Indicator: "inc-child", AreaCode: "L3", Numerator: 10, Denominator: 200, Known: true})
	r, err := Evaluate(ds, cfg, "inc")
	if err != nil {
		t.Fatal(err)
	}
	a := r.Teams[0]
	if len(a.ByGroup) != 1 {
		t.Fatalf("A by group = %+v", a.ByGroup)
	}
	g := a.ByGroup[0]
	// Children in A: 100/200 = 0.5 against A's 0.3: worse (higher is worse).
	if g.Level != "age" || g.ID != "0-15" || g.Indicator != "inc-child" || *g.Value != 0.5 || g.Comparison != "worse" {
		t.Errorf("A children = %+v", g)
	}
	if c := r.City.ByGroup[0]; !near(*c.Value, 110.0/400) {
		t.Errorf("city children = %+v", c)
	}
}

// TestMeansAndAreaSharesHaveNoInterval: a population-weighted mean of area
// scores is summed like a count but gets no Wilson or Byar interval and is
// not compared with the city.
func TestMeansAndAreaSharesHaveNoInterval(t *testing.T) {
	ds, cfg := tiny()
	ds.Indicators = append(ds.Indicators, dataset.Indicator{ID: "score", Unit: "score", Polarity: "higher-is-worse", Level: "lsoa", Measure: dataset.MeasureMean},
		dataset.Indicator{ID: "deprived", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa", Measure: dataset.MeasureAreaShare})
	ds.IndicatorValues = append(ds.IndicatorValues,
		// Scores 2 (pop 100) and -1 (pop 300) in team A's W1... L1 and L2.
		dataset.IndicatorValue{Indicator: "score", AreaCode: "L1", Numerator: 200, Denominator: 100, Known: true},
		dataset.IndicatorValue{Indicator: "score", AreaCode: "L2", Numerator: -300, Denominator: 300, Known: true},
		dataset.IndicatorValue{Indicator: "deprived", AreaCode: "L1", Numerator: 100, Denominator: 100, Known: true},
		dataset.IndicatorValue{Indicator: "deprived", AreaCode: "L2", Numerator: 0, Denominator: 300, Known: true})
	for id, want := range map[string]float64{"score": -100.0 / 400, "deprived": 0.25} {
		r, err := Evaluate(ds, cfg, id)
		if err != nil {
			t.Fatal(err)
		}
		a := r.Teams[0]
		if a.Value == nil || !near(*a.Value, want) || a.Lower != nil || a.Upper != nil || a.Comparison != "not compared" {
			t.Errorf("%s: team A %+v, want %v with no interval", id, a, want)
		}
	}
}

// TestInequalityByMeasure: across ten deciles of a synthetic city, a count
// gets its SII and RII; a score its SII but no RII (its zero is
// arbitrary); a share of residents by area neither SII nor quintiles.
func TestInequalityByMeasure(t *testing.T) {
	ds, cfg := tiny()
	ds.LSOAs = nil
	ds.IndicatorValues = nil
	for i := range 20 {
		code := fmt.Sprintf("X%02d", i)
		ward := []string{"W1", "W2"}[i%2]
		decile := i/2 + 1
		ds.LSOAs = append(ds.LSOAs, dataset.LSOA{Code: code, WardCode: ward,
			Population:  dataset.Population{Year: 2015, Total: 1000, Age16to59: 1000},
			Deprivation: []dataset.Deprivation{{Edition: 2019, Rank: decile * 3000, Decile: decile}}})
		for id, num := range map[string]float64{"cnt": float64(300 - 20*decile), "scr": 1000 * (1 - 0.2*float64(decile)), "share": float64(1000 * min(1, max(0, 3-decile)) / 2)} {
			ds.IndicatorValues = append(ds.IndicatorValues, dataset.IndicatorValue{Indicator: id, AreaCode: code, Numerator: num, Denominator: 1000, Known: true})
		}
	}
	ds.Indicators = []dataset.Indicator{
		{ID: "cnt", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa"},
		{ID: "scr", Unit: "score", Polarity: "higher-is-worse", Level: "lsoa", Measure: dataset.MeasureMean},
		{ID: "share", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa", Measure: dataset.MeasureAreaShare},
	}
	cnt, err := Evaluate(ds, cfg, "cnt")
	if err != nil {
		t.Fatal(err)
	}
	// 0.28 in decile 1 down to 0.10 in decile 10: the SII is about −0.2.
	if q := cnt.Inequality; q == nil || q.RII == nil || q.SII > -0.15 || len(cnt.City.ByIMDQuintile) != 5 {
		t.Errorf("count: %+v, quintiles %d", q, len(cnt.City.ByIMDQuintile))
	}
	scr, err := Evaluate(ds, cfg, "scr")
	if err != nil {
		t.Fatal(err)
	}
	if q := scr.Inequality; q == nil || q.RII != nil || q.SII > -1 {
		t.Errorf("score: %+v", q)
	}
	share, err := Evaluate(ds, cfg, "share")
	if err != nil {
		t.Fatal(err)
	}
	if share.Inequality != nil || share.City.ByIMDQuintile != nil || share.City.Value == nil {
		t.Errorf("area share: inequality %+v, quintiles %+v", share.Inequality, share.City.ByIMDQuintile)
	}
}

// TestWardValuesGoToTheirTeam: ward values are summed per team as they are;
// they have no LSOAs, so no IMD quintiles and no SII.
func TestWardValuesGoToTheirTeam(t *testing.T) {
	ds, cfg := tiny()
	ds.Wards = []dataset.Ward{{Code: "W1"}, {Code: "W2"}, {Code: "W9"}}
	ds.Indicators = append(ds.Indicators, dataset.Indicator{ID: "falls", Unit: "rate-per-100000", Polarity: "higher-is-worse", Level: dataset.IndicatorLevelWard})
	ds.IndicatorValues = append(ds.IndicatorValues,
		dataset.IndicatorValue{Indicator: "falls", AreaCode: "W1", Numerator: 12, Denominator: 400, Known: true},
		dataset.IndicatorValue{Indicator: "falls", AreaCode: "W2", Numerator: 8, Denominator: 600, Known: true},
		dataset.IndicatorValue{Indicator: "falls", AreaCode: "W9", Numerator: 99, Denominator: 100, Known: true}) // not in a team
	r, err := Evaluate(ds, cfg, "falls")
	if err != nil {
		t.Fatal(err)
	}
	if r.Teams[0].Numerator != 12 || r.Teams[1].Denominator != 600 || r.City.Numerator != 20 || r.City.Denominator != 1000 || !near(*r.City.Value, 2000) {
		t.Errorf("teams %+v %+v city %+v", r.Teams[0], r.Teams[1], r.City)
	}
	if r.Inequality != nil || r.City.ByIMDQuintile != nil || r.Modelled {
		t.Errorf("ward values: inequality %v, quintiles %v, modelled %v", r.Inequality, r.City.ByIMDQuintile, r.Modelled)
	}
}

// TestResidentLensNeedsFlows: tables built from a dataset without
// registrations by area of residence refuse the resident lens.
func TestResidentLensNeedsFlows(t *testing.T) {
	ds, cfg := tiny()
	for _, tables := range []*wardtables.Tables{nil, {Wards: []wardtables.Ref{{Code: "W1"}}}, {Residence: map[string]map[int]float64{}}} {
		if _, err := EvaluateWith(ds, cfg, "dm", Options{Lens: LensResident, Tables: tables}); !errors.Is(err, ErrLens) {
			t.Errorf("tables %+v: %v", tables, err)
		}
	}
}

// TestBreakdownLeavesOutAreasWithASuppressedGroup: an area where one group
// is suppressed counts in no sum (so the residual stays the people the
// listed groups leave out) and is reported missing.
func TestBreakdownLeavesOutAreasWithASuppressedGroup(t *testing.T) {
	ds, cfg := tiny()
	eth := func(id, group string) dataset.Indicator {
		return dataset.Indicator{ID: id, Unit: "proportion", Polarity: "no-judgement", Level: "lsoa", Characteristic: "ethnic-group", Group: group}
	}
	ds.Indicators = append(ds.Indicators, eth("e-a", "A"), eth("e-b", "B"),
		dataset.Indicator{ID: "e-dm", Unit: "proportion", Polarity: "no-judgement", Level: "practice", Characteristic: "ethnic-group", Group: "DM"})
	v := func(id, area string, num, den float64, known bool) dataset.IndicatorValue {
		return dataset.IndicatorValue{Indicator: id, AreaCode: area, Numerator: num, Denominator: den, Known: known}
	}
	ds.IndicatorValues = append(ds.IndicatorValues,
		v("e-a", "L1", 600, 1000, true), v("e-b", "L1", 390, 1000, true), // residual 10
		v("e-a", "L2", 0, 800, false), v("e-b", "L2", 700, 800, true), // A suppressed: L2 left out
		v("e-a", "L3", 100, 500, true), v("e-b", "L3", 395, 500, true)) // residual 5
	b, err := BreakdownByCharacteristic(ds, cfg, "ethnic-group")
	if err != nil {
		t.Fatal(err)
	}
	// The practice indicator is not a group of residents.
	if len(b.Indicators) != 2 {
		t.Fatalf("indicators %v", b.Indicators)
	}
	a, city := b.Rows[0], b.Rows[len(b.Rows)-1]
	if a.Total != 1000 || a.Counts["e-b"] != 390 || a.Residual != 10 || a.Missing != 1 {
		t.Errorf("team A = %+v", a)
	}
	if city.Total != 1500 || city.Residual != 15 || city.Missing != 1 {
		t.Errorf("city = %+v", city)
	}
	if got := Characteristics(ds); len(got) != 1 || got[0] != "ethnic-group" {
		t.Errorf("characteristics %v", got)
	}
	if _, err := BreakdownByPrefix(ds, cfg, "e-"); !errors.Is(err, ErrBreakdown) {
		t.Errorf("a practice indicator in a breakdown: %v", err)
	}
}

// TestResidentLensSumsInAFixedOrder: a practice whose patients live in many
// wards (Go randomises map order) gives bit-identical figures every time.
func TestResidentLensSumsInAFixedOrder(t *testing.T) {
	ds, cfg := tiny()
	tables := &wardtables.Tables{Wards: []wardtables.Ref{{Code: "W1"}, {Code: "W2"}}, Residence: map[string]map[int]float64{}}
	for _, p := range []string{"P1", "P2", "P3"} {
		m := map[int]float64{}
		for w := range 2 {
			m[w] = 1 / float64(3+w+len(p))
		}
		m[2] = 0.1
		tables.Residence[p] = m
	}
	// Forty more wards in no team: every practice's total now runs over a
	// map of over forty entries.
	for i := range 40 {
		tables.Wards = append(tables.Wards, wardtables.Ref{Code: fmt.Sprintf("Z%02d", i)})
		for _, p := range []string{"P1", "P2", "P3"} {
			tables.Residence[p][2+i] = 1 / float64(7+i)
		}
	}
	first, err := EvaluateWith(ds, cfg, "dm", Options{Lens: LensResident, Tables: tables})
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		again, _ := EvaluateWith(ds, cfg, "dm", Options{Lens: LensResident, Tables: tables})
		if *again.Teams[0].Value != *first.Teams[0].Value || *again.City.Coverage != *first.City.Coverage {
			t.Fatalf("figures differ between identical evaluations: %v vs %v", *again.Teams[0].Value, *first.Teams[0].Value)
		}
	}
}

// TestSuppressedRange: with a threshold of 10, a suppressed count is 0-9;
// the unit reports the range its value takes with those areas put back.
func TestSuppressedRange(t *testing.T) {
	ds, cfg := tiny()
	ds.Indicators[0].SuppressedBelow = 10
	r, err := Evaluate(ds, cfg, "inc")
	if err != nil {
		t.Fatal(err)
	}
	// Team A: L1 300/1000 known, L2 suppressed over 1500: 300/2500 to
	// 309/2500; the known-only value 0.3 lies above the whole range.
	a := r.Teams[0]
	if a.WithSuppressedLower == nil || !near(*a.WithSuppressedLower, 300.0/2500) || !near(*a.WithSuppressedUpper, 309.0/2500) || *a.Value != 0.3 {
		t.Errorf("team A %+v", a)
	}
	// Put back, A could be as low as 0.12 and the city 0.114-0.2: A is
	// no longer surely worse (it is without the threshold, below).
	if a.Comparison != "similar" {
		t.Errorf("team A with a suppression range: %s", a.Comparison)
	}
	// Team B has no suppressed area: no range.
	if r.Teams[1].WithSuppressedLower != nil {
		t.Errorf("team B range %v", *r.Teams[1].WithSuppressedLower)
	}
	// Without a threshold there is no range either.
	ds.Indicators[0].SuppressedBelow = 0
	r, _ = Evaluate(ds, cfg, "inc")
	if r.Teams[0].WithSuppressedLower != nil || r.Teams[0].Comparison != "worse" {
		t.Errorf("without a threshold: %+v", r.Teams[0])
	}
}
