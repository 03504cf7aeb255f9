package indicatorprofile

import (
	"fmt"
	"strings"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// Breakdown is a set of indicators that partition one denominator (e.g.
// usual residents by ethnic group) summed per team, with the residual the
// listed groups do not account for.
type Breakdown struct {
	Indicators []string       `json:"indicators"`
	Rows       []BreakdownRow `json:"rows"`
}

// BreakdownRow is one team's (or the city's) counts.
type BreakdownRow struct {
	ID       string             `json:"id"`
	Name     string             `json:"name"`
	Counts   map[string]float64 `json:"counts"`
	Total    float64            `json:"total"`
	Residual float64            `json:"residual"`
}

// BreakdownByPrefix sums the LSOA indicators whose ids start with prefix
// per team and for the city. Total is the first indicator's denominator
// (they share it); Residual = Total − Σ counts.
func BreakdownByPrefix(ds *dataset.Dataset, cfg *configuration.Configuration, prefix string) (*Breakdown, error) {
	b := &Breakdown{}
	for _, ind := range ds.Indicators {
		if strings.HasPrefix(ind.ID, prefix) {
			if ind.Level != string(dataset.AreaLSOA) {
				return nil, fmt.Errorf("indicatorprofile: breakdown %q: %s is not an LSOA indicator", prefix, ind.ID)
			}
			b.Indicators = append(b.Indicators, ind.ID)
		}
	}
	if len(b.Indicators) == 0 {
		return nil, fmt.Errorf("indicatorprofile: %w: none starts with %q", ErrUnknownIndicator, prefix)
	}
	areaWard := map[string]string{}
	for _, l := range ds.LSOAs {
		areaWard[l.Code] = l.WardCode
	}
	wardTeam := cfg.WardTeams()
	rows := map[string]*BreakdownRow{}
	row := func(id, name string) *BreakdownRow {
		if rows[id] == nil {
			rows[id] = &BreakdownRow{ID: id, Name: name, Counts: map[string]float64{}}
		}
		return rows[id]
	}
	names := map[string]string{}
	for _, t := range cfg.Teams() {
		names[t.ID] = t.Name
	}
	first := b.Indicators[0]
	for _, v := range ds.IndicatorValues {
		if !strings.HasPrefix(v.Indicator, prefix) || !v.Known {
			continue
		}
		team, ok := wardTeam[areaWard[v.AreaCode]]
		if !ok {
			continue
		}
		for _, r := range []*BreakdownRow{row(team, names[team]), row(cfg.City.ID, cfg.City.Name)} {
			r.Counts[v.Indicator] += v.Numerator
			if v.Indicator == first {
				r.Total += v.Denominator
			}
		}
	}
	for _, t := range cfg.Teams() {
		b.Rows = append(b.Rows, *row(t.ID, t.Name))
	}
	b.Rows = append(b.Rows, *row(cfg.City.ID, cfg.City.Name))
	for i := range b.Rows {
		sum := 0.0
		for _, c := range b.Rows[i].Counts {
			sum += c
		}
		b.Rows[i].Residual = b.Rows[i].Total - sum
	}
	return b, nil
}
