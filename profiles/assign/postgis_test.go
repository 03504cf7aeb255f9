package assign

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/placeteam/placeteam/data/pgstore/pgtest"
)

// TestAgreesWithPostGIS places random points over Manchester (a box a
// little larger than the city, so some fall outside) with the Assigner and
// with PostGIS (ST_Contains over the same ward and LSOA polygons, GiST
// indexed), and requires the same ward and the same LSOA for every point.
// Random float coordinates fall on no boundary, where the two rules differ
// (ST_Contains excludes the boundary; Place counts it, lowest code first).
// Needs PLACETEAM_TEST_POSTGRES (skips without it, fails in CI).
func TestAgreesWithPostGIS(t *testing.T) {
	ds, cfg := manchester(t)
	dbURL := pgtest.NewDatabase(t, "")
	a, err := New(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, sql := range []string{
		"CREATE EXTENSION IF NOT EXISTS postgis",
		"CREATE TABLE wards (code text PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)",
		"CREATE TABLE lsoas (code text PRIMARY KEY, geom geometry(MultiPolygon, 4326) NOT NULL)",
		"CREATE TABLE points (id integer PRIMARY KEY, lon float8 NOT NULL, lat float8 NOT NULL)",
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	var city orb.Bound
	batch := &pgx.Batch{}
	for i, w := range ds.Wards {
		batch.Queue("INSERT INTO wards VALUES ($1, ST_Multi(ST_GeomFromText($2, 4326)))", w.Code, wkt.MarshalString(w.Geometry))
		if i == 0 {
			city = w.Geometry.Bound()
		} else {
			city = city.Union(w.Geometry.Bound())
		}
	}
	for _, l := range ds.LSOAs {
		batch.Queue("INSERT INTO lsoas VALUES ($1, ST_Multi(ST_GeomFromText($2, 4326)))", l.Code, wkt.MarshalString(l.Geometry))
	}
	if err := conn.SendBatch(ctx, batch).Close(); err != nil {
		t.Fatal(err)
	}
	for _, sql := range []string{"CREATE INDEX ON wards USING gist (geom)", "CREATE INDEX ON lsoas USING gist (geom)"} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}

	const n = 20000
	rng := rand.New(rand.NewPCG(1, 2))
	pad := 0.02
	pts := make([]orb.Point, n)
	rows := make([][]any, n)
	for i := range pts {
		pts[i] = orb.Point{
			city.Min[0] - pad + rng.Float64()*(city.Max[0]-city.Min[0]+2*pad),
			city.Min[1] - pad + rng.Float64()*(city.Max[1]-city.Min[1]+2*pad),
		}
		rows[i] = []any{int32(i), pts[i][0], pts[i][1]}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"points"}, []string{"id", "lon", "lat"}, pgx.CopyFromRows(rows)); err != nil {
		t.Fatal(err)
	}
	pgWard, pgLSOA := make([]string, n), make([]string, n)
	for table, out := range map[string][]string{"wards": pgWard, "lsoas": pgLSOA} {
		r, err := conn.Query(ctx, "SELECT p.id, a.code FROM points p JOIN "+table+
			" a ON ST_Contains(a.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), 4326))")
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var id int32
			var code string
			if err := r.Scan(&id, &code); err != nil {
				t.Fatal(err)
			}
			if out[id] != "" {
				t.Fatalf("PostGIS puts point %d in two %s: %s and %s", id, table, out[id], code)
			}
			out[id] = code
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}
	}

	inWard, mismatches := 0, 0
	for i, p := range pts {
		got := a.Place(p)
		if got.WardCode != pgWard[i] || got.LSOACode != pgLSOA[i] {
			mismatches++
			if mismatches <= 10 {
				t.Errorf("point %d %v: ward %q LSOA %q, PostGIS ward %q LSOA %q", i, p, got.WardCode, got.LSOACode, pgWard[i], pgLSOA[i])
			}
		}
		if pgWard[i] != "" {
			inWard++
			if got.Status != StatusPlaced || got.TeamID != cfg.WardTeams()[pgWard[i]] {
				t.Errorf("point %d in ward %s: status %s, team %q", i, pgWard[i], got.Status, got.TeamID)
			}
		}
	}
	t.Logf("%d points, %d in a ward, %d mismatches with PostGIS", n, inWard, mismatches)
	if inWard < n/4 || inWard == n {
		t.Errorf("%d of %d points in a ward: the sample does not test inside and outside", inWard, n)
	}
}
