package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestProfileTeamJSON: --team keeps the shape of the full profile: the
// selected team under teams, its locality under localities and the city
// under city, each named for what it is, and says what was selected.
func TestProfileTeamJSON(t *testing.T) {
	db := demoStore(t)
	type unit struct {
		ID       string `json:"id"`
		Level    string `json:"level"`
		Locality string `json:"locality"`
	}
	var p struct {
		Selection *struct {
			ID    string `json:"id"`
			Level string `json:"level"`
		} `json:"selection"`
		Teams      []unit `json:"teams"`
		Localities []unit `json:"localities"`
		City       unit   `json:"city"`
	}
	for _, tt := range []struct {
		id, level                 string
		teams, localities, cityID []string
	}{
		{"N1", "team", []string{"N1"}, []string{"N"}, nil},
		{"N", "locality", []string{}, []string{"N"}, nil},
	} {
		out, err := run(t, "profile", "--db", db, "--config", "demo-baseline", "--team", tt.id, "--format", "json")
		if err != nil {
			t.Fatalf("profile --team %s: %v", tt.id, err)
		}
		p.Selection, p.Teams, p.Localities, p.City = nil, nil, nil, unit{}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &raw); err != nil {
			t.Fatal(err)
		}
		if string(raw["teams"]) == "null" {
			t.Errorf("--team %s: teams is null", tt.id)
		}
		if err := json.Unmarshal([]byte(out), &p); err != nil {
			t.Fatal(err)
		}
		if p.Selection == nil || p.Selection.ID != tt.id || p.Selection.Level != tt.level {
			t.Errorf("--team %s: selection = %+v", tt.id, p.Selection)
		}
		var teams, localities []string
		for _, u := range p.Teams {
			teams = append(teams, u.ID)
		}
		for _, u := range p.Localities {
			localities = append(localities, u.ID)
		}
		if len(teams) != len(tt.teams) || (len(teams) > 0 && teams[0] != tt.teams[0]) {
			t.Errorf("--team %s: teams = %v, want %v", tt.id, teams, tt.teams)
		}
		if len(localities) != 1 || localities[0] != tt.localities[0] {
			t.Errorf("--team %s: localities = %v, want %v", tt.id, localities, tt.localities)
		}
		if p.City.Level != "city" || p.City.ID == tt.id {
			t.Errorf("--team %s: city = %+v, want the whole city", tt.id, p.City)
		}
	}
}

// TestSiteUnknownFixedHint: an unknown --fixed practice is answered with
// the nearest candidate codes and where to find every code, and the
// README's example names a practice that is a candidate.
func TestSiteUnknownFixedHint(t *testing.T) {
	db := demoStore(t)
	_, err := run(t, "site", "--db", db, "--config", "demo-baseline", "--one-per-team", "--fixed", "practice:P84001")
	if err == nil {
		t.Fatal("site --fixed practice:P84001 on the demo city succeeded")
	}
	for _, want := range []string{"no practice P84001 in the dataset", "nearest: practice:D99", "placeteam profile --db " + db + " --config demo-baseline --team TEAM --format json"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "look like practice:P84001") {
		t.Errorf("error %q repeats the rejected id as an example", err)
	}
}

// TestManchesterOptionB: the Manchester manifest imports option B beside
// the baseline; it moves two wards, and its plan checks say what its header
// says: contiguity passes (the baseline's fails), balance fails for both.
func TestManchesterOptionB(t *testing.T) {
	db := importManchester(t)
	out, err := run(t, "compare", "--db", db, "manchester-2015", "manchester-2015-b", "--format", "json")
	if err != nil {
		t.Fatalf("compare: %v", err)
	}
	var c struct {
		WardsMoved []struct{ Ward string } `json:"wards_moved"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if len(c.WardsMoved) != 2 || c.WardsMoved[0].Ward != "E05000697" || c.WardsMoved[1].Ward != "E05000701" {
		t.Errorf("wards moved = %+v, want City Centre and Fallowfield", c.WardsMoved)
	}
	for config, want := range map[string]map[string]bool{
		"manchester-2015":   {"contiguity": false, "resident_balance": false},
		"manchester-2015-b": {"contiguity": true, "resident_balance": false},
	} {
		out, err := run(t, "check", "--db", db, "--config", config, "--format", "json")
		if err != nil {
			t.Fatalf("check %s: %v", config, err)
		}
		var r map[string]json.RawMessage
		if err := json.Unmarshal([]byte(out), &r); err != nil {
			t.Fatal(err)
		}
		for check, ok := range want {
			var v struct {
				OK bool `json:"ok"`
			}
			if err := json.Unmarshal(r[check], &v); err != nil {
				t.Fatalf("check %s: %s: %v in %s", config, check, err, out)
			}
			if v.OK != ok {
				t.Errorf("check %s: %s ok = %v, want %v", config, check, v.OK, ok)
			}
		}
	}
}
