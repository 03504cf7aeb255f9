package planning

import (
	"context"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/geo/areaindex"
	"github.com/placeteam/placeteam/geo/rfc7946"
	"github.com/placeteam/placeteam/geo/tiles"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
)

// Layer is one map layer: what it holds, which properties its tiles carry
// and from which zoom. The same definition feeds the OGC API collections
// (every property) and the vector tiles.
type Layer struct {
	// Name is the tile layer's name, and the collection id of a layer that
	// no configuration changes.
	Name  string
	Title string
	// MinZoom is the lowest zoom whose tiles carry the layer.
	MinZoom int
	// Versioned layers depend on a configuration version: their
	// collections are "<name>-<configuration>".
	Versioned bool
	// TileFields are the properties tiles carry: the feature's id
	// property (IDField) and what the default style draws. Every other
	// figure comes from the layer's map values (Service.MapValues), joined
	// by IDField; tiles with every property (but those naming the
	// configuration version) are an option (TileVariantFull).
	TileFields []string
	// IDField is the property holding the feature's id in tiles and the
	// key of its map values (MapLibre's promoteId).
	IDField string
	// TileOnly, when set, names a boolean property a feature needs true to
	// be in lean tiles (the default style draws no other): the LSOAs in
	// the city, not the region's around it. Full tiles keep every feature.
	TileOnly string
}

// Layer names.
const (
	LayerLSOAs      = "lsoas"
	LayerLocalities = "localities"
	LayerTeams      = "teams"
	LayerWards      = "wards"
	LayerPractices  = "practices"
	LayerHospitals  = "hospitals"
)

// MapLayers are the map's layers, bottom first (the tile layer order).
var MapLayers = []Layer{
	{Name: LayerLSOAs, Title: "Lower-layer super output areas", MinZoom: 9, IDField: "code",
		TileFields: []string{"code", "in_city", "imd_decile"}, TileOnly: "in_city"},
	{Name: LayerLocalities, Title: "Localities", Versioned: true, IDField: "id", TileFields: []string{"id", "name"}},
	{Name: LayerTeams, Title: "Teams", Versioned: true, IDField: "id", TileFields: []string{"id", "name", "locality"}},
	{Name: LayerWards, Title: "Electoral wards", MinZoom: 8, IDField: "code",
		TileFields: []string{"code", "name", "team", "locality"}},
	{Name: LayerPractices, Title: "GP practices", MinZoom: 10, IDField: "code", TileFields: []string{"code", "name", "status", FieldListSize}},
	{Name: LayerHospitals, Title: "Hospital sites", MinZoom: 8, IDField: "id", TileFields: []string{"id", "name"}},
}

// LayerByName finds a map layer.
func LayerByName(name string) (Layer, bool) {
	for _, l := range MapLayers {
		if l.Name == name {
			return l, true
		}
	}
	return Layer{}, false
}

// versionProperties name the configuration version a unit belongs to:
// left out of tiles, so a tile whose features did not change is
// byte-identical across versions and can be carried over.
var versionProperties = []string{"configuration", "version"}

// feature is one feature of a layer before encoding.
type feature struct {
	id     string // the GeoJSON feature id
	tileID uint64 // the MVT feature id
	geom   orb.Geometry
	props  map[string]any
}

// FeatureSet is a layer's features as GeoJSON (geometry normalised per RFC
// 7946), with their bounds for bbox filtering. Read-only.
type FeatureSet struct {
	Layer    Layer
	Features []*geojson.Feature
	Bounds   []orb.Bound
	Extent   orb.Bound
	// raw keeps the unnormalised features the tiles are cut from.
	raw []feature
}

// mapDigits are the significant digits a map's float properties keep: a
// rate of a population of millions needs no more, and the seventeen
// digits of a float64 tripled the bytes of a feature page.
const mapDigits = 6

// roundFloats rounds the float properties of props in place to mapDigits
// significant digits. Integers (counts) are left as they are.
func roundFloats(props map[string]any) {
	for k, v := range props {
		if f, ok := v.(float64); ok && !math.IsNaN(f) && !math.IsInf(f, 0) {
			props[k], _ = strconv.ParseFloat(strconv.FormatFloat(f, 'g', mapDigits, 64), 64)
		}
	}
}

func newFeatureSet(layer Layer, fs []feature) *FeatureSet {
	s := &FeatureSet{Layer: layer, raw: fs, Features: make([]*geojson.Feature, len(fs)), Bounds: make([]orb.Bound, len(fs))}
	for i, f := range fs {
		roundFloats(f.props)
		g := geojson.NewFeature(rfc7946.Normalize(f.geom))
		g.ID = f.id
		g.Properties = geojson.Properties(f.props)
		s.Features[i] = g
		s.Bounds[i] = g.Geometry.Bound()
		if i == 0 {
			s.Extent = s.Bounds[i]
		} else {
			s.Extent = s.Extent.Union(s.Bounds[i])
		}
	}
	return s
}

// Select returns the features that meet bbox (all when nil): their
// geometry, not just their bounding box.
func (s *FeatureSet) Select(bbox *orb.Bound) []*geojson.Feature {
	if bbox == nil {
		return s.Features
	}
	var out []*geojson.Feature
	for i, f := range s.Features {
		if bbox.Intersects(s.Bounds[i]) && intersects(*bbox, f.Geometry) {
			out = append(out, f)
		}
	}
	return out
}

// Find returns the feature with id fid.
func (s *FeatureSet) Find(fid string) (*geojson.Feature, bool) {
	for _, f := range s.Features {
		if fmt.Sprint(f.ID) == fid {
			return f, true
		}
	}
	return nil, false
}

func intersects(box orb.Bound, g orb.Geometry) bool {
	clipped := clip.Geometry(box, orb.Clone(g))
	if clipped == nil {
		return false
	}
	switch x := clipped.(type) {
	case orb.Polygon:
		return len(x) > 0
	case orb.MultiPolygon:
		return len(x) > 0
	case orb.MultiPoint:
		return len(x) > 0
	case orb.LineString:
		return len(x) > 0
	case orb.MultiLineString:
		return len(x) > 0
	}
	return true
}

// tileFeatures are the layer's features as tiles carry them: the
// layer's TileFields, or every property but the version's when full.
// extra adds properties (taking precedence) before the choice.
func (s *FeatureSet) tileFeatures(extra func(f feature) map[string]any, full bool) []tiles.Feature {
	l := s.Layer
	out := make([]tiles.Feature, 0, len(s.raw))
	for _, f := range s.raw {
		if keep, _ := f.props[l.TileOnly].(bool); l.TileOnly != "" && !full && !keep {
			continue
		}
		all := f.props
		if extra != nil {
			all = maps.Clone(f.props)
			maps.Copy(all, extra(f))
		}
		props := map[string]any{}
		if full {
			for k, v := range all {
				if !slices.Contains(versionProperties, k) {
					props[k] = v
				}
			}
		} else {
			for _, k := range l.TileFields {
				if v, ok := all[k]; ok {
					props[k] = v
				}
			}
		}
		out = append(out, tiles.Feature{ID: f.tileID, Geometry: f.geom, Properties: props})
	}
	return out
}

// staticCollections are the layers no configuration changes, built once.
type staticCollections struct {
	sets map[string]*FeatureSet
	err  error
}

// Static returns a layer that no configuration changes (wards, lsoas,
// practices, hospitals). Wards carry indicator properties: when those
// could not be computed it fails rather than serve wards without them.
func (s *Service) Static(name string) (*FeatureSet, error) {
	s.staticOnce.Do(func() { s.static = s.buildStatic() })
	if s.static.err != nil && name == LayerWards {
		return nil, s.static.err
	}
	set, ok := s.static.sets[name]
	if !ok {
		return nil, fmt.Errorf("planning: layer %q: %w", name, ErrUnknownLayer)
	}
	return set, nil
}

// ErrUnknownLayer is wrapped for a layer or collection that does not exist.
var ErrUnknownLayer = fmt.Errorf("no such layer")

func (s *Service) buildStatic() staticCollections {
	ds, t := s.ds, s.tables
	wardInd, indErr := s.wardIndicatorProperties()
	var wards, lsoas, practices, hospitals []feature
	// A ward's registered population is unknown (left out, named in
	// unknown_fields) when the dataset cannot place practices' lists.
	_, registeredUnknown := placeprofile.Unknown(t)[placeprofile.FieldRegisteredPopulation]
	for i, w := range ds.Wards {
		// label_lon, label_lat: a point inside the ward, where a map writes
		// its name.
		label := areaindex.InteriorPoint(w.Geometry)
		props := map[string]any{"code": w.Code, "name": w.Name, "source": w.Source, "unknown_fields": "",
			"label_lon": label[0], "label_lat": label[1]}
		if wi, ok := t.WardIndex(w.Code); ok {
			props["resident_population"] = t.Resident[wi].Total
			props["area_km2"] = t.AreaKm2[wi]
			if t.AreaKm2[wi] > 0 {
				props["density_per_km2"] = t.Resident[wi].Total / t.AreaKm2[wi]
			}
			if registeredUnknown {
				props["unknown_fields"] = placeprofile.FieldRegisteredPopulation
			} else {
				props["registered_population"] = t.Registered[wi]
			}
		}
		for k, v := range wardInd[w.Code] {
			props[k] = v
		}
		wards = append(wards, feature{id: w.Code, tileID: uint64(i + 1), geom: w.Geometry, props: props})
	}
	for i, l := range ds.LSOAs {
		props := map[string]any{"code": l.Code, "name": l.Name, "ward": l.WardCode, "msoa": l.MSOACode, "district": l.DistrictCode, "in_city": l.WardCode != ""}
		if l.Population.Known() {
			props["population"] = l.Population.Total
			if area := areaKm2(l.Geometry); area > 0 {
				props["density_per_km2"] = float64(l.Population.Total) / area
			}
		}
		for _, d := range l.Deprivation {
			props[fmt.Sprintf("imd%d_decile", d.Edition)] = d.Decile
			props[fmt.Sprintf("imd%d_rank", d.Edition)] = d.Rank
		}
		if d, ok := l.DeprivationEdition(t.Dates.IMDDecileEdition); ok {
			props["imd_decile"] = d.Decile
		}
		lsoas = append(lsoas, feature{id: l.Code, tileID: uint64(i + 1), geom: l.Geometry, props: props})
	}
	lists := practiceLists(t)
	for i, p := range ds.Practices {
		if !p.HasLocation() {
			continue
		}
		props := map[string]any{"code": p.Code, "name": p.Name, "postcode": p.Postcode, "status": string(p.Status), "ward": p.WardCode,
			"commissioner": p.Commissioner, "located_by": string(p.Located)}
		if n, ok := lists[p.Code]; ok {
			props[FieldListSize] = n
		}
		practices = append(practices, feature{id: p.Code, tileID: uint64(i + 1), geom: p.Location, props: props})
	}
	for i, h := range ds.HospitalSites {
		hospitals = append(hospitals, feature{id: strconv.Itoa(i + 1), tileID: uint64(i + 1), geom: h.Location,
			props: map[string]any{"id": strconv.Itoa(i + 1), "name": h.Name, "trust": h.TrustCode}})
	}
	sets := map[string]*FeatureSet{}
	for name, fs := range map[string][]feature{LayerWards: wards, LayerLSOAs: lsoas, LayerPractices: practices, LayerHospitals: hospitals} {
		l, _ := LayerByName(name)
		sets[name] = newFeatureSet(l, fs)
	}
	return staticCollections{sets: sets, err: indErr}
}

// Units are v's teams or localities (level placeprofile.LevelTeam or
// LevelLocality) dissolved from their wards, carrying the profile figures
// and indicator values; computed once per version and level.
func (s *Service) Units(ctx context.Context, v Version, level string) (*FeatureSet, error) {
	layerName := LayerTeams
	switch level {
	case placeprofile.LevelTeam:
	case placeprofile.LevelLocality:
		layerName = LayerLocalities
	default:
		return nil, fmt.Errorf("planning: level %q: %w", level, ErrUnknownLayer)
	}
	return s.units.get(ctx, level+":"+v.key(), func(ctx context.Context) (*FeatureSet, error) {
		p, err := s.Profile(ctx, v, placeprofile.Options{})
		if err != nil {
			return nil, err
		}
		units := p.Teams
		if level == placeprofile.LevelLocality {
			units = p.Localities
		}
		groups := map[string][]string{}
		for _, u := range units {
			if len(u.Wards) > 0 {
				groups[u.ID] = u.Wards
			}
		}
		geoms, err := s.dissolveWards(ctx, groups)
		if err != nil {
			return nil, err
		}
		indicators, err := s.unitIndicators(ctx, v)
		if err != nil {
			return nil, err
		}
		checks, err := s.Checks(ctx, v, plancheck.Options{})
		if err != nil {
			return nil, err
		}
		fs := make([]feature, 0, len(units))
		for _, u := range units {
			props := UnitProperties(u, v)
			for k, val := range indicators[level+":"+u.ID] {
				props[k] = val
			}
			for k, val := range checkProperties(checks, level, u.ID) {
				props[k] = val
			}
			// The tile id derives from the unit's id, not its position, so
			// a tile carried across versions keeps valid ids.
			fs = append(fs, feature{id: u.ID, tileID: stableID(u.ID), geom: geoms[u.ID], props: props})
		}
		l, _ := LayerByName(layerName)
		return newFeatureSet(l, fs), nil
	})
}

// UnitProperties are the profile figures a map colours teams by. An
// unknown figure is left out (never 0) and named in unknown_fields,
// space-separated, as modelled_fields names the estimates.
func UnitProperties(u placeprofile.Unit, v Version) map[string]any {
	props := map[string]any{
		"id": u.ID, "name": u.Name, "level": u.Level, "configuration": v.Name, "version": v.Number,
		"wards":               strings.Join(slices.Sorted(slices.Values(u.Wards)), " "),
		"resident_population": u.ResidentPopulation.Total,
		"area_km2":            u.AreaKm2,
		"modelled_fields":     strings.Join(u.ModelledFields, " "),
		"unknown_fields":      strings.Join(u.UnknownFields(), " "),
		"imd_q1_population":   u.IMDQuintilePopulation[0],
	}
	if u.Known(placeprofile.FieldRegisteredPopulation) {
		props["registered_population"] = u.RegisteredPopulation
	}
	if u.Known(placeprofile.FieldPracticeCount) {
		props["practice_count"] = u.PracticeCount
	}
	if u.DominantTrust != "" {
		props["dominant_trust"] = u.DominantTrust
	} else if u.Known(placeprofile.FieldDominantTrust) {
		props["dominant_trust"] = "" // known: no catchment covers the unit
	}
	if u.OutOfCitySignificant != nil {
		props["out_of_city_significant"] = *u.OutOfCitySignificant
	}
	if u.Locality != "" {
		props["locality"] = u.Locality
	}
	for k, val := range map[string]*float64{
		"local_registration_share": u.LocalRegistrationShare, "out_of_city_share": u.OutOfCityShare,
		"practice_lists_resident_share": u.PracticeListsResidentShare, "density_per_km2": u.DensityPerKm2,
		"registered_to_resident_ratio": u.RegisteredToResidentRatio, "imd_weighted_score": u.IMDWeightedScore,
		"out_of_city_registered": u.OutOfCityRegistered,
	} {
		if val != nil {
			props[k] = *val
		}
	}
	return props
}

func stableID(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// wardIndicators caches the wards' indicator properties.
type wardIndicators struct {
	once  sync.Once
	props map[string]map[string]any
	err   error
}
