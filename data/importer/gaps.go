package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/placeteam/placeteam/data/dataset"
)

// Gap is something a dataset cannot answer (or can only estimate) because
// a kind of input is missing: what is missing, what that costs, and which
// manifest roles would supply it.
type Gap struct {
	// Kind is a stable identifier, e.g. "no-practice-locations".
	Kind    string `json:"kind"`
	Missing string `json:"missing"`
	Cost    string `json:"cost"`
	// Roles are the manifest roles that would fill the gap.
	Roles []string `json:"roles"`
}

// Gaps lists what the dataset cannot answer, computed from the dataset
// itself (so `info` can say it of any stored dataset, old imports too).
// An empty list means every figure placeteam offers has its inputs.
func Gaps(ds *dataset.Dataset) []Gap {
	var out []Gap
	add := func(kind, missing, cost string, roles ...string) {
		out = append(out, Gap{Kind: kind, Missing: missing, Cost: cost, Roles: roles})
	}
	located, lsoaRegistrations := 0, 0
	for _, p := range ds.Practices {
		if p.HasLocation() {
			located++
		}
	}
	for _, r := range ds.Registrations {
		if r.AreaLevel == dataset.AreaLSOA {
			lsoaRegistrations++
		}
	}
	population := false
	for _, l := range ds.LSOAs {
		if l.Population.Known() {
			population = true
			break
		}
	}
	deprivation := false
	for _, l := range ds.LSOAs {
		if len(l.Deprivation) > 0 {
			deprivation = true
			break
		}
	}

	if !population {
		add("no-population", "no resident population by LSOA",
			"no resident populations, age bands or population-weighted figures by ward or team", "population")
	}
	if !deprivation {
		add("no-deprivation", "no IMD by LSOA", "no deprivation deciles or scores by ward or team", "deprivation")
	}
	switch {
	case len(ds.Practices) == 0:
		add("no-practices", "no GP practices",
			"no registered populations by team (no practice to place in a ward), no practice candidates for siting, no practice indicators", "practices")
	case located == 0:
		add("no-practice-locations", fmt.Sprintf("no practice locations (none of %d practices has coordinates or a postcode found in a postcode file)", len(ds.Practices)),
			"no registered populations by team (practices cannot be placed in wards), no practice candidates for siting", "practices (lat, lon)", "postcodes")
	}
	if len(ds.ListSizes) == 0 && len(ds.Registrations) == 0 {
		add("no-list-sizes", "no practice list sizes and no registrations",
			"no registered populations by team and no registered-to-resident ratios", "list-sizes", "registrations")
	}
	switch {
	case len(ds.Registrations) == 0:
		add("no-registrations", "no registrations by area of residence",
			"no flows (where a team's residents are registered, or a practice's patients live) and no out-of-city registrations", "registrations")
	case lsoaRegistrations == 0:
		add("no-lsoa-registrations", "registrations by district only, none by LSOA",
			"flows are a gravity estimate (modelled) from practice × district counts, not counts", "registrations (level: lsoa)")
	}
	if len(ds.MSOAs) == 0 {
		add("no-msoas", "no MSOAs (no MSOA boundaries and no LSOA→MSOA lookup)",
			"no catchment shares and no MSOA-level indicators (they cannot be placed in LSOAs or wards)", "msoa-boundaries", "area-lookup")
	}
	if len(ds.Catchments) == 0 {
		add("no-catchments", "no hospital catchments",
			"no catchment shares (which acute trusts a team's residents use)", "catchments")
	}
	if len(ds.HospitalSites) == 0 {
		add("no-hospital-sites", "no hospital sites", "no hospital points on the map", "hospital-sites")
	}
	if len(ds.Indicators) == 0 {
		add("no-indicators", "no indicators", "no indicator profiles (health, deprivation domains, QOF) by ward or team", "indicators")
	}
	if len(ds.PracticeGroups) == 0 && len(ds.Practices) > 0 {
		add("no-practice-groups", "no practice groups", "no primary care networks (or other groups) of a team's practices", "practice-groups")
	}
	return out
}

// WriteGaps prints what the dataset cannot answer.
func WriteGaps(w io.Writer, gaps []Gap) {
	ew := &errWriter{w: w}
	if len(gaps) == 0 {
		ew.printf("\nThe dataset can answer every figure placeteam offers.\n")
		return
	}
	ew.printf("\nWhat the dataset cannot answer:\n")
	for _, g := range gaps {
		ew.printf("  - %s: %s [%s; supplied by %s]\n", g.Missing, g.Cost, g.Kind, joinOr(g.Roles))
	}
}

func joinOr(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " or " + s[len(s)-1]
}

// Answer is one kind of figure placeteam offers, and whether a dataset can
// give it: Available, or Modelled (an estimate, not counts), or neither
// with the gaps that stop it.
type Answer struct {
	Figure    string   `json:"figure"`
	Available bool     `json:"available"`
	Modelled  bool     `json:"modelled,omitempty"`
	Because   []string `json:"because,omitempty"` // gap kinds
}

// answers says which gap kinds stop (or, in modelled, make an estimate
// of) each kind of figure.
var answers = []struct {
	figure   string
	stoppers []string
	modelled []string
}{
	{"resident populations and age bands by ward and team", []string{"no-population"}, nil},
	{"deprivation (IMD deciles and scores) by ward and team", []string{"no-deprivation"}, nil},
	{"registered populations by team", []string{"no-practices", "no-practice-locations", "no-list-sizes"}, nil},
	{"flows between where patients live and where they are registered", []string{"no-registrations"}, []string{"no-lsoa-registrations"}},
	{"hospital catchment shares", []string{"no-msoas", "no-catchments"}, nil},
	{"indicator profiles", []string{"no-indicators"}, nil},
	{"hospital sites on the map", []string{"no-hospital-sites"}, nil},
	{"practice candidates for siting hubs", []string{"no-practices", "no-practice-locations"}, nil},
	{"practice groups (e.g. primary care networks) of a team", []string{"no-practices", "no-practice-groups"}, nil},
}

// Answers lists, for each kind of figure, whether the gaps leave it
// available.
func Answers(gaps []Gap) []Answer {
	has := map[string]bool{}
	for _, g := range gaps {
		has[g.Kind] = true
	}
	out := make([]Answer, 0, len(answers))
	for _, a := range answers {
		ans := Answer{Figure: a.figure, Available: true}
		for _, k := range a.stoppers {
			if has[k] {
				ans.Available = false
				ans.Because = append(ans.Because, k)
			}
		}
		if ans.Available {
			for _, k := range a.modelled {
				if has[k] {
					ans.Modelled = true
					ans.Because = append(ans.Because, k)
				}
			}
		}
		out = append(out, ans)
	}
	return out
}

// WriteAnswers prints which figures the dataset will and will not give.
func WriteAnswers(w io.Writer, list []Answer) {
	ew := &errWriter{w: w}
	ew.printf("\nWill answer:\n")
	n := 0
	for _, a := range list {
		if a.Available {
			note := ""
			if a.Modelled {
				note = " (modelled: " + strings.Join(a.Because, ", ") + ")"
			}
			ew.printf("  + %s%s\n", a.Figure, note)
			n++
		}
	}
	if n == 0 {
		ew.printf("  (nothing)\n")
	}
	ew.printf("Will not answer:\n")
	n = 0
	for _, a := range list {
		if !a.Available {
			ew.printf("  - %s (%s)\n", a.Figure, strings.Join(a.Because, ", "))
			n++
		}
	}
	if n == 0 {
		ew.printf("  (nothing: every figure has its inputs)\n")
	}
}
