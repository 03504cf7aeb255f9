package planning

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/geo/dissolve"
	"github.com/placeteam/placeteam/geo/tiles"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Tile settings. Versioned tile URLs never change content, so caches (and
// a CDN) may keep them: TileCacheControl. The latest version moves on.
const (
	TileMaxZoom      = 16
	TileCacheControl = "public, max-age=31536000, immutable"
)

var tileOptions = tiles.Options{MaxZoom: TileMaxZoom}

// fullTiles marks the tileset key of tiles with every property.
const fullTiles = "+all"

// Tileset is v's tileset, built once per version from MapLayers: lean
// tiles, carrying each layer's TileFields (ids and what the default style
// draws). Their teams and localities are the version's dissolved wards
// alone, so the first tile of a new version needs no profile, indicator or
// check run, and re-dissolves only the units whose wards changed.
func (s *Service) Tileset(ctx context.Context, v Version) (*tiles.Tileset, error) {
	return s.tileset(ctx, v, false)
}

// FullTileset is v's tileset with every property of every feature (the
// profile figures, indicators and checks of teams and localities, and the
// wards' indicators): for clients that cannot join MapValues.
func (s *Service) FullTileset(ctx context.Context, v Version) (*tiles.Tileset, error) {
	return s.tileset(ctx, v, true)
}

func tileKey(v Version, full bool) string {
	if full {
		return v.key() + fullTiles
	}
	return v.key()
}

func (s *Service) tileset(ctx context.Context, v Version, full bool) (*tiles.Tileset, error) {
	return s.tilesets.get(ctx, tileKey(v, full), func(ctx context.Context) (*tiles.Tileset, error) {
		layers, err := s.tileLayers(ctx, v, full)
		if err != nil {
			return nil, err
		}
		return tiles.NewTileset(layers, tileOptions)
	})
}

// tilesetByKey serves the tile service, whose versions are "name@N", or
// "name@N+all" for full tiles.
func (s *Service) tilesetByKey(ctx context.Context, key string) (*tiles.Tileset, error) {
	key, full := strings.CutSuffix(key, fullTiles)
	i := strings.LastIndexByte(key, '@')
	n, err := strconv.Atoi(key[i+1:])
	if i < 0 || err != nil {
		return nil, fmt.Errorf("%w: %q", tiles.ErrUnknownVersion, key)
	}
	v, err := s.At(ctx, key[:i], n)
	if err != nil {
		return nil, err
	}
	return s.tileset(ctx, v, full)
}

func (s *Service) tileLayers(ctx context.Context, v Version, full bool) ([]tiles.Layer, error) {
	wardTeam, teamLocality := v.Configuration.WardTeams(), teamLocalities(v.Configuration)
	var out []tiles.Layer
	for _, l := range MapLayers {
		var (
			set   *FeatureSet
			err   error
			extra func(feature) map[string]any
		)
		switch {
		case l.Name == LayerTeams && !full:
			set, err = s.unitShapes(ctx, v, placeprofile.LevelTeam)
		case l.Name == LayerLocalities && !full:
			set, err = s.unitShapes(ctx, v, placeprofile.LevelLocality)
		default:
			set, err = s.layerSet(ctx, v, l.Name)
		}
		if err != nil {
			return nil, err
		}
		switch l.Name {
		case LayerWards:
			// Wards are static but their team is the version's.
			extra = func(f feature) map[string]any {
				team := wardTeam[f.id]
				return map[string]any{"team": team, "locality": teamLocality[team]}
			}
		case LayerLSOAs, LayerPractices, LayerHospitals:
			// No version changes these: index them once for every tileset.
			indexed, err := s.indexedStatic(l.Name, set, full)
			if err != nil {
				return nil, err
			}
			out = append(out, tiles.Layer{Name: l.Name, Indexed: indexed, MinZoom: l.MinZoom})
			continue
		}
		out = append(out, tiles.Layer{Name: l.Name, Features: set.tileFeatures(extra, full), MinZoom: l.MinZoom})
	}
	return out, nil
}

// indexedStatic is a static layer's tile features indexed once (per
// variant) and shared by every version's tileset.
func (s *Service) indexedStatic(name string, set *FeatureSet, full bool) (*tiles.IndexedLayer, error) {
	key := name
	if full {
		key += fullTiles
	}
	return s.staticTiles.get(context.Background(), key, func(context.Context) (*tiles.IndexedLayer, error) {
		return tiles.IndexLayer(tiles.Layer{Name: name, Features: set.tileFeatures(nil, full)})
	})
}

// layerSet is a map layer's features for v with every property: the
// teams and localities dissolved with their figures (Units), the other
// layers static.
func (s *Service) layerSet(ctx context.Context, v Version, name string) (*FeatureSet, error) {
	switch name {
	case LayerTeams:
		return s.Units(ctx, v, placeprofile.LevelTeam)
	case LayerLocalities:
		return s.Units(ctx, v, placeprofile.LevelLocality)
	}
	return s.Static(name)
}

// teamLocalities maps each team of c to its locality.
func teamLocalities(c *configuration.Configuration) map[string]string {
	out := map[string]string{}
	for _, t := range c.Teams() {
		out[t.ID] = t.Locality
	}
	return out
}

// unitShapes are v's teams or localities with their ids, names and
// dissolved geometry only (the lean tiles' units), in the order Units
// lists them.
func (s *Service) unitShapes(ctx context.Context, v Version, level string) (*FeatureSet, error) {
	layerName := LayerTeams
	if level == placeprofile.LevelLocality {
		layerName = LayerLocalities
	}
	return s.units.get(ctx, "shapes:"+level+":"+v.key(), func(ctx context.Context) (*FeatureSet, error) {
		type unit struct {
			id, name, locality string
			wards              []string
		}
		var units []unit
		cfg := v.Configuration
		if level == placeprofile.LevelTeam {
			for _, t := range cfg.Teams() {
				units = append(units, unit{id: t.ID, name: t.Name, locality: t.Locality, wards: t.Wards})
			}
		} else {
			for _, l := range cfg.Localities {
				u := unit{id: l.ID, name: l.Name}
				for _, t := range l.Teams {
					u.wards = append(u.wards, t.Wards...)
				}
				units = append(units, u)
			}
		}
		groups := map[string][]string{}
		for _, u := range units {
			groups[u.id] = u.wards
		}
		geoms, err := s.dissolveWards(ctx, groups)
		if err != nil {
			return nil, err
		}
		fs := make([]feature, 0, len(units))
		for _, u := range units {
			if len(u.wards) == 0 {
				continue
			}
			props := map[string]any{"id": u.id, "name": u.name}
			if u.locality != "" {
				props["locality"] = u.locality
			}
			fs = append(fs, feature{id: u.id, tileID: stableID(u.id), geom: geoms[u.id], props: props})
		}
		l, _ := LayerByName(layerName)
		return newFeatureSet(l, fs), nil
	})
}

// dissolveWards dissolves each group of ward codes into one geometry,
// reusing what an earlier version dissolved for the same set of wards: a
// ward moved between two teams re-dissolves those two teams only.
func (s *Service) dissolveWards(ctx context.Context, groups map[string][]string) (map[string]orb.Geometry, error) {
	out := make(map[string]orb.Geometry, len(groups))
	missing := map[string][]orb.MultiPolygon{}
	setKey := map[string]string{}
	for id, wards := range groups {
		key := strings.Join(slices.Sorted(slices.Values(wards)), " ")
		setKey[id] = key
		if g, ok := s.shapes.lookup(key); ok {
			out[id] = g
			continue
		}
		for _, w := range wards {
			if i, ok := s.wardIndex[w]; ok {
				missing[id] = append(missing[id], s.ds.Wards[i].Geometry)
			}
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	geoms, err := dissolve.Groups(ctx, missing, dissolve.Options{})
	if err != nil {
		return nil, err
	}
	for id, g := range geoms {
		out[id] = g
		s.shapes.add(setKey[id], g)
	}
	return out, nil
}

// TileAnswer is a tile request's answer: status, headers and body, and
// whether the encoded tile came from the cache.
type TileAnswer struct {
	Status  int
	Headers map[string]string
	Body    []byte
	Cached  bool
}

// Tile answers one tile of v (If-None-Match and gzip negotiated): lean, or
// with every property when full.
func (s *Service) Tile(ctx context.Context, v Version, z, x, y int, full, acceptGzip bool, ifNoneMatch string) (TileAnswer, error) {
	ans, err := s.tileSvc.Get(ctx, tileKey(v, full), z, x, y, acceptGzip, ifNoneMatch)
	if err != nil {
		return TileAnswer{}, err
	}
	return TileAnswer(ans), nil
}

// carryTiles reuses the base version's cached tiles that cannot have
// changed in saved: those touching no ward of a changed team or locality
// (wards moved, or the unit renamed). Full tiles carry the plan checks of
// every team too, which a team emptied or added changes everywhere.
func (s *Service) carryTiles(base, saved Version) int {
	before, after := base.Configuration, saved.Configuration
	changedTeams := map[string]bool{}
	for _, id := range configuration.ChangedTeams(before, after) {
		changedTeams[id] = true
	}
	changedLocalities := map[string]bool{}
	locB, locA := localityOfWard(before), localityOfWard(after)
	for w, l := range locB {
		if locA[w] != l {
			changedLocalities[l], changedLocalities[locA[w]] = true, true
		}
	}
	teamNames, localityNames := map[string]string{}, map[string]string{}
	for _, t := range before.Teams() {
		teamNames[t.ID] = t.Name
	}
	for _, l := range before.Localities {
		localityNames[l.ID] = l.Name
	}
	for _, t := range after.Teams() {
		if name, ok := teamNames[t.ID]; !ok || name != t.Name {
			changedTeams[t.ID] = true
		}
	}
	for _, l := range after.Localities {
		if name, ok := localityNames[l.ID]; !ok || name != l.Name {
			changedLocalities[l.ID] = true
		}
	}
	var changed []orb.Bound
	for _, cfg := range []*configuration.Configuration{before, after} {
		for _, t := range cfg.Teams() {
			if !changedTeams[t.ID] && !changedLocalities[t.Locality] {
				continue
			}
			for _, w := range t.Wards {
				if i, ok := s.wardIndex[w]; ok {
					changed = append(changed, s.ds.Wards[i].Geometry.Bound())
				}
			}
		}
	}
	cache := s.tileSvc.Cache()
	n := cache.Carry(tileKey(base, false), tileKey(saved, false), changed, tileOptions)
	// A team emptied or added moves the mean every team's population
	// deviation is measured from (plancheck): every full team feature
	// changes then.
	if teamsWithWards(before) == teamsWithWards(after) {
		n += cache.Carry(tileKey(base, true), tileKey(saved, true), changed, tileOptions)
	}
	return n
}

func localityOfWard(c *configuration.Configuration) map[string]string {
	out := map[string]string{}
	for _, t := range c.Teams() {
		for _, w := range t.Wards {
			out[w] = t.Locality
		}
	}
	return out
}

// teamsWithWards lists, in order, the ids of c's teams that have wards.
func teamsWithWards(c *configuration.Configuration) string {
	var ids []string
	for _, t := range c.Teams() {
		if len(t.Wards) > 0 {
			ids = append(ids, t.ID)
		}
	}
	return strings.Join(ids, " ")
}

// MapValues are the figures lean tiles leave out, for one layer of one
// version: every property of each feature (but those naming the version)
// by the feature's id, which tiles carry in the layer's IDField. A map
// joins them to the tiles by id (MapLibre: promoteId and feature-state).
type MapValues struct {
	Configuration string `json:"configuration"`
	Version       int    `json:"version"`
	Layer         string `json:"layer"`
	IDField       string `json:"id_field"`
	// Modelled names the properties whose figures are modelled (estimated
	// by a documented model, not counted) for some feature.
	Modelled []string `json:"modelled"`
	// Unknown names the properties the dataset cannot give for some
	// feature (left out of those features' values, named in their
	// unknown_fields), each with why; empty when everything is known.
	Unknown map[string]string         `json:"unknown"`
	Values  map[string]map[string]any `json:"values"`
}

// MapValues gives layer's values for v.
func (s *Service) MapValues(ctx context.Context, v Version, layer string) (*MapValues, error) {
	l, ok := LayerByName(layer)
	if !ok {
		return nil, fmt.Errorf("planning: layer %q: %w", layer, ErrUnknownLayer)
	}
	set, err := s.layerSet(ctx, v, layer)
	if err != nil {
		return nil, err
	}
	wardTeam, teamLocality := v.Configuration.WardTeams(), teamLocalities(v.Configuration)
	out := &MapValues{Configuration: v.Name, Version: v.Number, Layer: layer, IDField: l.IDField,
		Modelled: []string{}, Unknown: map[string]string{}, Values: make(map[string]map[string]any, len(set.raw))}
	modelled := map[string]bool{}
	for _, f := range set.raw {
		props := make(map[string]any, len(f.props)+2)
		for k, val := range f.props {
			if !slices.Contains(versionProperties, k) {
				props[k] = val
			}
		}
		if layer == LayerWards {
			team := wardTeam[f.id]
			props["team"], props["locality"] = team, teamLocality[team]
		}
		for _, k := range []string{"modelled_fields", "ind_modelled"} {
			if names, ok := props[k].(string); ok {
				for _, name := range strings.Fields(names) {
					modelled[name] = true
				}
			}
		}
		if names, ok := props["unknown_fields"].(string); ok {
			for _, name := range strings.Fields(names) {
				out.Unknown[name] = ""
			}
		}
		out.Values[f.id] = props
	}
	if len(out.Unknown) > 0 {
		p, err := s.Profile(ctx, v, placeprofile.Options{})
		if err != nil {
			return nil, err
		}
		for name := range out.Unknown {
			if out.Unknown[name] = p.Unknown[name]; out.Unknown[name] == "" {
				out.Unknown[name] = "the dataset cannot give it"
			}
		}
	}
	out.Modelled = slices.Sorted(maps.Keys(modelled))
	if out.Modelled == nil {
		out.Modelled = []string{}
	}
	return out, nil
}
