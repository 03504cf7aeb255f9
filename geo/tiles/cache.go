package tiles

import (
	"bytes"
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/klauspost/compress/gzip"
)

// DefaultCacheBytes is the cache size used when CacheConfig.MaxBytes is 0.
const DefaultCacheBytes = 64 << 20

// entryOverhead is what an entry costs beyond its bytes and version key, so
// that empty tiles count towards the bound too.
const entryOverhead = 128

// CacheConfig sizes a Cache. Zero values are the defaults.
type CacheConfig struct {
	// MaxBytes bounds the uncompressed tile bytes plus a small per-entry
	// overhead (default DefaultCacheBytes). Gzipped copies, made on first
	// request, are not counted and are at most about as large again.
	MaxBytes int64
	// Off keeps nothing: every Get misses and Put drops the tile, so a
	// Service cuts every request afresh (for measuring uncached serving).
	Off bool
}

// Stats are cumulative counters.
type Stats struct {
	Hits      uint64 // Get found the tile
	Misses    uint64 // Get did not
	Generated uint64 // tiles cut by a Service (zero for a bare Cache)
	Evictions uint64 // entries dropped to stay within MaxBytes
	Carried   uint64 // entries copied to a new version by Carry
}

// Key addresses a cached tile: a layers snapshot and a tile.
type Key struct {
	Version string
	Z, X, Y int
}

// Encoded is an encoded tile with its strong ETag. It is immutable and may
// be shared between versions.
type Encoded struct {
	body []byte
	etag string

	gzipOnce sync.Once
	gzipped  []byte
	gzipErr  error
}

// NewEncoded wraps uncompressed MVT bytes, which must not be modified
// afterwards, and computes their ETag.
func NewEncoded(body []byte) *Encoded {
	sum := sha256.Sum256(body)
	return &Encoded{body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`}
}

// Body returns the uncompressed MVT bytes; do not modify them.
func (e *Encoded) Body() []byte { return e.body }

// ETag returns the strong entity tag of the uncompressed bytes: the quoted
// hex of the first 128 bits of their SHA-256, so identical tiles get
// identical tags in every process and version.
func (e *Encoded) ETag() string { return e.etag }

// GzipETag returns the entity tag of the gzipped representation; a strong
// validator must differ between content codings (RFC 9110 §8.8.3).
func (e *Encoded) GzipETag() string { return e.etag[:len(e.etag)-1] + `-gzip"` }

// Gzipped returns the body gzipped, compressing it on first use.
func (e *Encoded) Gzipped() ([]byte, error) {
	e.gzipOnce.Do(func() { e.gzipped, e.gzipErr = Gzip(e.body) })
	return e.gzipped, e.gzipErr
}

// gzipWriters reuses gzip writers: a new one allocates some 800 KB of
// compressor state, which cost a tile more than its compression.
var gzipWriters = sync.Pool{New: func() any { return gzip.NewWriter(nil) }}

// Gzip compresses b (klauspost/compress's gzip at the default level: the
// same format as compress/gzip, in about half the time) into a new slice.
func Gzip(b []byte) ([]byte, error) {
	buf := bytes.NewBuffer(make([]byte, 0, len(b)/2+64))
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(buf)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Cache is a bounded LRU of encoded tiles keyed by version and tile. It is
// safe for concurrent use.
type Cache struct {
	maxBytes int64
	off      bool

	mu      sync.Mutex
	bytes   int64
	entries map[Key]*list.Element // values are *cacheEntry
	recency *list.List            // front is most recently used
	stats   Stats
}

type cacheEntry struct {
	key  Key
	tile *Encoded
}

// NewCache returns an empty cache.
func NewCache(cfg CacheConfig) *Cache {
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = DefaultCacheBytes
	}
	return &Cache{maxBytes: cfg.MaxBytes, off: cfg.Off, entries: make(map[Key]*list.Element), recency: list.New()}
}

// Get returns the cached tile for key and marks it recently used.
func (c *Cache) Get(key Key) (*Encoded, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	elem, ok := c.entries[key]
	if !ok {
		c.stats.Misses++
		return nil, false
	}
	c.stats.Hits++
	c.recency.MoveToFront(elem)
	return elem.Value.(*cacheEntry).tile, true
}

// Put stores tile under key, replacing any entry there, and evicts the
// least recently used entries beyond the size bound.
func (c *Cache) Put(key Key, tile *Encoded) {
	if c.off {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.put(key, tile)
	c.evict()
}

func (c *Cache) put(key Key, tile *Encoded) {
	if elem, ok := c.entries[key]; ok {
		c.remove(elem)
	}
	c.entries[key] = c.recency.PushFront(&cacheEntry{key: key, tile: tile})
	c.bytes += entrySize(key, tile)
}

func (c *Cache) remove(elem *list.Element) {
	e := c.recency.Remove(elem).(*cacheEntry)
	delete(c.entries, e.key)
	c.bytes -= entrySize(e.key, e.tile)
}

// evict drops least recently used entries until the cache fits. A single
// entry larger than the bound is dropped too.
func (c *Cache) evict() {
	for c.bytes > c.maxBytes && c.recency.Len() > 0 {
		c.remove(c.recency.Back())
		c.stats.Evictions++
	}
}

func entrySize(key Key, tile *Encoded) int64 {
	return int64(len(tile.body) + len(key.Version) + entryOverhead)
}

// Len returns the number of cached tiles.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

// Stats returns the counters so far.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}
