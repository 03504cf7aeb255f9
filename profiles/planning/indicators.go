package planning

import (
	"context"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
)

func areaKm2(g orb.MultiPolygon) float64 { return geo.Area(g) / 1e6 }

// IndicatorProperty names an indicator's map property: "ind_<id>", and
// "ind_<id>_resident" for the resident lens of a practice indicator.
func IndicatorProperty(id, lens string) string {
	if lens == indicatorprofile.LensResident {
		return "ind_" + id + "_resident"
	}
	return "ind_" + id
}

// indicatorLenses are the lenses an indicator is published in: practice
// indicators in both when the tables have practice × ward flows.
func (s *Service) indicatorLenses(level string) []string {
	if level == dataset.IndicatorLevelPractice && s.tables.HasResidence() {
		return []string{indicatorprofile.LensRegistered, indicatorprofile.LensResident}
	}
	return []string{indicatorprofile.LensRegistered}
}

// keyedFigure is one unit's figure under a feature key.
type keyedFigure struct {
	key string
	indicatorprofile.Figure
}

// unitFigures evaluates one indicator in one lens.
type unitFigures func(id string, opts indicatorprofile.Options) ([]keyedFigure, bool, error)

// indicatorProperties evaluates every indicator in each of its lenses and
// gives, per feature key, each value as a property, with "ind_modelled"
// listing the properties whose figures are modelled.
func (s *Service) indicatorProperties(figures unitFigures) (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	var modelled []string
	for _, ind := range s.ds.Indicators {
		for _, lens := range s.indicatorLenses(ind.Level) {
			fs, isModelled, err := figures(ind.ID, s.IndicatorOptions(lens))
			if err != nil {
				return nil, err
			}
			prop := IndicatorProperty(ind.ID, lens)
			if isModelled {
				modelled = append(modelled, prop)
			}
			for _, f := range fs {
				if f.Value == nil {
					continue
				}
				if out[f.key] == nil {
					out[f.key] = map[string]any{}
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

// unitIndicators are the indicator properties of v's teams and localities,
// keyed "team:ID" and "locality:ID", computed once per version.
func (s *Service) unitIndicators(ctx context.Context, v Version) (map[string]map[string]any, error) {
	return s.indicators.get(ctx, v.key(), func(context.Context) (map[string]map[string]any, error) {
		type unit struct {
			key   string
			wards []string
		}
		var units []unit
		for _, l := range v.Configuration.Localities {
			var wards []string
			for _, t := range l.Teams {
				units = append(units, unit{"team:" + t.ID, t.Wards})
				wards = append(wards, t.Wards...)
			}
			units = append(units, unit{"locality:" + l.ID, wards})
		}
		// From the wards' sums, computed once for every version: a map
		// needs the values alone, not EvaluateWith's intervals,
		// comparisons and inequality runs.
		return s.indicatorProperties(func(id string, opts indicatorprofile.Options) ([]keyedFigure, bool, error) {
			ws, err := s.wardSums(id, opts)
			if err != nil {
				return nil, false, err
			}
			out := make([]keyedFigure, 0, len(units))
			for _, u := range units {
				out = append(out, keyedFigure{u.key, indicatorprofile.Figure{Value: ws.Value(u.wards)}})
			}
			return out, ws.Modelled(), nil
		})
	})
}

// wardSums are an indicator's per-ward sums in a lens, computed once.
func (s *Service) wardSums(id string, opts indicatorprofile.Options) (*indicatorprofile.WardSums, error) {
	key := id + "|" + opts.Lens
	return s.wardSumsCache.get(context.Background(), key, func(context.Context) (*indicatorprofile.WardSums, error) {
		return indicatorprofile.NewWardSums(s.ds, id, opts)
	})
}

// wardIndicatorProperties are the wards' indicator properties by ward code
// (configuration-free), computed once.
func (s *Service) wardIndicatorProperties() (map[string]map[string]any, error) {
	s.wardInd.once.Do(func() {
		s.wardInd.props, s.wardInd.err = s.indicatorProperties(func(id string, opts indicatorprofile.Options) ([]keyedFigure, bool, error) {
			figs, modelled, err := indicatorprofile.WardFigures(s.ds, id, opts)
			var out []keyedFigure
			for code, f := range figs {
				out = append(out, keyedFigure{code, f})
			}
			return out, modelled, err
		})
	})
	return s.wardInd.props, s.wardInd.err
}
