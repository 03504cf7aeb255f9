package englandbench

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

func smallCountry(t *testing.T) *country {
	t.Helper()
	c, err := generate(smallSize(), seed)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func wardNames(d *dataset.Dataset) map[string]string {
	names := make(map[string]string, len(d.Wards))
	for _, w := range d.Wards {
		names[w.Code] = w.Name
	}
	return names
}

// TestSmallCountryIsValid: the dataset passes Validate with no Check
// warnings, the configuration passes Validate, and the figures have the
// shapes the generator promises.
func TestSmallCountryIsValid(t *testing.T) {
	sz := smallSize()
	c := smallCountry(t)
	d := c.dataset
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if w := d.Check(); len(w) != 0 {
		t.Errorf("Check warnings: %+v", w)
	}
	if err := c.configuration.Validate(wardNames(d)); err != nil {
		t.Fatal(err)
	}
	if len(d.LSOAs) != sz.cols*sz.rows || len(d.Practices) != sz.practices || len(d.Trusts) != sz.trusts {
		t.Errorf("%d LSOAs, %d practices, %d trusts; want %d, %d, %d", len(d.LSOAs), len(d.Practices), len(d.Trusts), sz.cols*sz.rows, sz.practices, sz.trusts)
	}
	for _, s := range d.Sources {
		if !s.Modelled {
			t.Errorf("source %s is not marked modelled", s.ID)
		}
	}

	wardLSOAs := map[string]int{}
	ranks := make([]int, 0, len(d.LSOAs))
	for _, l := range d.LSOAs {
		wardLSOAs[l.WardCode]++
		if p := l.Population; p.Total < 1000 || p.Total > 3000 {
			t.Errorf("LSOA %s has %d residents, want 1,000-3,000", l.Code, p.Total)
		}
		imd, ok := l.DeprivationEdition(imdEdition)
		if !ok {
			t.Fatalf("LSOA %s has no IMD %d", l.Code, imdEdition)
		}
		ranks = append(ranks, imd.Rank)
	}
	slices.Sort(ranks)
	if ranks[0] != 1 || ranks[len(ranks)-1] != len(d.LSOAs) || len(slices.Compact(ranks)) != len(d.LSOAs) {
		t.Errorf("IMD ranks are not 1-%d, each once", len(d.LSOAs))
	}
	for _, w := range d.Wards {
		if n := wardLSOAs[w.Code]; n != 4 && n != 6 {
			t.Errorf("ward %s has %d LSOAs, want 4 or 6", w.Code, n)
		}
	}

	// Each LSOA registers with minChoices-maxChoices practices, every row
	// has a patient, and list sizes are the sums of the rows.
	perLSOA := map[string]int{}
	sums := map[string]int{}
	for _, r := range d.Registrations {
		perLSOA[r.AreaCode]++
		sums[r.PracticeCode] += r.Patients
		if r.Patients < 1 || r.AreaLevel != dataset.AreaLSOA {
			t.Fatalf("registration %+v", r)
		}
	}
	for _, l := range d.LSOAs {
		if n := perLSOA[l.Code]; n < sz.minChoices || n > sz.maxChoices {
			t.Errorf("LSOA %s registers with %d practices, want %d-%d", l.Code, n, sz.minChoices, sz.maxChoices)
		}
	}
	for _, l := range d.ListSizes {
		if l.Patients != sums[l.PracticeCode] {
			t.Errorf("practice %s: list size %d, registrations sum to %d", l.PracticeCode, l.Patients, sums[l.PracticeCode])
		}
	}
}

// TestSmallCountryAssignmentAgrees: locating LSOA interior points and
// practice points in the ward polygons gives the wards the generator
// wrote.
func TestSmallCountryAssignmentAgrees(t *testing.T) {
	d := smallCountry(t).dataset
	if bad := assign(d).disagreements(d); len(bad) > 0 {
		t.Errorf("assignment disagrees with the generated lookup:\n%v", bad)
	}
}

// TestSmallCountryUnitsAreContiguous: every team's wards and every
// locality's teams form one piece (blocks sharing an edge).
func TestSmallCountryUnitsAreContiguous(t *testing.T) {
	c := smallCountry(t)
	checkContiguous(t, c.wardCells, c.units)
}

func checkContiguous(t *testing.T, cells []block, u units) {
	t.Helper()
	for i, wards := range u.teams {
		if !connected(cells, wards) {
			t.Errorf("team %d (wards %v) is not contiguous", i+1, wards)
		}
	}
	for i, teams := range u.localities {
		var wards []int
		for _, team := range teams {
			wards = append(wards, u.teams[team]...)
		}
		if !connected(cells, wards) {
			t.Errorf("locality %d is not contiguous", i+1)
		}
	}
}

// connected reports whether the blocks members form one piece.
func connected(cells []block, members []int) bool {
	if len(members) == 0 {
		return false
	}
	reached := map[int]bool{members[0]: true}
	queue := []int{members[0]}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, b := range members {
			if !reached[b] && cells[a].touches(cells[b]) {
				reached[b] = true
				queue = append(queue, b)
			}
		}
	}
	return len(reached) == len(members)
}

func TestSmallCountryIsDeterministic(t *testing.T) {
	a, b := smallCountry(t), smallCountry(t)
	if diff := cmp.Diff(a.dataset, b.dataset); diff != "" {
		t.Errorf("two generations differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(a.configuration, b.configuration); diff != "" {
		t.Errorf("two configurations differ (-first +second):\n%s", diff)
	}
}

// TestSmallCountryProfile: the tables use the registrations as they are
// (modelled, since the source is), and the city profile adds up to the
// dataset's totals.
func TestSmallCountryProfile(t *testing.T) {
	c := smallCountry(t)
	d := c.dataset
	tables, err := wardtables.Build(context.Background(), d, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if m := tables.FlowModel; m.Kind != "registrations" || !m.Modelled || m.OutsideDatasetResidents != 0 {
		t.Errorf("flow model = %+v", m)
	}
	p, err := placeprofile.Evaluate(tables, c.configuration, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	residents, registered := 0.0, 0.0
	for _, l := range d.LSOAs {
		residents += float64(l.Population.Total)
	}
	for _, r := range d.Registrations {
		registered += float64(r.Patients)
	}
	city := p.City
	if city.ResidentPopulation.Total != residents || city.RegisteredPopulation != registered || city.PracticeCount != len(d.Practices) {
		t.Errorf("city: %v residents, %v registered, %d practices; dataset has %v, %v, %d",
			city.ResidentPopulation.Total, city.RegisteredPopulation, city.PracticeCount, residents, registered, len(d.Practices))
	}
	if city.LocalRegistered == nil || city.OutOfCityRegistered == nil {
		t.Fatalf("city flow figures unknown: %v", city.Unknown)
	}
	if math.Abs(*city.LocalRegistered-registered) > 1e-6*registered || *city.OutOfCityRegistered != 0 {
		t.Errorf("city: %v registered locally, %v from outside; want all %v local", *city.LocalRegistered, *city.OutOfCityRegistered, registered)
	}
	if len(p.Teams) != len(c.units.teams) || len(p.Localities) != len(c.units.localities) {
		t.Errorf("%d teams, %d localities; want %d, %d", len(p.Teams), len(p.Localities), len(c.units.teams), len(c.units.localities))
	}
}

// TestEnglandSizeLayout checks the England-size wards, teams and
// localities without generating the rest of the country (the layout
// streams do not depend on it): their counts, team sizes, and that every
// team and locality is contiguous.
func TestEnglandSizeLayout(t *testing.T) {
	sz := englandSize()
	wards := layWards(sz, stream(seed, streamWards))
	u := organise(sz, wards, stream(seed, streamUnits))
	lsoas := sz.cols * sz.rows
	t.Logf("%d LSOAs in %d wards (%.2f a ward), %d teams (%.2f wards a team), %d localities (%.2f teams a locality)",
		lsoas, len(wards), float64(lsoas)/float64(len(wards)), len(u.teams), float64(len(wards))/float64(len(u.teams)),
		len(u.localities), float64(len(u.teams))/float64(len(u.localities)))
	for _, check := range []struct {
		what   string
		got    int
		lo, hi int
	}{
		{"LSOAs", lsoas, 32_000, 34_000},
		{"wards", len(wards), 6_800, 7_200},
		{"teams", len(u.teams), 950, 1_050},
		{"localities", len(u.localities), 140, 160},
	} {
		if check.got < check.lo || check.got > check.hi {
			t.Errorf("%d %s, want %d-%d", check.got, check.what, check.lo, check.hi)
		}
	}
	for i, wards := range u.teams {
		if len(wards) < 3 || len(wards) > 12 {
			t.Errorf("team %d has %d wards", i+1, len(wards))
		}
	}
	checkContiguous(t, wards, u)
}
