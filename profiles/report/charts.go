package report

import (
	"math"

	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Chart geometry (SVG user units).
const (
	chartWidth  = 330
	labelWidth  = 120
	barArea     = 150
	barHeight   = 14
	barGap      = 6
	chartMargin = 18
)

// chart is a horizontal bar chart, drawn as inline SVG.
type chart struct {
	Title    string
	Caption  string
	Modelled bool
	Unknown  bool
	Note     int
	Height   int
	Bars     []bar
	// CityTicks says the bars carry the city's value as a tick.
	CityTicks bool
}

type bar struct {
	Label    string
	Text     string
	Y        float64 // top of the bar
	TextY    float64
	Width    float64
	Class    string
	HasCity  bool
	CityX    float64
	Modelled bool
}

// Bar chart x positions, exported to the template as methods.
func (chart) Width() int                 { return chartWidth }
func (chart) LabelWidth() int            { return labelWidth }
func (chart) BarX() int                  { return labelWidth + 4 }
func (chart) TextX(b bar) float64        { return float64(labelWidth+8) + b.Width }
func (c chart) CityTop(b bar) float64    { return b.Y - 3 }
func (c chart) CityBottom(b bar) float64 { return b.Y + barHeight + 3 }
func (chart) BarHeight() int             { return barHeight }

// barSpec is one bar before layout: its value and, optionally, the city's
// on the same scale.
type barSpec struct {
	label    string
	value    float64
	text     string
	city     *float64
	class    string
	modelled bool
}

func newChart(title, caption string, max float64, specs []barSpec) chart {
	c := chart{Title: title, Caption: caption}
	if max <= 0 || math.IsNaN(max) {
		max = 1
	}
	for i, s := range specs {
		y := float64(chartMargin/2 + i*(barHeight+barGap))
		b := bar{Label: s.label, Text: s.text, Y: y, TextY: y + barHeight - 3, Width: barArea * clamp(s.value/max), Class: s.class, Modelled: s.modelled}
		if s.city != nil {
			b.HasCity, b.CityX = true, float64(labelWidth+4)+barArea*clamp(*s.city/max)
			c.CityTicks = true
		}
		if s.modelled {
			c.Modelled = true
		}
		c.Bars = append(c.Bars, b)
	}
	c.Height = chartMargin + len(specs)*(barHeight+barGap)
	return c
}

func clamp(f float64) float64 {
	if math.IsNaN(f) || f < 0 {
		return 0
	}
	return math.Min(f, 1)
}

func share(part, total float64) float64 {
	if total <= 0 {
		return 0
	}
	return part / total
}

func (b *builder) charts(u, city placeprofile.Unit, withCity bool) []chart {
	var out []chart
	cityShare := func(v float64) *float64 {
		if !withCity {
			return nil
		}
		return &v
	}

	// Resident and registered population.
	pop := []barSpec{{label: "Resident", value: u.ResidentPopulation.Total, text: count(u.ResidentPopulation.Total), class: "bar-resident"}}
	max := u.ResidentPopulation.Total
	regKnown := u.Known(placeprofile.FieldRegisteredPopulation)
	if regKnown {
		pop = append(pop, barSpec{label: "Registered", value: u.RegisteredPopulation, text: count(u.RegisteredPopulation), class: "bar-registered",
			modelled: containsField(u, placeprofile.FieldRegisteredPopulation)})
		max = math.Max(max, u.RegisteredPopulation)
	}
	c := newChart("Resident and registered population", "Residents (mid-year estimate) and patients on the lists of the practices located in the area.", max, pop)
	if !regKnown {
		c.Unknown, c.Note = true, b.note(reasonOr(u.Unknown[placeprofile.FieldRegisteredPopulation], "registered population not available"))
	}
	out = append(out, c)

	// Age bands.
	tot, ctot := u.ResidentPopulation.Total, city.ResidentPopulation.Total
	ages := []struct {
		label string
		v, cv float64
	}{
		{"Aged 0–15", u.ResidentPopulation.Age0to15, city.ResidentPopulation.Age0to15},
		{"Aged 16–59", u.ResidentPopulation.Age16to59, city.ResidentPopulation.Age16to59},
		{"Aged 60+", u.ResidentPopulation.Age60Plus, city.ResidentPopulation.Age60Plus},
	}
	var ageBars []barSpec
	for _, a := range ages {
		ageBars = append(ageBars, barSpec{label: a.label, value: share(a.v, tot), text: percent(share(a.v, tot)) + " (" + count(a.v) + ")",
			city: cityShare(share(a.cv, ctot)), class: "bar-age"})
	}
	out = append(out, newChart("Age bands", "Share of residents in each age band"+cityNote(withCity), 1, ageBars))

	// National IMD quintiles.
	var imd []barSpec
	maxQ := 0.0
	for q := range 5 {
		maxQ = math.Max(maxQ, math.Max(share(u.IMDQuintilePopulation[q], tot), share(city.IMDQuintilePopulation[q], ctot)))
	}
	for q := range 5 {
		label := "Quintile " + string(rune('1'+q))
		if q == 0 {
			label += " (most)"
		} else if q == 4 {
			label += " (least)"
		}
		v := share(u.IMDQuintilePopulation[q], tot)
		imd = append(imd, barSpec{label: label, value: v, text: percent(v), city: cityShare(share(city.IMDQuintilePopulation[q], ctot)), class: "bar-imd-" + string(rune('1'+q))})
	}
	out = append(out, newChart("Deprivation: national IMD quintiles", "Share of residents living in LSOAs of each national quintile (1 = most deprived fifth of England)"+cityNote(withCity), maxQ, imd))

	// Registration flows.
	var flows []barSpec
	for _, f := range []struct {
		label, field string
		v, cv        *float64
	}{
		{"Registered locally", placeprofile.FieldLocalRegistrationShare, u.LocalRegistrationShare, city.LocalRegistrationShare},
		{"Lists living here", placeprofile.FieldPracticeListsResidentShare, u.PracticeListsResidentShare, city.PracticeListsResidentShare},
		{"Lists outside city", placeprofile.FieldOutOfCityShare, u.OutOfCityShare, city.OutOfCityShare},
	} {
		if f.v == nil || !u.Known(f.field) {
			continue
		}
		var cv *float64
		if withCity && f.cv != nil {
			cv = f.cv
		}
		flows = append(flows, barSpec{label: f.label, value: *f.v, text: percent(*f.v), city: cv, class: "bar-flow", modelled: containsField(u, f.field)})
	}
	c = newChart("Where patients are registered", "Residents registered with a practice in the area; the practices' patients living in the area; and those living outside the city"+cityNote(withCity), 1, flows)
	if len(flows) == 0 {
		c.Unknown = true
		c.Note = b.note(reasonOr(u.Unknown[placeprofile.FieldLocalRegistrationShare], "no registrations by area of residence"))
	}
	if c.Modelled {
		b.page.AnyModelled = true
	}
	out = append(out, c)

	// Catchments.
	if u.CatchmentShares == nil {
		c = newChart("Acute-trust catchments", "", 1, nil)
		c.Unknown, c.Note = true, b.note(reasonOr(u.Unknown[placeprofile.FieldCatchmentShares], "the dataset has no acute-trust catchments"))
		out = append(out, c)
	} else if len(u.CatchmentShares) > 0 {
		var cs []barSpec
		for i, s := range u.CatchmentShares {
			if i == 6 {
				break
			}
			label := s.Trust
			if s.Name != "" {
				label = s.Name
			}
			cs = append(cs, barSpec{label: truncate(label, 22), value: s.Share, text: percent(s.Share), class: "bar-catchment",
				modelled: containsField(u, placeprofile.FieldCatchmentShares)})
		}
		c = newChart("Acute-trust catchments", "Share of residents in each trust's catchment (the largest six)", 1, cs)
		if c.Modelled {
			b.page.AnyModelled = true
		}
		out = append(out, c)
	}
	return out
}

func containsField(u placeprofile.Unit, field string) bool {
	for _, f := range u.ModelledFields {
		if f == field {
			return true
		}
	}
	return false
}

func reasonOr(reason, fallback string) string {
	if reason != "" {
		return reason
	}
	return fallback
}

func cityNote(withCity bool) string {
	if withCity {
		return "; the tick marks the city."
	}
	return "."
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// intervalPlot draws an indicator's value, its 95% interval and the
// city's value on an axis spanning every team's and locality's interval,
// so sections compare at a glance.
type intervalPlot struct {
	Show             bool
	X, Lo, Hi, CityX float64
	HasInterval      bool
	HasCity          bool
}

const plotWidth = 120

// plotRange is the span of every value and interval bound in r.
func plotRange(r *indicatorprofile.Result) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, f := range append(append([]indicatorprofile.Figure{r.City}, r.Localities...), r.Teams...) {
		for _, v := range []*float64{f.Value, f.Lower, f.Upper} {
			if v != nil && !math.IsNaN(*v) && !math.IsInf(*v, 0) {
				lo, hi = math.Min(lo, *v), math.Max(hi, *v)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return 0, 1
	}
	pad := (hi - lo) * 0.05
	if pad == 0 {
		pad = math.Max(math.Abs(hi)*0.05, 1e-9)
	}
	return lo - pad, hi + pad
}

func newIntervalPlot(r *indicatorprofile.Result, f indicatorprofile.Figure, withCity bool) intervalPlot {
	if f.Value == nil {
		return intervalPlot{}
	}
	lo, hi := plotRange(r)
	x := func(v float64) float64 { return 4 + (plotWidth-8)*clamp((v-lo)/(hi-lo)) }
	p := intervalPlot{Show: true, X: x(*f.Value)}
	if f.Lower != nil && f.Upper != nil {
		p.HasInterval, p.Lo, p.Hi = true, x(*f.Lower), x(*f.Upper)
	}
	if withCity && r.City.Value != nil {
		p.HasCity, p.CityX = true, x(*r.City.Value)
	}
	return p
}
