package tiles

import (
	"context"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// mercatorY maps a latitude to Web Mercator y in [0, 1], north at 0.
func mercatorY(lat float64) float64 {
	lat = max(-85.05112877980659, min(85.0511287798066, lat))
	s := math.Sin(lat * math.Pi / 180)
	return 0.5 - math.Log((1+s)/(1-s))/(4*math.Pi)
}

// FitZoom is the highest whole zoom (MapLibre's, 512-pixel tiles) at which
// b fits a viewport of width × height pixels; 0 for an empty or whole-world
// bound, at most maxZoom.
func FitZoom(b orb.Bound, width, height float64, maxZoom int) int {
	if b.IsEmpty() {
		return 0
	}
	fx := (b.Max[0] - b.Min[0]) / 360
	fy := mercatorY(b.Min[1]) - mercatorY(b.Max[1])
	zoom := float64(maxZoom)
	if fx > 0 {
		zoom = min(zoom, math.Log2(width/(512*fx)))
	}
	if fy > 0 {
		zoom = min(zoom, math.Log2(height/(512*fy)))
	}
	return max(0, min(maxZoom, int(math.Floor(zoom))))
}

// LowestZoomWithContent returns the lowest zoom, from MinZoom up, at which
// the tile holding the centre of the tileset's bound has any feature left
// after simplification: below it a small area (a city) shrinks to nothing
// and every tile would be empty. It returns the tileset's MaxZoom when no
// tile holds anything (or there are no features).
func (t *Tileset) LowestZoomWithContent(ctx context.Context) (int, error) {
	if t.bound.IsEmpty() {
		return t.opts.MaxZoom, nil
	}
	centre := t.bound.Center()
	for z := t.MinZoom(); z <= t.opts.MaxZoom; z++ {
		tile := maptile.At(centre, maptile.Zoom(z))
		body, err := t.Tile(ctx, z, int(tile.X), int(tile.Y))
		if err != nil {
			return 0, fmt.Errorf("tiles: lowest zoom with content: %w", err)
		}
		if len(body) > 0 {
			return z, nil
		}
	}
	return t.opts.MaxZoom, nil
}
