package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
)

// needTool finds an external program for a test: skipped when it is
// absent, but a failure in CI (CI=true), which installs it.
func needTool(t *testing.T, find func() (string, error), install string) string {
	t.Helper()
	path, err := find()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v: CI must install it (%s)", err, install)
		}
		t.Skipf("%v (%s): skipped", err, install)
	}
	return path
}

// TestExportGeoPackage: export writes the demo configuration as a
// GeoPackage that GDAL opens with the five layers, as many features as the
// OGC API collections and the profile's attributes; the file reads back
// with SQLite alone too.
func TestExportGeoPackage(t *testing.T) {
	db := demoStore(t)
	path := filepath.Join(t.TempDir(), "demo.gpkg")
	out, err := run(t, "export", "--db", db, "--config", "demo-baseline", "--format", "gpkg", "--out", path)
	if err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if !strings.Contains(out, "teams 12") {
		t.Errorf("export says %q", out)
	}

	// What the collections hold.
	ctx := context.Background()
	e, v, err := openEngineFor(ctx, &engineFlags{db: db}, "demo-baseline")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, n := range []string{planning.LayerWards, planning.LayerPractices, planning.LayerLSOAs} {
		set, err := e.core.Static(n)
		if err != nil {
			t.Fatal(err)
		}
		want[n] = len(set.Features)
	}
	for n, level := range map[string]string{planning.LayerTeams: placeprofile.LevelTeam, planning.LayerLocalities: placeprofile.LevelLocality} {
		set, err := e.core.Units(ctx, v, level)
		if err != nil {
			t.Fatal(err)
		}
		want[n] = len(set.Features)
	}
	p, err := e.core.Profile(ctx, v, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	team := p.Teams[0]
	ward := team.Wards[0]
	e.Close()

	// SQLite, independently of GDAL.
	sdb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	rows, err := sdb.Query(`SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		_ = rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if got := strings.Join(tables, " "); got != "localities lsoas practices teams wards" {
		t.Errorf("feature tables %q", got)
	}
	for n, c := range want {
		var got int
		if err := sdb.QueryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&got); err != nil || got != c {
			t.Errorf("%s: %d rows (%v), want %d", n, got, err, c)
		}
	}
	var wardTeam, wardLocality string
	if err := sdb.QueryRow(`SELECT team, locality FROM wards WHERE code = ?`, ward).Scan(&wardTeam, &wardLocality); err != nil || wardTeam != team.ID || wardLocality != team.Locality {
		t.Errorf("ward %s: team %q locality %q (%v), want %s %s", ward, wardTeam, wardLocality, err, team.ID, team.Locality)
	}
	// Each layer's spatial index has a row per feature, and its default
	// QGIS style one row.
	for n, c := range want {
		var indexed, styles int
		if err := sdb.QueryRow(`SELECT count(*) FROM "rtree_` + n + `_geom"`).Scan(&indexed); err != nil || indexed != c {
			t.Errorf("%s: %d spatial index rows (%v), want %d", n, indexed, err, c)
		}
		if err := sdb.QueryRow(`SELECT count(*) FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_rtree_index'`, n).Scan(&indexed); err != nil || indexed != 1 {
			t.Errorf("%s: %d gpkg_rtree_index extension rows (%v)", n, indexed, err)
		}
		if err := sdb.QueryRow(`SELECT count(*) FROM layer_styles WHERE f_table_name = ? AND useAsDefault = 1`, n).Scan(&styles); err != nil || styles != 1 {
			t.Errorf("%s: %d default styles (%v)", n, styles, err)
		}
	}
	var srs int
	if err := sdb.QueryRow(`SELECT srs_id FROM gpkg_spatial_ref_sys WHERE organization = 'EPSG' AND organization_coordsys_id = 4326`).Scan(&srs); err != nil || srs != 4326 {
		t.Errorf("EPSG:4326: %d (%v)", srs, err)
	}

	// GDAL.
	ogrinfo := needTool(t, func() (string, error) { return exec.LookPath("ogrinfo") }, "apt-get install gdal-bin")
	info, err := exec.Command(ogrinfo, "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, info)
	}
	if strings.Contains(string(info), "ERROR") || strings.Contains(string(info), "Warning") {
		t.Errorf("ogrinfo complains:\n%s", info)
	}
	for n := range want {
		out, err := exec.Command(ogrinfo, "-ro", path, "-sql", "SELECT HasSpatialIndex('"+n+"', 'geom')").CombinedOutput()
		if err != nil || !strings.Contains(string(out), "HasSpatialIndex (Integer) = 1") {
			t.Errorf("ogrinfo: %s has no spatial index (%v):\n%s", n, err, out)
		}
	}
	re := regexp.MustCompile(`Layer name: (\w+)\n(?s:.*?)Geometry: ([^\n]+)\n(?s:.*?)Feature Count: (\d+)`)
	got := map[string]int{}
	geoms := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(string(info), -1) {
		got[m[1]], _ = strconv.Atoi(m[3])
		geoms[m[1]] = m[2]
	}
	for n, c := range want {
		if got[n] != c {
			t.Errorf("ogrinfo: %s has %d features, want %d", n, got[n], c)
		}
		wantGeom := "Multi Polygon"
		if n == planning.LayerPractices {
			wantGeom = "Point"
		}
		if geoms[n] != wantGeom {
			t.Errorf("ogrinfo: %s geometry %q, want %q", n, geoms[n], wantGeom)
		}
	}
	for _, a := range []string{"resident_population: Real", "registered_population: Real", "practice_count: Integer", "locality: String",
		"modelled_fields: String", "imd_decile: Integer", "in_city: Integer(Boolean)"} {
		if !strings.Contains(string(info), a) {
			t.Errorf("ogrinfo: no attribute %q", a)
		}
	}
	sqlOut, err := exec.Command(ogrinfo, "-ro", path, "-sql", "SELECT id, name, locality, resident_population, practice_count FROM teams WHERE id = '"+team.ID+"'").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -sql: %v\n%s", err, sqlOut)
	}
	for _, w := range []string{"Feature Count: 1", "name (String) = " + team.Name, "locality (String) = " + team.Locality,
		"resident_population (Real) = " + strconv.FormatFloat(team.ResidentPopulation.Total, 'f', -1, 64),
		"practice_count (Integer64) = " + strconv.Itoa(team.PracticeCount)} {
		if !strings.Contains(string(sqlOut), w) {
			t.Errorf("ogrinfo -sql: no %q in\n%s", w, sqlOut)
		}
	}
}

func TestExportErrors(t *testing.T) {
	db := demoStore(t)
	for _, args := range [][]string{
		{"export", "--db", db, "--config", "demo-baseline"},
		{"export", "--db", db, "--config", "demo-baseline", "--format", "shp", "--out", filepath.Join(t.TempDir(), "x.shp")},
		{"export", "--db", db, "--config", "nope", "--out", filepath.Join(t.TempDir(), "x.gpkg")},
		{"export", "--db", db, "--config", "demo-baseline", "--version", "9", "--out", filepath.Join(t.TempDir(), "x.gpkg")},
	} {
		if _, err := run(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

// TestExportGeoPackageUnknownColumns: the minimal city (no practices) has
// the same figure columns as any city, NULL where the figure is unknown,
// so a GeoPackage's layout does not change with the dataset.
func TestExportGeoPackageUnknownColumns(t *testing.T) {
	tmp := t.TempDir()
	db := filepath.Join(tmp, "minimal.db")
	if out, err := run(t, "import", "--db", db, "--manifest", filepath.Join(minimalFixture, "manifest.yaml")); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	path := filepath.Join(tmp, "minimal.gpkg")
	if out, err := run(t, "export", "--db", db, "--config", "testcity-baseline", "--format", "gpkg", "--out", path); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	sdb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	for table, columns := range map[string][]string{
		"wards": {"registered_population", "density_per_km2"},
		"teams": {"registered_population", "registered_deviation", "local_registration_share", "out_of_city_registered"},
	} {
		for _, c := range columns {
			var n, nulls int
			err := sdb.QueryRow(`SELECT count(*), count(*) - count("`+c+`") FROM "`+table+`"`).Scan(&n, &nulls)
			if err != nil {
				t.Errorf("%s.%s: %v", table, c, err)
				continue
			}
			if c == "density_per_km2" {
				if nulls != 0 {
					t.Errorf("%s.%s: %d of %d NULL, want every ward's density", table, c, nulls, n)
				}
			} else if n == 0 || nulls != n {
				t.Errorf("%s.%s: %d of %d NULL, want all (unknown without practices)", table, c, nulls, n)
			}
		}
	}
}
