package indicatorprofile

import (
	"fmt"
	"slices"
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

// BreakdownByPrefix sums the indicators whose ids start with prefix per
// team and for the city.
func BreakdownByPrefix(ds *dataset.Dataset, cfg *configuration.Configuration, prefix string) (*Breakdown, error) {
	var ids []string
	for _, ind := range ds.Indicators {
		if strings.HasPrefix(ind.ID, prefix) {
			ids = append(ids, ind.ID)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("indicatorprofile: %w: none starts with %q", ErrUnknownIndicator, prefix)
	}
	return breakdown(ds, cfg, ids)
}

// BreakdownByCharacteristic sums the indicators that partition a population
// by a protected characteristic (Characteristic == characteristic, no
// BreakdownOf: e.g. usual residents by ethnic group) per team and for the
// city.
func BreakdownByCharacteristic(ds *dataset.Dataset, cfg *configuration.Configuration, characteristic string) (*Breakdown, error) {
	var ids []string
	for _, ind := range ds.Indicators {
		if ind.Characteristic == characteristic && ind.BreakdownOf == "" {
			ids = append(ids, ind.ID)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("indicatorprofile: %w: no indicator breaks a population down by %q", ErrUnknownIndicator, characteristic)
	}
	return breakdown(ds, cfg, ids)
}

// Characteristics lists the characteristics some indicators partition a
// population by.
func Characteristics(ds *dataset.Dataset) []string {
	var out []string
	for _, ind := range ds.Indicators {
		if ind.Characteristic != "" && ind.BreakdownOf == "" && !slices.Contains(out, ind.Characteristic) {
			out = append(out, ind.Characteristic)
		}
	}
	return out
}

// breakdown sums the counts of ids per team and for the city. Total is the
// first indicator's denominator (they share it); Residual = Total − Σ
// counts. Suppressed values count in neither.
func breakdown(ds *dataset.Dataset, cfg *configuration.Configuration, ids []string) (*Breakdown, error) {
	wardTeam := cfg.WardTeams()
	units := func(ward string) []string {
		t, ok := wardTeam[ward]
		if !ok {
			return nil
		}
		return []string{"team:" + t, "city"}
	}
	b := &Breakdown{Indicators: ids}
	var aggs []*aggregation
	for _, id := range ids {
		ind, err := find(ds, id)
		if err != nil {
			return nil, err
		}
		if ind.Level == dataset.IndicatorLevelPractice {
			return nil, fmt.Errorf("indicatorprofile: breakdown: %s is a practice indicator; a breakdown sums residents", id)
		}
		sp, err := newSpread(ds, *ind, Options{})
		if err != nil {
			return nil, err
		}
		aggs = append(aggs, sp.aggregate(ds, id, units))
	}
	row := func(key, id, name string) BreakdownRow {
		r := BreakdownRow{ID: id, Name: name, Counts: map[string]float64{}}
		sum := 0.0
		for i, a := range aggs {
			s := a.units[key]
			if s == nil {
				continue
			}
			r.Counts[ids[i]] = s.num
			sum += s.num
			if i == 0 {
				r.Total = s.den
			}
		}
		r.Residual = r.Total - sum
		return r
	}
	for _, t := range cfg.Teams() {
		b.Rows = append(b.Rows, row("team:"+t.ID, t.ID, t.Name))
	}
	b.Rows = append(b.Rows, row("city", cfg.City.ID, cfg.City.Name))
	return b, nil
}
