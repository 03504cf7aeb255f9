package tiles

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// Carry copies to version to every tile cached for version from that the
// change cannot have touched, and returns how many it copied. A tile is
// untouched when its area widened by the buffer — exactly the area Tile
// reads features from — intersects none of the changed lon/lat bounds; such
// a tile cut from the new layers is byte for byte the one already cached,
// provided the features both versions share keep their relative order in
// their layers (a tile lists features in layer order).
//
// changed must cover, for every feature added, removed or edited (geometry
// or properties), its bound in the old layers and in the new. opts are the
// options both tilesets were built with (Tileset.Options); if the options,
// the layer list or a layer's zoom range differ between versions, nothing
// may be carried. Tiles already cached for to are left as they are. Carried
// tiles share memory with the originals and start as the most recently used.
func (c *Cache) Carry(from, to string, changed []orb.Bound, opts Options) int {
	opts, err := opts.withDefaults()
	if err != nil || from == to {
		return 0
	}

	c.mu.Lock()
	defer c.mu.Unlock()

	// Walk from least to most recently used so the copies keep their order.
	var carry []*cacheEntry
	for elem := c.recency.Back(); elem != nil; elem = elem.Prev() {
		e := elem.Value.(*cacheEntry)
		if e.key.Version != from {
			continue
		}
		if _, cached := c.entries[Key{Version: to, Z: e.key.Z, X: e.key.X, Y: e.key.Y}]; cached {
			continue
		}
		tile := maptile.New(uint32(e.key.X), uint32(e.key.Y), maptile.Zoom(e.key.Z))
		if !touchesAny(queryBound(tile, opts), changed) {
			carry = append(carry, e)
		}
	}
	for _, e := range carry {
		c.put(Key{Version: to, Z: e.key.Z, X: e.key.X, Y: e.key.Y}, e.tile)
	}
	c.stats.Carried += uint64(len(carry))
	c.evict()
	return len(carry)
}

// touchesAny reports whether b intersects any of bounds, edges included.
func touchesAny(b orb.Bound, bounds []orb.Bound) bool {
	for _, changed := range bounds {
		if b.Intersects(changed) {
			return true
		}
	}
	return false
}
