package pgstore

import (
	"context"
	"fmt"
	"math"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/data/store/storetest"
)

// A city the size of Manchester and its neighbours: ~1,300 LSOAs with
// ~100-vertex polygons and ~2,000 registrations (as data/sqlitestore's
// benchmarks).
const (
	benchLSOAs         = 1300
	benchVertices      = 100
	benchRegistrations = 2000
)

func BenchmarkReplaceDataset(b *testing.B) {
	ctx := context.Background()
	s, _ := openFresh(b)
	d := storetest.SyntheticDataset(benchLSOAs, benchVertices, benchRegistrations)
	if err := d.Validate(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.ReplaceDataset(ctx, d, nil, store.ImportRecord{Manifest: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDataset(b *testing.B) {
	ctx := context.Background()
	s, _ := openFresh(b)
	if err := s.ReplaceDataset(ctx, storetest.SyntheticDataset(benchLSOAs, benchVertices, benchRegistrations), nil, store.ImportRecord{Manifest: "bench"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Dataset(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// envEngland turns on the England-size benchmarks, which take minutes.
const envEngland = "PLACETEAM_BENCH_ENGLAND"

// An England-size dataset, roughly profiles/englandbench's country: 33,000
// LSOAs and 7,000 wards with 100-vertex polygons, 6,500 practices,
// 1,000,000 registrations, and a configuration of 1,000 teams of 7 wards in
// localities of 7 teams.
const (
	englandLSOAs         = 33_000
	englandWards         = 7_000
	englandPractices     = 6_500
	englandRegistrations = 1_000_000
	englandVertices      = 100
	englandTeamWards     = 7
	englandLocalityTeams = 7
)

var england struct {
	once sync.Once
	d    *dataset.Dataset
	c    *configuration.Configuration
	err  error
}

// englandDataset builds the England-size dataset once per test binary,
// from storetest.SyntheticDataset with more wards and practices.
func englandDataset(b *testing.B) (*dataset.Dataset, *configuration.Configuration) {
	b.Helper()
	if os.Getenv(envEngland) == "" {
		b.Skipf("set %s=1 for the England-size benchmarks", envEngland)
	}
	england.once.Do(func() {
		d := storetest.SyntheticDataset(englandLSOAs, englandVertices, englandRegistrations)
		d.Wards = make([]dataset.Ward, englandWards)
		for w := range d.Wards {
			lon, lat := -5.5+float64(w%100)*0.08, 50+float64(w/100)*0.06
			d.Wards[w] = dataset.Ward{Code: fmt.Sprintf("W%04d", w), Name: fmt.Sprintf("Ward %d", w),
				Geometry: circle(lon, lat, 0.03, englandVertices), Source: "s"}
		}
		for i := range d.LSOAs {
			d.LSOAs[i].WardCode = d.Wards[i*englandWards/englandLSOAs].Code
		}
		practice := d.Practices[0]
		d.Practices, d.ListSizes = nil, nil
		for p := range englandPractices {
			x := practice
			x.Code, x.Name = fmt.Sprintf("P%05d", p), fmt.Sprintf("Practice %d", p)
			x.Location = orb.Point{-5.5 + float64(p%100)*0.08, 50 + float64(p/100)*0.06}
			d.Practices = append(d.Practices, x)
			for _, date := range []time.Time{dataset.Day(2015, time.April, 1), dataset.Day(2019, time.October, 1)} {
				d.ListSizes = append(d.ListSizes, dataset.ListSize{PracticeCode: x.Code, Date: date, Patients: 8000 + p, Commissioner: "14L", Source: "s"})
			}
		}
		for r := range d.Registrations {
			d.Registrations[r].PracticeCode = fmt.Sprintf("P%05d", r%englandPractices)
			d.Registrations[r].AreaCode = fmt.Sprintf("L%05d", (r/englandPractices*37+r%englandPractices*13)%englandLSOAs)
		}
		c := &configuration.Configuration{Name: "england", Title: "England", City: configuration.Unit{ID: "england", Name: "England"}}
		for t := 0; t*englandTeamWards < englandWards; t++ {
			if t%englandLocalityTeams == 0 {
				l := len(c.Localities)
				c.Localities = append(c.Localities, configuration.Locality{ID: fmt.Sprintf("l%d", l), Name: fmt.Sprintf("Locality %d", l)})
			}
			team := configuration.Team{ID: fmt.Sprintf("t%d", t), Name: fmt.Sprintf("Team %d", t)}
			for w := t * englandTeamWards; w < min((t+1)*englandTeamWards, englandWards); w++ {
				team.Wards = append(team.Wards, d.Wards[w].Code)
			}
			l := &c.Localities[len(c.Localities)-1]
			l.Teams = append(l.Teams, team)
		}
		if england.err = d.Validate(); england.err == nil {
			england.err = c.Validate(wardNamesOf(d))
		}
		england.d, england.c = d, c
	})
	if england.err != nil {
		b.Fatal(england.err)
	}
	return england.d, england.c
}

func circle(lon, lat, r float64, vertices int) orb.MultiPolygon {
	ring := make(orb.Ring, 0, vertices+1)
	for i := range vertices {
		a := 2 * math.Pi * float64(i) / float64(vertices)
		ring = append(ring, orb.Point{lon + r*math.Cos(a), lat + r*math.Sin(a)})
	}
	return orb.MultiPolygon{{append(ring, ring[0])}}
}

func wardNamesOf(d *dataset.Dataset) map[string]string {
	names := make(map[string]string, len(d.Wards))
	for _, w := range d.Wards {
		names[w.Code] = w.Name
	}
	return names
}

// BenchmarkEnglandReplaceDataset imports the England-size dataset with its
// configuration (1,000 teams dissolved by PostGIS) over the previous one.
func BenchmarkEnglandReplaceDataset(b *testing.B) {
	d, c := englandDataset(b)
	ctx := context.Background()
	s, _ := openFresh(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.ReplaceDataset(ctx, d, []*configuration.Configuration{c}, store.ImportRecord{Manifest: "england"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEnglandDataset loads the England-size dataset.
func BenchmarkEnglandDataset(b *testing.B) {
	d, c := englandDataset(b)
	ctx := context.Background()
	s, _ := openFresh(b)
	if err := s.ReplaceDataset(ctx, d, []*configuration.Configuration{c}, store.ImportRecord{Manifest: "england"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		got, err := s.Dataset(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(got.Registrations) != len(d.Registrations) || len(got.LSOAs) != len(d.LSOAs) {
			b.Fatalf("loaded %d registrations and %d LSOAs, stored %d and %d", len(got.Registrations), len(got.LSOAs), len(d.Registrations), len(d.LSOAs))
		}
	}
}

// BenchmarkEnglandSaveConfiguration saves a new version of the 1,000-team
// configuration: validation against 7,000 wards, the version, and its
// teams dissolved.
func BenchmarkEnglandSaveConfiguration(b *testing.B) {
	d, c := englandDataset(b)
	ctx := context.Background()
	s, _ := openFresh(b)
	if err := s.ReplaceDataset(ctx, d, []*configuration.Configuration{c}, store.ImportRecord{Manifest: "england"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SaveConfiguration(ctx, c, store.VersionMeta{Author: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
}
