package api_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb/maptile"

	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

// BenchmarkTileHandler is the server's side of one tile request on the
// demo city, through every middleware but without a network: a cached
// hit, and a cut with the tile cache off. Requests run in parallel
// (GOMAXPROCS goroutines), as concurrent clients would.
func BenchmarkTileHandler(b *testing.B) {
	for _, c := range []struct {
		name  string
		bytes int64
	}{{"cached", 0}, {"uncached", -1}} {
		b.Run(c.name, func(b *testing.B) {
			core, _ := testCoreWith(b, noJobs, func(cfg *planning.Config) { cfg.TileCacheBytes = c.bytes })
			h := api.New(api.Config{Core: core, Logger: slog.New(slog.DiscardHandler)})
			srv := httptest.NewServer(h)
			defer srv.Close()
			var paths []string
			for _, z := range []maptile.Zoom{12, 13, 14} {
				for _, tile := range cityTiles(b, srv.URL, z) {
					paths = append(paths, fmt.Sprintf("/tiles/demo-baseline/%d/%d/%d.mvt?version=1", tile.Z, tile.X, tile.Y))
				}
			}
			for _, p := range paths { // warm: tileset built, tiles cached
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, gzipRequest(p))
				if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent {
					b.Fatalf("%s: %d", p, rec.Code)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				i := 0
				for pb.Next() {
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, gzipRequest(paths[i%len(paths)]))
					if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent {
						b.Errorf("%d", rec.Code)
					}
					i++
				}
			})
		})
	}
}

func gzipRequest(path string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = "127.0.0.1:1234"
	req.Header.Set("Accept-Encoding", "gzip")
	return req
}
