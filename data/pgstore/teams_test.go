package pgstore

import (
	"context"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/data/store/storetest"
)

func itoa(i int) string { return strconv.Itoa(i) }

// teamRow is what a GIS client sees of one team (or locality).
type teamRow struct {
	version            int
	locality, team     string
	wards              string
	geometryType       string
	srid, parts, rings int
	valid              bool
	area               float64
}

// teamRows reads the teams of configuration name from query's result, a
// relation with configuration_teams' columns.
func teamRows(t *testing.T, conn *pgx.Conn, relation, name string) []teamRow {
	t.Helper()
	ctx := context.Background()
	rows, err := conn.Query(ctx, `SELECT version, locality_id, team_id, wards, GeometryType(geom), ST_SRID(geom),
			ST_NumGeometries(geom), ST_NRings(geom), ST_IsValid(geom) AND NOT ST_IsEmpty(geom), ST_Area(geom)
		FROM placeteam.`+relation+` WHERE name = $1 AND version = (SELECT max(version) FROM placeteam.`+relation+` WHERE name = $1) ORDER BY ord`, name)
	if err != nil {
		t.Fatal(err)
	}
	var out []teamRow
	var r teamRow
	if _, err := pgx.ForEachRow(rows, []any{&r.version, &r.locality, &r.team, &r.wards, &r.geometryType, &r.srid,
		&r.parts, &r.rings, &r.valid, &r.area}, func() error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func closeTo(a, b float64) bool { d := a - b; return d < 1e-12 && d > -1e-12 }

// TestConfigurationTeams: every saved version keeps its teams dissolved
// from their wards, valid MultiPolygons in EPSG:4326; latest_teams and
// latest_localities follow the latest version; deleting the configuration
// deletes its teams.
func TestConfigurationTeams(t *testing.T) {
	ctx := context.Background()
	s, u := openFresh(t)
	if err := s.ReplaceDataset(ctx, storetest.Dataset(), []*configuration.Configuration{storetest.Configuration("a")}, store.ImportRecord{Manifest: "m"}); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)

	// Fixture wards: E05011359 a 0.1° square; E05011360 the same with a
	// 0.02° hole; E05011361 two 0.05° squares.
	imported := []teamRow{
		{1, "north", "n1", "E05011359", "MULTIPOLYGON", 4326, 1, 1, true, 0.01},
		{1, "north", "n2", "E05011360", "MULTIPOLYGON", 4326, 1, 2, true, 0.01 - 0.0004},
		{1, "south", "s1", "E05011361", "MULTIPOLYGON", 4326, 2, 2, true, 2 * 0.0025},
	}
	check := func(what string, got, want []teamRow) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows %+v, want %d", what, len(got), got, len(want))
		}
		for i := range want {
			g, w := got[i], want[i]
			if !closeTo(g.area, w.area) {
				t.Errorf("%s row %d: area %g, want %g", what, i, g.area, w.area)
			}
			g.area = w.area
			if g != w {
				t.Errorf("%s row %d: %+v, want %+v", what, i, g, w)
			}
		}
	}
	check("imported teams", teamRows(t, conn, "configuration_teams", "a"), imported)
	check("latest teams after import", teamRows(t, conn, "latest_teams", "a"), imported)

	// Version 2 moves Ardwick (the ward with the hole) into the south,
	// beside nothing it touches: the south locality gets two teams.
	v2 := storetest.Configuration("a")
	v2.Localities[0].Teams = v2.Localities[0].Teams[:1]
	v2.Localities[1].Teams = append(v2.Localities[1].Teams, configuration.Team{ID: "s2", Name: "South 2", Wards: []string{"E05011360"}})
	if _, err := s.SaveConfiguration(ctx, v2, store.VersionMeta{Author: "alice"}); err != nil {
		t.Fatal(err)
	}
	check("latest teams after a save", teamRows(t, conn, "latest_teams", "a"), []teamRow{
		{2, "north", "n1", "E05011359", "MULTIPOLYGON", 4326, 1, 1, true, 0.01},
		{2, "south", "s1", "E05011361", "MULTIPOLYGON", 4326, 2, 2, true, 2 * 0.0025},
		{2, "south", "s2", "E05011360", "MULTIPOLYGON", 4326, 1, 2, true, 0.01 - 0.0004},
	})
	var versions int
	if err := conn.QueryRow(ctx, `SELECT count(DISTINCT version) FROM placeteam.configuration_teams WHERE name = 'a'`).Scan(&versions); err != nil || versions != 2 {
		t.Errorf("configuration_teams holds %d versions, %v; want 2 (every version keeps its teams)", versions, err)
	}

	// Localities: the south dissolves Baguley's two squares with Ardwick
	// (Ardwick touches Baguley's east square along its south edge).
	rows, err := conn.Query(ctx, `SELECT locality_id, teams, wards, GeometryType(geom), ST_IsValid(geom), ST_Area(geom)
		FROM placeteam.latest_localities WHERE name = 'a' ORDER BY ord`)
	if err != nil {
		t.Fatal(err)
	}
	type localityRow struct {
		id, wards, geometryType string
		teams                   int
		valid                   bool
		area                    float64
	}
	var localities []localityRow
	var l localityRow
	if _, err := pgx.ForEachRow(rows, []any{&l.id, &l.teams, &l.wards, &l.geometryType, &l.valid, &l.area}, func() error {
		localities = append(localities, l)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	wantLocalities := []localityRow{
		{"north", "E05011359", "MULTIPOLYGON", 1, true, 0.01},
		{"south", "E05011361,E05011360", "MULTIPOLYGON", 2, true, 2*0.0025 + 0.01 - 0.0004},
	}
	if len(localities) != len(wantLocalities) {
		t.Fatalf("latest_localities = %+v, want %+v", localities, wantLocalities)
	}
	for i, w := range wantLocalities {
		g := localities[i]
		if !closeTo(g.area, w.area) {
			t.Errorf("locality %s: area %g, want %g", g.id, g.area, w.area)
		}
		g.area = w.area
		if g != w {
			t.Errorf("locality %d: %+v, want %+v", i, g, w)
		}
	}

	// GIS clients learn each layer's type and SRID from geometry_columns.
	for _, layer := range []string{"configuration_teams", "latest_teams", "latest_localities", "wards", "lsoas", "practices", "trusts", "hospital_sites"} {
		var typ string
		var srid int
		if err := conn.QueryRow(ctx, `SELECT type, srid FROM geometry_columns WHERE f_table_schema = 'placeteam' AND f_table_name = $1`,
			layer).Scan(&typ, &srid); err != nil {
			t.Errorf("geometry_columns has no %s: %v", layer, err)
			continue
		}
		if srid != 4326 || (typ != "MULTIPOLYGON" && typ != "POINT") {
			t.Errorf("geometry_columns: %s is %s in SRID %d", layer, typ, srid)
		}
	}

	if err := s.DeleteConfiguration(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM placeteam.configuration_teams WHERE name = 'a'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d team rows, %v left after deleting the configuration; want none", left, err)
	}
}

// TestDissolve: the union behind the teams never fails a save: no parts
// give NULL, and invalid wards (which Validate does not look at) are made
// valid first.
func TestDissolve(t *testing.T) {
	ctx := context.Background()
	_, u := openFresh(t)
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tests := []struct {
		name  string
		parts []string // WKT in EPSG:4326
		want  string   // ST_AsText of the result; "" for NULL
	}{
		{"no parts", nil, ""},
		{"one square", []string{"MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))"}, "MULTIPOLYGON(((0 0,0 1,1 1,1 0,0 0)))"},
		{"two touching squares", []string{"MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))", "MULTIPOLYGON(((1 0,2 0,2 1,1 1,1 0)))"},
			"MULTIPOLYGON(((0 0,0 1,1 1,2 1,2 0,1 0,0 0)))"},
		{"apart", []string{"MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))", "MULTIPOLYGON(((5 0,6 0,6 1,5 1,5 0)))"},
			"MULTIPOLYGON(((5 0,5 1,6 1,6 0,5 0)),((0 0,0 1,1 1,1 0,0 0)))"}, // as ST_Normalize orders them
		{"a bow tie (self-intersecting)", []string{"MULTIPOLYGON(((0 0,2 2,2 0,0 2,0 0)))", "MULTIPOLYGON(((0 0,1 0,1 1,0 1,0 0)))"}, "valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *string
			var valid *bool
			err := conn.QueryRow(ctx, `SELECT ST_AsText(ST_Normalize(g)), ST_IsValid(g) FROM (SELECT placeteam.dissolve(
				(SELECT array_agg(ST_GeomFromText(w, 4326)) FROM unnest($1::text[]) AS w)) AS g) AS x`, tt.parts).Scan(&got, &valid)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("dissolve = %s, want NULL", *got)
			case tt.want == "valid" && (valid == nil || !*valid):
				t.Errorf("dissolve = %s, want a valid geometry", deref(got))
			case tt.want != "" && tt.want != "valid" && (got == nil || *got != tt.want):
				t.Errorf("dissolve = %s, want %s", deref(got), tt.want)
			}
		})
	}
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}
