package api_test

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// optimiseJob is the part of an optimiser job body the tests read.
type optimiseJob struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	State    string `json:"state"`
	Progress *struct {
		MovesTried int64    `json:"moves_tried"`
		Best       *float64 `json:"best"`
	} `json:"progress"`
	Output *struct {
		Configuration string `json:"configuration"`
		Version       int    `json:"version"`
		Run           struct {
			Stopped    string `json:"stopped"`
			MovesTried int64  `json:"moves_tried"`
			Start      struct {
				Value float64 `json:"value"`
			} `json:"start"`
			FlowsModelled bool `json:"flows_modelled"`
		} `json:"run"`
		Options []struct {
			Rank            int     `json:"rank"`
			ObjectiveChange float64 `json:"objective_change"`
			Score           struct {
				Value float64 `json:"value"`
			} `json:"score"`
			Moves []struct {
				Ward, From, To, Text string
			} `json:"moves"`
			Configuration struct {
				Name string `json:"name"`
			} `json:"configuration"`
			Checks  json.RawMessage `json:"checks"`
			Profile json.RawMessage `json:"profile"`
		} `json:"options"`
		Saved *struct {
			Name    string `json:"name"`
			Version int    `json:"version"`
		} `json:"saved"`
		Notes []string `json:"notes"`
	} `json:"output"`
	Errors []string `json:"errors"`
	Links  []struct{ Href, Rel string }
}

func pollOptimise(t *testing.T, srv *httptest.Server, loc string, until func(j optimiseJob) bool) optimiseJob {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, body := do(t, srv, exchange{"poll", "GET", loc, nil, "", 200, jsonCT, nil})
		var j optimiseJob
		if err := json.Unmarshal([]byte(body), &j); err != nil {
			t.Fatalf("job: %v\n%s", err, body)
		}
		if until(j) {
			return j
		}
		if j.State == "failed" || time.Now().After(deadline) {
			t.Fatalf("job %s after waiting: %s", j.State, body)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOptimiseJob: POST …/optimise queues a run (202 + Location); the job
// completes with options better than the start, each with its moves in
// words, profile and checks, and saves the best as a new configuration
// whose version note names the run.
func TestOptimiseJob(t *testing.T) {
	srv, _ := serverWithJobs(t, runJobs)
	res, _ := do(t, srv, exchange{"queue", "POST", "/api/configurations/demo-baseline/optimise", nil,
		`{"objective":"min_local","seed":7,"moves":200000,"top":2,"save_as":"demo-optimised"}`, 202, jsonCT, []string{`"kind":"optimise"`}})
	loc := res.Header.Get("Location")
	if !strings.HasPrefix(loc, "/api/jobs/") {
		t.Fatalf("Location %q", loc)
	}
	done := pollOptimise(t, srv, loc, func(j optimiseJob) bool { return j.State == "completed" || j.State == "cancelled" })
	if done.State != "completed" || done.Output == nil {
		t.Fatalf("job %s: %v", done.State, done.Errors)
	}
	out := done.Output
	if out.Configuration != "demo-baseline" || out.Version != 1 || out.Run.Stopped != "budget" || out.Run.MovesTried != 200000 || len(out.Options) == 0 {
		t.Fatalf("output %+v", out.Run)
	}
	best := out.Options[0]
	if best.Score.Value <= out.Run.Start.Value || best.ObjectiveChange <= 0 || len(best.Moves) == 0 ||
		!strings.HasPrefix(best.Moves[0].Text, "move ") || len(best.Checks) < 10 || len(best.Profile) < 100 {
		t.Errorf("best option: value %.4f (start %.4f), %d moves", best.Score.Value, out.Run.Start.Value, len(best.Moves))
	}
	if !out.Run.FlowsModelled || !strings.Contains(strings.Join(out.Notes, " "), "modelled flows") {
		t.Errorf("the demo's flows are modelled, the result should say so: %v", out.Notes)
	}
	if out.Saved == nil || out.Saved.Name != "demo-optimised" || out.Saved.Version != 1 {
		t.Fatalf("saved %+v", out.Saved)
	}
	found := false
	for _, l := range done.Links {
		found = found || (l.Rel == "configuration" && l.Href == "/api/configurations/demo-optimised")
	}
	if !found {
		t.Errorf("links %v", done.Links)
	}
	_, hist := do(t, srv, exchange{"history", "GET", "/api/configurations/demo-optimised/versions", nil, "", 200, jsonCT,
		[]string{"optimiser option 1 of demo-baseline version 1", "objective min_local, seed 7", "budget 200000 moves"}})
	_ = hist
	// The saved configuration is the option: its profile's min share is
	// the option's value.
	_, prof := do(t, srv, exchange{"profile", "GET", "/api/configurations/demo-optimised/profile", nil, "", 200, jsonCT, nil})
	var p struct {
		Teams []struct {
			LocalRegistrationShare *float64 `json:"local_registration_share"`
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(prof), &p); err != nil {
		t.Fatal(err)
	}
	low := 1.0
	for _, tm := range p.Teams {
		if tm.LocalRegistrationShare != nil && *tm.LocalRegistrationShare < low {
			low = *tm.LocalRegistrationShare
		}
	}
	if d := low - best.Score.Value; d > 1e-9 || d < -1e-9 {
		t.Errorf("saved configuration's lowest local share %.6f, option's %.6f", low, best.Score.Value)
	}

	for _, x := range []exchange{
		{"no objective", "POST", "/api/configurations/demo-baseline/optimise", nil, `{}`, 400, problemCT, []string{"objective"}},
		{"unknown term", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"happiness"}`, 422, problemCT, []string{`unknown term \"happiness\"`}},
		{"negative weight", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"local=-2"}`, 422, problemCT, nil},
		{"unknown frozen ward", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"local","frozen":["E99"]}`, 422, problemCT, []string{"E99"}},
		{"time too long", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"local","time_s":1e9}`, 422, problemCT, nil},
		{"NaN-free tolerance", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"local","tolerance":"x"}`, 400, problemCT, nil},
		{"save_as taken", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"local","save_as":"demo-optimised"}`, 422, problemCT, []string{"exists"}},
		{"bad save_as", "POST", "/api/configurations/demo-baseline/optimise", nil, `{"objective":"local","save_as":"a/b"}`, 400, problemCT, nil},
		{"unknown configuration", "POST", "/api/configurations/nope/optimise", nil, `{"objective":"local"}`, 404, problemCT, nil},
		{"unknown version", "POST", "/api/configurations/demo-baseline/optimise?version=99", nil, `{"objective":"local"}`, 404, problemCT, nil},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}

// TestOptimiseJobCancelled: a long run reports progress while it runs;
// DELETE stops it promptly, and it saves nothing.
func TestOptimiseJobCancelled(t *testing.T) {
	srv, _ := serverWithJobs(t, runJobs)
	_, before := do(t, srv, exchange{"list", "GET", "/api/configurations", nil, "", 200, jsonCT, nil})
	res, _ := do(t, srv, exchange{"queue", "POST", "/api/configurations/demo-baseline/optimise", nil,
		`{"objective":"min_local","moves":100000000000,"time_s":600,"save_as":"never-saved"}`, 202, jsonCT, nil})
	loc := res.Header.Get("Location")
	running := pollOptimise(t, srv, loc, func(j optimiseJob) bool {
		return j.State == "running" && j.Progress != nil && j.Progress.MovesTried > 0
	})
	if running.Progress.Best == nil {
		t.Errorf("progress without a best so far: %+v", running.Progress)
	}
	began := time.Now()
	do(t, srv, exchange{"cancel", "DELETE", loc, nil, "", 200, jsonCT, nil})
	pollOptimise(t, srv, loc, func(j optimiseJob) bool { return j.State == "cancelled" })
	if d := time.Since(began); d > 10*time.Second {
		t.Errorf("cancel took %v", d)
	}
	_, after := do(t, srv, exchange{"list", "GET", "/api/configurations", nil, "", 200, jsonCT, nil})
	if after != before {
		t.Errorf("configurations changed by a cancelled run:\n%s\n%s", before, after)
	}
	do(t, srv, exchange{"not saved", "GET", "/api/configurations/never-saved", nil, "", 404, problemCT, nil})
}
