package tiles

import (
	"fmt"
	"maps"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/tidwall/rtree"
)

// Defaults applied to zero Options fields.
const (
	DefaultExtent            = 4096
	DefaultBuffer            = 64 // extent units: 1/64 of the tile on each side
	DefaultMaxZoom           = 14
	DefaultSimplifyTolerance = 1.0 // extent units

	// MaxZoomLimit is the highest zoom a tileset may go to.
	MaxZoomLimit = 22
)

// Options control how tiles are cut. Zero values are the defaults.
type Options struct {
	// Extent is the tile's coordinate range, 0..Extent on each axis
	// (default 4096).
	Extent uint32

	// Buffer is how far, in extent units, geometry is kept beyond each tile
	// edge so lines and polygon outlines join across tiles (default 64).
	Buffer uint32

	// MaxZoom is the highest zoom tiles are cut for, at most MaxZoomLimit
	// (default 14). Tile answers ErrOutOfRange above it.
	MaxZoom int

	// SimplifyTolerance is the Douglas-Peucker tolerance in extent units.
	// Tile coordinates are per zoom, so one tolerance gives the same on-screen
	// detail at every zoom: with a 4096 extent drawn at 512 px, 8 units are
	// one pixel. Zero means DefaultSimplifyTolerance; negative turns
	// simplification off (repeated points are still removed).
	SimplifyTolerance float64
}

// withDefaults fills zero fields and checks ranges.
func (o Options) withDefaults() (Options, error) {
	if o.Extent == 0 {
		o.Extent = DefaultExtent
	}
	if o.Buffer == 0 {
		o.Buffer = DefaultBuffer
	}
	if o.MaxZoom == 0 {
		o.MaxZoom = DefaultMaxZoom
	}
	if o.SimplifyTolerance == 0 {
		o.SimplifyTolerance = DefaultSimplifyTolerance
	}
	if o.MaxZoom < 0 || o.MaxZoom > MaxZoomLimit {
		return o, fmt.Errorf("tiles: max zoom %d outside 0..%d", o.MaxZoom, MaxZoomLimit)
	}
	if o.Buffer > o.Extent {
		return o, fmt.Errorf("tiles: buffer %d larger than extent %d", o.Buffer, o.Extent)
	}
	return o, nil
}

// Tileset is an immutable, indexed snapshot of layers that cuts vector tiles
// on demand. It is safe for concurrent use. Feature geometry and properties
// are not copied: do not modify them while the Tileset is in use.
type Tileset struct {
	opts   Options
	layers []indexedLayer
	bound  orb.Bound // of every feature; empty when there are none
}

// indexedLayer is a Layer with an R-tree over its feature bounds.
type indexedLayer struct {
	Layer
	fields map[string]string    // property name → field type
	tree   *rtree.RTreeG[int32] // feature bound → index into Features
	bound  orb.Bound            // of its features; empty when there are none
}

// IndexedLayer is a layer validated and indexed once, for the tilesets of
// many versions to share (a layer no version changes): pass it as
// Layer.Indexed. It is immutable.
type IndexedLayer struct{ il indexedLayer }

// IndexLayer validates and indexes l as NewTileset would.
func IndexLayer(l Layer) (*IndexedLayer, error) {
	il, err := index(l)
	if err != nil {
		return nil, err
	}
	return &IndexedLayer{il: il}, nil
}

// index validates l's features and builds its R-tree and field types.
func index(l Layer) (indexedLayer, error) {
	il := indexedLayer{Layer: l, fields: make(map[string]string), tree: &rtree.RTreeG[int32]{},
		bound: orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}}
	for i, f := range l.Features {
		if err := validateFeature(f); err != nil {
			return il, fmt.Errorf("%w: layer %q feature %d (id %d): %w", ErrInvalidLayer, l.Name, i, f.ID, err)
		}
		b := f.Geometry.Bound()
		il.tree.Insert(b.Min, b.Max, int32(i))
		il.bound = extend(il.bound, b)
		for key, value := range f.Properties {
			il.fields[key] = mergeFieldType(il.fields[key], fieldType(value))
		}
	}
	return il, nil
}

// NewTileset validates and indexes layers. Layer names must be unique and
// non-empty; an invalid feature is reported with its layer and position and
// wraps ErrInvalidLayer.
func NewTileset(layers []Layer, opts Options) (*Tileset, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	ts := &Tileset{opts: opts, bound: orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{-1, -1}}}
	seen := make(map[string]bool, len(layers))
	for _, l := range layers {
		if l.Name == "" || seen[l.Name] {
			return nil, fmt.Errorf("%w: layer name %q is empty or repeated", ErrInvalidLayer, l.Name)
		}
		seen[l.Name] = true
		if l.MaxZoom == 0 {
			l.MaxZoom = opts.MaxZoom
		}
		if l.MinZoom < 0 || l.MinZoom > l.MaxZoom || l.MaxZoom > opts.MaxZoom {
			return nil, fmt.Errorf("%w: layer %q: zooms %d..%d outside 0..%d",
				ErrInvalidLayer, l.Name, l.MinZoom, l.MaxZoom, opts.MaxZoom)
		}

		var il indexedLayer
		if l.Indexed != nil {
			// Shared: the features and index are the prebuilt layer's; the
			// name and zooms are this layer's.
			il = l.Indexed.il
			il.Name, il.MinZoom, il.MaxZoom, il.Indexed = l.Name, l.MinZoom, l.MaxZoom, nil
		} else if il, err = index(l); err != nil {
			return nil, err
		}
		il.MaxZoom = l.MaxZoom
		if !il.bound.IsEmpty() {
			ts.bound = extend(ts.bound, il.bound)
		}
		ts.layers = append(ts.layers, il)
	}
	return ts, nil
}

// extend is Bound.Union that treats an empty bound as nothing.
func extend(a, b orb.Bound) orb.Bound {
	if a.IsEmpty() {
		return b
	}
	return a.Union(b)
}

// Options returns the options the tileset was built with, defaults filled
// in. Cache.Carry needs them.
func (t *Tileset) Options() Options { return t.opts }

// Bound returns the lon/lat bound of every feature, or an empty bound
// (Min > Max) when there are none.
func (t *Tileset) Bound() orb.Bound { return t.bound }

// MinZoom returns the lowest zoom any layer appears at.
func (t *Tileset) MinZoom() int {
	if len(t.layers) == 0 {
		return 0
	}
	lowest := t.opts.MaxZoom
	for _, l := range t.layers {
		lowest = min(lowest, l.MinZoom)
	}
	return lowest
}

// LayerFields returns, per layer name, each property name and its type
// (FieldNumber, FieldString, FieldBoolean or FieldMixed), ready for TileJSON
// vector_layers. The maps are copies.
func (t *Tileset) LayerFields() map[string]map[string]string {
	out := make(map[string]map[string]string, len(t.layers))
	for _, l := range t.layers {
		out[l.Name] = maps.Clone(l.fields)
	}
	return out
}

// featuresIn returns the indexes of the layer's features whose bounds
// intersect b, in layer order so a tile's bytes do not depend on the shape
// of the R-tree.
func (l *indexedLayer) featuresIn(b orb.Bound) []int32 {
	var found []int32
	l.tree.Search(b.Min, b.Max, func(_, _ [2]float64, i int32) bool {
		found = append(found, i)
		return true
	})
	slices.Sort(found)
	return found
}

// queryBound is the lon/lat area whose features can reach a tile: the tile
// widened by the buffer. Tile and Cache.Carry must agree on it exactly.
func queryBound(tile maptile.Tile, opts Options) orb.Bound {
	return tile.Bound(float64(opts.Buffer) / float64(opts.Extent))
}
