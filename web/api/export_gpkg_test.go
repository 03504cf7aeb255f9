package api_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
)

// featureCounts are a GeoPackage's feature tables and their row counts,
// and its layer_styles default rows by table.
func featureCounts(t *testing.T, path string) (counts, styles map[string]int) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT table_name FROM gpkg_contents WHERE data_type = 'features'`)
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
	counts, styles = map[string]int{}, map[string]int{}
	for _, n := range tables {
		var c, s int
		if err := db.QueryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT count(*) FROM layer_styles WHERE f_table_name = ? AND useAsDefault = 1`, n).Scan(&s); err != nil {
			t.Fatal(err)
		}
		counts[n], styles[n] = c, s
	}
	return counts, styles
}

// TestExportGeoPackage: GET …/export?format=gpkg answers the GeoPackage
// the CLI writes: an attachment named for the version, a SQLite file with
// GeoPackage's application id, the five layers with as many features as
// their collections, each with a default style; a missing version is 404
// and an unknown format 400, as problem details.
func TestExportGeoPackage(t *testing.T) {
	ctx := context.Background()
	core, base := testCore(t, noJobs)
	srv := httptest.NewServer(api.New(api.Config{Core: core, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})), MaxBodyBytes: 64 << 10}))
	t.Cleanup(srv.Close)

	// The handler's temporary files go to TMPDIR.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	resp, err := http.Get(srv.URL + "/api/configurations/" + base.Name + "/export?format=gpkg&version=1")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/geopackage+sqlite3" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd, want := resp.Header.Get("Content-Disposition"), `attachment; filename="`+base.Name+`-v1.gpkg"`; cd != want {
		t.Errorf("Content-Disposition %q, want %q", cd, want)
	}
	if len(body) < 100 || !bytes.Equal(body[:16], []byte("SQLite format 3\x00")) {
		t.Fatalf("not a SQLite file: %q", body[:min(len(body), 16)])
	}
	// The application id is the header's big-endian word at offset 68.
	if id := binary.BigEndian.Uint32(body[68:72]); id != 0x47504B47 {
		t.Errorf("application_id %#x, want 'GPKG'", id)
	}
	path := filepath.Join(t.TempDir(), "answer.gpkg")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	got, styles := featureCounts(t, path)

	// What the CLI writes, and what the collections hold.
	v, err := core.At(ctx, base.Name, 1)
	if err != nil {
		t.Fatal(err)
	}
	cliPath := filepath.Join(t.TempDir(), "cli.gpkg")
	if _, err := core.WriteGeoPackage(ctx, v, cliPath); err != nil {
		t.Fatal(err)
	}
	cli, _ := featureCounts(t, cliPath)
	// The core's layers (profiles/planning's test checks them against the
	// collections).
	layers, err := core.GeoPackageLayers(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	for _, l := range layers {
		want[l.Name] = len(l.Features)
	}
	if len(got) != len(planning.ExportLayerNames) || len(cli) != len(got) {
		t.Errorf("layers %v, the CLI's %v, want %v", got, cli, planning.ExportLayerNames)
	}
	for _, n := range planning.ExportLayerNames {
		if got[n] != want[n] || got[n] != cli[n] || got[n] == 0 {
			t.Errorf("%s: %d features, the CLI's %d, the core's layer %d", n, got[n], cli[n], want[n])
		}
		if styles[n] != 1 {
			t.Errorf("%s: %d default styles", n, styles[n])
		}
	}

	// The temporary file is gone.
	if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
		t.Errorf("temporary files left in %s: %v (%v)", tmp, left, err)
	}

	for _, x := range []exchange{
		{"missing version", "GET", "/api/configurations/" + base.Name + "/export?format=gpkg&version=9", nil, "", 404, problemCT, []string{`"status":404`}},
		{"unknown configuration", "GET", "/api/configurations/nope/export?format=gpkg", nil, "", 404, problemCT, nil},
		{"unknown format", "GET", "/api/configurations/" + base.Name + "/export?format=shp", nil, "", 400, problemCT, []string{`format \"shp\"`, "gpkg"}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}

	// The GeoPackage's team colours are the map's: the page colours teams
	// by the style's metadata.
	_, styleBody := do(t, srv, exchange{"style", "GET", "/styles/" + base.Name + ".json", nil, "", 200, jsonCT, nil})
	var style struct {
		Metadata struct {
			TeamColours map[string]string `json:"placeteam:team-colours"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal([]byte(styleBody), &style); err != nil {
		t.Fatal(err)
	}
	colours := planning.TeamColours(base)
	if len(colours) == 0 || len(style.Metadata.TeamColours) != len(colours) {
		t.Errorf("map style has %d team colours, the export %d", len(style.Metadata.TeamColours), len(colours))
	}
	for id, c := range colours {
		if !strings.EqualFold(style.Metadata.TeamColours[id], c) {
			t.Errorf("team %s: the map colours it %s, the export %s", id, style.Metadata.TeamColours[id], c)
		}
	}
}
