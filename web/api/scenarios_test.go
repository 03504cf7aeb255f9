package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
)

func TestScenarios(t *testing.T) {
	srv, _ := server(t)
	_, body := do(t, srv, exchange{"run and save", "POST", "/api/scenarios", nil,
		`{"name":"hubs-12","configuration":"demo-baseline","one_per_team":true,"model":"p-median","weight":"imd"}`, 201, jsonCT,
		[]string{`"hubs":[`, `"spokes":[`, `"by_imd_quintile"`, `"current_sites"`}})
	var plan struct {
		Hubs []struct{ Team string } `json:"hubs"`
	}
	if err := json.Unmarshal([]byte(body), &plan); err != nil {
		t.Fatal(err)
	}
	teams := map[string]int{}
	for _, h := range plan.Hubs {
		teams[h.Team]++
	}
	if len(plan.Hubs) != 12 || len(teams) != 12 {
		t.Errorf("one per team: %d hubs in %d teams", len(plan.Hubs), len(teams))
	}
	for _, x := range []exchange{
		{"list", "GET", "/api/scenarios", nil, "", 200, jsonCT, []string{`"name":"hubs-12","configuration":"demo-baseline"`}},
		{"get", "GET", "/api/scenarios/hubs-12", nil, "", 200, jsonCT, []string{`"hubs":[`}},
		{"geojson", "GET", "/api/scenarios/hubs-12?format=geojson", nil, "", 200, "application/geo+json", []string{`"layer":"hubs"`, `"layer":"spokes"`, `"layer":"coverage"`}},
		{"csv", "GET", "/api/scenarios/hubs-12?format=csv", nil, "", 200, "text/csv", []string{"hub,practice,name,team,distance_km\n"}},
		{"unknown", "GET", "/api/scenarios/nope", nil, "", 404, problemCT, nil},
		{"no configuration", "POST", "/api/scenarios", nil, `{"k":3}`, 400, problemCT, []string{"configuration"}},
		{"unknown configuration", "POST", "/api/scenarios", nil, `{"configuration":"nope","k":3}`, 404, problemCT, nil},
		{"bad model", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":3,"model":"best"}`, 422, problemCT, []string{`unknown model \"best\"`}},
		{"bad weight", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":3,"weight":"wealth"}`, 422, problemCT, []string{"weighting"}},
		{"unknown fixed site", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":3,"fixed":["practice:X1"]}`, 422, problemCT, []string{"not candidates"}},
		{"city-wide k", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","k":5,"model":"max-coverage","threshold_km":1}`, 200, jsonCT, []string{`"model":"max-coverage"`}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
	if strings.Count(body, `"kind":"practice"`)+strings.Count(body, `"kind":"hospital"`) != 12 {
		t.Errorf("hub kinds: %s", body[:200])
	}
}

func TestIndicatorEndpoints(t *testing.T) {
	srv, _ := server(t)
	for _, x := range []exchange{
		{"list", "GET", "/api/indicators", nil, "", 200, jsonCT, []string{`"indicators"`, `"id":"older-share","name":"Residents aged 60+"`, `"characteristics":["ethnic-group"]`, `"breakdown_of":"income-deprivation"`}},
		{"unknown indicator", "GET", "/api/configurations/demo-baseline/indicators/nope", nil, "", 404, problemCT, []string{"unknown indicator"}},
		{"groups", "GET", "/api/configurations/demo-baseline/practice-groups", nil, "", 200, jsonCT, []string{`"kind":"pcn"`, `"teams":[`}},
		{"indicator", "GET", "/api/configurations/demo-baseline/indicators/older-share", nil, "", 200, jsonCT, []string{`"lens":"resident`, `"comparison_with_city"`, `"inequality"`}},
		{"indicator csv", "GET", "/api/configurations/demo-baseline/indicators/older-share?format=csv", nil, "", 200, "text/csv", []string{"level,id,name,breakdown,group,numerator,denominator,value,lower,upper", "\nteam,N1,", ",imd-quintile,1,"}},
		{"team property", "GET", "/collections/teams-demo-baseline/items/N1", nil, "", 200, "application/geo+json", []string{`"ind_older-share":0.`, `"ind_test-register":0.`, `"ind_test-register_resident":0.`, `"ind_modelled":"`}},
		{"ward property", "GET", "/collections/wards/items?limit=1", nil, "", 200, "application/geo+json", []string{`"ind_older-share":0.`, `"ind_test-register_resident":0.`}},
		{"registered lens", "GET", "/api/configurations/demo-baseline/indicators/test-register", nil, "", 200, jsonCT, []string{`"lens":"registered`, `"modelled":false`}},
		{"resident lens", "GET", "/api/configurations/demo-baseline/indicators/test-register?lens=resident", nil, "", 200, jsonCT, []string{`"lens":"resident: practice values spread`, `"modelled":true`, `"coverage":`}},
		{"bad lens", "GET", "/api/configurations/demo-baseline/indicators/test-register?lens=sideways", nil, "", 400, problemCT, []string{"lens"}},
		{"bad format", "GET", "/api/configurations/demo-baseline/indicators/older-share?format=xml", nil, "", 400, problemCT, []string{"format"}},
		{"breakdown", "GET", "/api/configurations/demo-baseline/breakdowns/ethnic-group", nil, "", 200, jsonCT, []string{`"indicators":["ethnicity-`, `"residual":`, `"missing_areas":0`}},
		{"breakdown csv", "GET", "/api/configurations/demo-baseline/breakdowns/ethnic-group?format=csv", nil, "", 200, "text/csv", []string{"id,name,ethnicity-", ",residual,total\nN1,"}},
		{"unknown breakdown", "GET", "/api/configurations/demo-baseline/breakdowns/shoe-size", nil, "", 404, problemCT, []string{"shoe-size"}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}

// TestScenarioVersionAndGeoJSON: a run names the version it sites hubs
// for (the latest by default, or the one asked for, whose teams may
// differ); ?format=geojson answers an unsaved run's hubs, spokes and
// coverage with the plan in its "plan" member; summaries use snake_case
// names.
func TestScenarioVersionAndGeoJSON(t *testing.T) {
	srv, _ := server(t)
	// Version 2 moves a ward to another team.
	_, cfgBody := do(t, srv, exchange{"configuration", "GET", "/api/configurations/demo-baseline", nil, "", 200, jsonCT, nil})
	var cfg configuration.Configuration
	if err := json.Unmarshal([]byte(cfgBody), &cfg); err != nil {
		t.Fatal(err)
	}
	from, to := cfg.Localities[0].Teams[0], cfg.Localities[0].Teams[1]
	ward := from.Wards[0]
	do(t, srv, exchange{"move", "POST", "/api/configurations/demo-baseline/moves", map[string]string{"If-Match": `"demo-baseline.v1"`},
		`{"moves":[{"ward":"` + ward + `","team":"` + to.ID + `"}]}`, 200, jsonCT, nil})

	type summary struct {
		Weight       *float64 `json:"weight"`
		MeanDistance *float64 `json:"mean_distance_km"`
		Coverage     []struct {
			Threshold *float64 `json:"threshold_km"`
			Share     *float64 `json:"share"`
		} `json:"coverage"`
	}
	type plan struct {
		Version int `json:"version"`
		Spokes  []struct {
			Practice string `json:"practice"`
			Team     string `json:"team"`
		} `json:"spokes"`
		Report struct {
			Overall summary `json:"overall"`
		} `json:"report"`
	}
	run := func(body string) (plan, string) {
		t.Helper()
		_, b := do(t, srv, exchange{"run", "POST", "/api/scenarios", nil, body, 200, jsonCT, nil})
		var p plan
		if err := json.Unmarshal([]byte(b), &p); err != nil {
			t.Fatal(err)
		}
		return p, b
	}
	latest, _ := run(`{"configuration":"demo-baseline","one_per_team":true}`)
	v1, _ := run(`{"configuration":"demo-baseline","version":1,"one_per_team":true}`)
	if latest.Version != 2 || v1.Version != 1 {
		t.Errorf("plans for versions %d and %d, want 2 (the latest) and 1", latest.Version, v1.Version)
	}
	o := latest.Report.Overall
	if o.Weight == nil || *o.Weight <= 0 || o.MeanDistance == nil || len(o.Coverage) == 0 || o.Coverage[0].Threshold == nil || o.Coverage[0].Share == nil {
		t.Errorf("overall summary lacks snake_case figures: %+v", o)
	}
	// A practice in the moved ward's team changes team between the two.
	teamOf := func(p plan) map[string]string {
		m := map[string]string{}
		for _, s := range p.Spokes {
			m[s.Practice] = s.Team
		}
		return m
	}
	a, b := teamOf(v1), teamOf(latest)
	differ := 0
	for practice := range a {
		if a[practice] != b[practice] {
			differ++
		}
	}
	if differ == 0 {
		t.Errorf("no practice changes team between versions 1 and 2 (ward %s moved from %s to %s): the runs did not use their versions", ward, from.ID, to.ID)
	}

	_, gj := do(t, srv, exchange{"geojson", "POST", "/api/scenarios?format=geojson", nil, `{"configuration":"demo-baseline","version":1,"one_per_team":true}`, 200, "application/geo+json", []string{`"layer":"hubs"`, `"layer":"spokes"`, `"layer":"coverage"`}})
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
		Plan     *plan             `json:"plan"`
	}
	if err := json.Unmarshal([]byte(gj), &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || fc.Plan == nil || fc.Plan.Version != 1 || len(fc.Features) != 2*12+len(fc.Plan.Spokes) {
		t.Errorf("geojson: type %q, plan %v, %d features", fc.Type, fc.Plan != nil, len(fc.Features))
	}
	for _, x := range []exchange{
		{"bad version", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","version":9,"one_per_team":true}`, 404, problemCT, nil},
		{"negative version", "POST", "/api/scenarios", nil, `{"configuration":"demo-baseline","version":-1,"one_per_team":true}`, 400, problemCT, []string{"version"}},
		{"bad format", "POST", "/api/scenarios?format=csv", nil, `{"configuration":"demo-baseline","one_per_team":true}`, 400, problemCT, []string{"csv"}},
		{"stray parameter", "POST", "/api/scenarios?version=1", nil, `{"configuration":"demo-baseline","one_per_team":true}`, 400, problemCT, []string{"version"}},
		{"queued as geojson", "POST", "/api/scenarios?format=geojson&async=true", nil, `{"configuration":"demo-baseline","one_per_team":true}`, 400, problemCT, []string{"queued run"}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}
