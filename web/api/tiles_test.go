package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"
)

func getTile(t testing.TB, url string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// cityTiles lists the z-level tiles covering the demo city's wards.
func cityTiles(t testing.TB, srvURL string, z maptile.Zoom) []maptile.Tile {
	t.Helper()
	resp, body := getTile(t, srvURL+"/collections/wards", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("collection: %d", resp.StatusCode)
	}
	var doc struct {
		Extent struct {
			Spatial struct{ BBox [][]float64 } `json:"spatial"`
		} `json:"extent"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		t.Fatal(err)
	}
	bb := doc.Extent.Spatial.BBox[0]
	min := maptile.At(orb.Point{bb[0], bb[3]}, z)
	max := maptile.At(orb.Point{bb[2], bb[1]}, z)
	var out []maptile.Tile
	for x := min.X; x <= max.X; x++ {
		for y := min.Y; y <= max.Y; y++ {
			out = append(out, maptile.New(x, y, z))
		}
	}
	return out
}

func TestTilesAndTileJSON(t *testing.T) {
	srv, _ := server(t)
	do(t, srv, exchange{"tilejson", "GET", "/tiles/demo-baseline.json", nil, "", 200, jsonCT,
		[]string{`"tilejson":"3.0.0"`, `"vector_layers":[`, `"id":"teams"`, `"id":"wards"`, `"id":"lsoas"`, `"id":"practices"`, `"id":"localities"`, `"id":"hospitals"`, `"attribution":"placeteam demo city`, `/tiles/demo-baseline/{z}/{x}/{y}.mvt?version=1`}})
	do(t, srv, exchange{"style", "GET", "/styles/demo-baseline.json", nil, "", 200, jsonCT, []string{`"version":8`, `"source-layer":"teams"`, `/tiles/demo-baseline.json?version=1`}})
	for _, x := range []exchange{
		{"z out of range", "GET", "/tiles/demo-baseline/23/0/0.mvt", nil, "", 400, problemCT, []string{"z must be 0-16"}},
		{"x out of range", "GET", "/tiles/demo-baseline/2/4/0.mvt", nil, "", 400, problemCT, nil},
		{"not a number", "GET", "/tiles/demo-baseline/a/0/0.mvt", nil, "", 400, problemCT, nil},
		{"no suffix", "GET", "/tiles/demo-baseline/1/0/0.png", nil, "", 404, problemCT, nil},
		{"unknown configuration", "GET", "/tiles/nope/1/0/0.mvt", nil, "", 404, problemCT, nil},
		{"unknown tilejson", "GET", "/tiles/nope.json", nil, "", 404, problemCT, nil},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}

	const buffer = 64
	layersSeen := map[string]bool{}
	for _, tile := range cityTiles(t, srv.URL, 12) {
		url := fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt", srv.URL, tile.Z, tile.X, tile.Y)
		resp, body := getTile(t, url, nil)
		if resp.StatusCode == http.StatusNoContent {
			continue
		}
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.mapbox-vector-tile" || resp.Header.Get("ETag") == "" {
			t.Fatalf("tile %v: %d %v", tile, resp.StatusCode, resp.Header)
		}
		layers, err := mvt.Unmarshal(body)
		if err != nil {
			t.Fatalf("tile %v: %v", tile, err)
		}
		for _, l := range layers {
			layersSeen[l.Name] = true
			if l.Extent != 4096 || l.Version != 2 {
				t.Errorf("layer %s: extent %d version %d", l.Name, l.Extent, l.Version)
			}
			for _, f := range l.Features {
				b := f.Geometry.Bound()
				if b.Min[0] < -buffer || b.Min[1] < -buffer || b.Max[0] > 4096+buffer || b.Max[1] > 4096+buffer {
					t.Errorf("tile %v layer %s: geometry %v outside extent+buffer", tile, l.Name, b)
				}
			}
		}
		// 304 on the same ETag; gzip when asked.
		if r304, _ := getTile(t, url, map[string]string{"If-None-Match": resp.Header.Get("ETag")}); r304.StatusCode != 304 {
			t.Errorf("If-None-Match: %d", r304.StatusCode)
		}
		rgz, gz := getTile(t, url, map[string]string{"Accept-Encoding": "gzip"})
		if rgz.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("gzip not applied: %v", rgz.Header)
		}
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if !bytes.Equal(plain, body) {
			t.Errorf("gzip body differs from the plain tile")
		}
	}
	for _, l := range []string{"wards", "teams", "localities", "lsoas", "practices"} {
		if !layersSeen[l] {
			t.Errorf("no z12 tile has layer %s", l)
		}
	}
}

// TestTilesCarriedAfterMove: after a one-ward move only tiles touching the
// two changed teams are cut again; every other tile comes from the previous
// version's cache and is byte-identical to a tile cut afresh, for lean
// tiles and for tiles with every property. The other cases empty a team
// (its wards all move), which changes the team list and so the mean every
// team's population deviation is measured from: tiles with every property
// carry that deviation, so none is carried; lean tiles do not, and are
// carried as after any move. Every tile is still what a fresh cut gives.
func TestTilesCarriedAfterMove(t *testing.T) {
	_, base := server(t)
	from, to := base.Localities[0].Teams[0], base.Localities[0].Teams[1]
	oneWard := `{"moves":[{"ward":"` + from.Wards[0] + `","team":"` + to.ID + `"}]}`
	var all []string
	for _, w := range from.Wards {
		all = append(all, `{"ward":"`+w+`","team":"`+to.ID+`"}`)
	}
	emptyTeam := `{"moves":[` + strings.Join(all, ",") + `],"allow_empty_teams":true}`
	for name, c := range map[string]struct {
		move, query string
		carries     bool
	}{
		"one ward":                     {oneWard, "", true},
		"one ward, every property":     {oneWard, "&properties=all", true},
		"empty a team":                 {emptyTeam, "", true},
		"empty a team, every property": {emptyTeam, "&properties=all", false},
	} {
		t.Run(name, func(t *testing.T) {
			checkCarry(t, c.move, c.query, append(append([]string{}, from.Wards...), to.Wards...), c.carries)
		})
	}
}

func checkCarry(t *testing.T, move, query string, changedWards []string, carries bool) {
	srv, _ := server(t)
	fresh, _ := server(t)
	const z = 14
	tilesAt := cityTiles(t, srv.URL, z)
	for _, tile := range tilesAt {
		getTile(t, fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt?version=1%s", srv.URL, tile.Z, tile.X, tile.Y, query), nil)
	}
	resp, _ := do(t, srv, exchange{"move", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`}, move, 200, jsonCT, nil})
	carried := resp.Header.Get("X-Tiles-Carried")
	do(t, fresh, exchange{"same move, no cache", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`}, move, 200, jsonCT, nil})

	var changed []orb.Bound
	for _, w := range changedWards {
		r, body := getTile(t, srv.URL+"/collections/wards/items/"+w, nil)
		if r.StatusCode != 200 {
			t.Fatal(r.StatusCode)
		}
		var f struct {
			Geometry json.RawMessage `json:"geometry"`
		}
		_ = json.Unmarshal(body, &f)
		changed = append(changed, boundOf(t, f.Geometry))
	}
	regenerated, reused, touching := 0, 0, 0
	for _, tile := range tilesAt {
		path := fmt.Sprintf("/tiles/demo-baseline/%d/%d/%d.mvt?version=2%s", tile.Z, tile.X, tile.Y, query)
		r, body := getTile(t, srv.URL+path, nil)
		_, freshBody := getTile(t, fresh.URL+path, nil)
		if !bytes.Equal(body, freshBody) {
			t.Errorf("tile %v (%s) differs from a fresh cut", tile, r.Header.Get("X-Tile-Cache"))
		}
		b := tile.Bound()
		pad := (b.Max[0] - b.Min[0]) * 64 / 4096
		b = orb.Bound{Min: orb.Point{b.Min[0] - pad, b.Min[1] - pad}, Max: orb.Point{b.Max[0] + pad, b.Max[1] + pad}}
		touches := false
		for _, cb := range changed {
			if b.Intersects(cb) {
				touches = true
			}
		}
		if touches {
			touching++
		}
		switch r.Header.Get("X-Tile-Cache") {
		case "miss":
			regenerated++
			if carries && !touches {
				t.Errorf("tile %v was regenerated but touches neither changed team", tile)
			}
		case "hit":
			reused++
		}
	}
	t.Logf("z%d: %d tiles, %d carried, %d regenerated, %d touch the changed teams", z, len(tilesAt), reused, regenerated, touching)
	if !carries {
		if reused != 0 || carried != "0" || regenerated != len(tilesAt) {
			t.Errorf("regenerated %d of %d, reused %d, carried header %s; want every tile cut again", regenerated, len(tilesAt), reused, carried)
		}
		return
	}
	if regenerated == 0 || reused == 0 || fmt.Sprint(reused) != carried || regenerated > touching {
		t.Errorf("regenerated %d, reused %d, carried header %s, touching %d", regenerated, reused, carried, touching)
	}
}

func boundOf(t *testing.T, raw json.RawMessage) orb.Bound {
	t.Helper()
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	var pts [][2]float64
	s := strings.NewReplacer("[", " ", "]", " ", ",", " ").Replace(string(g.Coordinates))
	f := strings.Fields(s)
	for i := 0; i+1 < len(f); i += 2 {
		var x, y float64
		fmt.Sscan(f[i], &x)
		fmt.Sscan(f[i+1], &y)
		pts = append(pts, [2]float64{x, y})
	}
	b := orb.Bound{Min: orb.Point(pts[0]), Max: orb.Point(pts[0])}
	for _, p := range pts {
		b = b.Extend(orb.Point(p))
	}
	return b
}
