package gpkg_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/gpkg"
	geogpkg "github.com/placeteam/placeteam/geo/gpkg"
)

var square = orb.Polygon{{{-2.3, 53.4}, {-2.2, 53.4}, {-2.2, 53.5}, {-2.3, 53.5}, {-2.3, 53.4}}}

func sampleLayers() []gpkg.Layer {
	return []gpkg.Layer{
		{Name: "areas", Title: "Areas", GeometryType: gpkg.MultiPolygon, IDField: "id", Columns: map[string]string{"unknown": "REAL", "count": "REAL"}, Features: []gpkg.Feature{
			{Geometry: square, Properties: map[string]any{"id": "A", "count": 3, "share": 0.5, "mixed": 1, "flag": true, "fid": "x", "ind_qof-dm": 7.5}},
			{Geometry: orb.MultiPolygon{square}, Properties: map[string]any{"id": "B", "count": 4, "share": nil, "mixed": 2.5, "flag": false, "list": []string{"a"}}},
		}},
		{Name: "sites", GeometryType: gpkg.Point, Features: []gpkg.Feature{
			{Geometry: orb.Point{-2.25, 53.45}, Properties: map[string]any{"code": "P1"}},
		}},
	}
}

func TestColumns(t *testing.T) {
	got := map[string]string{}
	var order []string
	for _, c := range gpkg.Columns(sampleLayers()[0]) {
		got[c.Name] = c.Type
		order = append(order, c.Name)
	}
	want := map[string]string{"id": "TEXT", "count": "REAL", "unknown": "REAL", "share": "REAL", "mixed": "REAL", "flag": "BOOLEAN",
		"prop_fid": "TEXT", "ind_qof-dm": "REAL", "list": "TEXT"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("column %s: %q, want %q", k, got[k], v)
		}
	}
	if order[0] != "id" {
		t.Errorf("first column %q, want the id field", order[0])
	}
}

func TestWriteReadBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := gpkg.Write(context.Background(), path, sampleLayers()); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var app, ver int
	if err := db.QueryRow("PRAGMA application_id").Scan(&app); err != nil || app != 0x47504B47 {
		t.Errorf("application_id %x (%v)", app, err)
	}
	if err := db.QueryRow("PRAGMA user_version").Scan(&ver); err != nil || ver != 10300 {
		t.Errorf("user_version %d (%v)", ver, err)
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM gpkg_contents WHERE data_type = 'features' AND srs_id = 4326").Scan(&n); err != nil || n != 2 {
		t.Errorf("contents %d (%v)", n, err)
	}
	var typ string
	if err := db.QueryRow("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = 'areas'").Scan(&typ); err != nil || typ != "MULTIPOLYGON" {
		t.Errorf("geometry type %q (%v)", typ, err)
	}
	var blob []byte
	var count int
	var share sql.NullFloat64
	var flag bool
	var list string
	if err := db.QueryRow(`SELECT geom, count, share, flag, list FROM areas WHERE id = 'B'`).Scan(&blob, &count, &share, &flag, &list); err != nil {
		t.Fatal(err)
	}
	if count != 4 || share.Valid || flag || list != `["a"]` {
		t.Errorf("row B: count %d share %v flag %v list %q", count, share, flag, list)
	}
	g, srs, err := geogpkg.Decode(blob)
	if err != nil || srs != 4326 || !orb.Equal(g, orb.MultiPolygon{square}) {
		t.Errorf("geometry %v srs %d (%v)", g, srs, err)
	}
	if err := db.QueryRow(`SELECT geom FROM areas WHERE id = 'A'`).Scan(&blob); err != nil {
		t.Fatal(err)
	}
	if g, _, _ := geogpkg.Decode(blob); g.GeoJSONType() != "MultiPolygon" {
		t.Errorf("a polygon is written as %s, want a MultiPolygon", g.GeoJSONType())
	}
	if _, err := os.Stat(path + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temporary file left: %v", err)
	}
}

func TestWriteRejects(t *testing.T) {
	dir := t.TempDir()
	for name, layers := range map[string][]gpkg.Layer{
		"bad name":       {{Name: "gpkg_x", GeometryType: gpkg.Point}},
		"bad type":       {{Name: "x", GeometryType: "CIRCLE"}},
		"wrong geometry": {{Name: "x", GeometryType: gpkg.Point, Features: []gpkg.Feature{{Geometry: square}}}},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".gpkg")
		if err := gpkg.Write(context.Background(), path, layers); !errors.Is(err, gpkg.ErrLayer) {
			t.Errorf("%s: %v, want ErrLayer", name, err)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a file was left: %v", name, err)
		}
	}
}

// TestOgrinfoOpens: GDAL reads the file as a GeoPackage with both layers.
// Skipped without ogrinfo, except in CI (CI=true), where gdal-bin is
// installed by .ci/run.
func TestOgrinfoOpens(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ogrinfo is not installed (apt-get install gdal-bin)")
		}
		t.Skip("ogrinfo not installed (apt-get install gdal-bin): GDAL check skipped")
	}
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := gpkg.Write(context.Background(), path, sampleLayers()); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(ogrinfo, "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	s := string(out)
	for _, want := range []string{"using driver `GPKG'", "Layer name: areas", "Geometry: Multi Polygon", "Feature Count: 2",
		"Layer name: sites", "Geometry: Point", "count: Real", "unknown: Real", "share: Real", "flag: Integer(Boolean)", "id: String"} {
		if !strings.Contains(s, want) {
			t.Errorf("ogrinfo output lacks %q:\n%s", want, s)
		}
	}
	if strings.Contains(s, "ERROR") || strings.Contains(s, "Warning") {
		t.Errorf("ogrinfo complains:\n%s", s)
	}
}
