package api

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/geo/tiles"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Vector tiles per configuration version: layers wards, teams, localities,
// lsoas, practices, hospitals. Tile URLs name the version, so a saved edit
// never serves stale tiles; after a save, tiles that cannot have changed
// are carried over from the previous version's cache (tiles.Cache.Carry).

const (
	tileMaxZoom       = 16
	tileCacheBytes    = 256 << 20
	tileCacheControl  = "public, max-age=86400, immutable"
	maxCachedTilesets = 16
)

var tileOptions = tiles.Options{MaxZoom: tileMaxZoom}

// tileState holds the tile service and the tilesets it cuts from.
type tileState struct {
	once sync.Once
	// static are the layers no configuration changes, built once and
	// shared (read-only) by every version's tileset.
	staticOnce sync.Once
	static     staticLayers
	service    *tiles.Service
	mu         sync.Mutex
	sets       map[string]*tiles.Tileset
	order      []string
	initErr    error
}

func versionKey(name string, version int) string { return fmt.Sprintf("%s@%d", name, version) }

func (a *api) tileService() (*tiles.Service, error) {
	a.tiles.once.Do(func() {
		a.tiles.service, a.tiles.initErr = tiles.NewService(tiles.ServiceConfig{
			Tilesets:     tiles.TilesetsFunc(a.tileset),
			Cache:        tiles.NewCache(tiles.CacheConfig{MaxBytes: tileCacheBytes}),
			CacheControl: tileCacheControl,
		})
	})
	return a.tiles.service, a.tiles.initErr
}

// tileset builds (or returns the cached) tileset of "name@version".
func (a *api) tileset(ctx context.Context, key string) (*tiles.Tileset, error) {
	a.tiles.mu.Lock()
	if ts, ok := a.tiles.sets[key]; ok {
		a.tiles.mu.Unlock()
		return ts, nil
	}
	a.tiles.mu.Unlock()
	name, v, ok := strings.Cut(key, "@")
	version, err := strconv.Atoi(v)
	if !ok || err != nil {
		return nil, fmt.Errorf("%w: %q", tiles.ErrUnknownVersion, key)
	}
	cfg, _, err := a.cfg.Store.ConfigurationVersion(ctx, name, version)
	if err != nil {
		return nil, err
	}
	layers, err := a.tileLayers(ctx, cfg, version)
	if err != nil {
		return nil, err
	}
	ts, err := tiles.NewTileset(layers, tileOptions)
	if err != nil {
		return nil, err
	}
	a.tiles.mu.Lock()
	defer a.tiles.mu.Unlock()
	if a.tiles.sets == nil {
		a.tiles.sets = map[string]*tiles.Tileset{}
	}
	if _, ok := a.tiles.sets[key]; !ok {
		a.tiles.sets[key] = ts
		a.tiles.order = append(a.tiles.order, key)
		if len(a.tiles.order) > maxCachedTilesets {
			delete(a.tiles.sets, a.tiles.order[0])
			a.tiles.order = a.tiles.order[1:]
		}
	}
	return a.tiles.sets[key], nil
}

type staticLayers struct {
	lsoas, practices, hospitals []tiles.Feature
}

func (a *api) staticTileLayers() staticLayers {
	a.tiles.staticOnce.Do(func() {
		ds, t := a.cfg.Dataset, a.cfg.Tables
		st := &a.tiles.static
		for i, l := range ds.LSOAs {
			props := map[string]any{"code": l.Code, "in_city": l.WardCode != ""}
			if d, ok := l.DeprivationEdition(t.Dates.IMDDecileEdition); ok {
				props["imd_decile"] = d.Decile
			}
			if l.Population.Known() {
				props["population"] = l.Population.Total
				if area := lsoaAreaKm2(l.Geometry); area > 0 {
					props["density_per_km2"] = float64(l.Population.Total) / area
				}
			}
			st.lsoas = append(st.lsoas, tiles.Feature{ID: uint64(i + 1), Geometry: l.Geometry, Properties: props})
		}
		for i, p := range ds.Practices {
			if p.HasLocation() {
				st.practices = append(st.practices, tiles.Feature{ID: uint64(i + 1), Geometry: p.Location, Properties: map[string]any{"code": p.Code, "name": p.Name, "status": string(p.Status), "ward": p.WardCode}})
			}
		}
		for i, h := range ds.HospitalSites {
			st.hospitals = append(st.hospitals, tiles.Feature{ID: uint64(i + 1), Geometry: h.Location, Properties: map[string]any{"name": h.Name}})
		}
	})
	return a.tiles.static
}

// tileLayers are the map's layers for one configuration version. Team and
// locality properties are the profile figures; nothing names the version,
// so a tile whose features did not change is byte-identical across
// versions.
func (a *api) tileLayers(ctx context.Context, cfg *configuration.Configuration, version int) ([]tiles.Layer, error) {
	wardTeam := cfg.WardTeams()
	teamLocality := map[string]string{}
	for _, t := range cfg.Teams() {
		teamLocality[t.ID] = t.Locality
	}
	ds, t := a.cfg.Dataset, a.cfg.Tables
	if err := a.wardIndicatorsErr(); err != nil {
		return nil, err
	}
	var wards []tiles.Feature
	for i, w := range ds.Wards {
		props := map[string]any{"code": w.Code, "name": w.Name, "team": wardTeam[w.Code], "locality": teamLocality[wardTeam[w.Code]]}
		if wi, ok := t.WardIndex(w.Code); ok {
			props["resident_population"] = t.Resident[wi].Total
		}
		for k, v := range a.wardIndicators()[w.Code] {
			props[k] = v
		}
		wards = append(wards, tiles.Feature{ID: uint64(i + 1), Geometry: w.Geometry, Properties: props})
	}
	static := a.staticTileLayers()
	units := func(level string) ([]tiles.Feature, error) {
		s, err := a.dissolved(ctx, level, cfg, version)
		if err != nil {
			return nil, err
		}
		var out []tiles.Feature
		for _, f := range s.features {
			props := map[string]any{}
			for k, v := range f.Properties {
				if k != "configuration" && k != "version" {
					props[k] = v
				}
			}
			// The id derives from the team or locality id, not its position,
			// so a tile carried across versions keeps valid ids.
			out = append(out, tiles.Feature{ID: stableID(fmt.Sprint(f.ID)), Geometry: f.Geometry, Properties: props})
		}
		return out, nil
	}
	teams, err := units(placeprofile.LevelTeam)
	if err != nil {
		return nil, err
	}
	localities, err := units(placeprofile.LevelLocality)
	if err != nil {
		return nil, err
	}
	return []tiles.Layer{
		{Name: "lsoas", Features: static.lsoas, MinZoom: 9},
		{Name: "localities", Features: localities},
		{Name: "teams", Features: teams},
		{Name: "wards", Features: wards, MinZoom: 8},
		{Name: "practices", Features: static.practices, MinZoom: 10},
		{Name: "hospitals", Features: static.hospitals, MinZoom: 8},
	}, nil
}

// tile answers /tiles/{config}/{z}/{x}/{y}.mvt (?version=N, default latest).
func (a *api) tile(c *gin.Context) {
	name := c.Param("config")
	yStr, ok := strings.CutSuffix(c.Param("y"), ".mvt")
	if !ok {
		fail(c, fmt.Errorf("%w: tiles end in .mvt", ErrNotFound))
		return
	}
	z, errZ := strconv.Atoi(c.Param("z"))
	x, errX := strconv.Atoi(c.Param("x"))
	y, errY := strconv.Atoi(yStr)
	if errZ != nil || errX != nil || errY != nil || z < 0 || z > tileMaxZoom || x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		fail(c, badRequest(fmt.Sprintf("tile %s/%s/%s: z must be 0-%d and x, y 0 to 2^z-1", c.Param("z"), c.Param("x"), c.Param("y"), tileMaxZoom)))
		return
	}
	_, version, err := a.loadVersion(c, name)
	if err != nil {
		fail(c, err)
		return
	}
	svc, err := a.tileService()
	if err != nil {
		fail(c, err)
		return
	}
	acceptGzip := acceptsGzip(c.GetHeader("Accept-Encoding"))
	key := versionKey(name, version)
	if _, hit := svc.Cache().Get(tiles.Key{Version: key, Z: z, X: x, Y: y}); hit {
		c.Header("X-Tile-Cache", "hit")
	} else {
		c.Header("X-Tile-Cache", "miss")
	}
	status, headers, body, err := svc.Get(c.Request.Context(), key, z, x, y, acceptGzip, c.GetHeader("If-None-Match"))
	if err != nil {
		fail(c, err)
		return
	}
	for k, v := range headers {
		c.Header(k, v)
	}
	if c.Query("version") == "" {
		// The latest version moves on: revalidate instead of caching for a day.
		c.Header("Cache-Control", "no-cache")
	}
	if status == http.StatusOK {
		c.Data(status, "application/vnd.mapbox-vector-tile", body)
		return
	}
	c.Status(status)
}

// tileJSON answers /tiles/{config}.json.
func (a *api) tileJSON(c *gin.Context) {
	name, _, version, err := a.jsonDocumentConfiguration(c)
	if err != nil {
		fail(c, err)
		return
	}
	ts, err := a.tileset(c.Request.Context(), versionKey(name, version))
	if err != nil {
		fail(c, err)
		return
	}
	doc, err := tiles.NewTileJSON(ts, tiles.TileJSONConfig{
		Name:        fmt.Sprintf("%s (version %d)", name, version),
		Tiles:       []string{fmt.Sprintf("%s/tiles/%s/{z}/{x}/{y}.mvt?version=%d", a.base(c), name, version)},
		Attribution: a.attribution(),
	})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, doc)
}

// carryTiles reuses the previous version's cached tiles that cannot have
// changed: those touching no ward of a changed team or locality.
func (a *api) carryTiles(before, after *configuration.Configuration, from, to int) int {
	svc, err := a.tileService()
	if err != nil {
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
	var changed []orb.Bound
	for _, cfg := range []*configuration.Configuration{before, after} {
		for _, t := range cfg.Teams() {
			if !changedTeams[t.ID] && !changedLocalities[t.Locality] {
				continue
			}
			for _, w := range t.Wards {
				if g, ok := a.wardGeometry(w); ok {
					changed = append(changed, g.Bound())
				}
			}
		}
	}
	return svc.Cache().Carry(versionKey(before.Name, from), versionKey(after.Name, to), changed, tileOptions)
}

func stableID(s string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(s))
	return h.Sum64()
}

// acceptsGzip reads Accept-Encoding, honouring q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if c := strings.ToLower(strings.TrimSpace(coding)); c != "gzip" && c != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
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

func (a *api) wardGeometry(code string) (orb.MultiPolygon, bool) {
	for _, w := range a.cfg.Dataset.Wards {
		if w.Code == code {
			return w.Geometry, true
		}
	}
	return nil, false
}

// jsonDocumentConfiguration resolves the {config}.json path parameter of
// the TileJSON and style documents (and ?version=).
func (a *api) jsonDocumentConfiguration(c *gin.Context) (string, *configuration.Configuration, int, error) {
	name, ok := strings.CutSuffix(c.Param("config"), ".json")
	if !ok {
		return "", nil, 0, fmt.Errorf("%w: no resource at %s", ErrNotFound, c.Request.URL.Path)
	}
	cfg, version, err := a.loadVersion(c, name)
	return name, cfg, version, err
}
