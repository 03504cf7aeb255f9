package api

import (
	"fmt"
	"strings"
	"sync"

	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
)

// indicatorProperty names an indicator's property: "ind_<id>", and
// "ind_<id>_resident" for the resident lens of a practice indicator.
func indicatorProperty(id, lens string) string {
	if lens == indicatorprofile.LensResident {
		return "ind_" + id + "_resident"
	}
	return "ind_" + id
}

// indicatorLenses are the lenses an indicator is published in: practice
// indicators in both when the tables have practice × ward flows.
func (a *api) indicatorLenses(level string) []string {
	if level == dataset.IndicatorLevelPractice && a.cfg.Tables.HasResidence() {
		return []string{indicatorprofile.LensRegistered, indicatorprofile.LensResident}
	}
	return []string{indicatorprofile.LensRegistered}
}

// unitFigures evaluates one indicator in one lens: its figures by feature
// key, and whether they are modelled.
type unitFigures func(id string, opts indicatorprofile.Options) ([]keyedFigure, bool, error)

type keyedFigure struct {
	key string
	indicatorprofile.Figure
}

// indicatorProperties evaluates every indicator in each of its lenses and
// gives, per feature key, each value as a property (see indicatorProperty),
// with "ind_modelled" listing the properties whose figures are modelled.
func (a *api) indicatorProperties(figures unitFigures) (map[string]geojson.Properties, error) {
	out := map[string]geojson.Properties{}
	var modelled []string
	for _, ind := range a.cfg.Dataset.Indicators {
		for _, lens := range a.indicatorLenses(ind.Level) {
			fs, isModelled, err := figures(ind.ID, indicatorprofile.Options{Lens: lens, Tables: a.cfg.Tables})
			if err != nil {
				return nil, err
			}
			prop := indicatorProperty(ind.ID, lens)
			if isModelled {
				modelled = append(modelled, prop)
			}
			for _, f := range fs {
				if f.Value == nil {
					continue
				}
				if out[f.key] == nil {
					out[f.key] = geojson.Properties{}
				}
				out[f.key][prop] = *f.Value
			}
		}
	}
	for _, p := range out {
		p["ind_modelled"] = strings.Join(modelled, " ")
	}
	return out, nil
}

// indicatorValues gives the indicator properties of a configuration
// version's teams and localities, keyed "team:ID" and "locality:ID".
// Computed once per version: concurrent first requests wait for one
// computation.
func (a *api) indicatorValues(cfg *configuration.Configuration, version int) (map[string]geojson.Properties, error) {
	key := fmt.Sprintf("%s@%d", cfg.Name, version)
	a.feat.mu.Lock()
	if a.feat.ind == nil {
		a.feat.ind = map[string]*indicatorEntry{}
	}
	e, ok := a.feat.ind[key]
	if !ok {
		e = &indicatorEntry{}
		a.feat.ind[key] = e
	}
	a.feat.mu.Unlock()
	e.once.Do(func() {
		e.props, e.err = a.indicatorProperties(func(id string, opts indicatorprofile.Options) ([]keyedFigure, bool, error) {
			r, err := indicatorprofile.EvaluateWith(a.cfg.Dataset, cfg, id, opts)
			if err != nil {
				return nil, false, err
			}
			var out []keyedFigure
			for _, f := range append(append([]indicatorprofile.Figure{}, r.Teams...), r.Localities...) {
				out = append(out, keyedFigure{f.Level + ":" + f.ID, f})
			}
			return out, r.Modelled, nil
		})
	})
	return e.props, e.err
}

// indicatorEntry is one version's indicator properties, computed once.
type indicatorEntry struct {
	once  sync.Once
	props map[string]geojson.Properties
	err   error
}

// wardIndicators are the indicator properties of the wards, by ward code,
// for the wards collection and tile layer. Computed once per server; an
// error leaves the wards without indicator properties and is returned by
// wardIndicatorsErr.
func (a *api) wardIndicators() map[string]geojson.Properties {
	a.feat.wardIndOnce.Do(func() {
		a.feat.wardInd, a.feat.wardIndErr = a.indicatorProperties(func(id string, opts indicatorprofile.Options) ([]keyedFigure, bool, error) {
			figs, modelled, err := indicatorprofile.WardFigures(a.cfg.Dataset, id, opts)
			var out []keyedFigure
			for code, f := range figs {
				out = append(out, keyedFigure{code, f})
			}
			return out, modelled, err
		})
	})
	return a.feat.wardInd
}

func (a *api) wardIndicatorsErr() error {
	a.wardIndicators()
	return a.feat.wardIndErr
}
