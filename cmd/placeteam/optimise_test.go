package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestOptimiseCommand: optimise prints the run, the options against the
// start and their moves in words; the same seed prints the same options;
// --save-as keeps the best as a new configuration with the run in its
// note; bad objectives are refused with the terms there are.
func TestOptimiseCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	args := []string{"optimise", "--db", db, "--config", "demo-baseline", "--objective", "min_local", "--seed", "3", "--moves", "150000", "--quiet"}
	out, err := run(t, append(args, "--format", "json")...)
	if err != nil {
		t.Fatalf("optimise: %v\n%s", err, out)
	}
	var res struct {
		Run struct {
			MovesTried int64  `json:"moves_tried"`
			Stopped    string `json:"stopped"`
			Start      struct{ Value float64 }
		} `json:"run"`
		Options []struct {
			Score struct{ Value float64 }
			Moves []struct{ Ward, To, Text string }
		} `json:"options"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("json: %v\n%.500s", err, out)
	}
	if res.Run.MovesTried != 150000 || res.Run.Stopped != "budget" || len(res.Options) == 0 || res.Options[0].Score.Value <= res.Run.Start.Value {
		t.Fatalf("run %+v, %d options", res.Run, len(res.Options))
	}
	again, err := run(t, append(args, "--format", "json")...)
	if err != nil {
		t.Fatal(err)
	}
	strip := func(s string) string { // elapsed time differs between runs
		var m map[string]any
		_ = json.Unmarshal([]byte(s), &m)
		delete(m["run"].(map[string]any), "elapsed_s")
		b, _ := json.Marshal(m)
		return string(b)
	}
	if strip(again) != strip(out) {
		t.Errorf("the same seed gave another result")
	}
	table, err := run(t, append(args, "--save-as", "demo-opt")...)
	if err != nil {
		t.Fatalf("optimise --save-as: %v\n%s", err, table)
	}
	for _, want := range []string{"objective min_local, seed 3: 150000 moves tried", "start ", "option 1 ", "Option 1 (objective +",
		res.Options[0].Moves[0].Text, "Saved option 1 as demo-opt version 1.", "* rests on modelled flows."} {
		if !strings.Contains(table, want) {
			t.Errorf("table lacks %q:\n%s", want, table)
		}
	}
	list, err := run(t, "config", "list", "--db", db)
	if err != nil || !strings.Contains(list, "demo-opt") {
		t.Errorf("config list: %v\n%s", err, list)
	}
	// The saved configuration has the best option's wards.
	show, err := run(t, "move", "--db", db, "--config", "demo-opt", "--ward", res.Options[0].Moves[0].Ward, "--team", res.Options[0].Moves[0].To, "--format", "json")
	if err != nil || !strings.Contains(show, `"changed_teams": []`) && !strings.Contains(show, `"changed_teams":[]`) {
		t.Errorf("the saved configuration does not have ward %s in %s: %v\n%.300s", res.Options[0].Moves[0].Ward, res.Options[0].Moves[0].To, err, show)
	}
	if out, err := run(t, "optimise", "--db", db, "--config", "demo-baseline", "--objective", "speed", "--quiet"); err == nil || !strings.Contains(err.Error(), "min_local, local, catchment, balance, pcn") {
		t.Errorf("unknown objective: %v\n%s", err, out)
	}
	if _, err := run(t, append(args, "--save-as", "demo-opt")...); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("save-as an existing name: %v", err)
	}
}
