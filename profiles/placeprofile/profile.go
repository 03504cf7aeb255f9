// Package placeprofile evaluates a team configuration over ward tables: for
// every team, locality and the city, resident and registered populations,
// cross-boundary flows, catchment overlap, deprivation and area. It is pure
// aggregation over wardtables.Tables — counts are summed first and shares
// taken last, never averages of averages — so evaluating an option costs
// microseconds.
package placeprofile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// DefaultOutOfCityThreshold flags a team when more than this share of the
// patients registered with its practices live outside the city.
const DefaultOutOfCityThreshold = 0.10

// Options tune an evaluation.
type Options struct {
	// OutOfCityThreshold: zero means DefaultOutOfCityThreshold.
	OutOfCityThreshold float64
}

// Profile is a configuration's place profile.
type Profile struct {
	Configuration string           `json:"configuration"`
	Title         string           `json:"title,omitempty"`
	Dataset       string           `json:"dataset"`
	Dates         wardtables.Dates `json:"dates"`
	// DataDates names the two kinds of practice dates apart: list sizes
	// and registrations by area of residence (nil when there are none on
	// the date, and every flow figure is unknown).
	DataDates          DataDates            `json:"data_dates"`
	FigureDates        map[string]string    `json:"figure_dates"`
	FlowModel          wardtables.FlowModel `json:"flow_model"`
	OutOfCityThreshold float64              `json:"out_of_city_threshold"`
	// Unknown names the figures the dataset cannot give on the date, for
	// every unit, with why (each unit repeats them in its own Unknown).
	Unknown    map[string]string `json:"unknown,omitempty"`
	Teams      []Unit            `json:"teams"`
	Localities []Unit            `json:"localities"`
	City       Unit              `json:"city"`
}

// DataDates are the dates of the two kinds of practice data.
type DataDates struct {
	// ListSizes is the date of the practice list sizes (registered
	// populations, practices open).
	ListSizes *string `json:"list_sizes"`
	// RegistrationsByResidence is the date of the practice × area counts
	// behind every flow figure; nil when there are none on the date.
	RegistrationsByResidence *string `json:"registrations_by_residence"`
	// ListSizesFrom says where the list sizes come from: the published
	// practice totals, or the sums of the registrations by area of
	// residence.
	ListSizesFrom string `json:"list_sizes_from"`
}

// Unit is the profile of a team, a locality or the city.
//
// A figure whose inputs are missing is unknown, never 0: the flow figures
// (FlowFields) are nil, and every unknown figure is named in Unknown with
// why. RegisteredPopulation and PracticeCount stay numbers in Go (0 when
// unknown: check Known) and are null in JSON when unknown; CatchmentShares
// is nil without catchments.
type Unit struct {
	Level    string   `json:"level"`
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Locality string   `json:"locality,omitempty"`
	Wards    []string `json:"wards"`

	ResidentPopulation    Population  `json:"resident_population"`
	IMDDecilePopulation   [10]float64 `json:"imd_decile_population"`
	IMDQuintilePopulation [5]float64  `json:"imd_quintile_population"`
	// IMD2015WeightedScore is the population-weighted IMD score (nil when
	// the dataset has no scores).
	IMDWeightedScore *float64 `json:"imd_weighted_score"`

	// RegisteredPopulation is the sum of the lists of the practices
	// located in the unit; unknown (Known) when no practice could be placed.
	RegisteredPopulation      float64               `json:"registered_population"`
	RegisteredToResidentRatio *float64              `json:"registered_to_resident_ratio"`
	Practices                 []wardtables.Practice `json:"practices"`
	PracticeCount             int                   `json:"practice_count"`
	// PracticesWithoutList counts practices open on the date with no list
	// size in the data (counted in PracticeCount with 0 patients).
	PracticesWithoutList int `json:"practices_without_list"`

	// ResidentsRegistered: patients living in the unit registered with any
	// practice in the dataset; of them, LocalRegistered with a practice in
	// the unit. Nil (like every flow figure) without registrations by area
	// of residence on the date.
	ResidentsRegistered    *float64 `json:"residents_registered"`
	LocalRegistered        *float64 `json:"local_registered"`
	LocalRegistrationShare *float64 `json:"local_registration_share"`
	// PracticeListsResidentShare: of the patients of the unit's practices,
	// the share living in the unit.
	PracticeListsResidentShare *float64 `json:"practice_lists_resident_share"`
	// OutOfCityRegistered: patients of the unit's practices living outside
	// the city.
	OutOfCityRegistered  *float64 `json:"out_of_city_registered"`
	OutOfCityShare       *float64 `json:"out_of_city_share"`
	OutOfCitySignificant *bool    `json:"out_of_city_significant"`
	// RegisteredOutsideCity: residents registered with practices outside
	// the city.
	RegisteredOutsideCity *float64 `json:"registered_outside_city"`

	// CatchmentShares is nil (unknown) when the dataset has no catchments.
	CatchmentShares []CatchmentShare `json:"catchment_shares"`
	DominantTrust   string           `json:"dominant_trust,omitempty"`

	AreaKm2       float64  `json:"area_km2"`
	DensityPerKm2 *float64 `json:"density_per_km2"`

	ModelledFields []string `json:"modelled_fields"`
	// Unknown maps each unknown figure (its JSON and CSV name) to why.
	Unknown map[string]string `json:"unknown,omitempty"`
}

// Names of the figures that can be unknown, as in JSON and CSV.
const (
	FieldResidentsRegistered        = "residents_registered"
	FieldLocalRegistered            = "local_registered"
	FieldLocalRegistrationShare     = "local_registration_share"
	FieldPracticeListsResidentShare = "practice_lists_resident_share"
	FieldOutOfCityRegistered        = "out_of_city_registered"
	FieldOutOfCityShare             = "out_of_city_share"
	FieldOutOfCitySignificant       = "out_of_city_significant"
	FieldRegisteredOutsideCity      = "registered_outside_city"
	FieldFlows                      = "flows"
	FieldRegisteredPopulation       = "registered_population"
	FieldRegisteredToResidentRatio  = "registered_to_resident_ratio"
	FieldPracticeCount              = "practice_count"
	FieldCatchmentShares            = "catchment_shares"
	FieldDominantTrust              = "dominant_trust"
)

// FlowFields are the unit figures that rest on the registrations by area
// of residence: unknown together when there are none on the date.
var FlowFields = []string{
	FieldResidentsRegistered, FieldLocalRegistered, FieldLocalRegistrationShare, FieldPracticeListsResidentShare,
	FieldOutOfCityRegistered, FieldOutOfCityShare, FieldOutOfCitySignificant, FieldRegisteredOutsideCity,
}

// Known reports whether the unit's figure field (its JSON name) is known.
func (u Unit) Known(field string) bool {
	_, unknown := u.Unknown[field]
	return !unknown
}

// MarshalJSON writes the unknown figures that Go holds as numbers
// (registered_population, practice_count) as null.
func (u Unit) MarshalJSON() ([]byte, error) {
	type plain Unit
	out := struct {
		plain
		RegisteredPopulation *float64 `json:"registered_population"`
		PracticeCount        *int     `json:"practice_count"`
	}{plain: plain(u)}
	if u.Known(FieldRegisteredPopulation) {
		out.RegisteredPopulation = &u.RegisteredPopulation
	}
	if u.Known(FieldPracticeCount) {
		out.PracticeCount = &u.PracticeCount
	}
	return json.Marshal(out)
}

// Population is resident population with age bands.
type Population struct {
	Total     float64 `json:"total"`
	Age0to15  float64 `json:"age_0_15"`
	Age16to59 float64 `json:"age_16_59"`
	Age60Plus float64 `json:"age_60_plus"`
}

// CatchmentShare is the share of a unit's residents in a trust's catchment.
type CatchmentShare struct {
	Trust string  `json:"trust"`
	Name  string  `json:"name,omitempty"`
	Share float64 `json:"share"`
}

// ErrConfiguration is wrapped when a configuration does not fit the tables.
var ErrConfiguration = errors.New("configuration does not fit the dataset")

// Levels of units.
const (
	LevelTeam     = "team"
	LevelLocality = "locality"
	LevelCity     = "city"
)

// Evaluate profiles a configuration.
func Evaluate(t *wardtables.Tables, cfg *configuration.Configuration, opts Options) (*Profile, error) {
	wardNames := make(map[string]string, len(t.Wards))
	for _, w := range t.Wards {
		wardNames[w.Code] = w.Name
	}
	if err := cfg.Validate(wardNames); err != nil {
		return nil, fmt.Errorf("placeprofile: %w: %w", ErrConfiguration, err)
	}
	threshold := opts.OutOfCityThreshold
	if threshold <= 0 {
		threshold = DefaultOutOfCityThreshold
	}
	unknown := Unknown(t)
	p := &Profile{
		Configuration: cfg.Name, Title: cfg.Title, Dataset: t.Dataset, Dates: t.Dates, DataDates: NewDataDates(t),
		FigureDates: figureDates(t, unknown), FlowModel: t.FlowModel, OutOfCityThreshold: threshold,
	}
	if len(unknown) > 0 {
		p.Unknown = unknown
	}
	n := len(t.Wards)
	teamOf := make([]int, n)
	localityOf := make([]int, n)
	cityOf := make([]int, n)
	var teams, localities []unitSpec
	for li, l := range cfg.Localities {
		loc := unitSpec{level: LevelLocality, id: l.ID, name: l.Name}
		for _, tm := range l.Teams {
			ti := len(teams)
			spec := unitSpec{level: LevelTeam, id: tm.ID, name: tm.Name, locality: l.ID}
			for _, code := range tm.Wards {
				w, _ := t.WardIndex(code)
				teamOf[w], localityOf[w] = ti, li
				spec.wards = append(spec.wards, code)
				loc.wards = append(loc.wards, code)
			}
			teams = append(teams, spec)
		}
		localities = append(localities, loc)
	}
	city := unitSpec{level: LevelCity, id: cfg.City.ID, name: cfg.City.Name}
	for _, w := range t.Wards {
		city.wards = append(city.wards, w.Code)
	}
	p.Teams = aggregate(t, teams, teamOf, threshold, unknown)
	p.Localities = aggregate(t, localities, localityOf, threshold, unknown)
	p.City = aggregate(t, []unitSpec{city}, cityOf, threshold, unknown)[0]
	return p, nil
}

type unitSpec struct {
	level, id, name, locality string
	wards                     []string
}

// aggregate sums ward tables into units; unitOf maps ward index → unit.
// Figures named in unknown are left nil (or zero, see Unit) and listed in
// each unit's Unknown.
func aggregate(t *wardtables.Tables, specs []unitSpec, unitOf []int, threshold float64, unknown map[string]string) []Unit {
	k := len(specs)
	pop := make([]wardtables.Population, k)
	registered := make([]float64, k)
	area := make([]float64, k)
	catch := make([][]float64, k)
	practices := make([][]wardtables.Practice, k)
	for u := range catch {
		catch[u] = make([]float64, len(t.Trusts))
	}
	for w := range t.Wards {
		u := unitOf[w]
		pop[u].Add(t.Resident[w])
		registered[u] += t.Registered[w]
		area[u] += t.AreaKm2[w]
		practices[u] = append(practices[u], t.Practices[w]...)
		for j, v := range t.Catchment[w] {
			catch[u][j] += v
		}
	}
	// Flows: one pass over the stored cells.
	out := t.Outside()
	rowSum := make([]float64, k)
	colSum := make([]float64, k)
	local := make([]float64, k)
	outOfCity := make([]float64, k)
	registeredOutside := make([]float64, k)
	unit := func(w int) int {
		if w == out {
			return -1
		}
		return unitOf[w]
	}
	for r := 0; r <= out; r++ {
		ur := unit(r)
		t.Flows.Each(r, func(c int, v float64) {
			uc := unit(c)
			if ur >= 0 {
				rowSum[ur] += v
			}
			if uc >= 0 {
				colSum[uc] += v
			}
			switch {
			case ur >= 0 && ur == uc:
				local[ur] += v
			case ur < 0 && uc >= 0:
				outOfCity[uc] += v
			case uc < 0 && ur >= 0:
				registeredOutside[ur] += v
			}
		})
	}
	units := make([]Unit, k)
	for u, s := range specs {
		x := Unit{
			Level: s.level, ID: s.id, Name: s.name, Locality: s.locality, Wards: s.wards,
			ResidentPopulation:  Population{Total: pop[u].Total, Age0to15: pop[u].Age0to15, Age16to59: pop[u].Age16to59, Age60Plus: pop[u].Age60Plus},
			IMDDecilePopulation: pop[u].IMDDecile, RegisteredPopulation: registered[u],
			Practices: practices[u], PracticeCount: len(practices[u]),
			AreaKm2: area[u],
		}
		if x.Practices == nil {
			x.Practices = []wardtables.Practice{}
		}
		for _, p := range x.Practices {
			if p.Patients == 0 {
				x.PracticesWithoutList++
			}
		}
		for d, v := range pop[u].IMDDecile {
			x.IMDQuintilePopulation[d/2] += v
		}
		x.IMDWeightedScore = ratio(pop[u].IMDScoreSum, pop[u].IMDScorePopulation)
		if _, ok := unknown[FieldRegisteredPopulation]; !ok {
			x.RegisteredToResidentRatio = ratio(registered[u], pop[u].Total)
		}
		if _, ok := unknown[FieldFlows]; !ok {
			x.ResidentsRegistered, x.LocalRegistered = ptr(snap(rowSum[u])), ptr(snap(local[u]))
			x.OutOfCityRegistered, x.RegisteredOutsideCity = ptr(snap(outOfCity[u])), ptr(snap(registeredOutside[u]))
			x.LocalRegistrationShare = ratio(local[u], rowSum[u])
			x.PracticeListsResidentShare = ratio(local[u], colSum[u])
			x.OutOfCityShare = ratio(outOfCity[u], colSum[u])
			significant := x.OutOfCityShare != nil && *x.OutOfCityShare > threshold
			x.OutOfCitySignificant = &significant
		}
		x.DensityPerKm2 = ratio(pop[u].Total, area[u])
		if _, ok := unknown[FieldCatchmentShares]; !ok {
			best := -1.0
			x.CatchmentShares = []CatchmentShare{}
			for j, tr := range t.Trusts {
				if catch[u][j] == 0 || pop[u].Total == 0 {
					continue
				}
				share := catch[u][j] / pop[u].Total
				x.CatchmentShares = append(x.CatchmentShares, CatchmentShare{Trust: tr.Code, Name: tr.Name, Share: share})
				if share > best {
					best, x.DominantTrust = share, tr.Code
				}
			}
		}
		x.ModelledFields = modelledFields(t.FlowModel, s.level)
		for f, why := range unknown {
			if f == FieldFlows {
				continue // a matrix, not a unit figure
			}
			if x.Unknown == nil {
				x.Unknown = map[string]string{}
			}
			x.Unknown[f] = why
		}
		units[u] = x
	}
	return units
}

// Unknown names the figures the tables cannot give, with why:
//   - every flow figure (FlowFields and the flow matrix, FieldFlows) when
//     there are no registrations by area of residence on the date;
//   - registered populations (and the practice counts and ratios built on
//     them) when no practice open on the date could be placed in a ward;
//   - catchment shares when the dataset has no hospital catchments.
//
// It is nil when everything is known.
func Unknown(t *wardtables.Tables) map[string]string {
	out := map[string]string{}
	if reason := NoFlowsReason(t); reason != "" {
		for _, f := range FlowFields {
			out[f] = reason
		}
		out[FieldFlows] = reason
	}
	if reason := noRegisteredReason(t); reason != "" {
		for _, f := range []string{FieldRegisteredPopulation, FieldRegisteredToResidentRatio, FieldPracticeCount} {
			out[f] = reason
		}
	}
	if len(t.Trusts) == 0 {
		const reason = "the dataset has no hospital catchments"
		out[FieldCatchmentShares], out[FieldDominantTrust] = reason, reason
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// noRegisteredReason is why the tables have no registered populations
// ("" when they have): no list sizes or registrations at all, no practice
// open on the date, or none of them placed in a ward.
func noRegisteredReason(t *wardtables.Tables) string {
	placed := 0
	for _, ps := range t.Practices {
		placed += len(ps)
	}
	switch {
	case placed > 0:
		return ""
	case t.Dates.Registrations.IsZero():
		return "the dataset has no practice list sizes and no registrations"
	case t.UnplacedPractices > 0:
		return fmt.Sprintf("no practice has a location in the city's wards (%d open practices without coordinates or a postcode that places them)", t.UnplacedPractices)
	default:
		return "no GP practice in the dataset is open on " + t.Dates.Registrations.Format(time.DateOnly)
	}
}

// NoFlowsReason is why the tables have no flows ("" when they have):
// there are no registrations by area of residence on their date, and the
// dates that have them.
func NoFlowsReason(t *wardtables.Tables) string {
	if t.FlowModel.Kind != "none" {
		return ""
	}
	if t.Dates.Registrations.IsZero() {
		return "the dataset has no registrations by area of residence"
	}
	s := "no registrations by area of residence dated " + t.Dates.Registrations.Format(time.DateOnly) + " (the store has list sizes only for that date)"
	if len(t.ResidenceDates) > 0 {
		dates := make([]string, len(t.ResidenceDates))
		for i, d := range t.ResidenceDates {
			dates[i] = d.Format(time.DateOnly)
		}
		s += "; registrations by area of residence exist for " + strings.Join(dates, ", ")
	}
	return s
}

// NewDataDates names the tables' practice dates apart.
func NewDataDates(t *wardtables.Tables) DataDates {
	if t.Dates.Registrations.IsZero() {
		return DataDates{} // neither list sizes nor registrations
	}
	day := t.Dates.Registrations.Format(time.DateOnly)
	out := DataDates{ListSizes: &day, ListSizesFrom: t.Dates.ListSource}
	if out.ListSizesFrom == "list sizes" {
		out.ListSizesFrom = "published practice totals"
	}
	if t.FlowModel.Kind != "none" {
		reg := day
		out.RegistrationsByResidence = &reg
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// modelledFields names the figures that rest on an estimate. With a gravity
// model, flows between wards are estimates; flows across the city boundary
// come from the real practice × district counts when the city is a whole
// district (the wards tile it), so out-of-city figures and the city's own
// local share stay real.
func modelledFields(m wardtables.FlowModel, level string) []string {
	if !m.Modelled {
		return []string{}
	}
	if level == LevelCity && m.CityIsDistrict {
		return []string{}
	}
	// Residents of a team registered outside the city are a split of the
	// city's real count among teams: modelled below city level.
	fields := []string{"residents_registered", "local_registered", "local_registration_share", "practice_lists_resident_share", "registered_outside_city", "flows"}
	if !m.CityIsDistrict {
		fields = append(fields, "out_of_city_registered", "out_of_city_share", "out_of_city_significant")
	}
	return fields
}

// snap removes the floating-point noise that proportional fitting leaves on
// sums of real counts (12986.9999988 → 12987: the fit meets its totals to
// about 1e-10 relative); a modelled value moves by at most 1e-8 of itself.
func snap(v float64) float64 {
	if r := math.Round(v); math.Abs(v-r) <= 1e-8*math.Max(1, math.Abs(v)) {
		return r
	}
	return v
}

func ratio(a, b float64) *float64 {
	if b == 0 || math.IsNaN(a) || math.IsNaN(b) {
		return nil
	}
	v := a / b
	return &v
}

// figureDates says which date each figure uses; figures in unknown have
// none.
func figureDates(t *wardtables.Tables, unknown map[string]string) map[string]string {
	d := t.Dates
	reg := d.Registrations.Format("2006-01-02")
	out := map[string]string{
		"resident_population":           fmt.Sprintf("mid-%d", d.PopulationYear),
		"registered_population":         reg + " (" + d.ListSource + ")",
		"practices":                     "open on " + reg,
		"flows":                         reg,
		"out_of_city_registered":        reg,
		"out_of_city_share":             reg,
		"local_registration_share":      reg,
		"practice_lists_resident_share": reg,
		"residents_registered":          reg,
		"registered_outside_city":       reg,
		"registered_to_resident_ratio":  fmt.Sprintf("%s lists ÷ mid-%d residents", reg, d.PopulationYear),
		"density_per_km2":               fmt.Sprintf("mid-%d residents ÷ ward area", d.PopulationYear),
		"area_km2":                      "ward boundaries (geodesic area)",
	}
	if t.FlowModel.Modelled && t.FlowModel.Kind == "gravity" {
		out["flows"] += fmt.Sprintf(" (gravity model on mid-%d populations)", d.PopulationYear)
	}
	if d.IMDDecileEdition > 0 {
		out["imd_decile_population"] = fmt.Sprintf("IMD %d deciles × mid-%d population", d.IMDDecileEdition, d.PopulationYear)
		out["imd_quintile_population"] = out["imd_decile_population"]
	}
	if d.IMDScoreEdition > 0 {
		out["imd_weighted_score"] = fmt.Sprintf("IMD %d scores × mid-%d population", d.IMDScoreEdition, d.PopulationYear)
	}
	if d.CatchmentYear > 0 {
		out["catchment_shares"] = fmt.Sprintf("%d catchments × mid-%d population", d.CatchmentYear, d.PopulationYear)
	}
	if _, ok := unknown[FieldPracticeCount]; ok {
		delete(out, "practices")
	}
	for f := range unknown {
		delete(out, f)
	}
	return out
}
