package tiles

import (
	"errors"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// TileJSONVersion is the TileJSON specification version documents declare.
const TileJSONVersion = "3.0.0"

// TileJSON is a TileJSON 3.0.0 document describing a vector tileset.
type TileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name,omitempty"`
	Tiles        []string      `json:"tiles"`
	VectorLayers []VectorLayer `json:"vector_layers"`
	Attribution  string        `json:"attribution,omitempty"`
	Bounds       [4]float64    `json:"bounds"`           // west, south, east, north
	Center       *[3]float64   `json:"center,omitempty"` // longitude, latitude, zoom
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Scheme       string        `json:"scheme"`
}

// VectorLayer describes one layer of a vector tileset.
type VectorLayer struct {
	ID      string            `json:"id"`
	Fields  map[string]string `json:"fields"` // property name → type
	MinZoom int               `json:"minzoom"`
	MaxZoom int               `json:"maxzoom"`
}

// TileJSONConfig says how a tileset is published. Zero values are the
// defaults.
type TileJSONConfig struct {
	Name string
	// Tiles are tile URL templates containing {z}, {x} and {y}, e.g.
	// "https://example.org/tiles/v7/{z}/{x}/{y}.mvt". Put the version key in
	// the URL so tiles can be cached as immutable. At least one is required.
	Tiles       []string
	Attribution string // HTML, shown by the map
	// Bounds is the area covered, in lon/lat; zero means the bound of the
	// tileset's features (the whole world when it has none).
	Bounds orb.Bound
	// MinZoom and MaxZoom are the zooms served; both zero means from the
	// lowest layer zoom to the tileset's MaxZoom. MaxZoom may not exceed the
	// tileset's.
	MinZoom, MaxZoom int
	// CenterZoom, when positive, publishes center: the centre of Focus (or
	// of the bounds when Focus is zero) at this zoom (see FitZoom).
	CenterZoom int
	// Focus is the area a map should open on, e.g. the city within a
	// regional tileset.
	Focus orb.Bound
}

// worldBounds is TileJSON's default bounds: the Web Mercator square.
var worldBounds = [4]float64{-180, -85.05112877980659, 180, 85.0511287798066}

// NewTileJSON describes ts as published by cfg.
func NewTileJSON(ts *Tileset, cfg TileJSONConfig) (TileJSON, error) {
	if len(cfg.Tiles) == 0 {
		return TileJSON{}, errors.New("tiles: tilejson: no tile URL")
	}
	for _, url := range cfg.Tiles {
		if !strings.Contains(url, "{z}") || !strings.Contains(url, "{x}") || !strings.Contains(url, "{y}") {
			return TileJSON{}, fmt.Errorf("tiles: tilejson: tile URL %q lacks {z}, {x} or {y}", url)
		}
	}
	if cfg.MinZoom == 0 && cfg.MaxZoom == 0 {
		cfg.MinZoom, cfg.MaxZoom = ts.MinZoom(), ts.opts.MaxZoom
	}
	if cfg.MinZoom < 0 || cfg.MinZoom > cfg.MaxZoom || cfg.MaxZoom > ts.opts.MaxZoom {
		return TileJSON{}, fmt.Errorf("tiles: tilejson: zooms %d..%d outside the tileset's 0..%d",
			cfg.MinZoom, cfg.MaxZoom, ts.opts.MaxZoom)
	}

	doc := TileJSON{
		TileJSON:     TileJSONVersion,
		Name:         cfg.Name,
		Tiles:        cfg.Tiles,
		VectorLayers: make([]VectorLayer, 0, len(ts.layers)),
		Attribution:  cfg.Attribution,
		Bounds:       worldBounds,
		MinZoom:      cfg.MinZoom,
		MaxZoom:      cfg.MaxZoom,
		Scheme:       "xyz",
	}
	bounds := cfg.Bounds
	if bounds.IsZero() {
		bounds = ts.Bound()
	}
	if !bounds.IsEmpty() {
		doc.Bounds = [4]float64{bounds.Min[0], bounds.Min[1], bounds.Max[0], bounds.Max[1]}
		if cfg.CenterZoom > 0 {
			c := bounds.Center()
			if !cfg.Focus.IsZero() {
				c = cfg.Focus.Center()
			}
			zoom := float64(max(doc.MinZoom, min(doc.MaxZoom, cfg.CenterZoom)))
			doc.Center = &[3]float64{c[0], c[1], zoom}
		}
	}
	fields := ts.LayerFields()
	for _, l := range ts.layers {
		doc.VectorLayers = append(doc.VectorLayers, VectorLayer{
			ID:      l.Name,
			Fields:  fields[l.Name],
			MinZoom: l.MinZoom,
			MaxZoom: l.MaxZoom,
		})
	}
	return doc, nil
}
