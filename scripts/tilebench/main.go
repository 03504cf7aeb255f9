// Command tilebench drives a running placeteam server with the tile and
// feature workloads of scripts/bench-tiles.sh and prints one JSON line per
// workload.
//
//	go run ./scripts/tilebench -url http://127.0.0.1:8080 -config manchester-2015 \
//	    -workload cold|tiles|wards|lsoas [-conns 32] [-duration 20s] [-zooms 10-14]
//
// The tiles are every tile of zooms -zooms that the city's wards touch (the
// extent of /collections/wards; 221 for Manchester at z10–14), at the URLs
// the configuration's TileJSON gives. Workloads:
//
//   - cold: each tile once, in order, on one keep-alive connection (run it
//     on a freshly started server: that is the cache-empty pass);
//   - tiles: -conns connections for -duration, each requesting the tiles in
//     turn from its own offset;
//   - wards: GET /collections/wards/items (the default page);
//   - lsoas: GET /collections/lsoas/items with a bbox over the city centre.
//
// Every request asks for gzip (Accept-Encoding: gzip) and the bytes counted
// are those on the wire; the decoded size is counted too. Any status but 200
// and 204 counts as an error and makes the command exit 1.
package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

type result struct {
	Workload     string  `json:"workload"`
	Requests     int     `json:"requests"`
	Errors       int     `json:"errors"`
	Seconds      float64 `json:"seconds"`
	PerSecond    float64 `json:"req_per_s"`
	P50Millis    float64 `json:"p50_ms"`
	P99Millis    float64 `json:"p99_ms"`
	WireBytes    float64 `json:"mean_wire_bytes"`    // per 200 answer
	DecodedBytes float64 `json:"mean_decoded_bytes"` // per 200 answer
	Conns        int     `json:"conns"`
	Tiles        int     `json:"tiles,omitempty"`
}

func main() {
	base := flag.String("url", "http://127.0.0.1:8080", "server base URL")
	config := flag.String("config", "manchester-2015", "configuration")
	workload := flag.String("workload", "cold", "cold, tiles, wards or lsoas")
	conns := flag.Int("conns", 32, "connections (tiles, wards, lsoas)")
	duration := flag.Duration("duration", 20*time.Second, "run time (tiles, wards, lsoas)")
	zooms := flag.String("zooms", "10-14", "zoom range of the tiles, MIN-MAX")
	printURLs := flag.Bool("print-paths", false, "print the workload's request paths, one a line, and exit (for wrk)")
	flag.Parse()
	if *printURLs {
		if err := printPaths(*base, *config, *workload, *zooms); err != nil {
			fmt.Fprintln(os.Stderr, "tilebench:", err)
			os.Exit(1)
		}
		return
	}
	res, err := run(*base, *config, *workload, *conns, *duration, *zooms)
	if err != nil {
		fmt.Fprintln(os.Stderr, "tilebench:", err)
		os.Exit(1)
	}
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
	if res.Errors > 0 {
		os.Exit(1)
	}
}

// workloadURLs are the URLs a workload requests.
func workloadURLs(client *http.Client, base, config, workload, zooms string) ([]string, error) {
	switch workload {
	case "cold", "tiles":
		return tileURLs(client, base, config, zooms)
	case "wards":
		return []string{base + "/collections/wards/items"}, nil
	case "lsoas":
		return []string{base + "/collections/lsoas/items?bbox=-2.26,53.46,-2.20,53.50"}, nil
	}
	return nil, fmt.Errorf("unknown workload %q", workload)
}

func printPaths(base, config, workload, zooms string) error {
	urls, err := workloadURLs(http.DefaultClient, base, config, workload, zooms)
	if err != nil {
		return err
	}
	for _, u := range urls {
		fmt.Println(strings.TrimPrefix(u, base))
	}
	return nil
}

func run(base, config, workload string, conns int, duration time.Duration, zooms string) (result, error) {
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		DisableCompression:  true, // count the bytes on the wire
	}, Timeout: 60 * time.Second}
	urls, err := workloadURLs(client, base, config, workload, zooms)
	if err != nil {
		return result{}, err
	}
	if workload == "cold" {
		conns = 1
		client.Transport.(*http.Transport).MaxConnsPerHost = 1
	}
	res := result{Workload: workload, Conns: conns}
	if workload == "cold" || workload == "tiles" {
		res.Tiles = len(urls)
	}
	var (
		mu        sync.Mutex
		latencies []time.Duration
		wire      int64
		decoded   int64
		ok        int
	)
	record := func(lat time.Duration, w, d int64, good bool) {
		mu.Lock()
		defer mu.Unlock()
		latencies = append(latencies, lat)
		if !good {
			res.Errors++
			return
		}
		if w > 0 {
			ok++
			wire += w
			decoded += d
		}
	}
	start := time.Now()
	if workload == "cold" {
		for _, u := range urls {
			lat, w, d, good := fetch(client, u)
			record(lat, w, d, good)
		}
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), duration)
		defer cancel()
		var wg sync.WaitGroup
		for c := range conns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := c * len(urls) / conns; ctx.Err() == nil; i++ {
					lat, w, d, good := fetch(client, urls[i%len(urls)])
					if ctx.Err() != nil && !good {
						return
					}
					record(lat, w, d, good)
				}
			}()
		}
		wg.Wait()
	}
	elapsed := time.Since(start)
	res.Requests = len(latencies)
	res.Seconds = round(elapsed.Seconds(), 3)
	res.PerSecond = round(float64(res.Requests)/elapsed.Seconds(), 1)
	slices.Sort(latencies)
	res.P50Millis = percentile(latencies, 0.50)
	res.P99Millis = percentile(latencies, 0.99)
	if ok > 0 {
		res.WireBytes = round(float64(wire)/float64(ok), 0)
		res.DecodedBytes = round(float64(decoded)/float64(ok), 0)
	}
	return res, nil
}

// fetch requests u with gzip and reads the whole answer: its latency, the
// bytes on the wire and decoded (0 for a 204), and whether it succeeded.
func fetch(client *http.Client, u string) (time.Duration, int64, int64, bool) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return time.Since(t0), 0, 0, false
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	lat := time.Since(t0)
	if err != nil || (resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent) {
		return lat, 0, 0, false
	}
	dec := int64(len(body))
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			return lat, 0, 0, false
		}
		n, err := io.Copy(io.Discard, zr)
		if err != nil {
			return lat, 0, 0, false
		}
		dec = n
	}
	return lat, int64(len(body)), dec, true
}

// tileURLs lists the tiles of the zoom range that the TileJSON's bounds
// touch, with the TileJSON's (versioned) tile URL template.
func tileURLs(client *http.Client, base, config, zooms string) ([]string, error) {
	lo, hi, ok := strings.Cut(zooms, "-")
	zmin, err1 := strconv.Atoi(lo)
	zmax, err2 := strconv.Atoi(hi)
	if !ok || err1 != nil || err2 != nil || zmin < 0 || zmax < zmin || zmax > 22 {
		return nil, fmt.Errorf("zooms %q: want MIN-MAX", zooms)
	}
	resp, err := client.Get(base + "/tiles/" + config + ".json")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("TileJSON: %s", resp.Status)
	}
	var doc struct {
		Tiles  []string  `json:"tiles"`
		Bounds []float64 `json:"bounds"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("TileJSON: %w", err)
	}
	if len(doc.Tiles) == 0 {
		return nil, fmt.Errorf("TileJSON without tiles")
	}
	bounds, err := wardExtent(client, base)
	if err != nil {
		return nil, err
	}
	var urls []string
	for z := zmin; z <= zmax; z++ {
		x0, y0 := tileOf(bounds[0], bounds[3], z)
		x1, y1 := tileOf(bounds[2], bounds[1], z)
		for x := x0; x <= x1; x++ {
			for y := y0; y <= y1; y++ {
				u := strings.NewReplacer("{z}", strconv.Itoa(z), "{x}", strconv.Itoa(x), "{y}", strconv.Itoa(y)).Replace(doc.Tiles[0])
				urls = append(urls, u)
			}
		}
	}
	return urls, nil
}

// wardExtent is the bbox of the wards collection: the city.
func wardExtent(client *http.Client, base string) ([4]float64, error) {
	resp, err := client.Get(base + "/collections/wards?f=json")
	if err != nil {
		return [4]float64{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return [4]float64{}, fmt.Errorf("wards collection: %s", resp.Status)
	}
	var doc struct {
		Extent struct {
			Spatial struct {
				BBox [][]float64 `json:"bbox"`
			} `json:"spatial"`
		} `json:"extent"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return [4]float64{}, fmt.Errorf("wards collection: %w", err)
	}
	if b := doc.Extent.Spatial.BBox; len(b) == 1 && len(b[0]) == 4 {
		return [4]float64(b[0]), nil
	}
	return [4]float64{}, fmt.Errorf("wards collection has no extent")
}

// tileOf is the web-mercator tile holding lon/lat at zoom z.
func tileOf(lon, lat float64, z int) (int, int) {
	n := math.Exp2(float64(z))
	x := int((lon + 180) / 360 * n)
	r := lat * math.Pi / 180
	y := int((1 - math.Log(math.Tan(r)+1/math.Cos(r))/math.Pi) / 2 * n)
	last := int(n) - 1
	return min(max(x, 0), last), min(max(y, 0), last)
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return round(float64(sorted[max(i, 0)])/1e6, 2)
}

func round(v float64, digits int) float64 {
	f := math.Pow(10, float64(digits))
	return math.Round(v*f) / f
}
