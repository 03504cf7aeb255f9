package report

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// page is the template's view of a report.
type page struct {
	Title         string
	Configuration string
	Version       int
	Dataset       string
	Scope         string
	Facts         []fact
	Sections      []section
	Notes         []note
	Sources       []dataset.Source
	Generated     string
	// AnyModelled says whether any figure shown is modelled (the legend).
	AnyModelled bool
}

type fact struct{ Label, Value string }

// note is a numbered footnote: why figures are unknown.
type note struct {
	N    int
	Text string
}

type section struct {
	Anchor   string
	Level    string
	ID       string
	Title    string
	Subtitle string
	Wards    string
	Figures  []figureRow
	Charts   []chart
	// Indicators are the unit's indicator values; City is false for the
	// city's own section (no comparison column).
	Indicators []indicatorRow
	WithCity   bool
	Map        mapView
}

type figureRow struct {
	Label      string
	Unit, City cell
}

// cell is one figure: its text, the raw value for machines (data-value),
// whether it is modelled, and the note saying why when unknown.
type cell struct {
	Field    string
	Value    string
	Text     string
	Modelled bool
	Unknown  bool
	Note     int
}

type indicatorRow struct {
	ID, Name, Period, Unit string
	Modelled               bool
	Value                  cell
	Interval               string
	City                   string
	Comparison             string
	ComparisonClass        string
	Plot                   intervalPlot
}

// builder assembles a page, numbering footnotes as they are met.
type builder struct {
	in    Input
	notes map[string]int
	page  *page
}

func newPage(in Input) (*page, error) {
	p := in.Profile
	b := &builder{in: in, notes: map[string]int{}, page: &page{
		Configuration: p.Configuration, Version: in.Version, Dataset: p.Dataset, Sources: in.Sources,
	}}
	title := p.Title
	if title == "" {
		title = p.Configuration
	}
	var units []placeprofile.Unit
	if in.Selected == "" {
		units = append(append([]placeprofile.Unit{p.City}, p.Localities...), p.Teams...)
		b.page.Title = "Place profile: " + title
		b.page.Scope = fmt.Sprintf("the whole option: %s, its %d localities and %d teams", p.City.Name, len(p.Localities), len(p.Teams))
	} else {
		for _, u := range append(slices.Clone(p.Teams), p.Localities...) {
			if u.ID == in.Selected {
				units = append(units, u)
				break
			}
		}
		if len(units) == 0 {
			return nil, fmt.Errorf("%w: %q in %s", ErrNoSuchUnit, in.Selected, p.Configuration)
		}
		b.page.Title = "Place profile: " + units[0].Name
		b.page.Scope = fmt.Sprintf("%s %s (%s) of %s, beside the city", units[0].Level, units[0].Name, units[0].ID, title)
	}
	b.page.Facts = b.facts()
	for _, u := range units {
		b.page.Sections = append(b.page.Sections, b.section(u))
	}
	if !in.Generated.IsZero() {
		b.page.Generated = in.Generated.UTC().Format("2 January 2006 15:04 MST")
	}
	return b.page, nil
}

func (b *builder) facts() []fact {
	p := b.in.Profile
	out := []fact{{"Configuration", fmt.Sprintf("%s, version %d", p.Configuration, b.in.Version)}, {"Dataset", p.Dataset}}
	if p.Dates.PopulationYear > 0 {
		out = append(out, fact{"Resident population", fmt.Sprintf("mid-%d estimates", p.Dates.PopulationYear)})
	}
	if d := p.DataDates.ListSizes; d != nil {
		out = append(out, fact{"Practice list sizes", *d + " (" + p.DataDates.ListSizesFrom + ")"})
	}
	if d := p.DataDates.RegistrationsByResidence; d != nil {
		out = append(out, fact{"Registrations by area of residence", *d})
	} else {
		out = append(out, fact{"Registrations by area of residence", "none on the date: every flow figure is unknown"})
	}
	out = append(out, fact{"Flows", flowText(p.FlowModel, b.in.Sources)})
	if p.Dates.IMDDecileEdition > 0 {
		out = append(out, fact{"Deprivation", fmt.Sprintf("English Indices of Deprivation %d (national quintiles of LSOAs)", p.Dates.IMDDecileEdition)})
	}
	return out
}

// flowText says where the flow figures come from.
func flowText(m wardtables.FlowModel, sources []dataset.Source) string {
	for _, src := range sources {
		if src.Modelled && slices.Contains(m.Sources, src.ID) {
			return "synthetic: generated registrations (" + src.ID + "), not real data"
		}
	}
	switch m.Kind {
	case "none", "":
		return "none: no registrations by area of residence on the date"
	case "gravity":
		s := fmt.Sprintf("modelled: a gravity model on practice × district counts, distance decay %.3f per km", m.Decay)
		if m.Calibrated {
			s += " (calibrated by maximum likelihood)"
		}
		return s
	}
	if m.Modelled {
		return "modelled: " + m.Kind
	}
	return "straight from practice × LSOA registration counts"
}

func (b *builder) note(reason string) int {
	if n, ok := b.notes[reason]; ok {
		return n
	}
	n := len(b.notes) + 1
	b.notes[reason] = n
	b.page.Notes = append(b.page.Notes, note{N: n, Text: reason})
	return n
}

// figure is a unit's cell for field, formatted by text from the value
// (nil when unknown).
func (b *builder) figure(u placeprofile.Unit, field string, v *float64, text func(float64) string) cell {
	c := cell{Field: field, Modelled: slices.Contains(u.ModelledFields, field)}
	if reason, unknown := u.Unknown[field]; unknown || v == nil {
		c.Unknown, c.Text = true, "–"
		if reason == "" {
			reason = "not available in the dataset"
		}
		c.Note = b.note(reason)
		c.Modelled = false
		return c
	}
	c.Value = strconv.FormatFloat(*v, 'g', -1, 64)
	c.Text = text(*v)
	if c.Modelled {
		b.page.AnyModelled = true
	}
	return c
}

func ptr[T any](v T) *T { return &v }

func (b *builder) section(u placeprofile.Unit) section {
	p := b.in.Profile
	city := p.City
	s := section{Anchor: u.Level + "-" + u.ID, Level: u.Level, ID: u.ID, Title: u.Name, WithCity: u.Level != placeprofile.LevelCity}
	switch u.Level {
	case placeprofile.LevelTeam:
		s.Subtitle = "Team " + u.ID + localityName(p, u.Locality)
	case placeprofile.LevelLocality:
		s.Subtitle = fmt.Sprintf("Locality %s: %d teams", u.ID, countTeams(p, u.ID))
	default:
		s.Subtitle = fmt.Sprintf("City: %d localities, %d teams", len(p.Localities), len(p.Teams))
	}
	s.Wards = b.wardNames(u.Wards)
	row := func(label, field string, get func(placeprofile.Unit) *float64, text func(float64) string) {
		r := figureRow{Label: label, Unit: b.figure(u, field, get(u), text)}
		if s.WithCity {
			r.City = b.figure(city, field, get(city), text)
		}
		s.Figures = append(s.Figures, r)
	}
	row("Resident population", "resident_population", func(x placeprofile.Unit) *float64 { return ptr(x.ResidentPopulation.Total) }, count)
	row("Registered population (practices in the area)", placeprofile.FieldRegisteredPopulation, func(x placeprofile.Unit) *float64 {
		return knownPtr(x, placeprofile.FieldRegisteredPopulation, x.RegisteredPopulation)
	}, count)
	row("Registered ÷ resident", placeprofile.FieldRegisteredToResidentRatio, func(x placeprofile.Unit) *float64 { return x.RegisteredToResidentRatio }, ratio)
	row("GP practices", placeprofile.FieldPracticeCount, func(x placeprofile.Unit) *float64 {
		return knownPtr(x, placeprofile.FieldPracticeCount, float64(x.PracticeCount))
	}, count)
	row("Residents registered with a practice in the area", placeprofile.FieldLocalRegistrationShare, func(x placeprofile.Unit) *float64 { return x.LocalRegistrationShare }, percent)
	row("Practice lists living in the area", placeprofile.FieldPracticeListsResidentShare, func(x placeprofile.Unit) *float64 { return x.PracticeListsResidentShare }, percent)
	row("Practice patients living outside the city", placeprofile.FieldOutOfCityRegistered, func(x placeprofile.Unit) *float64 { return x.OutOfCityRegistered }, count)
	row("… as a share of the practices' lists", placeprofile.FieldOutOfCityShare, func(x placeprofile.Unit) *float64 { return x.OutOfCityShare }, percent)
	row("Residents registered outside the city", placeprofile.FieldRegisteredOutsideCity, func(x placeprofile.Unit) *float64 { return x.RegisteredOutsideCity }, count)
	row("Population-weighted IMD score", "imd_weighted_score", func(x placeprofile.Unit) *float64 { return x.IMDWeightedScore }, decimal1)
	row("Area (km²)", "area_km2", func(x placeprofile.Unit) *float64 { return ptr(x.AreaKm2) }, decimal1)
	row("Residents per km²", "density_per_km2", func(x placeprofile.Unit) *float64 { return x.DensityPerKm2 }, count)
	s.Charts = b.charts(u, city, s.WithCity)
	s.Indicators = b.indicators(u, s.WithCity)
	s.Map = b.mapOf(u)
	return s
}

// knownPtr is &v, or nil when the unit says field is unknown.
func knownPtr(u placeprofile.Unit, field string, v float64) *float64 {
	if !u.Known(field) {
		return nil
	}
	return &v
}

func localityName(p *placeprofile.Profile, id string) string {
	for _, l := range p.Localities {
		if l.ID == id {
			return ", in locality " + l.Name
		}
	}
	return ""
}

func countTeams(p *placeprofile.Profile, locality string) int {
	n := 0
	for _, t := range p.Teams {
		if t.Locality == locality {
			n++
		}
	}
	return n
}

func (b *builder) wardNames(codes []string) string {
	names := map[string]string{}
	for _, w := range b.in.Wards {
		names[w.Code] = w.Name
	}
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if n := names[c]; n != "" {
			out = append(out, n)
		} else {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return fmt.Sprintf("%d wards: %s", len(codes), strings.Join(out, ", "))
}

func (b *builder) indicators(u placeprofile.Unit, withCity bool) []indicatorRow {
	var out []indicatorRow
	for _, r := range b.in.Indicators {
		f, ok := figureOf(r, u)
		if !ok {
			continue
		}
		ind := r.Indicator
		format := indicatorFormat(ind.Unit)
		row := indicatorRow{ID: ind.ID, Name: ind.Name, Period: ind.Period, Unit: unitLabel(ind.Unit), Modelled: r.Modelled}
		c := cell{Field: "ind_" + ind.ID, Modelled: r.Modelled}
		if f.Value == nil {
			c.Unknown, c.Text = true, "–"
			reason := "no value: every area is suppressed or missing"
			if f.Areas == 0 && f.Missing == 0 {
				reason = "no value: no area with data reaches the unit"
			}
			c.Note, c.Modelled = b.note(reason), false
		} else {
			c.Value = strconv.FormatFloat(*f.Value, 'g', -1, 64)
			c.Text = format(*f.Value)
			if r.Modelled {
				b.page.AnyModelled = true
			}
		}
		row.Value = c
		if f.Lower != nil && f.Upper != nil {
			row.Interval = format(*f.Lower) + " – " + format(*f.Upper)
		}
		if f.WithSuppressedLower != nil && f.WithSuppressedUpper != nil {
			row.Interval += fmt.Sprintf(" (with suppressed areas %s – %s)", format(*f.WithSuppressedLower), format(*f.WithSuppressedUpper))
		}
		if withCity {
			if r.City.Value != nil {
				row.City = format(*r.City.Value)
			}
			if f.Comparison != "" {
				row.Comparison = string(f.Comparison)
				row.ComparisonClass = "cmp-" + strings.ReplaceAll(string(f.Comparison), " ", "-")
			}
		}
		row.Plot = newIntervalPlot(r, f, withCity)
		out = append(out, row)
	}
	return out
}

// figureOf is u's figure in r.
func figureOf(r *indicatorprofile.Result, u placeprofile.Unit) (indicatorprofile.Figure, bool) {
	var fs []indicatorprofile.Figure
	switch u.Level {
	case placeprofile.LevelCity:
		return r.City, true
	case placeprofile.LevelLocality:
		fs = r.Localities
	default:
		fs = r.Teams
	}
	for _, f := range fs {
		if f.ID == u.ID {
			return f, true
		}
	}
	return indicatorprofile.Figure{}, false
}

func unitLabel(unit string) string {
	switch unit {
	case "proportion":
		return "%"
	case "rate-per-1000":
		return "per 1,000"
	case "rate-per-100000":
		return "per 100,000"
	}
	return unit
}

func indicatorFormat(unit string) func(float64) string {
	switch unit {
	case "proportion":
		return percent
	case "count":
		return count
	case "rate-per-1000", "rate-per-100000", "score", "km":
		return decimal1
	}
	return ratio
}

// Number formats.

func count(v float64) string { return thousands(math.Round(v)) }

func thousands(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 0, 64)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	if v < 0 {
		return "−" + string(out)
	}
	return string(out)
}

func percent(v float64) string  { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }
func ratio(v float64) string    { return strconv.FormatFloat(v, 'f', 2, 64) }
func decimal1(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
