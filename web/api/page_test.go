package api_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/placeteam/placeteam/web/api"
)

// TestLandingOrPage: / is the map page for browsers and the OGC landing
// document for everyone else; /map/… is the page's.
func TestLandingOrPage(t *testing.T) {
	core, _ := testCore(t, noJobs)
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<p>page %s</p>", r.URL.Path)
	})
	srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.DiscardHandler), Page: page}))
	t.Cleanup(srv.Close)
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, x := range []exchange{
		{"browser", "GET", "/", map[string]string{"Accept": browser}, "", 200, "text/html", []string{"<p>page /</p>"}},
		{"json client", "GET", "/", map[string]string{"Accept": "application/json"}, "", 200, jsonCT, []string{`"rel":"service-desc"`}},
		{"json first", "GET", "/", map[string]string{"Accept": "application/json, text/html"}, "", 200, jsonCT, []string{`"rel":"conformance"`}},
		{"no accept", "GET", "/", nil, "", 200, jsonCT, []string{`"title":"placeteam"`}},
		{"f=json from a browser", "GET", "/?f=json", map[string]string{"Accept": browser}, "", 200, jsonCT, []string{`"rel":"data"`}},
		{"html refused", "GET", "/", map[string]string{"Accept": "text/html;q=0, application/json"}, "", 200, jsonCT, nil},
		{"bad f", "GET", "/?f=xml", nil, "", 400, problemCT, nil},
		{"page asset", "GET", "/map/app.js", nil, "", 200, "text/html", []string{"<p>page /map/app.js</p>"}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}

	// Without a page, / stays the landing document even for browsers.
	plain, _ := server(t)
	do(t, plain, exchange{"no page", "GET", "/", map[string]string{"Accept": browser}, "", 200, jsonCT, []string{`"title":"placeteam"`}})
	do(t, plain, exchange{"no page assets", "GET", "/map/app.js", nil, "", 404, problemCT, nil})
}

// TestTileJSONZoomsHaveContent: the TileJSON's minzoom is the first zoom
// whose tiles hold the city (below it the tile is empty, 204), and its
// centre lies inside the bounds at a zoom it lists.
func TestTileJSONZoomsHaveContent(t *testing.T) {
	srv, _ := server(t)
	res, err := http.Get(srv.URL + "/tiles/demo-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		Bounds  [4]float64 `json:"bounds"`
		Center  []float64  `json:"center"`
		MinZoom int        `json:"minzoom"`
		MaxZoom int        `json:"maxzoom"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Center) != 3 {
		t.Fatalf("center %v, want [lon, lat, zoom]", doc.Center)
	}
	lon, lat, zoom := doc.Center[0], doc.Center[1], int(doc.Center[2])
	if lon < doc.Bounds[0] || lon > doc.Bounds[2] || lat < doc.Bounds[1] || lat > doc.Bounds[3] {
		t.Errorf("center %v outside bounds %v", doc.Center, doc.Bounds)
	}
	if zoom < doc.MinZoom || zoom > doc.MaxZoom || zoom < 8 {
		t.Errorf("center zoom %d: want a city-sized zoom within %d..%d", zoom, doc.MinZoom, doc.MaxZoom)
	}
	status := func(z int) int {
		tile := maptile.At(orb.Point{lon, lat}, maptile.Zoom(z))
		res, err := http.Get(fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt", srv.URL, z, tile.X, tile.Y))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode
	}
	for z := doc.MinZoom; z <= doc.MaxZoom; z++ {
		if got := status(z); got != http.StatusOK {
			t.Errorf("zoom %d (listed %d..%d): centre tile %d, want content", z, doc.MinZoom, doc.MaxZoom, got)
		}
	}
	if doc.MinZoom > 0 {
		if got := status(doc.MinZoom - 1); got != http.StatusNoContent {
			t.Errorf("zoom %d, below minzoom %d: %d, want 204 (else minzoom is too high)", doc.MinZoom-1, doc.MinZoom, got)
		}
	}
}
