package demo_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb/geo"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/demo"
)

// laterListDate is the date of the lists the practice indicators divide by.
var laterListDate = dataset.Day(2021, 1, 1)

// suppressBelow is the disclosure rule of the income slices.
const suppressBelow = 10

var testSeeds = []int64{0, 1, 42, -5}

func TestIndicatorsAreDeterministic(t *testing.T) {
	d1, _ := generate(t, demo.Config{})
	d2, _ := generate(t, demo.Config{})
	if len(d1.IndicatorValues) == 0 || len(d1.PracticeGroups) == 0 {
		t.Fatal("the demo has no indicator values or practice groups")
	}
	if !reflect.DeepEqual(d1.Indicators, d2.Indicators) || !reflect.DeepEqual(d1.IndicatorValues, d2.IndicatorValues) ||
		!reflect.DeepEqual(d1.PracticeGroups, d2.PracticeGroups) {
		t.Fatal("two runs with the same seed give different indicators")
	}
	d3, _ := generate(t, demo.Config{Seed: 7})
	if reflect.DeepEqual(d1.IndicatorValues, d3.IndicatorValues) || reflect.DeepEqual(d1.PracticeGroups, d3.PracticeGroups) {
		t.Error("a different seed gives the same indicator values or practice groups")
	}
}

// indicatorTables indexes a dataset's indicator values.
type indicatorTables struct {
	d      *dataset.Dataset
	byID   map[string]dataset.Indicator
	values map[string]map[string]dataset.IndicatorValue // indicator → area → value
	lsoas  map[string]dataset.LSOA
}

func tablesOf(t *testing.T, d *dataset.Dataset) indicatorTables {
	t.Helper()
	x := indicatorTables{d: d, byID: map[string]dataset.Indicator{}, values: map[string]map[string]dataset.IndicatorValue{}, lsoas: map[string]dataset.LSOA{}}
	for _, ind := range d.Indicators {
		x.byID[ind.ID] = ind
		x.values[ind.ID] = map[string]dataset.IndicatorValue{}
	}
	for _, v := range d.IndicatorValues {
		if _, dup := x.values[v.Indicator][v.AreaCode]; dup {
			t.Fatalf("indicator %s has two values for %s", v.Indicator, v.AreaCode)
		}
		x.values[v.Indicator][v.AreaCode] = v
	}
	for _, l := range d.LSOAs {
		x.lsoas[l.Code] = l
	}
	return x
}

func (x indicatorTables) value(t *testing.T, id, area string) dataset.IndicatorValue {
	t.Helper()
	v, ok := x.values[id][area]
	if !ok {
		t.Fatalf("indicator %s has no value for %s", id, area)
	}
	return v
}

func TestIndicatorDefinitions(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	x := tablesOf(t, d)
	sources := map[string]dataset.Source{}
	for _, s := range d.Sources {
		sources[s.ID] = s
	}
	want := []struct {
		id, unit, polarity, level, domain, characteristic, group, of string
	}{
		{"income-deprivation", "proportion", "higher-is-worse", "lsoa", "determinants", "", "", ""},
		{"idaci", "proportion", "higher-is-worse", "lsoa", "determinants", "age", "0-15", "income-deprivation"},
		{"idaopi", "proportion", "higher-is-worse", "lsoa", "determinants", "age", "60+", "income-deprivation"},
		{"qof-dm", "proportion", "higher-is-worse", "practice", "population-health", "", "", ""},
		{"qof-hyp", "proportion", "higher-is-worse", "practice", "population-health", "", "", ""},
		{"emergency-admissions", "rate-per-1000", "higher-is-worse", "msoa", "", "", "", ""},
	}
	for _, w := range want {
		ind, ok := x.byID[w.id]
		if !ok {
			t.Errorf("no indicator %s", w.id)
			continue
		}
		if ind.Unit != w.unit || ind.Polarity != w.polarity || ind.Level != w.level || (w.domain != "" && ind.Domain != w.domain) ||
			ind.Characteristic != w.characteristic || ind.Group != w.group || ind.BreakdownOf != w.of {
			t.Errorf("indicator %s is %+v, want %+v", w.id, ind, w)
		}
	}
	ethnicGroups := map[string]bool{}
	for _, ind := range d.Indicators {
		if !strings.HasPrefix(ind.ID, "ethnicity-") {
			continue
		}
		ethnicGroups[ind.Group] = true
		if ind.Characteristic != "ethnic-group" || ind.Group == "" || ind.BreakdownOf != "" || ind.Unit != "proportion" ||
			ind.Polarity != "no-judgement" || ind.Level != "lsoa" {
			t.Errorf("ethnic-group indicator %+v", ind)
		}
	}
	if n := len(ethnicGroups); n < 4 || n > 6 {
		t.Errorf("%d ethnic groups, want 4-6", n)
	}
	for _, ind := range d.Indicators {
		s, ok := sources[ind.Source]
		if !ok || !s.Modelled || s.Attribution != demo.Attribution || s.Licence != demo.Licence || s.Role != "indicators" {
			t.Errorf("indicator %s has source %q: %+v", ind.ID, ind.Source, s)
		}
		if !strings.Contains(ind.Period, "synthetic") || ind.Name == "" {
			t.Errorf("indicator %s: name %q, period %q", ind.ID, ind.Name, ind.Period)
		}
	}
	for _, g := range d.PracticeGroups {
		if s := sources[g.Source]; !s.Modelled || s.Role != "practice-groups" {
			t.Fatalf("practice group %+v has source %+v", g, s)
		}
	}
}

func TestIndicatorCounts(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			d, _ := generate(t, demo.Config{Seed: seed})
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
			x := tablesOf(t, d)
			for _, v := range d.IndicatorValues {
				whole := func(f float64) bool { return f >= 0 && f == math.Trunc(f) }
				if !whole(v.Numerator) || !whole(v.Denominator) || v.Denominator == 0 {
					t.Errorf("%s %s: %g / %g is not a count over a positive count", v.Indicator, v.AreaCode, v.Numerator, v.Denominator)
				}
				if v.Numerator > v.Denominator {
					t.Errorf("%s %s: numerator %g > denominator %g", v.Indicator, v.AreaCode, v.Numerator, v.Denominator)
				}
				if !v.Known && v.Numerator != 0 {
					t.Errorf("%s %s is suppressed but has numerator %g", v.Indicator, v.AreaCode, v.Numerator)
				}
			}

			// LSOA indicators: one value per LSOA over its population or band.
			allNotStated := 0.0
			for _, l := range d.LSOAs {
				p := l.Population
				income := x.value(t, "income-deprivation", l.Code)
				children := x.value(t, "idaci", l.Code)
				older := x.value(t, "idaopi", l.Code)
				if income.Denominator != float64(p.Total) || children.Denominator != float64(p.Age0to15) || older.Denominator != float64(p.Age60Plus) {
					t.Errorf("LSOA %s: income denominators %g, %g, %g; population %+v", l.Code, income.Denominator, children.Denominator, older.Denominator, p)
				}
				if !income.Known || children.Numerator+older.Numerator > income.Numerator {
					t.Errorf("LSOA %s: %g income-deprived children and %g older people, %g in all", l.Code, children.Numerator, older.Numerator, income.Numerator)
				}
				sum := 0.0
				for _, ind := range d.Indicators {
					if ind.Characteristic != "ethnic-group" {
						continue
					}
					v := x.value(t, ind.ID, l.Code)
					if v.Denominator != float64(p.Total) || !v.Known {
						t.Errorf("LSOA %s: %s denominator %g, population %d", l.Code, ind.ID, v.Denominator, p.Total)
					}
					sum += v.Numerator
				}
				notStated := float64(p.Total) - sum
				if notStated < 0 || notStated > 0.02*float64(p.Total) {
					t.Errorf("LSOA %s: ethnic groups sum to %g of %d residents", l.Code, sum, p.Total)
				}
				allNotStated += notStated
			}
			if allNotStated == 0 {
				t.Error("the ethnic groups leave no residual not stated")
			}
			for id, values := range x.values {
				if ind := x.byID[id]; ind.Level == "lsoa" && len(values) != len(d.LSOAs) {
					t.Errorf("%s has %d values for %d LSOAs", id, len(values), len(d.LSOAs))
				}
			}

			// Suppression: only the income slices, counts under the rule.
			suppressed := 0
			for _, v := range d.IndicatorValues {
				slice := v.Indicator == "idaci" || v.Indicator == "idaopi"
				switch {
				case !v.Known && !slice:
					t.Errorf("%s %s is suppressed", v.Indicator, v.AreaCode)
				case !v.Known:
					suppressed++
				case slice && v.Numerator < suppressBelow:
					t.Errorf("%s %s: %g is published though under %d", v.Indicator, v.AreaCode, v.Numerator, suppressBelow)
				}
			}
			if seed == 0 && suppressed == 0 {
				t.Error("no suppressed value in the default city")
			}
			if suppressed > len(d.LSOAs)/10 {
				t.Errorf("%d suppressed values, want a handful", suppressed)
			}

			// MSOA denominators are the sums of their LSOAs' populations.
			msoaPopulation := map[string]float64{}
			for _, l := range d.LSOAs {
				msoaPopulation[l.MSOACode] += float64(l.Population.Total)
			}
			for _, m := range d.MSOAs {
				if v := x.value(t, "emergency-admissions", m.Code); v.Denominator != msoaPopulation[m.Code] {
					t.Errorf("MSOA %s: admissions denominator %g, population %g", m.Code, v.Denominator, msoaPopulation[m.Code])
				}
			}

			// Practice denominators are the January 2021 lists.
			lists := map[string]float64{}
			for _, l := range d.ListSizes {
				if l.Date.Equal(laterListDate) {
					lists[l.PracticeCode] = float64(l.Patients)
				}
			}
			for _, id := range []string{"qof-dm", "qof-hyp"} {
				if len(x.values[id]) != len(lists) {
					t.Errorf("%s has %d values for %d practices with a 2021 list", id, len(x.values[id]), len(lists))
				}
				for code, list := range lists {
					if v := x.value(t, id, code); v.Denominator != list {
						t.Errorf("%s %s: denominator %g, list %g", id, code, v.Denominator, list)
					}
				}
			}
		})
	}
}

// TestDeprivationGradients checks that the indicators follow IMD 2019: more
// income deprivation, diabetes and emergency admissions where residents (or
// a practice's patients) live in more deprived LSOAs.
func TestDeprivationGradients(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			d, _ := generate(t, demo.Config{Seed: seed})
			x := tablesOf(t, d)
			decile := map[string]float64{}
			for _, l := range d.LSOAs {
				imd, ok := l.DeprivationEdition(2019)
				if !ok {
					t.Fatalf("LSOA %s has no IMD 2019", l.Code)
				}
				decile[l.Code] = float64(imd.Decile)
			}

			// Population-weighted income deprivation, most against least
			// deprived decile present.
			for _, id := range []string{"income-deprivation", "idaci", "idaopi"} {
				num, den := map[float64]float64{}, map[float64]float64{}
				var deciles, rates []float64
				for code, v := range x.values[id] {
					if v.Known {
						num[decile[code]] += v.Numerator
						den[decile[code]] += v.Denominator
						deciles = append(deciles, decile[code])
						rates = append(rates, v.Numerator/v.Denominator)
					}
				}
				lo, hi := slices.Min(deciles), slices.Max(deciles)
				if most, least := num[lo]/den[lo], num[hi]/den[hi]; !(most > 2*least) {
					t.Errorf("%s: %.3f in IMD decile %g, %.3f in decile %g", id, most, lo, least, hi)
				}
				if r := correlation(deciles, rates); r > -0.6 {
					t.Errorf("%s correlates %.2f with the IMD decile over LSOAs, want ≤ -0.6", id, r)
				}
			}

			// Practices: the mean decile of their patients' LSOAs.
			patients, weighted := map[string]float64{}, map[string]float64{}
			for _, r := range d.Registrations {
				patients[r.PracticeCode] += float64(r.Patients)
				weighted[r.PracticeCode] += float64(r.Patients) * decile[r.AreaCode]
			}
			var practiceDecile, dm []float64
			for code, v := range x.values["qof-dm"] {
				if patients[code] > 0 {
					practiceDecile = append(practiceDecile, weighted[code]/patients[code])
					dm = append(dm, v.Numerator/v.Denominator)
				}
			}
			if r := correlation(practiceDecile, dm); r > -0.3 {
				t.Errorf("diabetes prevalence correlates %.2f with the practice's patients' IMD decile, want ≤ -0.3", r)
			}

			// MSOAs: the population-weighted mean decile of their LSOAs.
			population, weightedDecile := map[string]float64{}, map[string]float64{}
			for _, l := range d.LSOAs {
				population[l.MSOACode] += float64(l.Population.Total)
				weightedDecile[l.MSOACode] += float64(l.Population.Total) * decile[l.Code]
			}
			var msoaDecile, admissions []float64
			for code, v := range x.values["emergency-admissions"] {
				msoaDecile = append(msoaDecile, weightedDecile[code]/population[code])
				admissions = append(admissions, v.Numerator/v.Denominator)
			}
			if r := correlation(msoaDecile, admissions); r > -0.3 {
				t.Errorf("emergency admissions correlate %.2f with the MSOA's IMD decile, want ≤ -0.3", r)
			}
		})
	}
}

func TestPrimaryCareNetworks(t *testing.T) {
	for _, seed := range testSeeds {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			d, c := generate(t, demo.Config{Seed: seed})
			practices := map[string]dataset.Practice{}
			for _, p := range d.Practices {
				practices[p.Code] = p
			}
			members := map[string][]dataset.Practice{}
			names := map[string]string{}
			grouped := map[string]bool{}
			for _, g := range d.PracticeGroups {
				if g.Kind != "pcn" || g.Name == "" {
					t.Errorf("practice group %+v", g)
				}
				if grouped[g.PracticeCode] {
					t.Errorf("practice %s is in two networks", g.PracticeCode)
				}
				grouped[g.PracticeCode] = true
				if n, ok := names[g.Code]; ok && n != g.Name {
					t.Errorf("network %s is called %q and %q", g.Code, n, g.Name)
				}
				names[g.Code] = g.Name
				p, ok := practices[g.PracticeCode]
				if !ok || !p.OpenOn(laterListDate) {
					t.Errorf("network %s holds practice %s, not open on %s", g.Code, g.PracticeCode, laterListDate.Format("2006-01-02"))
				}
				members[g.Code] = append(members[g.Code], p)
			}
			seenName := map[string]bool{}
			for _, n := range names {
				if seenName[n] {
					t.Errorf("two networks are called %q", n)
				}
				seenName[n] = true
			}

			wardTeam := c.WardTeams()
			spanning := 0
			for code, ps := range members {
				if len(ps) < 3 || len(ps) > 6 {
					t.Errorf("network %s has %d practices, want 3-6", code, len(ps))
				}
				teams := map[string]bool{}
				for _, p := range ps {
					teams[wardTeam[p.WardCode]] = true
					for _, q := range ps {
						if p.WardCode == "" || q.WardCode == "" {
							continue // the neighbours' bands are long and thin
						}
						if km := geo.Distance(p.Location, q.Location) / 1000; km > 6 {
							t.Errorf("network %s: practices %s and %s are %.1f km apart", code, p.Code, q.Code, km)
						}
					}
				}
				if len(teams) > 1 {
					spanning++
				}
				if len(teams) > 2 {
					t.Errorf("network %s spans %d teams", code, len(teams))
				}
			}
			if spanning == 0 {
				t.Error("no network spans two teams")
			}
			if spanning > len(members)/2 {
				t.Errorf("%d of %d networks span two teams, want some", spanning, len(members))
			}

			ungrouped := 0
			for _, p := range d.Practices {
				if p.Status == dataset.StatusActive && p.WardCode != "" && !grouped[p.Code] {
					ungrouped++
				}
			}
			if ungrouped < 1 || ungrouped > 2 {
				t.Errorf("%d active city practices are in no network, want 1-2", ungrouped)
			}
		})
	}
}
