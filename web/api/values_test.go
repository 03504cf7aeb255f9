package api_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// mapValues fetches a layer's values document.
func mapValues(t *testing.T, srvURL, layer, query string) planning.MapValues {
	t.Helper()
	resp, body := getTile(t, srvURL+"/values/demo-baseline/"+layer+".json"+query, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("values %s: %d %s", layer, resp.StatusCode, body)
	}
	var v planning.MapValues
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// decodeTile decodes a tile answer (gzipped or not); nil for a 204.
func decodeTile(t *testing.T, resp *http.Response, body []byte) mvt.Layers {
	t.Helper()
	switch resp.StatusCode {
	case http.StatusNoContent:
		return nil
	case http.StatusOK:
	default:
		t.Fatalf("tile: %d %s", resp.StatusCode, body)
	}
	var (
		layers mvt.Layers
		err    error
	)
	if resp.Header.Get("Content-Encoding") == "gzip" {
		layers, err = mvt.UnmarshalGzipped(body)
	} else {
		layers, err = mvt.Unmarshal(body)
	}
	if err != nil {
		t.Fatal(err)
	}
	return layers
}

// TestMapValuesJoinTiles: every feature of every lean tile over the city
// carries its layer's id property, and that id has a row in the layer's
// values document, which holds the figures the tile leaves out (the same
// as the collection's); the tiles with every property carry them inline.
func TestMapValuesJoinTiles(t *testing.T) {
	srv, base := server(t)
	values := map[string]planning.MapValues{}
	for _, l := range planning.MapLayers {
		v := mapValues(t, srv.URL, l.Name, "?version=1")
		if v.Layer != l.Name || v.IDField != l.IDField || v.Version != 1 || len(v.Values) == 0 {
			t.Errorf("values %s: layer %q id field %q version %d, %d rows", l.Name, v.Layer, v.IDField, v.Version, len(v.Values))
		}
		values[l.Name] = v
	}
	if n := len(values[planning.LayerTeams].Values); n != len(base.Teams()) {
		t.Errorf("team values: %d rows, want %d teams", n, len(base.Teams()))
	}
	joined := map[string]int{}
	for _, z := range []maptile.Zoom{11, 13} {
		for _, tile := range cityTiles(t, srv.URL, z) {
			path := fmt.Sprintf("/tiles/demo-baseline/%d/%d/%d.mvt?version=1", tile.Z, tile.X, tile.Y)
			resp, body := getTile(t, srv.URL+path, map[string]string{"Accept-Encoding": "gzip"})
			for _, layer := range decodeTile(t, resp, body) {
				def, ok := planning.LayerByName(layer.Name)
				if !ok {
					t.Fatalf("tile layer %q is not a map layer", layer.Name)
				}
				for _, f := range layer.Features {
					id, ok := f.Properties[def.IDField].(string)
					if !ok {
						t.Fatalf("%s: a %s feature has no %s: %v", path, layer.Name, def.IDField, f.Properties)
					}
					row, ok := values[layer.Name].Values[id]
					if !ok {
						t.Fatalf("%s: %s feature %s has no value row", path, layer.Name, id)
					}
					for k := range f.Properties {
						if !slices.Contains(def.TileFields, k) {
							t.Errorf("%s: lean %s feature carries %q", path, layer.Name, k)
						}
						if fmt.Sprint(row[k]) != fmt.Sprint(f.Properties[k]) {
							t.Errorf("%s: %s %s: tile %s=%v, values %v", path, layer.Name, id, k, f.Properties[k], row[k])
						}
					}
					joined[layer.Name]++
				}
			}
		}
	}
	for _, l := range planning.MapLayers {
		if joined[l.Name] == 0 {
			t.Errorf("no tile feature of layer %s was joined", l.Name)
		}
	}

	// The values are the collection's figures.
	_, body := getTile(t, srv.URL+"/collections/teams-demo-baseline/items?version=1", nil)
	var fc struct {
		Features []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil || len(fc.Features) == 0 {
		t.Fatalf("team items: %v (%d features)", err, len(fc.Features))
	}
	indicators := 0
	for _, f := range fc.Features {
		row := values[planning.LayerTeams].Values[f.ID]
		for k, want := range f.Properties {
			if k == "configuration" || k == "version" {
				continue
			}
			if strings.HasPrefix(k, "ind_") {
				indicators++
			}
			if fmt.Sprint(row[k]) != fmt.Sprint(want) {
				t.Errorf("team %s %s: values %v, collection %v", f.ID, k, row[k], want)
			}
		}
	}
	if indicators == 0 {
		t.Error("the demo's teams carry no indicator to compare")
	}

	// Modelled figures are named.
	if m := values[planning.LayerTeams].Modelled; len(m) == 0 {
		t.Error("team values name no modelled property; the demo's flows are modelled")
	}

	// Full tiles carry the figures inline.
	tile := cityTiles(t, srv.URL, 12)[0]
	resp, body := getTile(t, fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt?version=1&properties=all", srv.URL, tile.Z, tile.X, tile.Y), nil)
	full := decodeTile(t, resp, body).ToFeatureCollections()
	if wards := full[planning.LayerWards]; wards == nil || len(wards.Features) == 0 || !hasPrefixKey(wards.Features[0].Properties, "ind_") {
		t.Errorf("a full tile's wards carry no indicator")
	}
	for _, bad := range []string{"properties=some", "version=0"} {
		if r, _ := getTile(t, fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt?%s", srv.URL, tile.Z, tile.X, tile.Y, bad), nil); r.StatusCode != http.StatusBadRequest {
			t.Errorf("tile ?%s: %d, want 400", bad, r.StatusCode)
		}
	}
	for _, bad := range []string{"/values/demo-baseline/rivers.json", "/values/nope/wards.json", "/values/demo-baseline/wards"} {
		if r, _ := getTile(t, srv.URL+bad, nil); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, r.StatusCode)
		}
	}
}

func hasPrefixKey(m map[string]any, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// TestTileGzipSameFeatures: a tile decodes to the same features gzipped
// or not, lean and full.
func TestTileGzipSameFeatures(t *testing.T) {
	srv, _ := server(t)
	n := 0
	for _, q := range []string{"", "&properties=all"} {
		for _, tile := range cityTiles(t, srv.URL, 12) {
			path := fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt?version=1%s", srv.URL, tile.Z, tile.X, tile.Y, q)
			rz, bz := getTile(t, path, map[string]string{"Accept-Encoding": "gzip"})
			rp, bp := getTile(t, path, map[string]string{"Accept-Encoding": "identity"})
			if rz.StatusCode != rp.StatusCode {
				t.Fatalf("%s: %d gzipped, %d plain", path, rz.StatusCode, rp.StatusCode)
			}
			if rz.StatusCode == http.StatusOK && (rz.Header.Get("Content-Encoding") != "gzip" || rp.Header.Get("Content-Encoding") != "") {
				t.Fatalf("%s: encodings %q and %q", path, rz.Header.Get("Content-Encoding"), rp.Header.Get("Content-Encoding"))
			}
			a, _ := json.Marshal(decodeTile(t, rz, bz).ToFeatureCollections())
			b, _ := json.Marshal(decodeTile(t, rp, bp).ToFeatureCollections())
			if !bytes.Equal(a, b) {
				t.Errorf("%s: gzipped and plain tiles decode differently", path)
			}
			n++
		}
	}
	if n == 0 {
		t.Fatal("no tiles")
	}
}

// TestGoldenTiles compares one tile per zoom over the demo city, decoded
// into features (layer, id, properties, geometry type and size), with the
// golden file; go test -run TestGoldenTiles -update rewrites it after a
// deliberate change.
func TestGoldenTiles(t *testing.T) {
	srv, _ := server(t)
	type goldenFeature struct {
		ID         any            `json:"id"`
		Geometry   string         `json:"geometry"`
		Points     int            `json:"points"`
		Properties map[string]any `json:"properties"`
	}
	got := map[string]map[string][]goldenFeature{}
	for _, z := range []maptile.Zoom{10, 12, 14} {
		tiles := cityTiles(t, srv.URL, z)
		tile := tiles[len(tiles)/2]
		name := fmt.Sprintf("%d/%d/%d", tile.Z, tile.X, tile.Y)
		resp, body := getTile(t, srv.URL+"/tiles/demo-baseline/"+name+".mvt?version=1", map[string]string{"Accept-Encoding": "gzip"})
		layers := map[string][]goldenFeature{}
		for _, l := range decodeTile(t, resp, body) {
			for _, f := range l.Features {
				layers[l.Name] = append(layers[l.Name], goldenFeature{ID: f.ID, Geometry: f.Geometry.GeoJSONType(),
					Points: countPoints(f.Geometry), Properties: f.Properties})
			}
		}
		got[name] = layers
	}
	gotJSON, _ := json.MarshalIndent(got, "", " ")
	path := filepath.Join("testdata", "golden_tiles.json")
	if *updateGolden {
		if err := os.WriteFile(path, append(gotJSON, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantJSON, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	var want map[string]map[string][]goldenFeature
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatal(err)
	}
	var gotBack map[string]map[string][]goldenFeature
	_ = json.Unmarshal(gotJSON, &gotBack) // numbers as the file holds them
	for _, name := range slices.Sorted(maps.Keys(want)) {
		for _, layer := range slices.Sorted(maps.Keys(want[name])) {
			w, g := want[name][layer], gotBack[name][layer]
			a, _ := json.Marshal(w)
			b, _ := json.Marshal(g)
			if !bytes.Equal(a, b) {
				t.Errorf("tile %s layer %s differs from the golden file:\n got %s\nwant %s", name, layer, b, a)
			}
		}
		for layer := range gotBack[name] {
			if _, ok := want[name][layer]; !ok {
				t.Errorf("tile %s has layer %s, which the golden file lacks", name, layer)
			}
		}
	}
	if len(want) != len(gotBack) {
		t.Errorf("%d golden tiles, %d cut", len(want), len(gotBack))
	}
}

func countPoints(g orb.Geometry) int {
	switch x := g.(type) {
	case orb.Point:
		return 1
	case orb.MultiPoint:
		return len(x)
	case orb.LineString:
		return len(x)
	case orb.MultiLineString:
		n := 0
		for _, l := range x {
			n += len(l)
		}
		return n
	case orb.Polygon:
		n := 0
		for _, r := range x {
			n += len(r)
		}
		return n
	case orb.MultiPolygon:
		n := 0
		for _, p := range x {
			n += countPoints(p)
		}
		return n
	}
	return 0
}

// TestFeaturesGzipAndCached: a feature page is the same document gzipped
// or not, is encoded once (the second request is a cache hit), and
// revalidates with its ETag.
func TestFeaturesGzipAndCached(t *testing.T) {
	core, _ := testCore(t, noJobs)
	srv := httptest.NewServer(api.New(api.Config{Core: core}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/collections/lsoas/items?limit=200"
	rz, bz := getTile(t, url, map[string]string{"Accept-Encoding": "gzip"})
	before := core.Stats().Caches["responses"]
	rp, bp := getTile(t, url, map[string]string{"Accept-Encoding": "identity"})
	after := core.Stats().Caches["responses"]
	if rz.StatusCode != 200 || rp.StatusCode != 200 {
		t.Fatalf("statuses %d, %d", rz.StatusCode, rp.StatusCode)
	}
	if rz.Header.Get("Content-Encoding") != "gzip" || rp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("encodings %q, %q", rz.Header.Get("Content-Encoding"), rp.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(bz))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if !bytes.Equal(unzipped, bp) {
		t.Error("the gzipped page is not the plain page")
	}
	if len(bz)*3 > len(bp) {
		t.Errorf("gzip gave %d bytes of %d: less than a third saved", len(bz), len(bp))
	}
	if after.Hits != before.Hits+1 {
		t.Errorf("the second request was not a cache hit: hits %d → %d", before.Hits, after.Hits)
	}
	if rz.Header.Get("ETag") == rp.Header.Get("ETag") || rp.Header.Get("ETag") == "" {
		t.Errorf("ETags %q (gzip) and %q (plain) must be set and differ", rz.Header.Get("ETag"), rp.Header.Get("ETag"))
	}
	r304, _ := getTile(t, url, map[string]string{"If-None-Match": rp.Header.Get("ETag"), "Accept-Encoding": "identity"})
	if r304.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", r304.StatusCode)
	}
	// Another query is another page.
	_, other := getTile(t, srv.URL+"/collections/lsoas/items?limit=200&offset=1", nil)
	if bytes.Equal(other, bp) {
		t.Error("offset=1 gave the same page as offset 0")
	}
}

// TestFeaturesAccept: the OGC API resources answer JSON whenever the
// Accept header admits it, 406 (a problem) when it does not, and f=json
// overrides the header.
func TestFeaturesAccept(t *testing.T) {
	srv, _ := server(t)
	for _, c := range []struct {
		path, accept string
		want         int
	}{
		{"/collections/wards/items?limit=1", "application/geo+json", 200},
		{"/collections/wards/items?limit=1", "text/html,application/xhtml+xml,*/*;q=0.8", 200},
		{"/collections/wards/items?limit=1", "text/html", 406},
		{"/collections/wards/items?limit=1", "application/json;q=0", 406},
		{"/collections/wards/items?limit=1&f=json", "text/html", 200},
		{"/collections", "application/xml", 406},
		{"/", "application/json", 200},
	} {
		resp, body := getTile(t, srv.URL+c.path, map[string]string{"Accept": c.accept})
		if resp.StatusCode != c.want {
			t.Errorf("%s with Accept %q: %d, want %d (%s)", c.path, c.accept, resp.StatusCode, c.want, body)
		}
		if c.want == 406 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%s with Accept %q: a 406 of type %q, want a problem", c.path, c.accept, resp.Header.Get("Content-Type"))
		}
	}
}

// TestMapOpensOnTheCity: the style and the TileJSON centre on the city's
// wards (not the region's small areas) at a zoom between the TileJSON's
// minimum and maximum, and the tile under the centre has content at the
// minimum zoom and at the centre's zoom.
func TestMapOpensOnTheCity(t *testing.T) {
	srv, _ := server(t)
	_, body := getTile(t, srv.URL+"/collections/wards", nil)
	var coll struct {
		Extent struct {
			Spatial struct {
				BBox [][4]float64 `json:"bbox"`
			} `json:"spatial"`
		} `json:"extent"`
	}
	if err := json.Unmarshal(body, &coll); err != nil || len(coll.Extent.Spatial.BBox) != 1 {
		t.Fatalf("wards collection: %v %s", err, body)
	}
	city := coll.Extent.Spatial.BBox[0]
	_, body = getTile(t, srv.URL+"/styles/demo-baseline.json", nil)
	type source struct {
		Tiles   []string   `json:"tiles"`
		Bounds  [4]float64 `json:"bounds"`
		MinZoom int        `json:"minzoom"`
		MaxZoom int        `json:"maxzoom"`
		URL     string     `json:"url"`
	}
	var style struct {
		Center   []float64         `json:"center"`
		Zoom     float64           `json:"zoom"`
		Sources  map[string]source `json:"sources"`
		Metadata struct {
			CityBounds []float64 `json:"placeteam:city-bounds"`
			TileJSON   string    `json:"placeteam:tilejson"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(body, &style); err != nil || len(style.Center) != 2 {
		t.Fatalf("style: %v %s", err, body)
	}
	_, body = getTile(t, srv.URL+"/tiles/demo-baseline.json", nil)
	var tj struct {
		source
		Center []float64 `json:"center"`
	}
	if err := json.Unmarshal(body, &tj); err != nil || len(tj.Center) != 3 || len(tj.Tiles) == 0 {
		t.Fatalf("TileJSON: %v %s", err, body)
	}
	// The style's source inlines the TileJSON (no round trip before the
	// first tile) and names the city's bounds for fitting the view.
	if src := style.Sources["placeteam"]; src.URL != "" || !slices.Equal(src.Tiles, tj.Tiles) || src.Bounds != tj.Bounds || src.MinZoom != tj.MinZoom || src.MaxZoom != tj.MaxZoom {
		t.Errorf("style source %+v, want the TileJSON's tiles, bounds and zooms inline (%+v)", src, tj.source)
	}
	if !slices.Equal(style.Metadata.CityBounds, city[:]) || !strings.HasSuffix(style.Metadata.TileJSON, "/tiles/demo-baseline.json?version=1") {
		t.Errorf("style metadata: city bounds %v (wards' %v), TileJSON %q", style.Metadata.CityBounds, city, style.Metadata.TileJSON)
	}
	wantCentre := orb.Point{(city[0] + city[2]) / 2, (city[1] + city[3]) / 2}
	for name, c := range map[string][]float64{"style": style.Center, "TileJSON": tj.Center[:2]} {
		if math.Abs(c[0]-wantCentre[0]) > 1e-9 || math.Abs(c[1]-wantCentre[1]) > 1e-9 {
			t.Errorf("%s centre %v, want the wards' centre %v", name, c, wantCentre)
		}
	}
	if int(style.Zoom) != int(tj.Center[2]) || int(style.Zoom) < tj.MinZoom || int(style.Zoom) > tj.MaxZoom {
		t.Errorf("style zoom %v, TileJSON centre zoom %v, zooms %d–%d", style.Zoom, tj.Center[2], tj.MinZoom, tj.MaxZoom)
	}
	for _, z := range []int{tj.MinZoom, int(tj.Center[2])} {
		tile := maptile.At(wantCentre, maptile.Zoom(z))
		u := strings.NewReplacer("{z}", fmt.Sprint(z), "{x}", fmt.Sprint(tile.X), "{y}", fmt.Sprint(tile.Y)).Replace(tj.Tiles[0])
		if resp, _ := getTile(t, u, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("tile %d/%d/%d under the centre: %d, want content", z, tile.X, tile.Y, resp.StatusCode)
		}
	}
}

// TestMapValuesCached: a version's values document is encoded once (the
// second request is a cache hit) and revalidates with its ETag.
func TestMapValuesCached(t *testing.T) {
	core, _ := testCore(t, noJobs)
	srv := httptest.NewServer(api.New(api.Config{Core: core}))
	t.Cleanup(srv.Close)
	url := srv.URL + "/values/demo-baseline/wards.json?version=1"
	first, body := getTile(t, url, map[string]string{"Accept-Encoding": "identity"})
	before := core.Stats().Caches["responses"]
	again, body2 := getTile(t, url, map[string]string{"Accept-Encoding": "identity"})
	after := core.Stats().Caches["responses"]
	if first.StatusCode != 200 || again.StatusCode != 200 || !bytes.Equal(body, body2) {
		t.Fatalf("statuses %d, %d; same body %v", first.StatusCode, again.StatusCode, bytes.Equal(body, body2))
	}
	if after.Hits != before.Hits+1 {
		t.Errorf("the second request was not a cache hit: hits %d → %d", before.Hits, after.Hits)
	}
	r304, _ := getTile(t, url, map[string]string{"If-None-Match": first.Header.Get("ETag"), "Accept-Encoding": "identity"})
	if r304.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", r304.StatusCode)
	}
}

// TestLeanTilesOnlyCityLSOAs: lean tiles carry the city's LSOAs alone (the
// default style shades no other), full tiles the region's around it too.
func TestLeanTilesOnlyCityLSOAs(t *testing.T) {
	srv, _ := server(t)
	lean, full, outside := 0, 0, 0
	for _, tile := range cityTiles(t, srv.URL, 11) {
		url := fmt.Sprintf("%s/tiles/demo-baseline/%d/%d/%d.mvt", srv.URL, tile.Z, tile.X, tile.Y)
		resp, body := getTile(t, url, nil)
		for _, l := range decodeTile(t, resp, body) {
			if l.Name != planning.LayerLSOAs {
				continue
			}
			for _, f := range l.Features {
				lean++
				if f.Properties["in_city"] != true {
					t.Errorf("lean tile %v: LSOA %v outside the city", tile, f.Properties["code"])
				}
			}
		}
		resp, body = getTile(t, url+"?properties=all", nil)
		for _, l := range decodeTile(t, resp, body) {
			if l.Name != planning.LayerLSOAs {
				continue
			}
			for _, f := range l.Features {
				full++
				if f.Properties["in_city"] != true {
					outside++
				}
			}
		}
	}
	if lean == 0 || outside == 0 || full != lean+outside {
		t.Errorf("LSOAs in tiles: lean %d, full %d of which %d outside the city", lean, full, outside)
	}
}
