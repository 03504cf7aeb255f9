package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/placeteam/placeteam/data/configuration"
)

// demoStore generates the demo city into a temporary store.
func demoStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	return db
}

func TestProfileFlowsCompare(t *testing.T) {
	db := demoStore(t)

	out, err := run(t, "profile", "--db", db, "--config", "demo-baseline", "--format", "json")
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	var p struct {
		Teams []struct {
			ID                     string   `json:"id"`
			Wards                  []string `json:"wards"`
			LocalRegistrationShare *float64 `json:"local_registration_share"`
			ModelledFields         []string `json:"modelled_fields"`
		} `json:"teams"`
		City struct {
			ResidentPopulation struct{ Total float64 } `json:"resident_population"`
		} `json:"city"`
		FigureDates map[string]string              `json:"figure_dates"`
		Sources     []struct{ Attribution string } `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("profile JSON: %v", err)
	}
	if len(p.Teams) != 12 || p.Teams[0].LocalRegistrationShare == nil || len(p.Teams[0].ModelledFields) == 0 {
		t.Errorf("profile teams = %+v", p.Teams)
	}
	if p.FigureDates["resident_population"] != "mid-2015" || len(p.Sources) == 0 || p.Sources[0].Attribution == "" {
		t.Errorf("dates %v, sources %v", p.FigureDates, p.Sources)
	}

	out, err = run(t, "profile", "--db", db, "--config", "demo-baseline", "--format", "csv")
	if err != nil || !strings.HasPrefix(out, "level,id,name,locality,wards,resident_population") || strings.Count(out, "\n") != 1+12+3+1 {
		t.Errorf("profile csv: %v\n%s", err, out)
	}
	out, err = run(t, "profile", "--db", db, "--config", "demo-baseline", "--team", "N1")
	if err != nil || !strings.Contains(out, "N1") || strings.Contains(out, " S4 ") {
		t.Errorf("profile --team: %v\n%s", err, out)
	}
	out, err = run(t, "flows", "--db", db, "--config", "demo-baseline", "--format", "csv")
	if err != nil || !strings.HasPrefix(out, "residence,practice,patients,modelled\n") {
		t.Errorf("flows csv: %v\n%s", err, out)
	}

	// A second option: move the first ward of N1 to N2, then compare.
	moved := p.Teams[0].Wards[0]
	cfgOut, err := run(t, "config", "show", "--db", db, "demo-baseline")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := configuration.Read(strings.NewReader(cfgOut), "shown")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Name = "option-b"
	north := cfg.Localities[0].Teams
	north[0].Wards = north[0].Wards[1:]
	north[1].Wards = append(north[1].Wards, moved)
	option, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "b.yaml")
	if err := os.WriteFile(file, option, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, "config", "add", "--db", db, file); err != nil || !strings.Contains(out, "saved option-b version 1") {
		t.Fatalf("config add: %v\n%s\n%s", err, out, option)
	}
	out, err = run(t, "compare", "--db", db, "demo-baseline", "option-b", "--format", "json")
	if err != nil {
		t.Fatalf("compare: %v", err)
	}
	var c struct {
		WardsMoved []struct {
			Ward, TeamA, TeamB string
		} `json:"wards_moved"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.WardsMoved) != 1 || c.WardsMoved[0].Ward != moved {
		t.Errorf("compare moved = %+v", c.WardsMoved)
	}
}

func TestEngineErrors(t *testing.T) {
	db := demoStore(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"profile", "--db", db, "--config", "nope"}, `configuration "nope": sqlitestore:`},
		{[]string{"profile", "--db", db, "--config", "demo-baseline", "--team", "X9"}, `has no team or locality "X9"`},
		{[]string{"profile", "--db", db, "--config", "demo-baseline", "--format", "xml"}, `unknown format "xml"`},
		{[]string{"profile", "--db", db, "--config", "demo-baseline", "--date", "2015-13-01"}, `--date "2015-13-01" is not YYYY-MM-DD`},
		{[]string{"profile", "--db", db, "--config", "demo-baseline", "--date", "2016-01-01"}, "no registrations or list sizes dated 2016-01-01"},
		{[]string{"flows", "--db", db, "--config", "demo-baseline", "--level", "ward"}, `unknown flow level "ward"`},
		{[]string{"compare", "--db", db, "demo-baseline"}, "accepts 2 arg(s)"},
		{[]string{"info", "--db", db, "--format", "foo"}, `unknown format "foo" (want text, json)`},
		{[]string{"import", "--db", db, "--manifest", "m.yaml", "--format", "yaml"}, `unknown format "yaml" (want text, json)`},
	}
	for _, tt := range tests {
		_, err := run(t, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %q", tt.args, err, tt.want)
		}
	}
}
