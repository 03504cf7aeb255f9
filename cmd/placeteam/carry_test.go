package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/profiles/carry"
)

// TestCarryCommand carries the demo baseline to a ward set made of the demo's
// wards renamed, two of them (of different teams) merged into one: the
// merged ward is the one split ward, every other keeps its team with share
// 1, and only the two teams' populations change, by the merged ward's
// minority residents.
func TestCarryCommand(t *testing.T) {
	tmp, db := t.TempDir(), demoStore(t)
	ds := loadStore(t, db)
	cfgYAML, err := run(t, "config", "show", "demo-baseline", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	old, err := configuration.Read(strings.NewReader(cfgYAML), "demo-baseline")
	if err != nil {
		t.Fatal(err)
	}
	teamOf := old.WardTeams()
	// Merge the first ward with the first ward of another team that has two
	// or more wards, so no team is left without one.
	size := map[string]int{}
	for _, team := range teamOf {
		size[team]++
	}
	a := ds.Wards[0]
	var b = ds.Wards[0]
	for _, w := range ds.Wards[1:] {
		if teamOf[w.Code] != teamOf[a.Code] && size[teamOf[w.Code]] > 1 {
			b = w
			break
		}
	}
	if b.Code == a.Code || size[teamOf[a.Code]] < 2 {
		t.Fatalf("demo wards do not allow the merge (team sizes %v)", size)
	}
	fc := geojson.NewFeatureCollection()
	names := map[string]string{}
	for _, w := range ds.Wards {
		if w.Code == b.Code {
			continue
		}
		code, name, g := "X"+w.Code, "New "+w.Name, w.Geometry
		if w.Code == a.Code {
			code, name, g = "XMERGED", "Merged", append(append(orb.MultiPolygon{}, a.Geometry...), b.Geometry...)
		}
		f := geojson.NewFeature(g)
		f.Properties["WD99CD"], f.Properties["WD99NM"], f.Properties["other"] = code, name, "x"
		fc.Append(f)
		names[code] = name
	}
	wardsFile := filepath.Join(tmp, "new-wards.geojson")
	body, _ := fc.MarshalJSON()
	if err := os.WriteFile(wardsFile, body, 0o644); err != nil {
		t.Fatal(err)
	}
	outFile := filepath.Join(tmp, "carried.yaml")

	out, err := run(t, "carry", "--db", db, "--config", "demo-baseline", "--to-wards", wardsFile, "--out", outFile, "--format", "json")
	if err != nil {
		t.Fatalf("carry: %v\n%s", err, out)
	}
	var r carry.Result
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	carried, err := configuration.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := carried.Validate(names); err != nil {
		t.Errorf("carried file does not validate on the new wards: %v", err)
	}
	var splits []carry.WardResult
	for _, w := range r.Wards {
		if w.Split {
			splits = append(splits, w)
			continue
		}
		if w.Code != "XMERGED" && (w.Team != teamOf[strings.TrimPrefix(w.Code, "X")] || w.Share != 1) {
			t.Errorf("renamed ward %s: team %s share %v, old team %s", w.Code, w.Team, w.Share, teamOf[strings.TrimPrefix(w.Code, "X")])
		}
	}
	if len(splits) != 1 || splits[0].Code != "XMERGED" || len(splits[0].Shares) != 2 {
		t.Fatalf("split wards = %+v, want XMERGED alone with two teams", splits)
	}
	m := splits[0]
	minority := m.Shares[1]
	for _, tp := range r.Teams {
		change := tp.New - tp.Old
		switch tp.Team {
		case m.Team:
			if math.Abs(change-minority.Residents) > 1e-6 {
				t.Errorf("%s gained %v, want the minority's %v", tp.Team, change, minority.Residents)
			}
		case minority.Team:
			if math.Abs(change+minority.Residents) > 1e-6 {
				t.Errorf("%s lost %v, want %v", tp.Team, -change, minority.Residents)
			}
		default:
			if change != 0 {
				t.Errorf("%s changed by %v without a split ward", tp.Team, change)
			}
		}
	}
	if math.Abs(r.ResidentsOld-r.ResidentsNew) > 1e-6 {
		t.Errorf("residents %v → %v", r.ResidentsOld, r.ResidentsNew)
	}

	// The table names the split ward and its shares.
	out, err = run(t, "carry", "--db", db, "--config", "demo-baseline", "--to-wards", wardsFile, "--code-property", "WD99CD", "--name-property", "WD99NM")
	if err != nil {
		t.Fatalf("carry: %v\n%s", err, out)
	}
	for _, want := range []string{"Split wards (residents from more than one old team): 1 of", "XMERGED  Merged", carry.FormatShares(m.Shares), "Team residents:"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestCarryCommandErrors(t *testing.T) {
	tmp, db := t.TempDir(), demoStore(t)
	ds := loadStore(t, db)
	fc := geojson.NewFeatureCollection()
	for _, w := range ds.Wards {
		f := geojson.NewFeature(w.Geometry)
		f.Properties["ward_id"], f.Properties["label"] = "X"+w.Code, w.Name
		fc.Append(f)
	}
	wardsFile := filepath.Join(tmp, "odd-properties.geojson")
	body, _ := fc.MarshalJSON()
	if err := os.WriteFile(wardsFile, body, 0o644); err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(tmp, "broken.geojson")
	if err := os.WriteFile(notJSON, []byte(`{"type":"FeatureCollection","features":[{`), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(tmp, "no-such-wards.geojson")
	tests := []struct {
		name string
		args []string
		want []string // in the error
	}{
		{"missing ward file", []string{"--config", "demo-baseline", "--to-wards", missing}, []string{"--to-wards", missing}},
		{"broken ward file", []string{"--config", "demo-baseline", "--to-wards", notJSON}, []string{"broken.geojson"}},
		{"no code property found", []string{"--config", "demo-baseline", "--to-wards", wardsFile}, []string{wardsFile, "code", "label, ward_id"}},
		{"wrong code property", []string{"--config", "demo-baseline", "--to-wards", wardsFile, "--code-property", "WD22CD", "--name-property", "label"}, []string{wardsFile, `"WD22CD"`}},
		{"unknown configuration", []string{"--config", "no-such-plan", "--to-wards", wardsFile, "--code-property", "ward_id", "--name-property", "label"}, []string{`configuration "no-such-plan"`}},
		{"bad format", []string{"--config", "demo-baseline", "--to-wards", wardsFile, "--format", "csv"}, []string{"csv"}},
		{"bad min piece", []string{"--config", "demo-baseline", "--to-wards", wardsFile, "--code-property", "ward_id", "--name-property", "label", "--min-piece", "0.9"}, []string{"0.9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(t, append([]string{"carry", "--db", db}, tt.args...)...)
			if err == nil {
				t.Fatalf("no error\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	if _, err := run(t, "carry", "--db", filepath.Join(tmp, "typo.db"), "--config", "demo-baseline", "--to-wards", wardsFile, "--code-property", "ward_id", "--name-property", "label"); err == nil {
		t.Errorf("carry on a missing store: no error")
	}
}

// TestCarryManchesterCommand runs the README's carry example on the real
// data: the file it writes is the shipped carried configuration, which the
// 2018 manifest imports, and whose profile runs on the new store.
func TestCarryManchesterCommand(t *testing.T) {
	dir := realdata.Dir(t)
	wards := realdata.File(t, "boundaries/wards_2018plus_manchester_wd22.geojson")
	tmp := t.TempDir()
	oldDB, newDB := filepath.Join(tmp, "mcr.db"), filepath.Join(tmp, "mcr2018.db")
	manifests := filepath.Join("..", "..", "data", "manifests")
	if out, err := run(t, "import", "--db", oldDB, "--manifest", filepath.Join(manifests, "manchester.yaml"), "--data-root", dir); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	outFile := filepath.Join(tmp, "carried.yaml")
	out, err := run(t, "carry", "--db", oldDB, "--config", "manchester-2015", "--to-wards", wards, "--code-property", "area_code", "--name-property", "area_name", "--out", outFile)
	if err != nil {
		t.Fatalf("carry: %v\n%s", err, out)
	}
	t.Logf("placeteam carry:\n%s", out)
	got, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := os.ReadFile(filepath.Join("..", "..", "data", "configs", "manchester-2015-carried.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(shipped) {
		t.Errorf("carry --out differs from data/configs/manchester-2015-carried.yaml (regenerate: go test ./profiles/carry -run Manchester -update)")
	}
	if out, err := run(t, "import", "--db", newDB, "--manifest", filepath.Join(manifests, "manchester-2018.yaml"), "--data-root", dir); err != nil {
		t.Fatalf("import 2018: %v\n%s", err, out)
	}
	out, err = run(t, "profile", "--db", newDB, "--config", "manchester-2015-carried", "--format", "csv")
	if err != nil {
		t.Fatalf("profile on the 2018 wards: %v\n%s", err, out)
	}
	if !strings.Contains(out, "S4") {
		t.Errorf("profile lacks the teams:\n%s", out)
	}
}

// TestCarryLookupAndVersion: --version carries an earlier version (a ward
// moved since keeps its old team), and --lookup puts each LSOA whole in the
// ward the lookup names, however the boundaries overlap.
func TestCarryLookupAndVersion(t *testing.T) {
	tmp, db := t.TempDir(), demoStore(t)
	ds := loadStore(t, db)
	// The new wards: the old ones renamed, all but the first drawn as the
	// first ward's polygon (so by overlap most LSOAs would go to it).
	fc := geojson.NewFeatureCollection()
	for i, w := range ds.Wards {
		g := w.Geometry
		if i > 0 {
			g = ds.Wards[0].Geometry
		}
		f := geojson.NewFeature(g)
		f.Properties["code"], f.Properties["name"] = "N"+w.Code, "New "+w.Name
		fc.Append(f)
	}
	wardsFile := filepath.Join(tmp, "new-wards.geojson")
	body, _ := fc.MarshalJSON()
	if err := os.WriteFile(wardsFile, body, 0o644); err != nil {
		t.Fatal(err)
	}
	// The lookup: each LSOA to its old ward's new code.
	var csv strings.Builder
	csv.WriteString("LSOA11CD,LSOA11NM,WD18CD,WD18NM\n")
	want := map[string]string{}
	for _, l := range ds.LSOAs {
		if l.WardCode != "" {
			fmt.Fprintf(&csv, "%s,%s,N%s,x\n", l.Code, l.Name, l.WardCode)
			want[l.Code] = "N" + l.WardCode
		}
	}
	lookupFile := filepath.Join(tmp, "lookup.csv")
	if err := os.WriteFile(lookupFile, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	carryJSON := func(args ...string) carry.Result {
		t.Helper()
		out, err := run(t, append([]string{"carry", "--db", db, "--config", "demo-baseline", "--to-wards", wardsFile, "--format", "json"}, args...)...)
		if err != nil {
			t.Fatalf("carry %v: %v\n%s", args, err, out)
		}
		var r carry.Result
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := carryJSON("--lookup", lookupFile)
	if len(r.LSOAs) != len(want) {
		t.Errorf("%d LSOAs carried, the lookup has %d", len(r.LSOAs), len(want))
	}
	for _, l := range r.LSOAs {
		if l.Straddles || len(l.Pieces) != 1 || l.Pieces[0].Ward != want[l.Code] {
			t.Errorf("LSOA %s went to %+v, the lookup says %s", l.Code, l.Pieces, want[l.Code])
		}
	}

	// Move a ward, then carry version 1 and the latest.
	cfgYAML, err := run(t, "config", "show", "demo-baseline", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	old, err := configuration.Read(strings.NewReader(cfgYAML), "demo-baseline")
	if err != nil {
		t.Fatal(err)
	}
	teams := old.Teams()
	ward := teams[0].Wards[0]
	if out, err := run(t, "move", "--db", db, "--config", "demo-baseline", "--ward", ward, "--team", teams[1].ID, "--save"); err != nil {
		t.Fatalf("move: %v\n%s", err, out)
	}
	team := func(r carry.Result) string {
		for _, w := range r.Wards {
			if w.Code == "N"+ward {
				return w.Team
			}
		}
		return ""
	}
	if got := team(carryJSON("--lookup", lookupFile, "--version", "1")); got != teams[0].ID {
		t.Errorf("version 1: ward %s carried to %q, want its team then, %s", ward, got, teams[0].ID)
	}
	if got := team(carryJSON("--lookup", lookupFile)); got != teams[1].ID {
		t.Errorf("latest: ward %s carried to %q, want %s", ward, got, teams[1].ID)
	}
	out, err := run(t, "carry", "--db", db, "--config", "demo-baseline", "--to-wards", wardsFile, "--version", "1", "--lookup", lookupFile)
	if err != nil || !strings.Contains(out, "Carry demo-baseline version 1 ") {
		t.Errorf("table header does not name version 1 (%v):\n%.300s", err, out)
	}

	// A lookup giving an LSOA two wards, and one without the columns.
	for name, content := range map[string]string{
		"two-wards.csv":  "lsoa,ward\nE01000001,A\nE01000001,B\n",
		"no-columns.csv": "area,district\nE01000001,A\n",
	} {
		path := filepath.Join(tmp, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := run(t, "carry", "--db", db, "--config", "demo-baseline", "--to-wards", wardsFile, "--lookup", path); err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), "--lookup") {
			t.Errorf("--lookup %s: error %v, want one naming --lookup and the file", name, err)
		}
	}
}
