package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/geo/tiles"
	"github.com/placeteam/placeteam/profiles/planning"
)

// Vector tiles per configuration version (layers: planning.MapLayers).
// Tile URLs name the version, so a saved edit never serves stale tiles.

// tile answers /tiles/{config}/{z}/{x}/{y}.mvt (?version=N, default latest).
func (a *api) tile(c *gin.Context) {
	name := c.Param("config")
	yStr, ok := strings.CutSuffix(c.Param("y"), ".mvt")
	if !ok {
		fail(c, notFound("tiles end in .mvt"))
		return
	}
	z, errZ := strconv.Atoi(c.Param("z"))
	x, errX := strconv.Atoi(c.Param("x"))
	y, errY := strconv.Atoi(yStr)
	if errZ != nil || errX != nil || errY != nil || z < 0 || z > planning.TileMaxZoom || x < 0 || y < 0 || x >= 1<<z || y >= 1<<z {
		fail(c, badRequest(fmt.Sprintf("tile %s/%s/%s: z must be 0-%d and x, y 0 to 2^z-1", c.Param("z"), c.Param("x"), c.Param("y"), planning.TileMaxZoom)))
		return
	}
	full, err := fullTilesParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, err := a.loadVersion(c, name)
	if err != nil {
		fail(c, err)
		return
	}
	ans, err := a.core.Tile(c.Request.Context(), v, z, x, y, full, acceptsGzip(c.GetHeader("Accept-Encoding")), c.GetHeader("If-None-Match"))
	if err != nil {
		fail(c, err)
		return
	}
	if ans.Cached {
		c.Header("X-Tile-Cache", "hit")
	} else {
		c.Header("X-Tile-Cache", "miss")
	}
	for k, v := range ans.Headers {
		c.Header(k, v)
	}
	if c.Query("version") == "" {
		// The latest version moves on: revalidate instead of caching.
		c.Header("Cache-Control", "no-cache")
	}
	if ans.Status == http.StatusOK {
		c.Data(ans.Status, "application/vnd.mapbox-vector-tile", ans.Body)
		return
	}
	c.Status(ans.Status)
}

// fullTilesParam reads ?properties=: "lean" (the default: ids and what
// the style draws; figures come from /values) or "all" (every property,
// for clients that cannot join values by id). Other parameters are left
// alone: map clients add their own (cache busting).
func fullTilesParam(c *gin.Context) (bool, error) {
	p, err := formatParam(c, "properties", "lean", "all")
	return p == "all", err
}

// tileJSON answers /tiles/{config}.json (?properties=all: the tiles with
// every property).
func (a *api) tileJSON(c *gin.Context) {
	full, err := fullTilesParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	v, err := a.jsonDocumentConfiguration(c)
	if err != nil {
		fail(c, err)
		return
	}
	doc, _, err := a.tileJSONOf(c, v, full)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-cache")
	c.JSON(http.StatusOK, doc)
}

// tileJSONOf is v's TileJSON (full: the tiles with every figure) and the
// view the map opens on: what /tiles/{config}.json serves and the style's
// source inlines.
func (a *api) tileJSONOf(c *gin.Context, v planning.Version, full bool) (tiles.TileJSON, openingView, error) {
	tileset := a.core.Tileset
	if full {
		tileset = a.core.FullTileset
	}
	ts, err := tileset(c.Request.Context(), v)
	if err != nil {
		return tiles.TileJSON{}, openingView{}, err
	}
	view, err := a.openingView(c, ts)
	if err != nil {
		return tiles.TileJSON{}, openingView{}, err
	}
	doc, err := tiles.NewTileJSON(ts, tiles.TileJSONConfig{
		Name:        fmt.Sprintf("%s (version %d)", v.Name, v.Number),
		Tiles:       []string{fmt.Sprintf("%s/tiles/%s/{z}/{x}/{y}.mvt?version=%d%s", a.base(c), v.Name, v.Number, map[bool]string{true: "&properties=all"}[full])},
		Attribution: a.attribution(),
		MinZoom:     view.minZoom,
		MaxZoom:     ts.Options().MaxZoom,
		CenterZoom:  view.zoom,
		Focus:       view.city,
	})
	return doc, view, err
}

// acceptsGzip reads Accept-Encoding: gzip when an entry names it with a
// q above 0, or, when none names it, when "*" does; q=0 refuses.
func acceptsGzip(header string) bool {
	star := false
	for _, e := range acceptEntries(header) {
		switch e.value {
		case "gzip":
			return !e.refused
		case "*":
			star = !e.refused
		}
	}
	return star
}

// jsonDocumentConfiguration resolves the {config}.json path parameter of
// the TileJSON and style documents (and ?version=).
func (a *api) jsonDocumentConfiguration(c *gin.Context) (planning.Version, error) {
	name, ok := strings.CutSuffix(c.Param("config"), ".json")
	if !ok {
		return planning.Version{}, notFound("no resource at " + c.Request.URL.Path)
	}
	return a.loadVersion(c, name)
}

// mapValues answers /values/{config}/{layer}.json (?version=N): the
// figures of a layer's features by id, which lean tiles leave out.
func (a *api) mapValues(c *gin.Context) {
	if err := onlyQuery(c, "version"); err != nil {
		fail(c, err)
		return
	}
	layer, ok := strings.CutSuffix(c.Param("layer"), ".json")
	if !ok {
		fail(c, notFound("no resource at "+c.Request.URL.Path))
		return
	}
	v, err := a.loadVersion(c, c.Param("config"))
	if err != nil {
		fail(c, err)
		return
	}
	// A version's values never change: encoded once, kept by the core.
	resp, err := a.core.CachedResponse(&v, "values|"+layer, func() ([]byte, error) {
		vals, err := a.core.MapValues(c.Request.Context(), v, layer)
		if err != nil {
			return nil, err
		}
		return json.Marshal(vals)
	})
	if err != nil {
		fail(c, err)
		return
	}
	if c.Query("version") == "" {
		c.Header("Cache-Control", "no-cache")
	} else {
		c.Header("Cache-Control", planning.TileCacheControl)
	}
	writeEncoded(c, http.StatusOK, "application/json; charset=utf-8", resp)
}

// openingView is where a map of ts opens: the lowest zoom with content
// (below it the city shrinks to nothing, so the TileJSON starts there) and
// the city's wards (not the region's small areas) at a zoom that fits them
// in a 900 × 700 window.
type openingView struct {
	minZoom, zoom int
	city          orb.Bound
}

func (a *api) openingView(c *gin.Context, ts *tiles.Tileset) (openingView, error) {
	minZoom, err := ts.LowestZoomWithContent(c.Request.Context())
	if err != nil {
		return openingView{}, err
	}
	wards, err := a.core.Static(planning.LayerWards)
	if err != nil {
		return openingView{}, err
	}
	city := wards.Extent
	return openingView{minZoom: minZoom, zoom: max(minZoom, tiles.FitZoom(city, 900, 700, ts.Options().MaxZoom)), city: city}, nil
}
