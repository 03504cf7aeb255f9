package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestIndicatorsOnTheDemo: the demo city's synthetic indicators through
// the CLI — lenses, age slices, the ethnic-group breakdown, PCNs, options.
func TestIndicatorsOnTheDemo(t *testing.T) {
	db := demoStore(t)
	out, err := run(t, "indicators", "list", "--db", db)
	if err != nil || !strings.Contains(out, "qof-dm") || !strings.Contains(out, "emergency-admissions") {
		t.Fatalf("list: %v\n%s", err, out)
	}
	type figure struct {
		ID       string   `json:"id"`
		Value    *float64 `json:"value"`
		Coverage *float64 `json:"coverage"`
		ByGroup  []struct {
			ID    string   `json:"id"`
			Value *float64 `json:"value"`
		} `json:"by_group"`
	}
	var r struct {
		Lens     string   `json:"lens"`
		Modelled bool     `json:"modelled"`
		Teams    []figure `json:"teams"`
		City     figure   `json:"city"`
	}
	show := func(args ...string) {
		t.Helper()
		out, err := run(t, append([]string{"indicators", "show", "--db", db, "--config", "demo-baseline", "--format", "json"}, args...)...)
		if err != nil {
			t.Fatalf("show %v: %v\n%s", args, err, out)
		}
		r.Teams = nil
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
	}
	show("qof-dm")
	registered := *r.Teams[0].Value
	if !strings.HasPrefix(r.Lens, "registered") || len(r.Teams) != 12 || r.Teams[0].Coverage != nil {
		t.Errorf("registered lens: %s, %d teams", r.Lens, len(r.Teams))
	}
	show("qof-dm", "--lens", "resident")
	// The demo's registrations are generated, so the resident lens is
	// modelled; its values differ from the registered lens.
	if !strings.HasPrefix(r.Lens, "resident") || !r.Modelled || r.Teams[0].Coverage == nil || *r.Teams[0].Value == registered {
		t.Errorf("resident lens: %s modelled %v, N1 %v (registered %v)", r.Lens, r.Modelled, *r.Teams[0].Value, registered)
	}
	show("income-deprivation")
	if len(r.City.ByGroup) != 2 || r.City.ByGroup[0].ID != "0-15" || r.City.ByGroup[1].ID != "60+" {
		t.Errorf("age slices: %+v", r.City.ByGroup)
	}
	out, err = run(t, "indicators", "show", "income-deprivation", "--db", db, "--config", "demo-baseline")
	if err != nil || !strings.Contains(out, "By age (each compared with the unit's own value)") || !strings.Contains(out, "Slope index of inequality") {
		t.Errorf("table: %v\n%s", err, out)
	}
	out, err = run(t, "indicators", "show", "emergency-admissions", "--db", db, "--config", "demo-baseline")
	if err != nil || !strings.Contains(out, "MODELLED") || !strings.Contains(out, "apportioned") {
		t.Errorf("MSOA indicator: %v\n%s", err, out)
	}
	out, err = run(t, "indicators", "breakdown", "--db", db, "--config", "demo-baseline")
	if err != nil || !strings.Contains(out, "RESIDUAL") || strings.Count(out, "\n") != 1+12+1 {
		t.Errorf("breakdown: %v\n%s", err, out)
	}
	if out, err = run(t, "indicators", "breakdown", "--db", db, "--config", "demo-baseline", "--by", "shoe-size"); err == nil {
		t.Errorf("unknown characteristic accepted: %s", out)
	}
	if out, err = run(t, "indicators", "show", "qof-dm", "--db", db, "--config", "demo-baseline", "--lens", "sideways"); err == nil || !strings.Contains(err.Error(), "lens") {
		t.Errorf("bad lens: %v %s", err, out)
	}
	out, err = run(t, "indicators", "show", "qof-dm", "--db", db, "--config", "demo-baseline", "--against", "demo-baseline")
	if err != nil || !strings.Contains(out, "Against demo-baseline") || strings.Contains(out, "  significant") {
		t.Errorf("against itself: %v\n%s", err, out)
	}
	out, err = run(t, "indicators", "groups", "--db", db, "--config", "demo-baseline")
	if err != nil || !strings.Contains(out, "PCNS") {
		t.Errorf("groups: %v\n%s", err, out)
	}
}
