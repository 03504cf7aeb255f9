package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/areaindex"
)

// runSplit executes the CLI with args, keeping stdout and stderr apart.
func runSplit(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newRootCommand()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// sharedVertex finds a vertex two wards' rings both have (the demo city's
// areas share vertices exactly) and returns it with the codes of every
// ward that has it.
func sharedVertex(t *testing.T, wards []dataset.Ward) (orb.Point, []string) {
	t.Helper()
	owners := map[orb.Point][]string{}
	for _, w := range wards {
		for _, poly := range w.Geometry {
			for _, ring := range poly {
				for _, p := range ring {
					if !slices.Contains(owners[p], w.Code) {
						owners[p] = append(owners[p], w.Code)
					}
				}
			}
		}
	}
	for _, w := range wards { // deterministic: the first ward's first shared vertex
		for _, p := range w.Geometry[0][0] {
			if len(owners[p]) >= 2 {
				return p, owners[p]
			}
		}
	}
	t.Fatal("no two wards share a vertex")
	return orb.Point{}, nil
}

func TestAssignCommand(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	ds := loadStore(t, db)
	wardTeam := map[string]string{}
	out, err := run(t, "config", "show", "demo-baseline", "--db", db)
	if err != nil {
		t.Fatalf("config show: %v\n%s", err, out)
	}
	// "config show" prints YAML: team ids, then their wards.
	team := ""
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(strings.TrimLeft(line, " -"))
		switch {
		case len(f) == 2 && f[0] == "id:" && strings.HasPrefix(line, "      - id:"):
			team = f[1]
		case len(f) == 1 && strings.HasPrefix(f[0], "E05"):
			wardTeam[f[0]] = team
		}
	}
	if len(wardTeam) != len(ds.Wards) {
		t.Fatalf("read %d ward teams from config show, the city has %d wards:\n%s", len(wardTeam), len(ds.Wards), out)
	}

	// Rows: an interior point of the first LSOA of each of three wards
	// (the demo's LSOAs nest in their wards), a vertex two wards share,
	// a point far outside, bad coordinates, and a practice's postcode.
	type row struct{ id, lon, lat, postcode, ward, status string }
	var rows []row
	for _, l := range ds.LSOAs {
		if l.WardCode != "" && len(rows) < 3 && !slices.ContainsFunc(rows, func(r row) bool { return r.ward == l.WardCode }) {
			p := areaindex.InteriorPoint(l.Geometry)
			rows = append(rows, row{fmt.Sprint(len(rows) + 1), ftoa(p[0]), ftoa(p[1]), "", l.WardCode, "ok"})
		}
	}
	v, owners := sharedVertex(t, ds.Wards)
	rows = append(rows, row{"4", ftoa(v[0]), ftoa(v[1]), "", slices.Min(owners), "ok"}) // lowest code wins
	rows = append(rows, row{"5", "10", "10", "", "", "outside-city"})
	rows = append(rows, row{"6", "-2.0", "NaN", "", "", "bad-coordinates"})
	rows = append(rows, row{"7", "", "", "", "", "missing-location"})
	in := "\ufeffid,lon,lat\n"
	for _, r := range rows {
		in += r.id + "," + r.lon + "," + r.lat + "\n"
	}
	inFile := filepath.Join(dir, "points.csv")
	if err := os.WriteFile(inFile, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}

	stdout, stderr, err := runSplit(t, "assign", "--db", db, "--config", "demo-baseline", "--in", inFile, "--lon", "lon", "--lat", "lat")
	if err != nil {
		t.Fatalf("assign: %v\n%s", err, stderr)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(stdout, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, stdout)
	}
	if len(got) != len(rows)+1 || strings.Join(got[0], ",") != "id,lon,lat,ward_code,ward_name,lsoa_code,team_id,team_name,locality_id,status,reason" {
		t.Fatalf("output:\n%s", stdout)
	}
	for i, r := range rows {
		g := got[i+1]
		if g[0] != r.id || g[3] != r.ward || g[9] != r.status || g[6] != wardTeam[r.ward] {
			t.Errorf("row %s: ward %q team %q status %q (%s), want ward %q team %q status %q", r.id, g[3], g[6], g[9], g[10], r.ward, wardTeam[r.ward], r.status)
		}
		if r.status != "ok" && !strings.HasPrefix(g[10], "line "+strconv.Itoa(i+2)+": ") {
			t.Errorf("row %s: reason %q does not name line %d", r.id, g[10], i+2)
		}
	}
	for _, want := range []string{"7 rows: 4 ok, 1 outside-city, 1 missing-location, 1 bad-coordinates", "line 7: ", "line 8: "} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	// By postcode, through an ONSPD-style file, into --out.
	p := ds.Practices[0]
	pcFile := filepath.Join(dir, "onspd.csv")
	onspd := "pcd,pcds,lat,long\n" + strings.ReplaceAll(p.Postcode, " ", "") + "," + p.Postcode + "," + ftoa(p.Location[1]) + "," + ftoa(p.Location[0]) + "\n"
	if err := os.WriteFile(pcFile, []byte(onspd), 0o600); err != nil {
		t.Fatal(err)
	}
	byPostcode := filepath.Join(dir, "by_postcode.csv")
	if err := os.WriteFile(byPostcode, []byte("ref,postcode\na,"+strings.ToLower(p.Postcode)+"\nb,ZZ1 1ZZ\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(dir, "out.csv")
	if _, stderr, err := runSplit(t, "assign", "--db", db, "--config", "demo-baseline", "--in", byPostcode, "--postcode", "postcode",
		"--postcodes", pcFile, "--out", outFile); err != nil {
		t.Fatalf("assign by postcode: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	got, _ = csv.NewReader(bytes.NewReader(b)).ReadAll()
	if len(got) != 3 || got[1][2] != p.WardCode || got[1][9-1] != "ok" || got[2][9-1] != "unknown-postcode" {
		t.Errorf("by postcode (practice %s in %s):\n%s", p.Code, p.WardCode, b)
	}

	// GeoJSON, chosen by the extension.
	geo := filepath.Join(dir, "points.geojson")
	fc := `{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[` +
		rows[0].lon + `,` + rows[0].lat + `]},"properties":{"id":"1"}}]}`
	if err := os.WriteFile(geo, []byte(fc), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout, _, err = runSplit(t, "assign", "--db", db, "--config", "demo-baseline", "--in", geo)
	if err != nil || !strings.Contains(stdout, `"ward_code":"`+rows[0].ward+`"`) || !strings.Contains(stdout, `"summary":{"rows":1,"placed":1`) {
		t.Errorf("GeoJSON: %v\n%s", err, stdout)
	}

	// Unreadable input fails, naming the file and the line; nothing is written.
	missing := filepath.Join(dir, "missing.csv")
	_, _, err = runSplit(t, "assign", "--db", db, "--config", "demo-baseline", "--in", inFile, "--lon", "lon", "--lat", "latitude", "--out", missing)
	if err == nil || !strings.Contains(err.Error(), inFile) || !strings.Contains(err.Error(), "line 1") || !strings.Contains(err.Error(), `"latitude"`) {
		t.Errorf("missing column: error %v", err)
	}
	if _, serr := os.Stat(missing); !os.IsNotExist(serr) {
		t.Errorf("a failed run left %s", missing)
	}
	if _, _, err := runSplit(t, "assign", "--db", db, "--config", "demo-baseline", "--in", inFile, "--postcode", "id"); err == nil || !strings.Contains(err.Error(), "postcode file") {
		t.Errorf("--postcode without --postcodes: error %v", err)
	}
}

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
