package siting

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestSummaryJSON: summaries are written with snake_case names (distances
// in km) and read back, and a summary stored with the Go field names
// (before they had JSON names) reads the same.
func TestSummaryJSON(t *testing.T) {
	want := Summary{Points: 3, Weight: 120.5, Unserved: 2, Coverage: []Coverage{{Threshold: 1.5, Weight: 100, Share: 0.83}},
		MeanDistance: 0.9, P95Distance: 2.1, MaxDistance: 3.4}
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	_ = json.Unmarshal(b, &keys)
	for _, k := range []string{"points", "weight", "unserved", "coverage", "mean_distance_km", "p95_distance_km", "max_distance_km"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("%s lacks %q", b, k)
		}
	}
	if cov := keys["coverage"].([]any)[0].(map[string]any); cov["threshold_km"] != 1.5 {
		t.Errorf("coverage %v lacks threshold_km", cov)
	}
	var back Summary
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, want) {
		t.Errorf("round trip: %+v (%v), want %+v", back, err, want)
	}
	legacy := `{"Points":3,"Weight":120.5,"Unserved":2,"Coverage":[{"Threshold":1.5,"Weight":100,"Share":0.83}],"MeanDistance":0.9,"P95Distance":2.1,"MaxDistance":3.4}`
	var old Summary
	if err := json.Unmarshal([]byte(legacy), &old); err != nil || !reflect.DeepEqual(old, want) {
		t.Errorf("legacy: %+v (%v), want %+v", old, err, want)
	}
}
