package planning

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
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

// Tileset is v's tileset, built once per version from MapLayers.
func (s *Service) Tileset(ctx context.Context, v Version) (*tiles.Tileset, error) {
	return s.tilesets.get(ctx, v.key(), func(ctx context.Context) (*tiles.Tileset, error) {
		layers, err := s.tileLayers(ctx, v)
		if err != nil {
			return nil, err
		}
		return tiles.NewTileset(layers, tileOptions)
	})
}

// tilesetByKey serves the tile service, whose versions are "name@N".
func (s *Service) tilesetByKey(ctx context.Context, key string) (*tiles.Tileset, error) {
	i := strings.LastIndexByte(key, '@')
	n, err := strconv.Atoi(key[i+1:])
	if i < 0 || err != nil {
		return nil, fmt.Errorf("%w: %q", tiles.ErrUnknownVersion, key)
	}
	v, err := s.At(ctx, key[:i], n)
	if err != nil {
		return nil, err
	}
	return s.Tileset(ctx, v)
}

func (s *Service) tileLayers(ctx context.Context, v Version) ([]tiles.Layer, error) {
	wardTeam := v.Configuration.WardTeams()
	teamLocality := map[string]string{}
	for _, t := range v.Configuration.Teams() {
		teamLocality[t.ID] = t.Locality
	}
	var out []tiles.Layer
	for _, l := range MapLayers {
		var (
			set   *FeatureSet
			err   error
			extra func(feature) map[string]any
		)
		switch l.Name {
		case LayerTeams:
			set, err = s.Units(ctx, v, placeprofile.LevelTeam)
		case LayerLocalities:
			set, err = s.Units(ctx, v, placeprofile.LevelLocality)
		default:
			set, err = s.Static(l.Name)
		}
		if err != nil {
			return nil, err
		}
		if l.Name == LayerWards {
			// Wards are static but their team is the version's.
			extra = func(f feature) map[string]any {
				team := wardTeam[f.id]
				return map[string]any{"team": team, "locality": teamLocality[team]}
			}
		}
		out = append(out, tiles.Layer{Name: l.Name, Features: set.tileFeatures(extra), MinZoom: l.MinZoom})
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

// Tile answers one tile of v (If-None-Match and gzip negotiated).
func (s *Service) Tile(ctx context.Context, v Version, z, x, y int, acceptGzip bool, ifNoneMatch string) (TileAnswer, error) {
	key := v.key()
	_, hit := s.tileSvc.Cache().Get(tiles.Key{Version: key, Z: z, X: x, Y: y})
	status, headers, body, err := s.tileSvc.Get(ctx, key, z, x, y, acceptGzip, ifNoneMatch)
	if err != nil {
		return TileAnswer{}, err
	}
	return TileAnswer{Status: status, Headers: headers, Body: body, Cached: hit}, nil
}

// carryTiles reuses the base version's cached tiles that cannot have
// changed in saved: those touching no ward of a changed team or locality.
func (s *Service) carryTiles(base, saved Version) int {
	before, after := base.Configuration, saved.Configuration
	if teamsWithWards(before) != teamsWithWards(after) {
		// A team emptied or added moves the mean every team's population
		// deviation is measured from (plancheck): every team feature changes.
		return 0
	}
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
	wardGeom := make(map[string]orb.MultiPolygon, len(s.ds.Wards))
	for _, w := range s.ds.Wards {
		wardGeom[w.Code] = w.Geometry
	}
	var changed []orb.Bound
	for _, cfg := range []*configuration.Configuration{before, after} {
		for _, t := range cfg.Teams() {
			if !changedTeams[t.ID] && !changedLocalities[t.Locality] {
				continue
			}
			for _, w := range t.Wards {
				if g, ok := wardGeom[w]; ok {
					changed = append(changed, g.Bound())
				}
			}
		}
	}
	return s.tileSvc.Cache().Carry(base.key(), saved.key(), changed, tileOptions)
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
