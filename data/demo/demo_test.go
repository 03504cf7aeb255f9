package demo_test

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/geo/validity"
)

// registrationDate is the date of the modelled registrations.
var registrationDate = dataset.Day(2015, time.April, 1)

func generate(t testing.TB, cfg demo.Config) (*dataset.Dataset, *configuration.Configuration) {
	t.Helper()
	d, c, err := demo.Generate(cfg)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", cfg, err)
	}
	return d, c
}

func TestGenerateIsDeterministic(t *testing.T) {
	d1, c1 := generate(t, demo.Config{})
	d2, c2 := generate(t, demo.Config{})
	if !reflect.DeepEqual(d1, d2) || !reflect.DeepEqual(c1, c2) {
		t.Fatal("two runs with the same seed differ")
	}
	d3, c3 := generate(t, demo.Config{Seed: demo.DefaultSeed})
	if !reflect.DeepEqual(d1, d3) || !reflect.DeepEqual(c1, c3) {
		t.Error("the zero Config does not give the default seed's city")
	}
	d4, _ := generate(t, demo.Config{Seed: 7})
	if reflect.DeepEqual(d1.LSOAs, d4.LSOAs) || reflect.DeepEqual(d1.Wards, d4.Wards) {
		t.Error("a different seed gives the same city")
	}
}

// TestOtherSeeds checks that the structural guarantees do not depend on the
// default seed.
func TestOtherSeeds(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, 42, 1 << 40, -5} {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			d, c := generate(t, demo.Config{Seed: seed})
			checkTiling(t, d)
			checkBaseline(t, d, c)
		})
	}
}

func TestWardsTileTheCity(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	checkTiling(t, d)
}

func checkTiling(t *testing.T, d *dataset.Dataset) {
	t.Helper()
	city := district(t, d, d.City.Code)
	var wardSum float64
	for _, w := range d.Wards {
		wardSum += planar.Area(w.Geometry)
	}
	if a := planar.Area(city.Geometry); !closeTo(wardSum, a) {
		t.Errorf("wards sum to area %.12g, city is %.12g", wardSum, a)
	}

	// Each ward and each district is the union of its LSOAs; each MSOA too.
	byWard, byDistrict, byMSOA := map[string]float64{}, map[string]float64{}, map[string]float64{}
	for _, l := range d.LSOAs {
		a := planar.Area(l.Geometry)
		byWard[l.WardCode] += a
		byDistrict[l.DistrictCode] += a
		byMSOA[l.MSOACode] += a
	}
	for _, w := range d.Wards {
		if a := planar.Area(w.Geometry); !closeTo(byWard[w.Code], a) {
			t.Errorf("ward %s: LSOAs sum to %.12g, ward is %.12g", w.Code, byWard[w.Code], a)
		}
	}
	for _, x := range d.Districts {
		if a := planar.Area(x.Geometry); !closeTo(byDistrict[x.Code], a) {
			t.Errorf("district %s: LSOAs sum to %.12g, district is %.12g", x.Code, byDistrict[x.Code], a)
		}
	}
	for _, m := range d.MSOAs {
		if a := planar.Area(m.Geometry); !closeTo(byMSOA[m.Code], a) {
			t.Errorf("MSOA %s: LSOAs sum to %.12g, MSOA is %.12g", m.Code, byMSOA[m.Code], a)
		}
	}

	// Points just inside every edge of every LSOA lie in exactly one ward —
	// the LSOA's own — or in none for LSOAs outside the city, and in no
	// other LSOA: the areas neither overlap nor leave gaps along any edge.
	wardBounds := make([]orb.Bound, len(d.Wards))
	for i, w := range d.Wards {
		wardBounds[i] = w.Geometry.Bound()
	}
	lsoaBounds := make([]orb.Bound, len(d.LSOAs))
	for i, l := range d.LSOAs {
		lsoaBounds[i] = l.Geometry.Bound()
	}
	for _, l := range d.LSOAs {
		for _, p := range insidePoints(l.Geometry) {
			var wards []string
			for i, w := range d.Wards {
				if wardBounds[i].Contains(p) && planar.MultiPolygonContains(w.Geometry, p) {
					wards = append(wards, w.Code)
				}
			}
			want := []string{l.WardCode}
			if l.WardCode == "" {
				want = nil
			}
			if !slices.Equal(wards, want) {
				t.Fatalf("LSOA %s: point %v is in wards %v, want %v", l.Code, p, wards, want)
			}
			for i, o := range d.LSOAs {
				if in := lsoaBounds[i].Contains(p) && planar.MultiPolygonContains(o.Geometry, p); in != (o.Code == l.Code) {
					t.Fatalf("LSOA %s: point %v inside LSOA %s is %v", l.Code, p, o.Code, in)
				}
			}
		}
	}
}

// insidePoints returns, for every edge of every ring, a point 1e-6° to the
// left of its midpoint: inside the area, since rings keep the area on their
// left (exteriors counter-clockwise, holes clockwise).
func insidePoints(mp orb.MultiPolygon) []orb.Point {
	var out []orb.Point
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				dx, dy := b[0]-a[0], b[1]-a[1]
				n := math.Hypot(dx, dy)
				out = append(out, orb.Point{(a[0]+b[0])/2 - dy/n*1e-6, (a[1]+b[1])/2 + dx/n*1e-6})
			}
		}
	}
	return out
}

func closeTo(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Abs(b) }

func district(t *testing.T, d *dataset.Dataset, code string) dataset.District {
	t.Helper()
	for _, x := range d.Districts {
		if x.Code == code {
			return x
		}
	}
	t.Fatalf("no district %s", code)
	return dataset.District{}
}

func TestRingsAreSimpleAndOriented(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	check := func(what string, mp orb.MultiPolygon) {
		if err := validity.MultiPolygon(mp); err != nil {
			t.Errorf("%s: %v", what, err)
		}
		for _, poly := range mp {
			for i, r := range poly {
				seen := map[orb.Point]bool{}
				for _, p := range r[:len(r)-1] {
					if seen[p] {
						t.Errorf("%s: ring %d visits %v twice", what, i, p)
					}
					seen[p] = true
				}
				if want := map[bool]orb.Orientation{true: orb.CCW, false: orb.CW}[i == 0]; r.Orientation() != want {
					t.Errorf("%s: ring %d has orientation %v, want %v", what, i, r.Orientation(), want)
				}
			}
		}
	}
	for _, x := range d.Districts {
		check("district "+x.Code, x.Geometry)
	}
	for _, w := range d.Wards {
		check("ward "+w.Code, w.Geometry)
	}
	for _, m := range d.MSOAs {
		check("MSOA "+m.Code, m.Geometry)
	}
	for _, l := range d.LSOAs {
		check("LSOA "+l.Code, l.Geometry)
	}
}

func TestCounts(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	between := func(what string, got, lo, hi int) {
		t.Helper()
		if got < lo || got > hi {
			t.Errorf("%s = %d, want %d-%d", what, got, lo, hi)
		}
	}
	between("wards", len(d.Wards), 32, 32)
	between("districts", len(d.Districts), 3, 3)

	lsoasInWard, lsoasInMSOA := map[string]int{}, map[string]int{}
	cityLSOAs, cityPopulation, outside := 0, 0, 0
	for _, l := range d.LSOAs {
		p := l.Population
		between("LSOA "+l.Code+" population", p.Total, 1300, 2500)
		if p.Year != 2015 || p.Age0to15+p.Age16to59+p.Age60Plus != p.Total {
			t.Errorf("LSOA %s population %+v", l.Code, p)
		}
		lsoasInMSOA[l.MSOACode]++
		if l.WardCode == "" {
			outside++
			if l.DistrictCode == d.City.Code || l.WardMethod != dataset.WardNone {
				t.Errorf("LSOA %s has no ward but district %s, method %q", l.Code, l.DistrictCode, l.WardMethod)
			}
			continue
		}
		cityLSOAs++
		cityPopulation += p.Total
		lsoasInWard[l.WardCode]++
		if l.DistrictCode != d.City.Code {
			t.Errorf("LSOA %s is in ward %s but district %s", l.Code, l.WardCode, l.DistrictCode)
		}
	}
	between("city LSOAs", cityLSOAs, 260, 300)
	between("LSOAs outside the city", outside, 20, 120)
	between("city population", cityPopulation, 450_000, 550_000)
	for _, w := range d.Wards {
		between("LSOAs in ward "+w.Code, lsoasInWard[w.Code], 6, 12)
	}
	for _, m := range d.MSOAs {
		between("LSOAs in MSOA "+m.Code, lsoasInMSOA[m.Code], 3, 7)
	}

	between("practices", len(d.Practices), 80, 100)
	closed, closedBefore := 0, 0
	for _, p := range d.Practices {
		if p.Status == dataset.StatusClosed {
			closed++
			if p.Closed.IsZero() {
				t.Errorf("closed practice %s has no closing date", p.Code)
			}
			if p.Closed.Before(registrationDate) {
				closedBefore++
			}
		}
	}
	between("closed practices", closed, 3, 12)
	between("practices closed before the registration date", closedBefore, 1, 6)
	for _, l := range d.ListSizes {
		between("list of "+l.PracticeCode+" on "+l.Date.Format("2006-01-02"), l.Patients, 2000, 25000)
	}

	between("trusts", len(d.Trusts), 3, 3)
	between("hospital sites", len(d.HospitalSites), 3, 5)
	share := map[string]float64{}
	for _, c := range d.Catchments {
		share[c.MSOACode] += c.Proportion
	}
	city := map[string]bool{}
	for _, l := range d.LSOAs {
		if l.WardCode != "" {
			city[l.MSOACode] = true
		}
	}
	for _, m := range d.MSOAs {
		lo := 0.5
		if city[m.Code] {
			lo = 0.85
		}
		if s := share[m.Code]; s < lo || s > 1 {
			t.Errorf("MSOA %s catchment shares sum to %.4f, want %.2f-1", m.Code, s, lo)
		}
	}

	for _, s := range d.Sources {
		if !s.Modelled || s.Attribution == "" || s.Licence == "" || s.Records == 0 {
			t.Errorf("source %+v", s)
		}
	}
}

func TestDeprivationIsUnevenAndClustered(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	deciles := map[int]int{}
	decileOf := map[string]float64{}
	var ranks2015, ranks2019 []float64
	childShare := map[bool][]float64{} // deprived (decile 1-2) → shares
	for _, l := range d.LSOAs {
		imd15, ok15 := l.DeprivationEdition(2015)
		imd19, ok19 := l.DeprivationEdition(2019)
		if !ok15 || !ok19 || !imd15.HasScore || imd19.HasScore {
			t.Fatalf("LSOA %s deprivation %+v", l.Code, l.Deprivation)
		}
		for _, x := range l.Deprivation {
			if x.Rank < 1 || x.Rank > 32844 || x.Decile != int(math.Ceil(float64(x.Rank)/3284.4)) {
				t.Errorf("LSOA %s IMD %d: rank %d decile %d", l.Code, x.Edition, x.Rank, x.Decile)
			}
		}
		ranks2015 = append(ranks2015, float64(imd15.Rank))
		ranks2019 = append(ranks2019, float64(imd19.Rank))
		if l.WardCode != "" {
			deciles[imd19.Decile]++
			decileOf[l.Code] = float64(imd19.Decile)
			childShare[imd19.Decile <= 2] = append(childShare[imd19.Decile <= 2], float64(l.Population.Age0to15)/float64(l.Population.Total))
		}
	}
	if len(deciles) < 6 {
		t.Errorf("city LSOAs span %d IMD 2019 deciles (%v), want at least 6", len(deciles), deciles)
	}
	if r := correlation(ranks2015, ranks2019); r < 0.8 {
		t.Errorf("IMD 2015 and 2019 ranks correlate %.2f, want ≥ 0.8", r)
	}
	if deprived, other := mean(childShare[true]), mean(childShare[false]); deprived <= other {
		t.Errorf("children are %.3f of residents in deprived LSOAs, %.3f elsewhere", deprived, other)
	}

	// Spatial autocorrelation: the deciles of LSOAs sharing an edge.
	var a, b []float64
	for _, pair := range neighbours(lsoaGeometries(d)) {
		da, okA := decileOf[pair[0]]
		db, okB := decileOf[pair[1]]
		if okA && okB {
			a, b = append(a, da, db), append(b, db, da)
		}
	}
	if r := correlation(a, b); r < 0.3 {
		t.Errorf("deciles of neighbouring LSOAs correlate %.2f over %d pairs, want ≥ 0.3", r, len(a)/2)
	}
}

func lsoaGeometries(d *dataset.Dataset) map[string]orb.MultiPolygon {
	out := map[string]orb.MultiPolygon{}
	for _, l := range d.LSOAs {
		out[l.Code] = l.Geometry
	}
	return out
}

// neighbours lists the pairs of areas that share at least one edge.
func neighbours(areas map[string]orb.MultiPolygon) [][2]string {
	type segment [2]orb.Point
	owners := map[segment][]string{}
	codes := make([]string, 0, len(areas))
	for code := range areas {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		for _, poly := range areas[code] {
			for _, r := range poly {
				for i := 0; i+1 < len(r); i++ {
					s := segment{r[i], r[i+1]}
					if s[1][0] < s[0][0] || s[1][0] == s[0][0] && s[1][1] < s[0][1] {
						s[0], s[1] = s[1], s[0]
					}
					owners[s] = append(owners[s], code)
				}
			}
		}
	}
	seen := map[[2]string]bool{}
	var out [][2]string
	for _, o := range owners {
		if len(o) == 2 && o[0] != o[1] {
			p := [2]string{min(o[0], o[1]), max(o[0], o[1])}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func correlation(a, b []float64) float64 {
	ma, mb := mean(a), mean(b)
	var sab, saa, sbb float64
	for i := range a {
		sab += (a[i] - ma) * (b[i] - mb)
		saa += (a[i] - ma) * (a[i] - ma)
		sbb += (b[i] - mb) * (b[i] - mb)
	}
	return sab / math.Sqrt(saa*sbb)
}

func TestRegistrationsMatchListSizes(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	practices := map[string]dataset.Practice{}
	for _, p := range d.Practices {
		practices[p.Code] = p
	}
	lsoas := map[string]dataset.LSOA{}
	residents := 0
	for _, l := range d.LSOAs {
		lsoas[l.Code] = l
		residents += l.Population.Total
	}

	sums := map[string]int{}
	registered, fromOutside, atCityPractices, cityAtOutside := 0, 0, 0, 0
	for _, r := range d.Registrations {
		if r.AreaLevel != dataset.AreaLSOA || !r.Date.Equal(registrationDate) || r.Patients <= 0 {
			t.Fatalf("registration %+v", r)
		}
		l, ok := lsoas[r.AreaCode]
		if !ok {
			t.Fatalf("registration from unknown LSOA %s", r.AreaCode)
		}
		sums[r.PracticeCode] += r.Patients
		registered += r.Patients
		if practices[r.PracticeCode].WardCode != "" {
			atCityPractices += r.Patients
			if l.WardCode == "" {
				fromOutside += r.Patients
			}
		} else if l.WardCode != "" {
			cityAtOutside += r.Patients
		}
	}
	lists := 0
	for _, l := range d.ListSizes {
		if !l.Date.Equal(registrationDate) {
			continue
		}
		lists++
		if sums[l.PracticeCode] != l.Patients {
			t.Errorf("practice %s: list %d, registrations sum to %d", l.PracticeCode, l.Patients, sums[l.PracticeCode])
		}
	}
	for _, p := range d.Practices {
		if p.OpenOn(registrationDate) != (sums[p.Code] > 0) {
			t.Errorf("practice %s open %v on the registration date but has %d registrations", p.Code, p.OpenOn(registrationDate), sums[p.Code])
		}
	}
	if lists != len(sums) {
		t.Errorf("%d list sizes on the registration date, %d practices with registrations", lists, len(sums))
	}
	if ratio := float64(registered) / float64(residents); ratio < 0.95 || ratio > 1.05 {
		t.Errorf("registered patients are %.3f of residents, want 0.95-1.05", ratio)
	}
	if share := float64(fromOutside) / float64(atCityPractices); share < 0.01 || share > 0.15 {
		t.Errorf("%.3f of city practices' patients live outside the city, want 0.01-0.15", share)
	}
	if cityAtOutside == 0 {
		t.Error("no city resident is registered outside the city")
	}
}

func TestPracticesLieInsideTheirWards(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	for _, p := range d.Practices {
		if !p.HasLocation() {
			t.Fatalf("practice %s has no location", p.Code)
		}
		var in []string
		for _, w := range d.Wards {
			if planar.MultiPolygonContains(w.Geometry, p.Location) {
				in = append(in, w.Code)
				// Far enough from the boundary (~1 m) that no index can
				// place it in the neighbouring ward.
				if dist := planar.DistanceFrom(w.Geometry, p.Location); dist < 1e-5 {
					t.Errorf("practice %s is %.2g° from the edge of ward %s", p.Code, dist, w.Code)
				}
			}
		}
		want := []string{p.WardCode}
		if p.WardCode == "" {
			want = nil
		}
		if !slices.Equal(in, want) {
			t.Errorf("practice %s at %v is in wards %v, its ward is %q", p.Code, p.Location, in, p.WardCode)
		}
		if (p.Commissioner == "99X") != (p.WardCode != "") {
			t.Errorf("practice %s of commissioner %s has ward %q", p.Code, p.Commissioner, p.WardCode)
		}
	}
}

func TestDatasetValidatesWithoutCityWarnings(t *testing.T) {
	d, _ := generate(t, demo.Config{})
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, w := range d.Check() {
		if w.Kind != "practice-outside-city" {
			t.Errorf("warning %s: %s (%d, e.g. %v)", w.Kind, w.Message, w.Count, w.Examples)
		}
	}
}

func TestBaseline(t *testing.T) {
	d, c := generate(t, demo.Config{})
	checkBaseline(t, d, c)
}

func checkBaseline(t *testing.T, d *dataset.Dataset, c *configuration.Configuration) {
	t.Helper()
	wards := map[string]string{}
	geometries := map[string]orb.MultiPolygon{}
	for _, w := range d.Wards {
		wards[w.Code] = w.Name
		geometries[w.Code] = w.Geometry
	}
	if err := c.Validate(wards); err != nil {
		t.Fatal(err)
	}
	if c.Name != demo.BaselineName {
		t.Errorf("name %q", c.Name)
	}
	adjacent := map[[2]string]bool{}
	for _, p := range neighbours(geometries) {
		adjacent[p] = true
	}
	var ids []string
	for _, l := range c.Localities {
		ids = append(ids, l.ID)
		for i, team := range l.Teams {
			if want := fmt.Sprintf("%s%d", l.ID, i+1); team.ID != want {
				t.Errorf("team %s, want id %s", team.ID, want)
			}
			if len(team.Wards) < 2 || len(team.Wards) > 4 {
				t.Errorf("team %s has %d wards", team.ID, len(team.Wards))
			}
			if !contiguous(team.Wards, adjacent) {
				t.Errorf("team %s: wards %v are not contiguous", team.ID, team.Wards)
			}
		}
		if len(l.Teams) != 4 {
			t.Errorf("locality %s has %d teams", l.ID, len(l.Teams))
		}
	}
	if !slices.Equal(ids, []string{"N", "C", "S"}) {
		t.Errorf("localities %v", ids)
	}
	if n := len(c.Teams()); n != 12 {
		t.Errorf("%d teams", n)
	}
}

func contiguous(codes []string, adjacent map[[2]string]bool) bool {
	reached := map[string]bool{codes[0]: true}
	for grew := true; grew; {
		grew = false
		for _, a := range codes {
			for _, b := range codes {
				if reached[a] && !reached[b] && adjacent[[2]string{min(a, b), max(a, b)}] {
					reached[b] = true
					grew = true
				}
			}
		}
	}
	return len(reached) == len(codes)
}

func BenchmarkGenerate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := demo.Generate(demo.Config{}); err != nil {
			b.Fatal(err)
		}
	}
}

func ExampleGenerate() {
	d, baseline, err := demo.Generate(demo.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s (%s): %d wards, %d localities, %d teams\n",
		d.City.Name, d.City.Code, len(d.Wards), len(baseline.Localities), len(baseline.Teams()))
	// Output: Demoport (E08999001): 32 wards, 3 localities, 12 teams
}
