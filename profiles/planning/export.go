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

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/gpkg"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/report"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// ExportLayerNames are the layers of a configuration's file export, in
// order: the city's wards with their team and locality, the dissolved
// teams and localities with their profile figures and indicators, the
// practices and the LSOAs.
var ExportLayerNames = []string{LayerWards, LayerTeams, LayerLocalities, LayerPractices, LayerLSOAs}

// TeamPalette colours teams, in configuration order (cycling): Paul Tol's
// muted scheme then Okabe–Ito's extras, told apart with the common
// colour-vision deficiencies. The map style and the GeoPackage's QGIS
// styles both colour teams by TeamColours.
var TeamPalette = []string{"#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255",
	"#44AA99", "#999933", "#AA4499", "#E69F00", "#56B4E9", "#009E73"}

// NoTeamColour draws a ward or unit without a team.
const NoTeamColour = "#bbbbbb"

// TeamColours are cfg's team colours by team id (TeamPalette, in order).
func TeamColours(cfg *configuration.Configuration) map[string]string {
	out := map[string]string{}
	for i, t := range cfg.Teams() {
		out[t.ID] = TeamPalette[i%len(TeamPalette)]
	}
	return out
}

// IMDDecileClasses are the colours of the index of multiple deprivation
// deciles, most deprived (1) first, as the map shades LSOAs: each class
// holds the deciles above the previous class's Upper up to its own.
var IMDDecileClasses = []struct {
	Upper  int
	Colour string
}{{1, "#b2182b"}, {2, "#d6604d"}, {4, "#f4a582"}, {6, "#fddbc7"}, {8, "#d1e5f0"}, {10, "#92c5de"}}

// WriteGeoPackage writes v as a GeoPackage at path (GeoPackageLayers,
// with their QGIS styles) and returns the layers written.
func (s *Service) WriteGeoPackage(ctx context.Context, v Version, path string) ([]gpkg.Layer, error) {
	layers, err := s.GeoPackageLayers(ctx, v)
	if err != nil {
		return nil, err
	}
	if err := gpkg.Write(ctx, path, layers); err != nil {
		return nil, fmt.Errorf("planning: export %s version %d: %w", v.Name, v.Number, err)
	}
	return layers, nil
}

// GeoPackageLayers are v's export layers for a GeoPackage: each feature
// with the properties its OGC API collection serves (wards also with the
// version's team and locality, practices with their list size on the
// tables' date when open in the city), and each layer with a default QGIS
// style (exportStyle).
func (s *Service) GeoPackageLayers(ctx context.Context, v Version) ([]gpkg.Layer, error) {
	wardTeam, teamLocality := v.Configuration.WardTeams(), teamLocalities(v.Configuration)
	lists := practiceLists(s.tables)
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
			l.Columns = map[string]string{FieldListSize: "REAL"}
		}
		switch name {
		case LayerTeams, LayerLocalities:
			l.Columns = unitColumns
		case LayerWards:
			l.Columns = wardColumns
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
		l.Style = exportStyle(l, v.Configuration, lists)
		out = append(out, l)
	}
	return out, nil
}

// FieldListSize is a practice's list size on the tables' date (practices
// open in the city's wards; left out for the others, never 0).
const FieldListSize = "list_size"

// practiceLists are the list sizes of the practices open in the city on
// the tables' date, by practice code.
func practiceLists(t *wardtables.Tables) map[string]float64 {
	out := map[string]float64{}
	for _, ward := range t.Practices {
		for _, p := range ward {
			out[p.Code] = p.Patients
		}
	}
	return out
}

// exportStyle is l's default QGIS style: teams filled by team colour,
// localities as thick outlines, wards as thin outlines labelled with their
// names, practices as points whose area follows their list size, LSOAs
// shaded by IMD decile.
func exportStyle(l gpkg.Layer, cfg *configuration.Configuration, lists map[string]float64) *gpkg.Style {
	switch l.Name {
	case LayerTeams:
		st := &gpkg.Style{Description: "teams by team colour", Field: "id",
			Symbol: gpkg.Symbol{Fill: NoTeamColour, FillOpacity: 0.6, Stroke: "#333333", StrokeWidth: 0.4}}
		colours := TeamColours(cfg)
		for _, t := range cfg.Teams() {
			st.Categories = append(st.Categories, gpkg.Category{Value: t.ID, Label: t.ID + " " + t.Name,
				Symbol: gpkg.Symbol{Fill: colours[t.ID], FillOpacity: 0.6, Stroke: "#333333", StrokeWidth: 0.4}})
		}
		return st
	case LayerLocalities:
		return &gpkg.Style{Description: "locality boundaries", Symbol: gpkg.Symbol{Stroke: "#111111", StrokeWidth: 1.2}}
	case LayerWards:
		return &gpkg.Style{Description: "ward boundaries, labelled with their names", Label: "name",
			Symbol: gpkg.Symbol{Stroke: "#777777", StrokeWidth: 0.2}}
	case LayerPractices:
		st := &gpkg.Style{Description: "GP practices, sized by list size",
			Symbol: gpkg.Symbol{Fill: "#2166ac", Stroke: "#ffffff", StrokeWidth: 0.2, Size: 5}}
		for _, n := range lists {
			st.SizeMax = max(st.SizeMax, n)
		}
		if st.SizeMax > 0 {
			st.SizeField = FieldListSize
		}
		return st
	case LayerLSOAs:
		st := &gpkg.Style{Description: "LSOAs by IMD decile (1: most deprived)", Field: "imd_decile",
			Symbol: gpkg.Symbol{Fill: NoTeamColour, FillOpacity: 0.5}}
		lower := 0
		for _, c := range IMDDecileClasses {
			label := strconv.Itoa(c.Upper)
			if c.Upper > lower+1 {
				label = strconv.Itoa(lower+1) + "–" + label
			}
			st.Classes = append(st.Classes, gpkg.Class{Lower: float64(lower), Upper: float64(c.Upper), Label: "IMD decile " + label,
				Symbol: gpkg.Symbol{Fill: c.Colour, FillOpacity: 0.5, Stroke: "#ffffff", StrokeWidth: 0.1}})
			lower = c.Upper
		}
		return st
	}
	return nil
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
	"registered_deviation": "REAL", "catchment_coherence": "REAL",
}

// wardColumns are the ward figures that may be unknown, declared as
// unitColumns are.
var wardColumns = map[string]string{placeprofile.FieldRegisteredPopulation: "REAL", "density_per_km2": "REAL"}

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
