package planning

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/data/gpkg"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/report"
)

// ExportLayerNames are the layers of a configuration's file export, in
// order: the city's wards with their team and locality, the dissolved
// teams and localities with their profile figures and indicators, the
// practices and the LSOAs.
var ExportLayerNames = []string{LayerWards, LayerTeams, LayerLocalities, LayerPractices, LayerLSOAs}

// GeoPackageLayers are v's export layers for a GeoPackage: each feature
// with the properties its OGC API collection serves (wards also with the
// version's team and locality).
func (s *Service) GeoPackageLayers(ctx context.Context, v Version) ([]gpkg.Layer, error) {
	wardTeam, teamLocality := v.Configuration.WardTeams(), teamLocalities(v.Configuration)
	out := make([]gpkg.Layer, 0, len(ExportLayerNames))
	for _, name := range ExportLayerNames {
		set, err := s.layerSet(ctx, v, name)
		if err != nil {
			return nil, err
		}
		l := gpkg.Layer{Name: name, Title: set.Layer.Title, IDField: set.Layer.IDField, GeometryType: gpkg.MultiPolygon,
			Features: make([]gpkg.Feature, 0, len(set.Features))}
		if name == LayerPractices {
			l.GeometryType = gpkg.Point
		}
		if name == LayerTeams || name == LayerLocalities {
			l.Columns = unitColumns
		}
		if set.Layer.Versioned || name == LayerWards {
			l.Title += " (" + v.Name + ")"
			l.Description = "configuration " + v.Name + " version " + strconv.Itoa(v.Number)
		}
		for _, f := range set.Features {
			props := map[string]any(f.Properties)
			if name == LayerWards {
				props = maps.Clone(props)
				team := wardTeam[featureID(f)]
				props["team"], props["locality"] = nilIfEmpty(team), nilIfEmpty(teamLocality[team])
			}
			l.Features = append(l.Features, gpkg.Feature{Geometry: f.Geometry, Properties: props})
		}
		out = append(out, l)
	}
	return out, nil
}

// unitColumns are the unit figures that may be unknown (left out of a
// unit's properties), declared so that their columns exist, NULL, when
// every unit's is.
var unitColumns = map[string]string{
	placeprofile.FieldRegisteredPopulation: "REAL", placeprofile.FieldPracticeCount: "INTEGER",
	placeprofile.FieldRegisteredToResidentRatio: "REAL", placeprofile.FieldLocalRegistrationShare: "REAL",
	placeprofile.FieldPracticeListsResidentShare: "REAL", placeprofile.FieldOutOfCityRegistered: "REAL",
	placeprofile.FieldOutOfCityShare: "REAL", placeprofile.FieldOutOfCitySignificant: "BOOLEAN",
	placeprofile.FieldDominantTrust: "TEXT", "density_per_km2": "REAL", "imd_weighted_score": "REAL",
}

func featureID(f *geojson.Feature) string {
	if s, ok := f.ID.(string); ok {
		return s
	}
	return ""
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ReportInput gathers what a place-profile report of v shows: the
// profile, every indicator (registered lens; breakdown slices are left
// out), the city's wards and the dissolved teams and localities, and the
// sources. selected, when set, names the one team or locality reported.
func (s *Service) ReportInput(ctx context.Context, v Version, selected string) (report.Input, error) {
	p, err := s.Profile(ctx, v, placeprofile.Options{})
	if err != nil {
		return report.Input{}, err
	}
	if selected != "" && !hasUnit(p, selected) {
		return report.Input{}, fmt.Errorf("planning: configuration %q has no team or locality %q: %w", v.Name, selected, store.ErrNotFound)
	}
	in := report.Input{Profile: p, Version: v.Number, Selected: selected, Sources: s.Sources(), Shapes: map[string]orb.Geometry{}, Generated: time.Now()}
	for _, ind := range s.ds.Indicators {
		if ind.Characteristic != "" || ind.BreakdownOf != "" {
			continue
		}
		if err := ctx.Err(); err != nil {
			return report.Input{}, err
		}
		r, err := s.Indicator(ctx, v, ind.ID, "")
		if err != nil {
			return report.Input{}, err
		}
		in.Indicators = append(in.Indicators, r)
	}
	for _, w := range s.ds.Wards {
		in.Wards = append(in.Wards, report.Area{Code: w.Code, Name: w.Name, Geometry: w.Geometry})
	}
	for _, level := range []string{placeprofile.LevelTeam, placeprofile.LevelLocality} {
		set, err := s.unitShapes(ctx, v, level)
		if err != nil {
			return report.Input{}, err
		}
		for _, f := range set.Features {
			in.Shapes[report.ShapeKey(level, featureID(f))] = f.Geometry
		}
	}
	return in, nil
}

func hasUnit(p *placeprofile.Profile, id string) bool {
	for _, u := range append(slices.Clone(p.Teams), p.Localities...) {
		if u.ID == id {
			return true
		}
	}
	return false
}
