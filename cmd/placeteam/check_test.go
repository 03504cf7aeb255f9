package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	out, err := run(t, "check", "--db", db, "--config", "demo-baseline", "--format", "json")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	var r struct {
		Configuration string `json:"configuration"`
		TeamCount     struct {
			Got int `json:"got"`
		} `json:"team_count"`
		Resident struct {
			Tolerance float64  `json:"tolerance"`
			Outside   []string `json:"outside"`
		} `json:"resident_balance"`
		Teams []struct {
			ID string `json:"id"`
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("check --format json: %v\n%s", err, out)
	}
	if r.Configuration != "demo-baseline" || r.TeamCount.Got != 12 || len(r.Teams) != 12 || r.Resident.Tolerance != 0.10 {
		t.Errorf("report: %+v", r)
	}
	// A tolerance wide enough for any plan leaves no team outside it.
	out, err = run(t, "check", "--db", db, "--config", "demo-baseline", "--tolerance", "0.99", "--version", "1")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	for _, want := range []string{"Checks of demo-baseline version 1", "every ward in one team", "contiguity", "resident balance       ok", "Polsby–Popper"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range [][]string{
		{"--tolerance", "1.5"},
		{"--version", "9"},
		{"--format", "csv"},
	} {
		if out, err := run(t, append([]string{"check", "--db", db, "--config", "demo-baseline"}, bad...)...); err == nil {
			t.Errorf("check %v: no error\n%s", bad, out)
		}
	}
}
