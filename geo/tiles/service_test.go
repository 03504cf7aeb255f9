package tiles

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
)

// versions serves fixed tilesets by version key.
func versions(byVersion map[string]*Tileset) TilesetsFunc {
	return func(_ context.Context, version string) (*Tileset, error) {
		if ts, ok := byVersion[version]; ok {
			return ts, nil
		}
		return nil, fmt.Errorf("version %q: %w", version, ErrUnknownVersion)
	}
}

func newService(t testing.TB, byVersion map[string]*Tileset) *Service {
	t.Helper()
	s, err := NewService(ServiceConfig{Tilesets: versions(byVersion)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return plain
}

// TestServiceGet is a request script: each step's answer depends on the
// cache the steps before it filled.
func TestServiceGet(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{MaxZoom: 14})
	s := newService(t, map[string]*Tileset{"v1": ts})

	raw := cut(t, ts, anchorTile)
	etag, gzipETag := NewEncoded(raw).ETag(), NewEncoded(raw).GzipETag()
	emptyETag := NewEncoded(nil).ETag()
	pacific := maptile.At(orb.Point{-150, 0}, 12)
	z, x, y := int(anchorTile.Z), int(anchorTile.X), int(anchorTile.Y)

	const (
		identity = "identity" // the body must equal the raw tile
		gzipped  = "gzip"     // the body must gunzip to the raw tile
		none     = ""         // no body
	)
	steps := []struct {
		name        string
		version     string
		z, x, y     int
		acceptGzip  bool
		ifNoneMatch string

		status  int
		headers map[string]string // exactly these
		body    string
		err     error
		stats   Stats
	}{
		{name: "first request cuts the tile", version: "v1", z: z, x: x, y: y,
			status: http.StatusOK, body: identity,
			headers: map[string]string{"Content-Type": ContentType, "ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Misses: 1, Generated: 1}},
		{name: "second request is a cache hit", version: "v1", z: z, x: x, y: y,
			status: http.StatusOK, body: identity,
			headers: map[string]string{"Content-Type": ContentType, "ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 1, Misses: 1, Generated: 1}},
		{name: "matching If-None-Match is not modified", version: "v1", z: z, x: x, y: y, ifNoneMatch: etag,
			status:  http.StatusNotModified,
			headers: map[string]string{"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 2, Misses: 1, Generated: 1}},
		{name: "weak comparison in a list", version: "v1", z: z, x: x, y: y, ifNoneMatch: `"stale", W/` + etag,
			status:  http.StatusNotModified,
			headers: map[string]string{"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 3, Misses: 1, Generated: 1}},
		{name: "stale validator gets the tile", version: "v1", z: z, x: x, y: y, ifNoneMatch: `"stale"`,
			status: http.StatusOK, body: identity,
			headers: map[string]string{"Content-Type": ContentType, "ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 4, Misses: 1, Generated: 1}},
		{name: "gzip when accepted", version: "v1", z: z, x: x, y: y, acceptGzip: true,
			status: http.StatusOK, body: gzipped,
			headers: map[string]string{"Content-Type": ContentType, "Content-Encoding": "gzip", "ETag": gzipETag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 5, Misses: 1, Generated: 1}},
		{name: "identity ETag does not validate the gzip form", version: "v1", z: z, x: x, y: y, acceptGzip: true, ifNoneMatch: etag,
			status: http.StatusOK, body: gzipped,
			headers: map[string]string{"Content-Type": ContentType, "Content-Encoding": "gzip", "ETag": gzipETag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 6, Misses: 1, Generated: 1}},
		{name: "gzip ETag validates the gzip form", version: "v1", z: z, x: x, y: y, acceptGzip: true, ifNoneMatch: gzipETag,
			status:  http.StatusNotModified,
			headers: map[string]string{"ETag": gzipETag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 7, Misses: 1, Generated: 1}},
		{name: "empty tile is no content, never gzipped", version: "v1", z: 12, x: int(pacific.X), y: int(pacific.Y), acceptGzip: true,
			status:  http.StatusNoContent,
			headers: map[string]string{"ETag": emptyETag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"},
			stats:   Stats{Hits: 7, Misses: 2, Generated: 2}},
		{name: "zoom above the tileset", version: "v1", z: 15, x: 0, y: 0,
			status: http.StatusNotFound, err: ErrOutOfRange,
			stats: Stats{Hits: 7, Misses: 3, Generated: 2}},
		{name: "x outside the zoom is rejected before the cache", version: "v1", z: 2, x: 4, y: 0,
			status: http.StatusNotFound, err: ErrOutOfRange,
			stats: Stats{Hits: 7, Misses: 3, Generated: 2}},
		{name: "absurd zoom", version: "v1", z: 64, x: 0, y: 0,
			status: http.StatusNotFound, err: ErrOutOfRange,
			stats: Stats{Hits: 7, Misses: 3, Generated: 2}},
		{name: "unknown version", version: "v0", z: z, x: x, y: y,
			status: http.StatusNotFound, err: ErrUnknownVersion,
			stats: Stats{Hits: 7, Misses: 4, Generated: 2}},
	}
	for _, st := range steps {
		hitsBefore := s.Stats().Hits
		ans, err := s.Get(context.Background(), st.version, st.z, st.x, st.y, st.acceptGzip, st.ifNoneMatch)
		status, headers, body := ans.Status, ans.Headers, ans.Body
		if hit := s.Stats().Hits > hitsBefore; ans.Cached != hit {
			t.Errorf("%s: Cached %v, but the cache counted a hit: %v", st.name, ans.Cached, hit)
		}
		if status != st.status {
			t.Errorf("%s: status %d, want %d (err %v)", st.name, status, st.status, err)
		}
		if !errors.Is(err, st.err) || (st.err == nil) != (err == nil) {
			t.Errorf("%s: error %v, want %v", st.name, err, st.err)
		}
		if !maps.Equal(headers, st.headers) {
			t.Errorf("%s: headers %v, want %v", st.name, headers, st.headers)
		}
		switch st.body {
		case identity:
			if !bytes.Equal(body, raw) {
				t.Errorf("%s: body is not the tile", st.name)
			}
		case gzipped:
			if !bytes.Equal(gunzip(t, body), raw) {
				t.Errorf("%s: body does not gunzip to the tile", st.name)
			}
		case none:
			if body != nil {
				t.Errorf("%s: %d-byte body, want none", st.name, len(body))
			}
		}
		if got := s.Stats(); got != st.stats {
			t.Errorf("%s: stats %+v, want %+v", st.name, got, st.stats)
		}
	}
}

func TestServiceCutsEachTileOnce(t *testing.T) {
	ts := mustTileset(t, smallCity(), Options{})
	release := make(chan struct{})
	s, err := NewService(ServiceConfig{Tilesets: TilesetsFunc(func(context.Context, string) (*Tileset, error) {
		<-release // hold the first cut until every request is in flight
		return ts, nil
	})})
	if err != nil {
		t.Fatal(err)
	}

	const requests = 32
	var wg sync.WaitGroup
	statuses := make(chan int, requests)
	for range requests {
		wg.Go(func() {
			ans, _ := s.Get(context.Background(), "v1", int(anchorTile.Z), int(anchorTile.X), int(anchorTile.Y), true, "")
			statuses <- ans.Status
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(release)
	wg.Wait()
	close(statuses)
	for status := range statuses {
		if status != http.StatusOK {
			t.Errorf("status %d", status)
		}
	}
	if got := s.Stats().Generated; got != 1 {
		t.Errorf("tile cut %d times for %d simultaneous requests, want once", got, requests)
	}
}

func TestNewServiceNeedsTilesets(t *testing.T) {
	if _, err := NewService(ServiceConfig{}); err == nil {
		t.Error("no error without Tilesets")
	}
}

// BenchmarkServiceGet answers requests for every tile over the city at each
// zoom from a warm cache, as MapLibre's requests arrive: gzip accepted.
func BenchmarkServiceGet(b *testing.B) {
	ts := mustTileset(b, bigCity(300, 100, 100), Options{})
	s := newService(b, map[string]*Tileset{"v1": ts})
	ctx := context.Background()
	for z := maptile.Zoom(8); z <= 14; z++ {
		tiles := tilesCovering(ts.Bound(), z)
		for _, tile := range tiles { // warm the cache, gzipped forms included
			if ans, err := s.Get(ctx, "v1", int(tile.Z), int(tile.X), int(tile.Y), true, ""); err != nil || ans.Status >= 300 {
				b.Fatal(ans.Status, err)
			}
		}
		b.Run(fmt.Sprintf("z%d", z), func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				tile := tiles[i%len(tiles)]
				i++
				if _, err := s.Get(ctx, "v1", int(tile.Z), int(tile.X), int(tile.Y), true, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
