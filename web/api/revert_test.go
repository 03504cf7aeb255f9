package api_test

import (
	"encoding/json"
	"testing"
)

// TestRevertRoundTrip: move, undo (revert to 1), redo (revert to 2); each
// is a new version equal to the one it restores, and the history says
// which it restored.
func TestRevertRoundTrip(t *testing.T) {
	srv, baseline := server(t)
	teams := baseline.Teams()
	ward := teams[0].Wards[0]
	ifMatch := func(v string) map[string]string { return map[string]string{"If-Match": `"demo-baseline.v` + v + `"`} }
	do(t, srv, exchange{"move", "POST", "/api/configurations/demo-baseline/moves", ifMatch("1"),
		`{"moves":[{"ward":"` + ward + `","team":"` + teams[1].ID + `"}]}`, 200, jsonCT, []string{`"version":2`}})
	do(t, srv, exchange{"undo", "POST", "/api/configurations/demo-baseline/revert", ifMatch("2"), `{"version":1,"note":"undo"}`, 200, jsonCT, []string{`"version":3`}})
	do(t, srv, exchange{"redo", "POST", "/api/configurations/demo-baseline/revert", ifMatch("3"), `{"version":2,"note":"redo"}`, 200, jsonCT, []string{`"version":4`}})
	for _, x := range []exchange{
		{"3 equals 1", "GET", "/api/compare?a=demo-baseline&a_version=1&b=demo-baseline&b_version=3", nil, "", 200, jsonCT, []string{`"wards_moved":[]`}},
		{"4 equals 2", "GET", "/api/compare?a=demo-baseline&a_version=2&b=demo-baseline&b_version=4", nil, "", 200, jsonCT, []string{`"wards_moved":[]`}},
		{"3 undoes 2", "GET", "/api/compare?a=demo-baseline&a_version=2&b=demo-baseline&b_version=3", nil, "", 200, jsonCT,
			[]string{`"wards_moved":[{"ward":"` + ward + `","team_a":"` + teams[1].ID + `","team_b":"` + teams[0].ID + `"}]`}},
		{"nothing to restore", "POST", "/api/configurations/demo-baseline/revert", ifMatch("4"), `{"version":2}`, 422, problemCT, []string{"change nothing"}},
		{"unknown version", "POST", "/api/configurations/demo-baseline/revert", ifMatch("4"), `{"version":99}`, 404, problemCT, []string{"versions run 1 to 4"}},
		{"stale", "POST", "/api/configurations/demo-baseline/revert", ifMatch("3"), `{"version":1}`, 412, problemCT, nil},
		{"no If-Match", "POST", "/api/configurations/demo-baseline/revert", nil, `{"version":1}`, 428, problemCT, nil},
		{"no version", "POST", "/api/configurations/demo-baseline/revert", ifMatch("4"), `{}`, 400, problemCT, []string{"version"}},
		{"unknown configuration", "POST", "/api/configurations/nope/revert", ifMatch("1"), `{"version":1}`, 404, problemCT, nil},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
	_, body := do(t, srv, exchange{"history", "GET", "/api/configurations/demo-baseline/versions", nil, "", 200, jsonCT, nil})
	var h struct {
		Versions []struct {
			Version int    `json:"version"`
			Note    string `json:"note"`
			Changes struct {
				Restored *int `json:"restored_version"`
			} `json:"changes"`
		} `json:"versions"`
	}
	if err := json.Unmarshal([]byte(body), &h); err != nil {
		t.Fatal(err)
	}
	if len(h.Versions) != 4 {
		t.Fatalf("%d versions, want 4: %s", len(h.Versions), body)
	}
	for i, want := range []int{0, 0, 1, 2} {
		v := h.Versions[i]
		got := 0
		if v.Changes.Restored != nil {
			got = *v.Changes.Restored
		}
		if got != want {
			t.Errorf("version %d restored %d, want %d", v.Version, got, want)
		}
	}
}
