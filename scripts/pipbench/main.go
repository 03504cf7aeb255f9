// Command pipbench times point-in-polygon assignment with geo/areaindex and
// writes the same points and wards as CSV for scripts/bench-postgis.sh.
//
//	go run ./scripts/pipbench -wards wards.geojson -out DIR [-n 1000000] [-seed 1]
//
// It writes DIR/points.csv (id,lon,lat), DIR/wards.csv (code,wkt) and
// DIR/go_assignment.csv (id,code; only points inside a ward), each with that
// header line, then prints
// one JSON line. seconds is the best of three runs of the assignment loop
// alone (index and its grid built, points in memory; no file I/O);
// rtree_seconds the same without the grid. Coordinates are
// written in Go's shortest round-trip form, so PostgreSQL's float8 parser
// reads back exactly the float64 values located here.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/geo/areaindex"
)

type result struct {
	Points          int            `json:"points"`
	Wards           int            `json:"wards"`
	Seconds         float64        `json:"seconds"`
	PointsPerSecond float64        `json:"points_per_second"`
	Matched         int            `json:"matched"`
	PerWard         map[string]int `json:"per_ward"`
	Checksum        string         `json:"checksum"` // FNV-1a 64 of the "id,code\n" lines of go_assignment.csv
	// The timed index is the R-tree with a grid of GridCells cells in front
	// (areaindex.Index.Accelerated), built in GridBuildSeconds (not timed);
	// RTreeSeconds is the same loop on the R-tree alone (same answers).
	GridCells        int     `json:"grid_cells"`
	GridBuildSeconds float64 `json:"grid_build_seconds"`
	RTreeSeconds     float64 `json:"rtree_seconds"`
}

// gridCells is the size of the grid in front of the R-tree.
const gridCells = 1 << 18

func main() {
	wardsPath := flag.String("wards", "", "ward boundaries GeoJSON (code in property -code)")
	codeProperty := flag.String("code", "WD13CD", "property holding the ward code")
	n := flag.Int("n", 1_000_000, "number of random points")
	seed := flag.Uint64("seed", 1, "PCG seed")
	out := flag.String("out", ".", "directory for the CSV files")
	flag.Parse()
	if err := run(*wardsPath, *codeProperty, *n, *seed, *out); err != nil {
		fmt.Fprintln(os.Stderr, "pipbench:", err)
		os.Exit(1)
	}
}

func run(wardsPath, codeProperty string, n int, seed uint64, out string) error {
	wards, err := readWards(wardsPath, codeProperty)
	if err != nil {
		return err
	}
	plain := areaindex.New(wards)
	points := randomPoints(bound(wards), n, seed)
	start := time.Now()
	ix := plain.Accelerated(gridCells)
	gridBuild := time.Since(start)

	// Best of three; each run locates every point and keeps the answer.
	locate := func(ix *areaindex.Index, codes []string) time.Duration {
		best := time.Duration(1<<63 - 1)
		for range 3 {
			start := time.Now()
			for i, p := range points {
				codes[i], _ = ix.Locate(p)
			}
			best = min(best, time.Since(start))
		}
		return best
	}
	codes, rtreeCodes := make([]string, n), make([]string, n)
	best := locate(ix, codes)
	rtreeBest := locate(plain, rtreeCodes)
	for i := range codes {
		if codes[i] != rtreeCodes[i] {
			return fmt.Errorf("point %d: grid %q, R-tree %q", i, codes[i], rtreeCodes[i])
		}
	}

	if err := writeCSV(filepath.Join(out, "wards.csv"), "code,wkt", len(wards), func(i int) string {
		return wards[i].Code + `,"` + wkt.MarshalString(wards[i].Geometry) + `"`
	}); err != nil {
		return err
	}
	if err := writeCSV(filepath.Join(out, "points.csv"), "id,lon,lat", n, func(i int) string {
		return strconv.Itoa(i) + "," + format(points[i][0]) + "," + format(points[i][1])
	}); err != nil {
		return err
	}
	res := result{Points: n, Wards: len(wards), Seconds: best.Seconds(),
		PointsPerSecond: float64(n) / best.Seconds(), PerWard: map[string]int{},
		GridCells: gridCells, GridBuildSeconds: gridBuild.Seconds(), RTreeSeconds: rtreeBest.Seconds()}
	sum := fnv.New64a()
	err = writeCSV(filepath.Join(out, "go_assignment.csv"), "id,code", n, func(i int) string {
		if codes[i] == "" {
			return ""
		}
		res.Matched++
		res.PerWard[codes[i]]++
		line := strconv.Itoa(i) + "," + codes[i]
		fmt.Fprintln(sum, line)
		return line
	})
	if err != nil {
		return err
	}
	res.Checksum = fmt.Sprintf("%016x", sum.Sum64())
	return json.NewEncoder(os.Stdout).Encode(res)
}

func readWards(path, codeProperty string) ([]areaindex.Area, error) {
	c, err := geojsonfile.ReadFile(path, geojsonfile.Options{Want: geojsonfile.WantPolygons})
	if err != nil {
		return nil, err
	}
	wards := make([]areaindex.Area, 0, len(c.Features))
	for _, f := range c.Features {
		code, ok := f.String(codeProperty)
		if !ok {
			return nil, fmt.Errorf("%s: feature %d has no %s", path, f.Index, codeProperty)
		}
		wards = append(wards, areaindex.Area{Code: code, Geometry: f.Geometry.(orb.MultiPolygon)})
	}
	if len(wards) == 0 {
		return nil, fmt.Errorf("%s: no wards", path)
	}
	return wards, nil
}

func bound(areas []areaindex.Area) orb.Bound {
	b := areas[0].Geometry.Bound()
	for _, a := range areas[1:] {
		b = b.Union(a.Geometry.Bound())
	}
	return b
}

// randomPoints is the generator of geo/areaindex/million_test.go: n points
// uniform in bound from PCG(seed, seed), x then y for each point.
func randomPoints(bound orb.Bound, n int, seed uint64) []orb.Point {
	rng := rand.New(rand.NewPCG(seed, seed))
	width, height := bound.Max[0]-bound.Min[0], bound.Max[1]-bound.Min[1]
	points := make([]orb.Point, n)
	for i := range points {
		points[i] = orb.Point{bound.Min[0] + rng.Float64()*width, bound.Min[1] + rng.Float64()*height}
	}
	return points
}

func format(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// writeCSV writes the header, then line(i) for i in [0, n), skipping empty
// lines.
func writeCSV(path, header string, n int, line func(i int) string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	w.WriteString(header + "\n")
	for i := range n {
		if l := line(i); l != "" {
			w.WriteString(l)
			w.WriteByte('\n')
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
