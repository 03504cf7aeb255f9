package api_test

import (
	"encoding/json"
	"slices"
	"testing"
)

// checksBody is the part of a checks report the tests read.
type checksBody struct {
	OK         bool     `json:"ok"`
	Failing    []string `json:"failing"`
	Contiguity struct {
		OK    bool `json:"ok"`
		Teams []struct {
			ID     string     `json:"id"`
			Pieces [][]string `json:"pieces"`
		} `json:"teams"`
	} `json:"contiguity"`
	Teams []struct {
		ID         string `json:"id"`
		Contiguous bool   `json:"contiguous"`
	} `json:"teams"`
}

// TestChecksEverywhere: the plan checks come with the profile, with every
// evaluation, and on the team features; a move that strands a ward in a
// team it does not touch shows as that team in two pieces.
func TestChecksEverywhere(t *testing.T) {
	srv, baseline := server(t)
	var profile struct {
		Checks checksBody `json:"checks"`
	}
	_, body := do(t, srv, exchange{"profile", "GET", "/api/configurations/demo-baseline/profile", nil, "", 200, jsonCT, []string{`"checks":{`}})
	if err := json.Unmarshal([]byte(body), &profile); err != nil {
		t.Fatal(err)
	}
	if len(profile.Checks.Teams) != 12 {
		t.Fatalf("profile checks cover %d teams, want 12", len(profile.Checks.Teams))
	}
	contiguous := map[string]bool{}
	for _, tc := range profile.Checks.Teams {
		contiguous[tc.ID] = tc.Contiguous
	}
	var fc struct {
		Features []struct {
			ID         string         `json:"id"`
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	_, body = do(t, srv, exchange{"features", "GET", "/collections/teams-demo-baseline/items", nil, "", 200, "application/geo+json", nil})
	if err := json.Unmarshal([]byte(body), &fc); err != nil {
		t.Fatal(err)
	}
	for _, f := range fc.Features {
		if got, ok := f.Properties["contiguous"].(bool); !ok || got != contiguous[f.ID] {
			t.Errorf("feature %s: contiguous %v, the checks say %v", f.ID, f.Properties["contiguous"], contiguous[f.ID])
		}
		if _, ok := f.Properties["polsby_popper"].(float64); !ok {
			t.Errorf("feature %s has no polsby_popper", f.ID)
		}
	}

	// Move the first ward of the first team to each other team in turn: a
	// team the ward does not touch gains a piece of its own.
	teams := baseline.Teams()
	ward := teams[0].Wards[0]
	stranded := 0
	for _, to := range teams[1:] {
		_, body := do(t, srv, exchange{"evaluate", "POST", "/api/configurations/demo-baseline/evaluate", nil,
			`{"moves":[{"ward":"` + ward + `","team":"` + to.ID + `"}]}`, 200, jsonCT, []string{`"checks":{`}})
		var ev struct {
			Checks checksBody `json:"checks"`
		}
		if err := json.Unmarshal([]byte(body), &ev); err != nil {
			t.Fatal(err)
		}
		for _, p := range ev.Checks.Contiguity.Teams {
			if p.ID == to.ID && slices.ContainsFunc(p.Pieces, func(piece []string) bool { return len(piece) == 1 && piece[0] == ward }) {
				stranded++
				if ev.Checks.OK || !slices.Contains(ev.Checks.Failing, "contiguity") {
					t.Errorf("moving %s to %s: %s stranded but checks ok=%v failing=%v", ward, to.ID, ward, ev.Checks.OK, ev.Checks.Failing)
				}
			}
		}
	}
	if stranded == 0 {
		t.Errorf("moving %s to any of 11 teams never left it in a piece of its own", ward)
	}
	if stranded == len(teams)-1 {
		t.Errorf("moving %s stranded it in every team, even its neighbours", ward)
	}
}
