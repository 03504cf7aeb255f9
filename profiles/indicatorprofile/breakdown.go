package indicatorprofile

import (
	"errors"
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
	// Missing counts the areas left out because a group is suppressed or
	// missing there.
	Missing int `json:"missing_areas"`
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
// BreakdownOf, counts of residents: e.g. usual residents by ethnic group)
// per team and for the city.
func BreakdownByCharacteristic(ds *dataset.Dataset, cfg *configuration.Configuration, characteristic string) (*Breakdown, error) {
	var ids []string
	for _, ind := range ds.Indicators {
		if partitions(ind) && ind.Characteristic == characteristic {
			ids = append(ids, ind.ID)
		}
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("indicatorprofile: %w: no indicator breaks residents down by %q", ErrUnknownIndicator, characteristic)
	}
	return breakdown(ds, cfg, ids)
}

// partitions reports whether an indicator is a group of a partition of
// residents: counts of residents of small areas in a group.
func partitions(ind dataset.Indicator) bool {
	return ind.Characteristic != "" && ind.BreakdownOf == "" && ind.Level != dataset.IndicatorLevelPractice && ind.HasInterval()
}

// Characteristics lists the characteristics some indicators partition
// residents by (what BreakdownByCharacteristic accepts).
func Characteristics(ds *dataset.Dataset) []string {
	out := []string{}
	for _, ind := range ds.Indicators {
		if partitions(ind) && !slices.Contains(out, ind.Characteristic) {
			out = append(out, ind.Characteristic)
		}
	}
	return out
}

// ErrBreakdown is wrapped when indicators cannot be summed as a partition.
var ErrBreakdown = errors.New("not a breakdown of residents")

// breakdown sums the counts of ids per team and for the city over the areas
// where every group is known. Total is the first indicator's denominator
// there (the groups share it); Residual = Total − Σ counts. Areas where a
// group is suppressed or missing are left out of every sum and counted in
// Missing.
func breakdown(ds *dataset.Dataset, cfg *configuration.Configuration, ids []string) (*Breakdown, error) {
	var first *dataset.Indicator
	index := map[string]int{}
	for i, id := range ids {
		ind, err := find(ds, id)
		if err != nil {
			return nil, err
		}
		if ind.Level == dataset.IndicatorLevelPractice || !ind.HasInterval() {
			return nil, fmt.Errorf("indicatorprofile: %w: %s is a %s indicator of %s; a breakdown sums counts of residents", ErrBreakdown, id, ind.Level, measureName(*ind))
		}
		if first == nil {
			first = ind
		} else if ind.Level != first.Level {
			return nil, fmt.Errorf("indicatorprofile: %w: %s is at level %s, %s at level %s", ErrBreakdown, id, ind.Level, first.ID, first.Level)
		}
		index[id] = i
	}
	// Per area: every group's value, and whether all are known.
	type area struct {
		values []dataset.IndicatorValue
		known  int
	}
	areas := map[string]*area{}
	var order []string
	for _, v := range ds.IndicatorValues {
		i, ok := index[v.Indicator]
		if !ok {
			continue
		}
		a := areas[v.AreaCode]
		if a == nil {
			a = &area{values: make([]dataset.IndicatorValue, len(ids))}
			areas[v.AreaCode] = a
			order = append(order, v.AreaCode)
		}
		a.values[i] = v
		if v.Known {
			a.known++
		}
	}
	sp, err := newSpread(ds, *first, Options{})
	if err != nil {
		return nil, err
	}
	wardTeam := cfg.WardTeams()
	rows := map[string]*BreakdownRow{}
	row := func(key, id, name string) *BreakdownRow {
		if rows[key] == nil {
			rows[key] = &BreakdownRow{ID: id, Name: name, Counts: map[string]float64{}}
		}
		return rows[key]
	}
	names := map[string]string{}
	for _, t := range cfg.Teams() {
		names[t.ID] = t.Name
	}
	for _, code := range order {
		a := areas[code]
		seen := map[*BreakdownRow]bool{}
		for _, s := range sp.shares[code] {
			team, ok := wardTeam[s.ward]
			if !ok {
				continue
			}
			for _, r := range []*BreakdownRow{row("team:"+team, team, names[team]), row("city", cfg.City.ID, cfg.City.Name)} {
				if a.known < len(ids) {
					if !seen[r] {
						r.Missing++
						seen[r] = true
					}
					continue
				}
				for i, v := range a.values {
					r.Counts[ids[i]] += s.weight * v.Numerator
				}
				r.Total += s.weight * a.values[0].Denominator
			}
		}
	}
	b := &Breakdown{Indicators: ids}
	for _, t := range cfg.Teams() {
		b.Rows = append(b.Rows, *row("team:"+t.ID, t.ID, t.Name))
	}
	b.Rows = append(b.Rows, *row("city", cfg.City.ID, cfg.City.Name))
	for i := range b.Rows {
		sum := 0.0
		for _, id := range ids {
			sum += b.Rows[i].Counts[id]
		}
		b.Rows[i].Residual = b.Rows[i].Total - sum
	}
	return b, nil
}

func measureName(ind dataset.Indicator) string {
	if ind.Measure == "" {
		return dataset.MeasureCount
	}
	return ind.Measure
}
