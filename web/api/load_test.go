package api_test

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb/maptile"
)

// BenchmarkMapSessionLoad is a loopback load test of a realistic map
// session — TileJSON, ~50 tiles over zooms 12–14, the profile — by 32
// concurrent clients, bounded in sessions and time. It reports requests/s
// and p50/p99 latency and fails on any error.
func BenchmarkMapSessionLoad(b *testing.B) {
	srv, _ := server(b)
	var urls []string
	urls = append(urls, srv.URL+"/tiles/demo-baseline.json")
	for _, z := range []maptile.Zoom{12, 13, 14} {
		for _, tile := range cityTiles(b, srv.URL, z) {
			urls = append(urls, fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt", srv.URL, tile.Z, tile.X, tile.Y))
		}
	}
	if len(urls) > 51 {
		urls = urls[:51]
	}
	urls = append(urls, srv.URL+"/api/configurations/demo-baseline/profile")
	const clients = 32
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	// One session first, so the tileset and the dissolved teams exist: the
	// load test measures a warm server (the first session on a cold server
	// pays ~1 s to dissolve and index).
	for _, u := range urls {
		resp, err := client.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	b.ReportAllocs()
	b.ResetTimer()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
	)
	start := time.Now()
	deadline := start.Add(60 * time.Second)
	sessions := make(chan int, b.N)
	for i := 0; i < b.N; i++ {
		sessions <- i
	}
	close(sessions)
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			bad := 0
			for range sessions {
				if time.Now().After(deadline) {
					break
				}
				for _, u := range urls {
					t0 := time.Now()
					req, _ := http.NewRequest("GET", u, nil)
					req.Header.Set("Accept-Encoding", "gzip")
					resp, err := client.Do(req)
					if err != nil {
						bad++
						continue
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 && resp.StatusCode != 204 {
						bad++
					}
					local = append(local, time.Since(t0))
				}
			}
			mu.Lock()
			latencies = append(latencies, local...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if errs > 0 {
		b.Fatalf("%d failed requests", errs)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	n := len(latencies)
	if n == 0 {
		b.Fatal("no requests")
	}
	b.ReportMetric(float64(n)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[n/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[n*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(urls)), "req/session")
}
