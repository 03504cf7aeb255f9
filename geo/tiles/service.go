package tiles

import (
	"context"
	"errors"
	"fmt"
	"net/http" // status code names only: the service never sees a request or a writer
	"runtime"
	"strings"
	"sync/atomic"
)

// ErrUnknownVersion is returned by a Tilesets source for a version key it
// does not hold; Service.Get answers it with 404.
var ErrUnknownVersion = errors.New("tiles: unknown version")

// ContentType is the media type of an MVT tile.
const ContentType = "application/vnd.mapbox-vector-tile"

// DefaultCacheControl makes clients revalidate every tile with its ETag,
// which is right when one URL can serve more than one version. When the
// version key is in the tile URL, use "public, max-age=31536000, immutable".
const DefaultCacheControl = "no-cache"

// Tilesets finds the Tileset for a version key, returning an error wrapping
// ErrUnknownVersion when there is none.
type Tilesets interface {
	Tileset(ctx context.Context, version string) (*Tileset, error)
}

// TilesetsFunc adapts a function to Tilesets.
type TilesetsFunc func(ctx context.Context, version string) (*Tileset, error)

// Tileset calls f.
func (f TilesetsFunc) Tileset(ctx context.Context, version string) (*Tileset, error) {
	return f(ctx, version)
}

// ServiceConfig wires a Service. Zero values are the defaults.
type ServiceConfig struct {
	Tilesets     Tilesets // required
	Cache        *Cache   // default: NewCache(CacheConfig{})
	CacheControl string   // default: DefaultCacheControl
}

// Service answers tile requests from a cache, cutting missing tiles once
// however many requests ask for them at the same time. It is safe for
// concurrent use.
type Service struct {
	tilesets     Tilesets
	cache        *Cache
	cacheControl string
	flight       flight
	generated    atomic.Uint64
	// cutting admits as many tile cuts at once as there are CPUs: the rest
	// wait their turn (first come, first served) rather than share the
	// CPUs, so a heavy tile is not slowed down by every light one cut
	// beside it and latency stays near a cut's own time plus the queue.
	cutting chan struct{}
}

// NewService returns a Service.
func NewService(cfg ServiceConfig) (*Service, error) {
	if cfg.Tilesets == nil {
		return nil, errors.New("tiles: service: no Tilesets")
	}
	if cfg.Cache == nil {
		cfg.Cache = NewCache(CacheConfig{})
	}
	if cfg.CacheControl == "" {
		cfg.CacheControl = DefaultCacheControl
	}
	return &Service{tilesets: cfg.Tilesets, cache: cfg.Cache, cacheControl: cfg.CacheControl,
		cutting: make(chan struct{}, runtime.GOMAXPROCS(0))}, nil
}

// Cache returns the service's cache, for Carry after a configuration edit.
func (s *Service) Cache() *Cache { return s.cache }

// Stats returns the cache counters and the number of tiles cut.
func (s *Service) Stats() Stats {
	st := s.cache.Stats()
	st.Generated = s.generated.Load()
	return st
}

// Answer is a tile request's answer. Body is nil but for 200; Cached says
// the encoded tile was in the cache (no tile was cut for this request).
type Answer struct {
	Status  int
	Headers map[string]string
	Body    []byte
	Cached  bool
}

// Get answers a request for tile z/x/y of version. acceptGzip says the
// client accepts gzip content coding; ifNoneMatch is the If-None-Match
// header, if any.
//
// Answers: 200 with the tile, gzipped when accepted; 204 for a tile with no
// features; 304 when ifNoneMatch matches; 404 for an address outside the
// tileset or an unknown version; 500 otherwise. Successful answers carry
// ETag, Cache-Control and Vary; 200 also Content-Type and, when gzipped,
// Content-Encoding. err is nil exactly for 200, 204 and 304, and wraps the
// cause (ErrOutOfRange, ErrUnknownVersion, ...) otherwise; body is nil then.
// This is the one place those errors become statuses.
func (s *Service) Get(ctx context.Context, version string, z, x, y int, acceptGzip bool, ifNoneMatch string) (Answer, error) {
	tile, cached, err := s.encoded(ctx, Key{Version: version, Z: z, X: x, Y: y})
	switch {
	case errors.Is(err, ErrOutOfRange), errors.Is(err, ErrUnknownVersion):
		return Answer{Status: http.StatusNotFound}, err
	case err != nil:
		return Answer{Status: http.StatusInternalServerError}, err
	}

	etag, body := tile.ETag(), tile.Body()
	gzipped := acceptGzip && len(body) > 0
	if gzipped {
		etag = tile.GzipETag()
	}
	ans := Answer{Cached: cached, Headers: map[string]string{
		"ETag":          etag,
		"Cache-Control": s.cacheControl,
		"Vary":          "Accept-Encoding",
	}}
	if etagMatches(ifNoneMatch, etag) {
		ans.Status = http.StatusNotModified
		return ans, nil
	}
	if len(body) == 0 {
		ans.Status = http.StatusNoContent
		return ans, nil
	}
	ans.Headers["Content-Type"] = ContentType
	if gzipped {
		if body, err = tile.Gzipped(); err != nil {
			return Answer{Status: http.StatusInternalServerError}, fmt.Errorf("tiles: gzip %d/%d/%d: %w", z, x, y, err)
		}
		ans.Headers["Content-Encoding"] = "gzip"
	}
	ans.Status, ans.Body = http.StatusOK, body
	return ans, nil
}

// encoded returns the tile from the cache (cached true), or cuts and
// caches it.
func (s *Service) encoded(ctx context.Context, key Key) (tile *Encoded, cached bool, err error) {
	if key.Z < 0 || key.Z > MaxZoomLimit || key.X < 0 || key.X >= 1<<key.Z || key.Y < 0 || key.Y >= 1<<key.Z {
		return nil, false, fmt.Errorf("%w: tile %d/%d/%d", ErrOutOfRange, key.Z, key.X, key.Y)
	}
	if tile, ok := s.cache.Get(key); ok {
		return tile, true, nil
	}
	tile, err = s.flight.do(ctx, key, func() (*Encoded, error) {
		// Other requests may be waiting for this tile: finish it even if
		// this request goes away. Cutting one tile takes milliseconds.
		ctx := context.WithoutCancel(ctx)
		ts, err := s.tilesets.Tileset(ctx, key.Version)
		if err != nil {
			return nil, err
		}
		s.cutting <- struct{}{}
		defer func() { <-s.cutting }()
		data, err := ts.Tile(ctx, key.Z, key.X, key.Y)
		if err != nil {
			return nil, err
		}
		tile := NewEncoded(data)
		// Nearly every client accepts gzip: compress now, in the cut's
		// turn, not later beside other cuts.
		if _, err := tile.Gzipped(); err != nil {
			return nil, err
		}
		s.cache.Put(key, tile)
		s.generated.Add(1)
		return tile, nil
	})
	return tile, false, err
}

// etagMatches reports whether an If-None-Match header matches etag, using
// the weak comparison RFC 9110 §13.1.2 prescribes for it.
func etagMatches(header, etag string) bool {
	for candidate := range strings.SplitSeq(header, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == strings.TrimPrefix(etag, "W/") {
			return true
		}
	}
	return false
}
