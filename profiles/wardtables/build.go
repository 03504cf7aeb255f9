package wardtables

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/paulmach/orb/geo"

	"github.com/placeteam/placeteam/data/dataset"
)

// Options choose the date and the flow model.
type Options struct {
	// Date of the registrations, list sizes and practices; zero means the
	// latest date with registrations by area of residence (else the latest
	// list-size date).
	Date time.Time
	// Decay fixes the gravity model's distance decay (per km); zero means
	// calibrate it by maximum likelihood. Ignored when the dataset has real
	// registrations by LSOA.
	Decay float64
}

// ErrNoData is wrapped when the dataset lacks what the tables need.
var ErrNoData = errors.New("dataset lacks the data")

// Build assigns the dataset to wards and aggregates it.
func Build(ctx context.Context, ds *dataset.Dataset, opts Options) (*Tables, error) {
	if len(ds.Wards) == 0 {
		return nil, fmt.Errorf("wardtables: %w: no wards", ErrNoData)
	}
	t := &Tables{Dataset: ds.Name, City: Ref{Code: ds.City.Code, Name: ds.City.Name}, index: map[string]int{}}
	for i, w := range ds.Wards {
		t.Wards = append(t.Wards, Ref{Code: w.Code, Name: w.Name})
		t.index[w.Code] = i
		t.AreaKm2 = append(t.AreaKm2, geo.Area(w.Geometry)/1e6)
	}
	date, err := chooseDate(ds, opts.Date)
	if err != nil {
		return nil, err
	}
	t.Dates.Registrations = date
	t.ResidenceDates = residenceDates(ds)
	t.population(ds)
	lists := t.listSizes(ds, date)
	t.practices(ds, date, lists)
	t.catchments(ds)
	if err := t.flows(ctx, ds, date, opts.Decay); err != nil {
		return nil, err
	}
	return t, nil
}

// chooseDate returns the requested date, or the latest date with
// registrations by area of residence, or the latest list-size date; the
// zero time when the dataset has neither (a city of boundaries, population
// and deprivation only: every practice figure is then unknown).
func chooseDate(ds *dataset.Dataset, want time.Time) (time.Time, error) {
	dates := map[time.Time]bool{}
	var latest time.Time
	for _, r := range ds.Registrations {
		dates[r.Date] = true
		if r.Date.After(latest) {
			latest = r.Date
		}
	}
	var latestList time.Time
	for _, l := range ds.ListSizes {
		dates[l.Date] = true // a list date is a valid choice (no flows then)
		if l.Date.After(latestList) {
			latestList = l.Date
		}
	}
	if latest.IsZero() {
		latest = latestList
	}
	if want.IsZero() {
		return latest, nil
	}
	if !dates[want] {
		var have []string
		for d := range dates {
			have = append(have, d.Format(time.DateOnly))
		}
		sort.Strings(have)
		return time.Time{}, fmt.Errorf("wardtables: %w: no registrations or list sizes dated %s (have %v)", ErrNoData, want.Format(time.DateOnly), have)
	}
	return want, nil
}

// residenceDates lists the dates with registrations by area of residence.
func residenceDates(ds *dataset.Dataset) []time.Time {
	seen := map[time.Time]bool{}
	var out []time.Time
	for _, r := range ds.Registrations {
		if !seen[r.Date] {
			seen[r.Date] = true
			out = append(out, r.Date)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// population sums LSOA populations, age bands and deprivation into wards.
func (t *Tables) population(ds *dataset.Dataset) {
	t.Resident = make([]Population, len(t.Wards))
	decileEdition, scoreEdition := 0, 0
	for _, l := range ds.LSOAs {
		for _, d := range l.Deprivation {
			decileEdition = max(decileEdition, d.Edition)
			if d.HasScore {
				scoreEdition = max(scoreEdition, d.Edition)
			}
		}
		t.Dates.PopulationYear = max(t.Dates.PopulationYear, l.Population.Year)
	}
	t.Dates.IMDDecileEdition, t.Dates.IMDScoreEdition = decileEdition, scoreEdition
	for _, l := range ds.LSOAs {
		w, ok := t.index[l.WardCode]
		if !ok || l.Population.Year != t.Dates.PopulationYear {
			continue
		}
		t.Resident[w].Add(lsoaPopulation(l, decileEdition, scoreEdition))
	}
}

func lsoaPopulation(l dataset.LSOA, decileEdition, scoreEdition int) Population {
	p := l.Population
	out := Population{Total: float64(p.Total), Age0to15: float64(p.Age0to15), Age16to59: float64(p.Age16to59), Age60Plus: float64(p.Age60Plus)}
	if d, ok := l.DeprivationEdition(decileEdition); ok && d.Decile >= 1 && d.Decile <= 10 {
		out.IMDDecile[d.Decile-1] = out.Total
	}
	if d, ok := l.DeprivationEdition(scoreEdition); ok && d.HasScore {
		out.IMDScoreSum = d.Score * out.Total
		out.IMDScorePopulation = out.Total
	}
	return out
}

// listSizes returns each practice's list on the date: the published totals
// when the dataset has them, else the sums of its registrations by area.
func (t *Tables) listSizes(ds *dataset.Dataset, date time.Time) map[string]float64 {
	lists := map[string]float64{}
	if date.IsZero() {
		return lists // neither list sizes nor registrations
	}
	for _, l := range ds.ListSizes {
		if l.Date.Equal(date) {
			lists[l.PracticeCode] = float64(l.Patients)
		}
	}
	if len(lists) > 0 {
		t.Dates.ListSource = "list sizes"
		return lists
	}
	t.Dates.ListSource = "sum of registrations by area of residence"
	// District-level and LSOA-level tables of one date count the same
	// patients: use one level.
	level := registrationLevel(ds, date)
	for _, r := range ds.Registrations {
		if r.Date.Equal(date) && r.AreaLevel == level {
			lists[r.PracticeCode] += float64(r.Patients)
		}
	}
	return lists
}

// registrationLevel is the finest area level with registrations on date.
func registrationLevel(ds *dataset.Dataset, date time.Time) dataset.AreaLevel {
	level := dataset.AreaLevel("")
	for _, r := range ds.Registrations {
		if !r.Date.Equal(date) {
			continue
		}
		if r.AreaLevel == dataset.AreaLSOA {
			return dataset.AreaLSOA
		}
		level = r.AreaLevel
	}
	return level
}

// practices places practices open on date (or with patients then) in wards.
func (t *Tables) practices(ds *dataset.Dataset, date time.Time, lists map[string]float64) {
	t.Practices = make([][]Practice, len(t.Wards))
	t.Registered = make([]float64, len(t.Wards))
	for _, p := range ds.Practices {
		n := lists[p.Code]
		if !p.OpenOn(date) && n == 0 {
			continue
		}
		w, ok := t.index[p.WardCode]
		if !ok {
			if !p.HasLocation() {
				t.UnplacedPractices++
			}
			continue
		}
		t.Practices[w] = append(t.Practices[w], Practice{Code: p.Code, Name: p.Name, Patients: n})
		t.Registered[w] += n
	}
}

// catchments weights each MSOA's trust shares by its LSOAs' populations.
func (t *Tables) catchments(ds *dataset.Dataset) {
	names := map[string]string{}
	for _, tr := range ds.Trusts {
		names[tr.Code] = tr.Name
	}
	shares := map[string]map[string]float64{} // MSOA → trust → share
	for _, c := range ds.Catchments {
		if shares[c.MSOACode] == nil {
			shares[c.MSOACode] = map[string]float64{}
		}
		shares[c.MSOACode][c.TrustCode] = c.Proportion
		t.Dates.CatchmentYear = max(t.Dates.CatchmentYear, c.Year)
	}
	trustIndex := map[string]int{}
	var rows []map[int]float64
	rows = make([]map[int]float64, len(t.Wards))
	for _, l := range ds.LSOAs {
		w, ok := t.index[l.WardCode]
		if !ok || l.Population.Year != t.Dates.PopulationYear {
			continue
		}
		for trust, share := range shares[l.MSOACode] {
			k, ok := trustIndex[trust]
			if !ok {
				k = len(t.Trusts)
				trustIndex[trust] = k
				t.Trusts = append(t.Trusts, Ref{Code: trust, Name: names[trust]})
			}
			if rows[w] == nil {
				rows[w] = map[int]float64{}
			}
			rows[w][k] += share * float64(l.Population.Total)
		}
	}
	// Order trusts by code so output is deterministic.
	order := make([]int, len(t.Trusts))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return t.Trusts[order[a]].Code < t.Trusts[order[b]].Code })
	sorted := make([]Ref, len(order))
	newIndex := make([]int, len(order))
	for newI, oldI := range order {
		sorted[newI] = t.Trusts[oldI]
		newIndex[oldI] = newI
	}
	t.Trusts = sorted
	t.Catchment = make([][]float64, len(t.Wards))
	for w := range t.Wards {
		t.Catchment[w] = make([]float64, len(t.Trusts))
		for k, v := range rows[w] {
			t.Catchment[w][newIndex[k]] = v
		}
	}
}
