package planning_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/xml"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/gpkg"
	geogpkg "github.com/placeteam/placeteam/geo/gpkg"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/profiles/report"
)

// TestGeoPackageLayers: the export holds the five layers with as many
// features as their collections, wards carry the version's team and
// locality, and the file reads back (SQLite) with typed columns.
func TestGeoPackageLayers(t *testing.T) {
	ctx := context.Background()
	st, _, name := demoStore(t)
	core := newCore(t, planning.Config{Store: st})
	v, err := core.Latest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	layers, err := core.GeoPackageLayers(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range layers {
		names = append(names, l.Name)
	}
	if got, want := strings.Join(names, " "), "wards teams localities practices lsoas"; got != want {
		t.Fatalf("layers %q, want %q", got, want)
	}
	want := map[string]int{}
	for _, n := range []string{planning.LayerWards, planning.LayerPractices, planning.LayerLSOAs} {
		set, err := core.Static(n)
		if err != nil {
			t.Fatal(err)
		}
		want[n] = len(set.Features)
	}
	for n, level := range map[string]string{planning.LayerTeams: placeprofile.LevelTeam, planning.LayerLocalities: placeprofile.LevelLocality} {
		set, err := core.Units(ctx, v, level)
		if err != nil {
			t.Fatal(err)
		}
		want[n] = len(set.Features)
	}
	wardTeam := v.Configuration.WardTeams()
	for _, l := range layers {
		if len(l.Features) != want[l.Name] || len(l.Features) == 0 {
			t.Errorf("%s: %d features, want %d", l.Name, len(l.Features), want[l.Name])
		}
		if l.Name == planning.LayerWards {
			for _, f := range l.Features {
				if code := f.Properties["code"].(string); f.Properties["team"] != wardTeam[code] {
					t.Errorf("ward %s: team %v, want %s", code, f.Properties["team"], wardTeam[code])
				}
			}
		}
	}

	path := filepath.Join(t.TempDir(), "demo.gpkg")
	if err := gpkg.Write(ctx, path, layers); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := core.Profile(ctx, v, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		var count int
		if err := db.QueryRow(fmt.Sprintf("SELECT count(*) FROM %q", n)).Scan(&count); err != nil || count != want[n] {
			t.Errorf("table %s: %d rows (%v), want %d", n, count, err, want[n])
		}
	}
	team := p.Teams[0]
	var (
		tname, wards string
		resident     float64
		practices    int
		blob         []byte
	)
	if err := db.QueryRow(`SELECT name, wards, resident_population, practice_count, geom FROM teams WHERE id = ?`, team.ID).Scan(&tname, &wards, &resident, &practices, &blob); err != nil {
		t.Fatal(err)
	}
	if tname != team.Name || resident != team.ResidentPopulation.Total || practices != team.PracticeCount || len(strings.Fields(wards)) != len(team.Wards) {
		t.Errorf("team %s: %q %v %d %q, want %q %v %d (%d wards)", team.ID, tname, resident, practices, wards, team.Name, team.ResidentPopulation.Total, team.PracticeCount, len(team.Wards))
	}
	if g, srs, err := geogpkg.Decode(blob); err != nil || srs != 4326 || g.GeoJSONType() != "MultiPolygon" {
		t.Errorf("team geometry: %v srs %d (%v)", g, srs, err)
	}
	var typ string
	if err := db.QueryRow(`SELECT type FROM pragma_table_info('teams') WHERE name = 'resident_population'`).Scan(&typ); err != nil || typ != "REAL" {
		t.Errorf("teams.resident_population is %q (%v), want REAL", typ, err)
	}
	if err := db.QueryRow(`SELECT type FROM pragma_table_info('teams') WHERE name = 'practice_count'`).Scan(&typ); err != nil || typ != "INTEGER" {
		t.Errorf("teams.practice_count is %q (%v), want INTEGER", typ, err)
	}

	checkOgrinfo(t, path, want, team)
}

// checkOgrinfo opens the GeoPackage with GDAL: layer names, feature
// counts and a team's attributes. Skipped without ogrinfo unless CI=true.
func checkOgrinfo(t *testing.T, path string, want map[string]int, team placeprofile.Unit) {
	t.Helper()
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ogrinfo is not installed (apt-get install gdal-bin)")
		}
		t.Log("ogrinfo not installed (apt-get install gdal-bin): GDAL check skipped")
		return
	}
	out, err := exec.Command(ogrinfo, "-ro", "-so", "-al", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -so: %v\n%s", err, out)
	}
	s := string(out)
	if bytes.Contains(out, []byte("ERROR")) {
		t.Errorf("ogrinfo reports errors:\n%s", s)
	}
	re := regexp.MustCompile(`Layer name: (\w+)\n(?s:.*?)Feature Count: (\d+)`)
	got := map[string]int{}
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		got[m[1]], _ = strconv.Atoi(m[2])
	}
	for n, c := range want {
		if got[n] != c {
			t.Errorf("ogrinfo: layer %s has %d features, want %d", n, got[n], c)
		}
	}
	for _, attr := range []string{"resident_population: Real", "practice_count: Integer", "name: String", "team: String", "imd_decile: Integer"} {
		if !strings.Contains(s, attr) {
			t.Errorf("ogrinfo: no attribute %q", attr)
		}
	}
	out, err = exec.Command(ogrinfo, "-ro", path, "-sql", "SELECT id, name, resident_population, geom FROM teams WHERE id = '"+team.ID+"'").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo -sql: %v\n%s", err, out)
	}
	for _, w := range []string{"id (String) = " + team.ID, "name (String) = " + team.Name,
		"resident_population (Real) = " + strconv.FormatFloat(team.ResidentPopulation.Total, 'f', -1, 64), "MULTIPOLYGON"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("ogrinfo -sql: no %q in\n%.2000s", w, out)
		}
	}
}

// TestReportInput: the report's input has the profile, indicators,
// wards and a shape for every team and locality; an unknown unit is not
// found.
func TestReportInput(t *testing.T) {
	ctx := context.Background()
	st, _, name := demoStore(t)
	core := newCore(t, planning.Config{Store: st})
	v, err := core.Latest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	in, err := core.ReportInput(ctx, v, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Indicators) == 0 || len(in.Wards) != len(core.Dataset().Wards) || len(in.Sources) == 0 {
		t.Errorf("input: %d indicators, %d wards, %d sources", len(in.Indicators), len(in.Wards), len(in.Sources))
	}
	for _, u := range in.Profile.Teams {
		if in.Shapes[report.ShapeKey(u.Level, u.ID)] == nil {
			t.Errorf("no shape for team %s", u.ID)
		}
	}
	if _, err := core.ReportInput(ctx, v, "no-such-team"); err == nil {
		t.Error("a report of an unknown team did not fail")
	}
}

// TestGeoPackageStyles: every export layer has a default QGIS style in
// the written file: teams categorised by id in the configuration's team
// colours, LSOAs graduated by IMD decile, practices sized by their list
// size (which the practices carry, from the ward tables), wards labelled.
func TestGeoPackageStyles(t *testing.T) {
	ctx := context.Background()
	st, _, name := demoStore(t)
	core := newCore(t, planning.Config{Store: st})
	v, err := core.Latest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.gpkg")
	layers, err := core.WriteGeoPackage(ctx, v, path)
	if err != nil {
		t.Fatal(err)
	}
	colours := planning.TeamColours(v.Configuration)
	if len(colours) != len(v.Configuration.Teams()) || len(colours) == 0 {
		t.Fatalf("%d team colours for %d teams", len(colours), len(v.Configuration.Teams()))
	}
	byName := map[string]gpkg.Layer{}
	for _, l := range layers {
		byName[l.Name] = l
		if l.Style == nil {
			t.Errorf("%s: no style", l.Name)
		}
	}
	teams := byName[planning.LayerTeams].Style
	if teams.Field != "id" || len(teams.Categories) != len(colours) {
		t.Fatalf("teams style: field %q, %d categories for %d teams", teams.Field, len(teams.Categories), len(colours))
	}
	for _, c := range teams.Categories {
		if c.Symbol.Fill != colours[c.Value] {
			t.Errorf("team %s: fill %s, want %s", c.Value, c.Symbol.Fill, colours[c.Value])
		}
	}
	// The practices' list sizes are the ward tables' (registered
	// population sums them over a team's practices).
	p, err := core.Profile(ctx, v, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inTeam := map[string]bool{}
	for _, w := range p.Teams[0].Wards {
		inTeam[w] = true
	}
	sum, biggest := 0.0, 0.0
	for _, f := range byName[planning.LayerPractices].Features {
		n, ok := f.Properties[planning.FieldListSize].(float64)
		if !ok {
			continue
		}
		biggest = max(biggest, n)
		if ward, _ := f.Properties["ward"].(string); inTeam[ward] {
			sum += n
		}
	}
	if sum == 0 || math.Abs(sum-p.Teams[0].RegisteredPopulation) > 0.5 {
		t.Errorf("team %s: practices' list sizes sum to %v, registered population %v", p.Teams[0].ID, sum, p.Teams[0].RegisteredPopulation)
	}
	if ps := byName[planning.LayerPractices].Style; ps.SizeField != planning.FieldListSize || ps.SizeMax != biggest || biggest == 0 {
		t.Errorf("practices sized by %q up to %v, want %s up to %v", ps.SizeField, ps.SizeMax, planning.FieldListSize, biggest)
	}

	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	wantRenderer := map[string]string{planning.LayerTeams: "categorizedSymbol", planning.LayerLSOAs: "graduatedSymbol",
		planning.LayerPractices: "singleSymbol", planning.LayerWards: "singleSymbol", planning.LayerLocalities: "singleSymbol"}
	for _, n := range planning.ExportLayerNames {
		var qml string
		if err := db.QueryRow(`SELECT styleQML FROM layer_styles WHERE f_table_name = ? AND useAsDefault = 1`, n).Scan(&qml); err != nil {
			t.Errorf("%s: no default style (%v)", n, err)
			continue
		}
		var doc struct {
			Labels   string `xml:"labelsEnabled,attr"`
			Renderer struct {
				Type string `xml:"type,attr"`
				Attr string `xml:"attr,attr"`
			} `xml:"renderer-v2"`
		}
		if err := xml.Unmarshal([]byte(qml), &doc); err != nil {
			t.Errorf("%s: QML: %v", n, err)
		}
		if doc.Renderer.Type != wantRenderer[n] {
			t.Errorf("%s: renderer %q, want %q", n, doc.Renderer.Type, wantRenderer[n])
		}
		if (n == planning.LayerWards) != (doc.Labels == "1") {
			t.Errorf("%s: labels enabled %q", n, doc.Labels)
		}
		if n == planning.LayerLSOAs && doc.Renderer.Attr != "imd_decile" {
			t.Errorf("lsoas graduated on %q", doc.Renderer.Attr)
		}
	}
}
