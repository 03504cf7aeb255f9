package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/pgstore/pgtest"
	"github.com/placeteam/placeteam/data/realdata"
)

// TestManchesterPostgresMatchesSQLite imports the real Manchester files
// into each backend: every configuration's profile (JSON) and flows come out
// byte-identical, and ogrinfo opens the PostGIS layers, the teams of a
// configuration dissolved among them.
func TestManchesterPostgresMatchesSQLite(t *testing.T) {
	dir := realdata.Dir(t)
	pg := pgtest.NewDatabase(t, "")
	lite := filepath.Join(t.TempDir(), "m.db")
	manifestPath := filepath.Join("..", "..", "data", "manifests", "manchester.yaml")
	for _, db := range []string{lite, pg} {
		if out, err := run(t, "import", "--db", db, "--manifest", manifestPath, "--data-root", dir); err != nil {
			t.Fatalf("import into %s: %v\n%s", redact(db), err, out)
		}
	}
	// info: the same counts and the same configurations.
	var names []string
	var summary json.RawMessage
	for _, db := range []string{lite, pg} {
		out, err := run(t, "info", "--db", db, "--format", "json")
		if err != nil {
			t.Fatalf("info: %v\n%s", err, out)
		}
		var info struct {
			Configurations []struct {
				Name string `json:"name"`
			} `json:"configurations"`
			Summary json.RawMessage `json:"summary"`
		}
		if err := json.Unmarshal([]byte(out), &info); err != nil {
			t.Fatalf("info --format json: %v\n%s", err, out)
		}
		var these []string
		for _, c := range info.Configurations {
			these = append(these, c.Name)
		}
		if names == nil {
			names, summary = these, info.Summary
			continue
		}
		if fmt.Sprint(names) != fmt.Sprint(these) {
			t.Fatalf("configurations: SQLite %v, PostgreSQL %v", names, these)
		}
		if string(summary) != string(info.Summary) {
			t.Errorf("info summary: SQLite %s, PostgreSQL %s", summary, info.Summary)
		}
	}
	if len(names) == 0 {
		t.Fatal("the Manchester import made no configuration")
	}
	for _, name := range names {
		for _, args := range [][]string{
			{"profile", "--config", name, "--format", "json"},
			{"flows", "--config", name, "--format", "json"},
		} {
			fromLite, err := run(t, append(args, "--db", lite)...)
			if err != nil {
				t.Fatalf("%v on SQLite: %v", args, err)
			}
			fromPG, err := run(t, append(args, "--db", pg)...)
			if err != nil {
				t.Fatalf("%v on PostgreSQL: %v", args, err)
			}
			if len(fromLite) < 1000 {
				t.Errorf("%v: only %d bytes", args, len(fromLite))
			}
			if fromLite != fromPG {
				t.Errorf("%v differs between SQLite and PostgreSQL:\n%s", args, firstDifference(fromLite, fromPG))
			}
		}
	}
	ogrinfoLayers(t, pg, names[0])
}

// firstDifference shows where two outputs part.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d:\n SQLite: …%s\n PostgreSQL: …%s", i, a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

// ogrinfoLayers checks that GDAL (as QGIS does) finds the store's layers
// in the database at db and the 12 dissolved teams of configuration name.
func ogrinfoLayers(t *testing.T, db, name string) {
	t.Helper()
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("ogrinfo not found: .ci/run installs gdal-bin")
		}
		t.Skip("ogrinfo not found (apt-get install gdal-bin)")
	}
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	conn := fmt.Sprintf("PG:host=%s port=%s user=%s dbname=%s", u.Hostname(), u.Port(), u.User.Username(), strings.TrimPrefix(u.Path, "/"))
	out, err := exec.Command("ogrinfo", "-ro", "-q", conn).CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, layer := range []string{"wards", "lsoas", "practices", "configuration_teams", "latest_teams", "latest_localities"} {
		if !regexp.MustCompile(`(?m)^\d+: placeteam\.` + layer + ` \((Multi Polygon|Point)\)$`).Match(out) {
			t.Errorf("ogrinfo does not list placeteam.%s with its geometry type:\n%s", layer, out)
		}
	}
	out, err = exec.Command("ogrinfo", "-ro", "-so", "-where", "name = '"+name+"'", conn, "placeteam.latest_teams").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo latest_teams: %v\n%s", err, out)
	}
	for _, want := range []string{"Feature Count: 12", "Geometry: Multi Polygon", "EPSG\",4326", "team_id: String"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("ogrinfo of %s's latest teams lacks %q:\n%s", name, want, out)
		}
	}
}
