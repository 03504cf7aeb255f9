package gpkg_test

import (
	"context"
	"database/sql"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/gpkg"
	geogpkg "github.com/placeteam/placeteam/geo/gpkg"
)

// indexedLayers are sampleLayers with a feature without a geometry and
// one with an empty geometry, which the index leaves out.
func indexedLayers() []gpkg.Layer {
	layers := sampleLayers()
	layers[0].Features = append(layers[0].Features,
		gpkg.Feature{Geometry: nil, Properties: map[string]any{"id": "none"}},
		gpkg.Feature{Geometry: orb.MultiPolygon{}, Properties: map[string]any{"id": "empty"}},
		gpkg.Feature{Geometry: orb.Polygon{{{-1.9, 52.1}, {-1.7, 52.1}, {-1.7, 52.4}, {-1.9, 52.1}}}, Properties: map[string]any{"id": "C"}})
	return layers
}

// rtreeRows are an R-tree's envelopes by feature id.
func rtreeRows(t *testing.T, db *sql.DB, table string) map[int64][4]float64 {
	t.Helper()
	rows, err := db.Query(`SELECT id, minx, maxx, miny, maxy FROM "` + gpkg.RTreeTable(table, "geom") + `"`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64][4]float64{}
	for rows.Next() {
		var id int64
		var e [4]float64
		if err := rows.Scan(&id, &e[0], &e[1], &e[2], &e[3]); err != nil {
			t.Fatal(err)
		}
		out[id] = e
	}
	return out
}

// TestSpatialIndex: every feature table has its R-tree, one row per
// feature with a non-empty geometry holding that geometry's envelope, the
// spec's triggers, and its gpkg_extensions row.
func TestSpatialIndex(t *testing.T) {
	layers := indexedLayers()
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := gpkg.Write(context.Background(), path, layers); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, l := range layers {
		index := rtreeRows(t, db, l.Name)
		rows, err := db.Query(`SELECT fid, geom FROM "` + l.Name + `"`)
		if err != nil {
			t.Fatal(err)
		}
		indexed := 0
		for rows.Next() {
			var fid int64
			var blob []byte
			if err := rows.Scan(&fid, &blob); err != nil {
				t.Fatal(err)
			}
			e, ok := index[fid]
			var g orb.Geometry
			if blob != nil {
				g, _, err = geogpkg.Decode(blob)
				if err != nil {
					t.Fatal(err)
				}
			}
			if g == nil || orb.Equal(g, orb.MultiPolygon{}) {
				if ok {
					t.Errorf("%s: feature %d without a geometry is indexed", l.Name, fid)
				}
				continue
			}
			indexed++
			if !ok {
				t.Errorf("%s: feature %d is not indexed", l.Name, fid)
				continue
			}
			b := g.Bound()
			// The R*Tree keeps 32-bit floats, rounded outwards.
			for i, want := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
				outwards := (i%2 == 0 && e[i] <= want) || (i%2 == 1 && e[i] >= want)
				if !outwards || math.Abs(e[i]-want) > 1e-5*math.Abs(want) {
					t.Errorf("%s: feature %d envelope %v, want %v", l.Name, fid, e, b)
					break
				}
			}
		}
		rows.Close()
		if len(index) != indexed || indexed == 0 {
			t.Errorf("%s: %d index rows for %d features with a geometry", l.Name, len(index), indexed)
		}
		var ext int
		if err := db.QueryRow(`SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND column_name = 'geom'
			AND extension_name = 'gpkg_rtree_index' AND definition = 'http://www.geopackage.org/spec120/#extension_rtree' AND scope = 'write-only'`, l.Name).Scan(&ext); err != nil || ext != 1 {
			t.Errorf("%s: %d gpkg_extensions rows (%v)", l.Name, ext, err)
		}
		var triggers []string
		trows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name`, l.Name)
		if err != nil {
			t.Fatal(err)
		}
		for trows.Next() {
			var n string
			_ = trows.Scan(&n)
			triggers = append(triggers, strings.TrimPrefix(n, gpkg.RTreeTable(l.Name, "geom")+"_"))
		}
		trows.Close()
		if got := strings.Join(triggers, " "); got != "delete insert update1 update2 update3 update4" {
			t.Errorf("%s: triggers %q", l.Name, got)
		}
	}
}

// TestSpatialIndexGDAL: GDAL sees each layer's spatial index, opens the
// file without a warning, and its edits (which run the triggers with
// GDAL's ST_ functions) keep the index in step. GDAL's GeoPackage
// validator, when installed (python3-gdal), passes the file.
func TestSpatialIndexGDAL(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ogrinfo is not installed (apt-get install gdal-bin)")
		}
		t.Skip("ogrinfo not installed (apt-get install gdal-bin): GDAL check skipped")
	}
	layers := indexedLayers()
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := gpkg.Write(context.Background(), path, layers); err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		out, err := exec.Command(ogrinfo, "-ro", path, "-sql", "SELECT HasSpatialIndex('"+l.Name+"', 'geom')").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "HasSpatialIndex (Integer) = 1") {
			t.Errorf("%s: GDAL sees no spatial index (%v):\n%s", l.Name, err, out)
		}
		out, err = exec.Command(ogrinfo, "-ro", "-so", path, l.Name).CombinedOutput()
		if err != nil || strings.Contains(string(out), "Warning") || strings.Contains(string(out), "ERROR") {
			t.Errorf("ogrinfo -so %s (%v):\n%s", l.Name, err, out)
		}
	}

	// Edits through GDAL: move feature A onto site P1's point, delete B.
	for _, stmt := range []string{
		"UPDATE areas SET geom = (SELECT geom FROM sites WHERE code = 'P1') WHERE id = 'A'",
		"DELETE FROM areas WHERE id = 'B'",
	} {
		if out, err := exec.Command(ogrinfo, "-q", path, "-sql", stmt).CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", stmt, err, out)
		}
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var fidA, fidC int64
	if err := db.QueryRow(`SELECT fid FROM areas WHERE id = 'A'`).Scan(&fidA); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(`SELECT fid FROM areas WHERE id = 'C'`).Scan(&fidC); err != nil {
		t.Fatal(err)
	}
	index := rtreeRows(t, db, "areas")
	site := layers[1].Features[0].Geometry.(orb.Point)
	if e := index[fidA]; math.Abs(e[0]-site[0]) > 1e-5 || math.Abs(e[3]-site[1]) > 1e-5 {
		t.Errorf("after GDAL's update, A's envelope %v, want the point %v", e, site)
	}
	if len(index) != 2 {
		t.Errorf("after GDAL's delete, %d index rows, want 2 (A and C): %v", len(index), index)
	}

	// GDAL's validator, on a fresh file.
	if err := gpkg.Write(context.Background(), path, layers); err != nil {
		t.Fatal(err)
	}
	validator := ""
	for _, p := range []string{"/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py", "/usr/share/doc/python3-gdal/examples/validate_gpkg.py"} {
		if _, err := os.Stat(p); err == nil {
			validator = p
			break
		}
	}
	if validator == "" {
		t.Log("python3-gdal's validate_gpkg.py not installed: validation skipped")
		return
	}
	if out, err := exec.Command("python3", validator, "--extra", path).CombinedOutput(); err != nil {
		t.Errorf("validate_gpkg: %v\n%s", err, out)
	}
}
