package tiles

import (
	"context"
	"errors"
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"
)

// ErrOutOfRange is returned for a tile address outside the tileset: a zoom
// above Options.MaxZoom or an x or y outside 0..2^z-1.
var ErrOutOfRange = errors.New("tiles: tile out of range")

// mvtVersion is the major version of the Vector Tile specification the
// layers follow (2.1 → 2); orb's mvt.NewLayer would write 1.
const mvtVersion = 2

// Lines shorter and polygons smaller than these, in extent units, are left
// out of a tile: they would draw smaller than a pixel.
const (
	minLength = 1
	minArea   = 1
)

// Tile cuts tile z/x/y and returns it as uncompressed MVT bytes. Layers
// without features in the tile are left out; a tile with no features at all
// is empty, zero bytes, which is a valid MVT with no layers.
func (t *Tileset) Tile(ctx context.Context, z, x, y int) ([]byte, error) {
	tile, err := t.address(z, x, y)
	if err != nil {
		return nil, err
	}
	layers, err := t.layersIn(ctx, tile)
	if err != nil {
		return nil, err
	}
	if len(layers) == 0 {
		return []byte{}, nil
	}

	buffer := float64(t.opts.Buffer)
	extent := float64(t.opts.Extent)
	layers.ProjectToTile(tile) // lon/lat → integer tile coordinates, y down
	layers.Clip(orb.Bound{Min: orb.Point{-buffer, -buffer}, Max: orb.Point{extent + buffer, extent + buffer}})
	if t.opts.SimplifyTolerance > 0 {
		layers.Simplify(simplify.DouglasPeucker(t.opts.SimplifyTolerance))
	}
	tidy(layers) // drop repeated points and degenerate parts; wind rings for MVT 2
	layers.RemoveEmpty(minLength, minArea)
	layers = withoutEmptyLayers(layers)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	data, err := mvt.Marshal(layers)
	if err != nil {
		return nil, fmt.Errorf("tiles: marshal %d/%d/%d: %w", z, x, y, err)
	}
	return data, nil
}

// address checks z/x/y against the tileset.
func (t *Tileset) address(z, x, y int) (maptile.Tile, error) {
	if z < 0 || z > t.opts.MaxZoom {
		return maptile.Tile{}, fmt.Errorf("%w: zoom %d outside 0..%d", ErrOutOfRange, z, t.opts.MaxZoom)
	}
	if n := 1 << z; x < 0 || x >= n || y < 0 || y >= n {
		return maptile.Tile{}, fmt.Errorf("%w: tile %d/%d/%d: x and y must be in 0..%d", ErrOutOfRange, z, x, y, n-1)
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

// layersIn gathers, per layer shown at the tile's zoom, copies of the
// features that can reach the tile, still in lon/lat.
func (t *Tileset) layersIn(ctx context.Context, tile maptile.Tile) (mvt.Layers, error) {
	query := queryBound(tile, t.opts)
	z := int(tile.Z)
	var layers mvt.Layers
	for i := range t.layers {
		l := &t.layers[i]
		if z < l.MinZoom || z > l.MaxZoom {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		found := l.featuresIn(query)
		if len(found) == 0 {
			continue
		}
		features := make([]*geojson.Feature, len(found))
		for j, index := range found {
			features[j] = toGeoJSON(l.Features[index])
		}
		layers = append(layers, &mvt.Layer{Name: l.Name, Version: mvtVersion, Extent: t.opts.Extent, Features: features})
	}
	return layers, nil
}

// toGeoJSON copies the geometry, which the pipeline modifies in place, and
// shares the read-only properties.
func toGeoJSON(f Feature) *geojson.Feature {
	out := &geojson.Feature{
		Type:       "Feature",
		Geometry:   orb.Clone(f.Geometry),
		Properties: f.Properties,
	}
	if f.ID != 0 {
		out.ID = f.ID
	}
	return out
}

// withoutEmptyLayers drops layers left with no features.
func withoutEmptyLayers(layers mvt.Layers) mvt.Layers {
	kept := layers[:0]
	for _, l := range layers {
		if len(l.Features) > 0 {
			kept = append(kept, l)
		}
	}
	return kept
}
