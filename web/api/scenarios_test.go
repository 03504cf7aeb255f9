package api_test

import (
	"encoding/json"
	"strings"
	"testing"
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
