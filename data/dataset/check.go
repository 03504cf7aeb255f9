package dataset

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Warning is a problem that does not stop an import but that a planner should
// know about, with how often it occurs and a few examples.
type Warning struct {
	Kind     string   `json:"kind"`
	Message  string   `json:"message"`
	Count    int      `json:"count"`
	Examples []string `json:"examples,omitempty"`
}

const maxExamples = 5

type warnings struct {
	list  []*Warning
	index map[string]*Warning
}

func (w *warnings) add(kind, message, example string) {
	if w.index == nil {
		w.index = map[string]*Warning{}
	}
	x, ok := w.index[kind]
	if !ok {
		x = &Warning{Kind: kind, Message: message}
		w.index[kind] = x
		w.list = append(w.list, x)
	}
	x.Count++
	if len(x.Examples) < maxExamples && example != "" && !slices.Contains(x.Examples, example) {
		x.Examples = append(x.Examples, example)
	}
}

func (w *warnings) result() []Warning {
	out := make([]Warning, len(w.list))
	for i, x := range w.list {
		out[i] = *x
	}
	return out
}

// Check lists the warnings of a valid dataset: cross-file mismatches and gaps
// that real public data has.
func (d *Dataset) Check() []Warning {
	var w warnings
	practices := map[string]Practice{}
	for _, p := range d.Practices {
		practices[p.Code] = p
	}
	lsoas := map[string]bool{}
	for _, l := range d.LSOAs {
		lsoas[l.Code] = true
	}
	districts := map[string]bool{}
	for _, x := range d.Districts {
		districts[x.Code] = true
	}
	for _, l := range d.LSOAs {
		if l.DistrictCode != "" {
			districts[l.DistrictCode] = true
		}
	}
	cityCCG := map[string]bool{}
	for _, c := range d.Commissioners {
		cityCCG[c] = true
	}

	notLocated := "practices with no location (no coordinates and postcode not found)"
	if !slices.ContainsFunc(d.Sources, func(s Source) bool { return s.Role == "postcodes" }) {
		notLocated = "practices with no location (no coordinates, and no postcode file to place them by postcode)"
	}
	for _, p := range d.Practices {
		desc := fmt.Sprintf("%s %s", p.Code, p.Name)
		switch {
		case !p.HasLocation():
			w.add("practice-not-located", notLocated, strings.TrimSpace(desc+" "+p.Postcode))
		case p.WardCode == "":
			w.add("practice-outside-city", "practices outside every city ward (registered outside the city)", desc)
			if cityCCG[p.Commissioner] && p.Status == StatusActive {
				w.add("city-practice-outside-city", "active practices of the city's commissioners that lie outside every city ward", desc)
			}
		}
	}
	for _, l := range d.ListSizes {
		p, ok := practices[l.PracticeCode]
		date := l.Date.Format("2006-01-02")
		switch {
		case !ok:
			w.add("list-size-unknown-practice", "list sizes of practices not in the practice file", l.PracticeCode+" on "+date)
		case !p.OpenOn(l.Date):
			w.add("list-size-practice-not-open", "list sizes dated when the practice was not open (closed before, or opened after, the list's date)", l.PracticeCode+" on "+date)
		}
	}
	for _, r := range d.Registrations {
		p, ok := practices[r.PracticeCode]
		date := r.Date.Format("2006-01-02")
		switch {
		case !ok:
			w.add("registration-unknown-practice", "registrations of practices not in the practice file", r.PracticeCode+" on "+date)
		case !p.OpenOn(r.Date):
			w.add("registration-practice-not-open", "registrations dated when the practice was not open", r.PracticeCode+" on "+date)
		}
		switch r.AreaLevel {
		case AreaLSOA:
			if !lsoas[r.AreaCode] {
				w.add("registration-area-outside-dataset", "registration counts (practice × area rows) for patients living in LSOAs outside the dataset", r.AreaCode)
			}
		case AreaDistrict:
			if !districts[r.AreaCode] {
				w.add("registration-area-outside-dataset", "registration counts (practice × area rows) for patients living in districts outside the dataset", r.AreaCode)
			}
		}
	}
	editions := map[int]bool{}
	for _, l := range d.LSOAs {
		for _, dep := range l.Deprivation {
			editions[dep.Edition] = true
		}
	}
	wardLSOAs := map[string]int{}
	for _, l := range d.LSOAs {
		if !l.Population.Known() {
			w.add("lsoa-no-population", "LSOAs with no population estimate", l.Code)
		}
		for _, e := range sortedKeys(editions) {
			if _, ok := l.DeprivationEdition(e); !ok {
				w.add(fmt.Sprintf("lsoa-no-imd-%d", e), fmt.Sprintf("LSOAs with no IMD %d record", e), l.Code)
			}
		}
		if l.MSOACode == "" {
			w.add("lsoa-no-msoa", "LSOAs with no MSOA in the lookup", l.Code)
		}
		if l.WardCode != "" {
			wardLSOAs[l.WardCode]++
		}
	}
	for _, wd := range d.Wards {
		if wardLSOAs[wd.Code] == 0 && len(d.LSOAs) > 0 {
			w.add("ward-no-lsoa", "wards with no LSOA", wd.Code+" "+wd.Name)
		}
	}
	trusts := map[string]Trust{}
	for _, t := range d.Trusts {
		trusts[t.Code] = t
	}
	msoaTotal := map[string]float64{}
	for _, c := range d.Catchments {
		if t, ok := trusts[c.TrustCode]; !ok || !t.HasHQ {
			w.add("catchment-trust-not-located", "catchment shares (MSOA × trust rows) whose trust has no headquarters point", c.TrustCode)
		}
		msoaTotal[c.MSOACode] += c.Proportion
	}
	for _, m := range sortedKeys(msoaTotal) {
		if msoaTotal[m] > 1.000001 {
			w.add("catchment-over-one", "MSOAs whose catchment shares sum to more than 1", fmt.Sprintf("%s (%.4f)", m, msoaTotal[m]))
		}
	}
	return w.result()
}

func sortedKeys[K int | string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// Summary is what a dataset holds, in the figures the import report and
// `placeteam info` print.
type Summary struct {
	Name      string `json:"name"`
	City      Area   `json:"city"`
	Districts int    `json:"districts"`
	Wards     int    `json:"wards"`
	LSOAs     int    `json:"lsoas"`
	CityLSOAs int    `json:"city_lsoas"`
	// LSOAWardMethods counts city LSOAs by how they were placed in wards.
	LSOAWardMethods map[WardMethod]int `json:"lsoa_ward_methods"`
	MSOAs           int                `json:"msoas"`
	Population      []PopulationSum    `json:"population,omitempty"`
	Practices       PracticeCounts     `json:"practices"`
	ListSizes       []DatedTotal       `json:"list_sizes,omitempty"`
	Registrations   []DatedTotal       `json:"registrations,omitempty"`
	Trusts          int                `json:"trusts"`
	HospitalSites   int                `json:"hospital_sites"`
	Catchments      int                `json:"catchment_shares"`
	Sources         []Source           `json:"sources"`
}

// PopulationSum totals resident population for one estimate year.
type PopulationSum struct {
	Year     int `json:"year"`
	Total    int `json:"total"`
	InCity   int `json:"in_city"`
	LSOAs    int `json:"lsoas"`
	CityLSOA int `json:"city_lsoas"`
}

// PracticeCounts counts practices by status, overall and inside the city.
type PracticeCounts struct {
	Total        int                    `json:"total"`
	ByStatus     map[PracticeStatus]int `json:"by_status"`
	InCity       map[PracticeStatus]int `json:"in_city_by_status"`
	NotLocated   int                    `json:"not_located"`
	CityCCGCount map[PracticeStatus]int `json:"city_commissioner_by_status,omitempty"`
}

// DatedTotal totals patients for one date (and, for registrations, one area
// level): across all practices, per commissioner, and at practices inside
// the city's wards that were open on that date. Practices the practice file
// says were not open then (closed before, or opened after) are counted
// apart: a practice counts at a date when it was open then.
type DatedTotal struct {
	Date             string         `json:"date"`
	Level            AreaLevel      `json:"level,omitempty"`
	Practices        int            `json:"practices"`
	Patients         int            `json:"patients"`
	CityPractices    int            `json:"city_practices"`
	CityPatients     int            `json:"city_patients"`
	NotOpenPractices int            `json:"not_open_practices,omitempty"`
	NotOpenPatients  int            `json:"not_open_patients,omitempty"`
	ByCommissioner   map[string]int `json:"by_commissioner,omitempty"`
	Sources          []string       `json:"sources"`
}

// Summarize counts what the dataset holds.
func (d *Dataset) Summarize() Summary {
	s := Summary{
		Name: d.Name, City: d.City, Districts: len(d.Districts), Wards: len(d.Wards),
		LSOAs: len(d.LSOAs), MSOAs: len(d.MSOAs), Trusts: len(d.Trusts),
		HospitalSites: len(d.HospitalSites), Catchments: len(d.Catchments), Sources: d.Sources,
	}
	pops := map[int]*PopulationSum{}
	s.LSOAWardMethods = map[WardMethod]int{}
	for _, l := range d.LSOAs {
		if l.WardCode != "" {
			s.CityLSOAs++
			s.LSOAWardMethods[l.WardMethod]++
		}
		if !l.Population.Known() {
			continue
		}
		p := pops[l.Population.Year]
		if p == nil {
			p = &PopulationSum{Year: l.Population.Year}
			pops[l.Population.Year] = p
		}
		p.Total += l.Population.Total
		p.LSOAs++
		if l.WardCode != "" {
			p.InCity += l.Population.Total
			p.CityLSOA++
		}
	}
	for _, y := range sortedKeys(pops) {
		s.Population = append(s.Population, *pops[y])
	}

	cityCCG := map[string]bool{}
	for _, c := range d.Commissioners {
		cityCCG[c] = true
	}
	s.Practices = PracticeCounts{Total: len(d.Practices), ByStatus: map[PracticeStatus]int{}, InCity: map[PracticeStatus]int{}}
	if len(cityCCG) > 0 {
		s.Practices.CityCCGCount = map[PracticeStatus]int{}
	}
	inCity := map[string]bool{}
	byCode := map[string]Practice{}
	for _, p := range d.Practices {
		byCode[p.Code] = p
		s.Practices.ByStatus[p.Status]++
		if p.WardCode != "" {
			s.Practices.InCity[p.Status]++
			inCity[p.Code] = true
		}
		if !p.HasLocation() {
			s.Practices.NotLocated++
		}
		if cityCCG[p.Commissioner] {
			s.Practices.CityCCGCount[p.Status]++
		}
	}

	type key struct {
		date  string
		level AreaLevel
	}
	totals := func(n int, at func(int) (key, string, int, string, string, time.Time)) []DatedTotal {
		byKey := map[key]*DatedTotal{}
		seen := map[key]map[string]bool{}
		var order []key
		for i := 0; i < n; i++ {
			k, practice, patients, ccg, source, date := at(i)
			p, known := byCode[practice]
			open := !known || p.OpenOn(date)
			city := inCity[practice] && open
			t := byKey[k]
			if t == nil {
				t = &DatedTotal{Date: k.date, Level: k.level, ByCommissioner: map[string]int{}}
				byKey[k] = t
				seen[k] = map[string]bool{}
				order = append(order, k)
			}
			if !seen[k][practice] {
				seen[k][practice] = true
				t.Practices++
				if city {
					t.CityPractices++
				}
				if !open {
					t.NotOpenPractices++
				}
			}
			t.Patients += patients
			if city {
				t.CityPatients += patients
			}
			if !open {
				t.NotOpenPatients += patients
			}
			if ccg != "" {
				t.ByCommissioner[ccg] += patients
			}
			if !slices.Contains(t.Sources, source) {
				t.Sources = append(t.Sources, source)
			}
		}
		sort.Slice(order, func(i, j int) bool {
			if order[i].date != order[j].date {
				return order[i].date < order[j].date
			}
			return order[i].level < order[j].level
		})
		out := make([]DatedTotal, 0, len(order))
		for _, k := range order {
			t := byKey[k]
			if len(t.ByCommissioner) == 0 {
				t.ByCommissioner = nil
			}
			out = append(out, *t)
		}
		return out
	}
	s.ListSizes = totals(len(d.ListSizes), func(i int) (key, string, int, string, string, time.Time) {
		l := d.ListSizes[i]
		return key{date: l.Date.Format(time.DateOnly)}, l.PracticeCode, l.Patients, l.Commissioner, l.Source, l.Date
	})
	s.Registrations = totals(len(d.Registrations), func(i int) (key, string, int, string, string, time.Time) {
		r := d.Registrations[i]
		return key{date: r.Date.Format(time.DateOnly), level: r.AreaLevel}, r.PracticeCode, r.Patients, "", r.Source, r.Date
	})
	return s
}
