package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/sqlitestore"
)

func TestMoveCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	st, err := sqlitestore.Open(context.Background(), sqlitestore.Config{Path: db, MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	cfg, _, err := st.Configuration(context.Background(), "demo-baseline")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	// The first ward of team N1 goes to N2.
	if teams := cfg.Teams(); teams[0].ID != "N1" || teams[1].ID != "N2" {
		t.Fatalf("teams %v", teams)
	}
	ward := cfg.Teams()[0].Wards[0]
	var out string
	out, err = run(t, "move", "--db", db, "--config", "demo-baseline", "--ward", ward, "--team", "N2", "--format", "json")
	if err != nil {
		t.Fatalf("move: %v\n%s", err, out)
	}
	var ev struct {
		Version      int      `json:"version"`
		ChangedTeams []string `json:"changed_teams"`
		Changes      []struct {
			Level, ID string
			Metrics   []struct {
				Metric string
				Delta  *float64
			}
		} `json:"changes"`
		Checks struct {
			Teams []json.RawMessage `json:"teams"`
		} `json:"checks"`
		SavedVersion int `json:"saved_version"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil {
		t.Fatalf("move --format json: %v\n%s", err, out)
	}
	if ev.Version != 1 || ev.SavedVersion != 0 || strings.Join(ev.ChangedTeams, ",") != "N1,N2" || len(ev.Checks.Teams) != 12 {
		t.Errorf("evaluation: version %d saved %d changed %v checks %d", ev.Version, ev.SavedVersion, ev.ChangedTeams, len(ev.Checks.Teams))
	}
	// N1 loses residents, N2 gains as many.
	delta := map[string]float64{}
	for _, u := range ev.Changes {
		for _, m := range u.Metrics {
			if m.Metric == "resident_population" && m.Delta != nil {
				delta[u.ID] = *m.Delta
			}
		}
	}
	if delta["N1"] >= 0 || delta["N1"] != -delta["N2"] {
		t.Errorf("resident population changes %v", delta)
	}
	out, err = run(t, "move", "--db", db, "--config", "demo-baseline", "--ward", ward, "--team", "N2", "--save", "--note", "try")
	if err != nil || !strings.Contains(out, "Saved as demo-baseline version 2") || !strings.Contains(out, "resident_population") ||
		!strings.Contains(out, "−"+ward) || !strings.Contains(out, "Checks after the moves") {
		t.Errorf("move --save: %v\n%s", err, out)
	}
	for _, bad := range [][]string{
		{"--ward", ward},                        // no team
		{"--ward", ward, "--team", "Z9"},        // unknown team
		{"--ward", "E00000000", "--team", "N1"}, // unknown ward
		{"--ward", ward, "--team", "N2", "--format", "csv"},
	} {
		if out, err := run(t, append([]string{"move", "--db", db, "--config", "demo-baseline"}, bad...)...); err == nil {
			t.Errorf("move %v: no error\n%s", bad, out)
		}
	}
	if out, _ := run(t, "info", "--db", db); !strings.Contains(out, "demo-baseline (version 2)") {
		t.Errorf("a refused move changed the store:\n%s", out)
	}
}
