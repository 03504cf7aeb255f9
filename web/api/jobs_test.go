package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// job is the part of a job body the tests read.
type job struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	State  string `json:"state"`
	Output struct {
		Configuration string `json:"configuration"`
		Version       int    `json:"version"`
		Scenario      string `json:"scenario"`
		Plan          struct {
			Hubs []struct{ Team string } `json:"hubs"`
		} `json:"plan"`
	} `json:"output"`
	Errors []string `json:"errors"`
	Links  []struct{ Href, Rel string }
}

func decodeJob(t *testing.T, body string) job {
	t.Helper()
	var j job
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		t.Fatalf("job body: %v\n%s", err, body)
	}
	return j
}

var async = map[string]string{"Prefer": "respond-async"}

// TestQueuedScenario: a siting run asked for with Prefer: respond-async is
// queued (202 and the job's URL), run by the server's queue, and saved as
// its scenario; the job then reports the plan and links the scenario.
func TestQueuedScenario(t *testing.T) {
	srv, _ := serverWithJobs(t, runJobs)
	res, body := do(t, srv, exchange{"queue", "POST", "/api/scenarios", async,
		`{"name":"queued-hubs","configuration":"demo-baseline","one_per_team":true,"model":"p-median"}`, 202, jsonCT,
		[]string{`"kind":"siting"`, `"version":1`, `"scenario":"queued-hubs"`}})
	queued := decodeJob(t, body)
	loc := res.Header.Get("Location")
	if want := "/api/jobs/" + jsonInt(queued.ID); loc != want {
		t.Fatalf("Location %q, want %q", loc, want)
	}
	var done job
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, body := do(t, srv, exchange{"poll", "GET", loc, nil, "", 200, jsonCT, nil})
		done = decodeJob(t, body)
		if done.State == "completed" || done.State == "failed" || done.State == "cancelled" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("job still %s after 30 s", done.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if done.State != "completed" {
		t.Fatalf("job %s: %v", done.State, done.Errors)
	}
	teams := map[string]bool{}
	for _, h := range done.Output.Plan.Hubs {
		teams[h.Team] = true
	}
	if len(done.Output.Plan.Hubs) != 12 || len(teams) != 12 || done.Output.Scenario != "queued-hubs" || done.Output.Version != 1 {
		t.Errorf("output: %d hubs in %d teams, scenario %q, version %d", len(done.Output.Plan.Hubs), len(teams), done.Output.Scenario, done.Output.Version)
	}
	if !hasLink(done, "scenario", "/api/scenarios/queued-hubs") {
		t.Errorf("links %v lack the scenario", done.Links)
	}
	// The saved scenario is the job's plan.
	_, stored := do(t, srv, exchange{"scenario", "GET", "/api/scenarios/queued-hubs", nil, "", 200, jsonCT, []string{`"hubs":[`}})
	var plan struct {
		Hubs []struct{ Team string } `json:"hubs"`
	}
	if err := json.Unmarshal([]byte(stored), &plan); err != nil || len(plan.Hubs) != 12 {
		t.Errorf("stored scenario: %d hubs, %v", len(plan.Hubs), err)
	}
	for _, x := range []exchange{
		{"cancel finished", "DELETE", loc, nil, "", 200, jsonCT, []string{`"state":"completed"`}},
		{"unknown job", "GET", "/api/jobs/987654", nil, "", 404, problemCT, []string{"987654"}},
		{"not an id", "GET", "/api/jobs/abc", nil, "", 404, problemCT, []string{"positive integers"}},
		{"cancel unknown", "DELETE", "/api/jobs/987654", nil, "", 404, problemCT, nil},
		{"query parameter", "POST", "/api/scenarios?async=true", nil, `{"configuration":"demo-baseline","k":2}`, 202, jsonCT, []string{`"state":"`}},
		{"bad options still refused at once", "POST", "/api/scenarios", async, `{"configuration":"demo-baseline","k":-1}`, 400, problemCT, nil},
		{"bad model refused before queueing", "POST", "/api/scenarios", async, `{"configuration":"demo-baseline","k":3,"model":"best"}`, 422, problemCT, []string{`unknown model \"best\"`}},
		{"unknown configuration at once", "POST", "/api/scenarios", async, `{"configuration":"nope","k":2}`, 404, problemCT, nil},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
}

func hasLink(j job, rel, href string) bool {
	for _, l := range j.Links {
		if l.Rel == rel && l.Href == href {
			return true
		}
	}
	return false
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestCancelQueuedScenario: a job nobody has started is cancelled by
// DELETE and stays cancelled.
func TestCancelQueuedScenario(t *testing.T) {
	srv, _ := serverWithJobs(t, queueOnly)
	res, _ := do(t, srv, exchange{"queue", "POST", "/api/scenarios", async, `{"configuration":"demo-baseline","k":2}`, 202, jsonCT, []string{`"state":"queued"`}})
	loc := res.Header.Get("Location")
	do(t, srv, exchange{"cancel", "DELETE", loc, nil, "", 200, jsonCT, []string{`"state":"cancelled"`}})
	do(t, srv, exchange{"after", "GET", loc, nil, "", 200, jsonCT, []string{`"state":"cancelled"`}})
}

// TestQueuedScenarioWithoutQueue: a server without a job queue says so.
func TestQueuedScenarioWithoutQueue(t *testing.T) {
	srv, _ := server(t)
	_, body := do(t, srv, exchange{"queue", "POST", "/api/scenarios", async, `{"configuration":"demo-baseline","k":2}`, http.StatusServiceUnavailable, problemCT, nil})
	if !strings.Contains(body, "job queue") {
		t.Errorf("problem: %s", body)
	}
}
