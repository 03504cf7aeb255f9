package page_test

import (
	"encoding/json"
	"fmt"
	"image/color"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
)

// optimiseResult is what testdata/optimise.mjs reports.
type optimiseResult struct {
	Steps struct {
		Start struct {
			Versions  []int `json:"versions"`
			EditShown bool  `json:"editShown"`
		} `json:"start"`
		Cancel struct {
			Running struct {
				optimiseProgress
				CancelEnabled bool `json:"cancelEnabled"`
				RunEnabled    bool `json:"runEnabled"`
			} `json:"running"`
			Cancelled optimiseProgress `json:"cancelled"`
			Options   int              `json:"options"`
		} `json:"cancel"`
		Runs struct {
			Free struct {
				Job     int64         `json:"job"`
				Options []shownOption `json:"options"`
			} `json:"free"`
			Frozen string `json:"frozen"`
			Fixed  struct {
				Job      int64            `json:"job"`
				Progress optimiseProgress `json:"progress"`
				Options  []shownOption    `json:"options"`
			} `json:"fixed"`
			Note string `json:"note"`
		} `json:"runs"`
		Probe struct {
			Error                string `json:"error"`
			Ward, From, To       string
			FromColour, ToColour string
			X, Y                 int
			MapBox               mapBox `json:"mapBox"`
		} `json:"probe"`
		Before struct {
			Team string             `json:"team"`
			Rows map[string]float64 `json:"rows"`
		} `json:"before"`
		Preview struct {
			Moves          []draftMove        `json:"moves"`
			Rows           map[string]float64 `json:"rows"`
			Checks         string             `json:"checks"`
			Listed         int                `json:"listed"`
			Options        []shownOption      `json:"options"`
			DiscardEnabled bool               `json:"discardEnabled"`
			SaveEnabled    bool               `json:"saveEnabled"`
			Version        int                `json:"version"`
			Versions       []int              `json:"versions"`
		} `json:"preview"`
		Discard struct {
			Moves          []draftMove        `json:"moves"`
			Rows           map[string]float64 `json:"rows"`
			Checks         string             `json:"checks"`
			Versions       []int              `json:"versions"`
			DiscardEnabled bool               `json:"discardEnabled"`
		} `json:"discard"`
		Save struct {
			Draft    []draftMove   `json:"draft"`
			Version  int           `json:"version"`
			ETag     string        `json:"etag"`
			Versions []int         `json:"versions"`
			Options  []shownOption `json:"options"`
			Note     string        `json:"note"`
		} `json:"save"`
	} `json:"steps"`
	Errors []string `json:"errors"`
}

type (
	// optimiseProgress is the panel's progress line.
	optimiseProgress struct {
		Job        int64    `json:"job"`
		State      string   `json:"state"`
		MovesTried int64    `json:"movesTried"`
		Best       *float64 `json:"best"`
		Text       string   `json:"text"`
		Live       string   `json:"live"`
	}
	// shownOption is an option as the panel lists it.
	shownOption struct {
		Rank            int         `json:"rank"`
		Score           float64     `json:"score"`
		ObjectiveChange float64     `json:"objectiveChange"`
		Moves           []draftMove `json:"moves"`
		Changes         []struct {
			Unit    string               `json:"unit"`
			Metrics map[string][2]string `json:"metrics"`
		} `json:"changes"`
		PreviewEnabled bool `json:"previewEnabled"`
		Current        bool `json:"current"`
	}
	draftMove struct {
		Ward string `json:"ward"`
		Team string `json:"team"`
	}
	// optimiseJobBody is the part of GET /api/jobs/{id} the test reads.
	optimiseJobBody struct {
		State string `json:"state"`
		Args  struct {
			Version int `json:"version"`
			Request struct {
				Objective string   `json:"objective"`
				Moves     int64    `json:"moves"`
				Frozen    []string `json:"frozen"`
			} `json:"request"`
		} `json:"args"`
		Progress *struct {
			MovesTried int64    `json:"moves_tried"`
			Best       *float64 `json:"best"`
		} `json:"progress"`
		Output *struct {
			Run struct {
				MovesTried int64 `json:"moves_tried"`
			} `json:"run"`
			Options []struct {
				Rank            int     `json:"rank"`
				ObjectiveChange float64 `json:"objective_change"`
				Score           struct {
					Value float64 `json:"value"`
				} `json:"score"`
				Moves []struct {
					Ward string `json:"ward"`
					To   string `json:"to"`
				} `json:"moves"`
				Changes []struct {
					Level   string `json:"level"`
					ID      string `json:"id"`
					Metrics []struct {
						Metric string `json:"metric"`
						A      string `json:"a"`
						B      string `json:"b"`
					} `json:"metrics"`
				} `json:"changes"`
			} `json:"options"`
		} `json:"output"`
	}
)

// The figures the panel lists per changed team (optimise.js figures).
var optimiseFigures = []string{"resident_population", "registered_population", "local_registration_share"}

// TestMapPageOptimiser serves the demo city and drives the Edit panel's
// optimiser (testdata/optimise.mjs): a long run shows its progress and is
// cancelled; a small run, and again with a ward it moved kept fixed, list
// exactly the job's options (scores, moves, changed figures); previewing
// option 1 from the keyboard puts exactly its moves in the draft, the
// profile panel and checks show what POST evaluate gives for them, and a
// moved ward is drawn in its new team's colour (pixels); discarding
// restores the saved version; nothing is saved until Save, which makes
// version 2 with the option's wards.
func TestMapPageOptimiser(t *testing.T) {
	env := setupBrowser(t)
	base := startServer(t, env.bin, env.root, filepath.Join(t.TempDir(), "demo.db"))
	const config = "demo-baseline"
	var versions struct {
		Versions []struct {
			Version int `json:"version"`
		} `json:"versions"`
	}
	getJSON(t, base+"/api/configurations/"+config+"/versions", &versions)
	var saved []int
	for _, v := range versions.Versions {
		saved = append(saved, v.Version)
	}
	var savedProfile profileTeams
	getJSON(t, base+"/api/configurations/"+config+"/profile?version=1", &savedProfile)

	var res optimiseResult
	env.run(t, "optimise.mjs", base, &res)
	t.Logf("screenshots in %s", env.out)
	if len(res.Errors) > 0 {
		t.Errorf("page errors: %v", res.Errors)
	}
	s := res.Steps
	if !s.Start.EditShown || !slices.Equal(s.Start.Versions, saved) || !slices.Equal(saved, []int{1}) {
		t.Fatalf("optimiser shown %v; the page sees versions %v, the API %v (want [1])", s.Start.EditShown, s.Start.Versions, saved)
	}

	// The cancelled run: progress shown while running, the job's own
	// figures once cancelled.
	c := s.Cancel
	var cancelled optimiseJobBody
	getJSON(t, fmt.Sprintf("%s/api/jobs/%d", base, c.Cancelled.Job), &cancelled)
	if c.Running.MovesTried <= 0 || c.Running.Best == nil || !strings.Contains(c.Running.Text, "Running") ||
		c.Running.Live != "polite" || !strings.Contains(strings.ReplaceAll(c.Running.Text, ",", ""), fmt.Sprintf("%d of 500000000 moves tried", c.Running.MovesTried)) {
		t.Errorf("while running the progress line is %+v, want moves tried, a best score and aria-live polite", c.Running)
	}
	if cancelled.State != "cancelled" || cancelled.Progress == nil || c.Cancelled.State != "cancelled" ||
		c.Cancelled.MovesTried != cancelled.Progress.MovesTried || c.Cancelled.MovesTried < c.Running.MovesTried ||
		!strings.Contains(c.Cancelled.Text, "Cancelled") || c.Options != 0 || cancelled.Args.Request.Moves != 500000000 {
		t.Errorf("after Cancel the page shows %+v (%d options); the job is %s with progress %+v, request %+v",
			c.Cancelled, c.Options, cancelled.State, cancelled.Progress, cancelled.Args.Request)
	}
	if !c.Running.CancelEnabled || c.Running.RunEnabled {
		t.Errorf("while running Cancel is enabled %v, Run enabled %v: want Cancel only", c.Running.CancelEnabled, c.Running.RunEnabled)
	}

	// The runs list exactly their jobs' options.
	r := s.Runs
	free := getOptimiseJob(t, base, r.Free.Job)
	checkShownOptions(t, "free run", r.Free.Options, free)
	fixed := getOptimiseJob(t, base, r.Fixed.Job)
	checkShownOptions(t, "run with a ward fixed", r.Fixed.Options, fixed)
	if r.Frozen == "" || !slices.Equal(fixed.Args.Request.Frozen, []string{r.Frozen}) || len(free.Args.Request.Frozen) != 0 {
		t.Errorf("fixed ward %q: the jobs were asked to freeze %v and %v", r.Frozen, free.Args.Request.Frozen, fixed.Args.Request.Frozen)
	}
	for _, o := range fixed.Output.Options {
		for _, m := range o.Moves {
			if m.Ward == r.Frozen {
				t.Errorf("option %d of the run with %s fixed moves it", o.Rank, r.Frozen)
			}
		}
	}
	if want := fmt.Sprintf("%d", fixed.Output.Run.MovesTried); r.Fixed.Progress.MovesTried != fixed.Output.Run.MovesTried ||
		!strings.Contains(strings.ReplaceAll(r.Fixed.Progress.Text, ",", ""), want) || r.Fixed.Progress.State != "completed" {
		t.Errorf("completed progress line %+v, the run tried %s moves", r.Fixed.Progress, want)
	}
	if len(fixed.Output.Options) == 0 || len(fixed.Output.Options[0].Moves) == 0 {
		t.Fatal("the run with a ward fixed found no option with moves: nothing to preview")
	}
	option := fixed.Output.Options[0]

	// Preview: exactly the option's moves in the draft, in order.
	p := s.Preview
	var want []draftMove
	for _, m := range option.Moves {
		want = append(want, draftMove{m.Ward, m.To})
	}
	if !slices.Equal(p.Moves, want) || p.Listed != len(want) || !p.SaveEnabled || !p.DiscardEnabled {
		t.Errorf("preview put %v in the draft (%d listed, save %v, discard %v), want option 1's %v", p.Moves, p.Listed, p.SaveEnabled, p.DiscardEnabled, want)
	}
	if len(p.Options) == 0 || !p.Options[0].Current || (len(p.Options) > 1 && p.Options[1].Current) {
		t.Errorf("option 1 is not marked as previewed: %+v", p.Options)
	}
	// The panel and the checks show what evaluate gives for those moves.
	body, err := json.Marshal(map[string]any{"moves": want})
	if err != nil {
		t.Fatal(err)
	}
	var evaluated struct {
		Profile profileTeams `json:"profile"`
		Checks  struct {
			OK      bool     `json:"ok"`
			Failing []string `json:"failing"`
		} `json:"checks"`
	}
	postJSON(t, base+"/api/configurations/"+config+"/evaluate?version=1", string(body), &evaluated)
	team := s.Before.Team
	if team == "" || team != s.Probe.To {
		t.Fatalf("the panel shows team %q, want %q (the probed ward's new team)", team, s.Probe.To)
	}
	after, before := evaluated.Profile.rows(team), savedProfile.rows(team)
	if len(after) == 0 {
		t.Fatalf("evaluate has no team %s", team)
	}
	for label, v := range after {
		if got, ok := p.Rows[label]; !ok || got != v {
			t.Errorf("previewing, the panel shows %s's %s %v (shown %v), evaluate says %v", team, label, got, ok, v)
		}
	}
	if p.Rows["Resident population"] == before["Resident population"] {
		t.Errorf("team %s's residents %v did not change with the preview: the check compares nothing", team, before["Resident population"])
	}
	wantChecks := "Plan checks pass."
	if !evaluated.Checks.OK {
		wantChecks = "Plan checks failing: " + strings.Join(evaluated.Checks.Failing, ", ")
	}
	if p.Checks != wantChecks {
		t.Errorf("checks shown %q, evaluate says %q", p.Checks, wantChecks)
	}
	// The option's listed residents for the team are what the preview shows.
	for _, u := range option.Changes {
		if u.ID != team {
			continue
		}
		for _, m := range u.Metrics {
			if m.Metric == "resident_population" && m.B != fmt.Sprint(p.Rows["Resident population"]) {
				t.Errorf("option 1 lists %s's residents as %s, the preview shows %v", team, m.B, p.Rows["Resident population"])
			}
		}
	}

	// Pixels: the moved ward in its new team's colour, and back on discard.
	pr := s.Probe
	if pr.Error != "" {
		t.Fatal(pr.Error)
	}
	x, y := int(pr.MapBox.X)+pr.X, int(pr.MapBox.Y)+pr.Y
	background := color.RGBA{0xf4, 0xf1, 0xea, 0xff}
	was := readPNG(t, filepath.Join(env.out, "before.png")).At(x, y)
	now := readPNG(t, filepath.Join(env.out, "preview.png")).At(x, y)
	back := readPNG(t, filepath.Join(env.out, "discard.png")).At(x, y)
	if wantWas := blend(hexColour(t, pr.FromColour), background, 0.55); !near(was, wantWas, 40) {
		t.Errorf("before the preview ward %s's pixel is %v, want near %s's %v", pr.Ward, was, pr.From, wantWas)
	}
	if wantNow := blend(hexColour(t, pr.ToColour), background, 0.55); !near(now, wantNow, 40) || near(now, toRGBA(was), 12) {
		t.Errorf("previewing, ward %s's pixel is %v, want near %s's %v and unlike before (%v)", pr.Ward, now, pr.To, wantNow, was)
	}
	if !near(back, toRGBA(was), 12) {
		t.Errorf("after discarding, ward %s's pixel is %v, want the saved %v", pr.Ward, back, was)
	}

	// Discard: no draft, the saved figures.
	d := s.Discard
	if len(d.Moves) != 0 || d.DiscardEnabled || d.Checks != "" {
		t.Errorf("after discarding the draft is %v (discard enabled %v, checks %q)", d.Moves, d.DiscardEnabled, d.Checks)
	}
	for label, v := range before {
		if got := d.Rows[label]; got != v {
			t.Errorf("after discarding the panel shows %s's %s %v, version 1 has %v", team, label, got, v)
		}
	}

	// Nothing saved until Save; Save makes version 2 with the option's wards.
	if !slices.Equal(p.Versions, saved) || !slices.Equal(d.Versions, saved) || p.Version != 1 {
		t.Errorf("versions while previewing %v, after discarding %v, want still %v (page on version %d)", p.Versions, d.Versions, saved, p.Version)
	}
	sv := s.Save
	if !slices.Equal(sv.Draft, want) || sv.Version != 2 || sv.ETag != `"demo-baseline.v2"` || !slices.Equal(sv.Versions, []int{1, 2}) {
		t.Errorf("saving the preview (%v): page on version %d (%s), versions %v; want version 2 of %v", sv.Draft, sv.Version, sv.ETag, sv.Versions, want)
	}
	var v2 configuration.Configuration
	getJSON(t, base+"/api/configurations/"+config+"?version=2", &v2)
	for _, m := range want {
		if got := v2.WardTeams()[m.Ward]; got != m.Team {
			t.Errorf("saved version 2 has ward %s in team %q, option 1 puts it in %q", m.Ward, got, m.Team)
		}
	}
	for _, o := range sv.Options {
		if o.PreviewEnabled {
			t.Errorf("after saving version 2, option %d of version 1's run can still be previewed", o.Rank)
		}
	}
	if !strings.Contains(sv.Note, "version 1") {
		t.Errorf("after saving, the options' note %q does not say they are for version 1", sv.Note)
	}
}

func getOptimiseJob(t *testing.T, base string, id int64) optimiseJobBody {
	t.Helper()
	var j optimiseJobBody
	getJSON(t, fmt.Sprintf("%s/api/jobs/%d", base, id), &j)
	if j.State != "completed" || j.Output == nil {
		t.Fatalf("job %d is %s", id, j.State)
	}
	return j
}

// checkShownOptions: the panel lists the job's options in order, each
// with its score, objective change, moves and the changed teams' figures.
func checkShownOptions(t *testing.T, what string, shown []shownOption, j optimiseJobBody) {
	t.Helper()
	if len(shown) != len(j.Output.Options) || len(shown) == 0 {
		t.Fatalf("%s: the panel lists %d options, the job %d", what, len(shown), len(j.Output.Options))
	}
	for i, o := range j.Output.Options {
		s := shown[i]
		var moves []draftMove
		for _, m := range o.Moves {
			moves = append(moves, draftMove{m.Ward, m.To})
		}
		if s.Rank != o.Rank || s.Score != o.Score.Value || s.ObjectiveChange != o.ObjectiveChange || !slices.Equal(s.Moves, moves) {
			t.Errorf("%s option %d: shown rank %d, score %v (%+v), moves %v; the job has rank %d, score %v (%+v), moves %v",
				what, i+1, s.Rank, s.Score, s.ObjectiveChange, s.Moves, o.Rank, o.Score.Value, o.ObjectiveChange, moves)
		}
		var teams []string
		for _, u := range o.Changes {
			if u.Level != "team" {
				continue
			}
			teams = append(teams, u.ID)
			var row map[string][2]string
			for _, c := range s.Changes {
				if c.Unit == u.ID {
					row = c.Metrics
				}
			}
			for _, m := range u.Metrics {
				if slices.Contains(optimiseFigures, m.Metric) && row[m.Metric] != [2]string{m.A, m.B} {
					t.Errorf("%s option %d team %s %s: shown %v, the job %s → %s", what, o.Rank, u.ID, m.Metric, row[m.Metric], m.A, m.B)
				}
			}
		}
		if len(teams) != len(s.Changes) || len(teams) == 0 {
			t.Errorf("%s option %d: %d changed teams shown, the job has %v", what, o.Rank, len(s.Changes), teams)
		}
	}
}

// profileTeams is a profile's team figures as the page's panel labels them.
type profileTeams struct {
	Teams []struct {
		ID                 string `json:"id"`
		ResidentPopulation struct {
			Total     float64 `json:"total"`
			Age60Plus float64 `json:"age_60_plus"`
		} `json:"resident_population"`
		RegisteredPopulation   float64  `json:"registered_population"`
		PracticeCount          float64  `json:"practice_count"`
		LocalRegistrationShare *float64 `json:"local_registration_share"`
	} `json:"teams"`
}

// rows are team id's figures under the panel's labels (app.js rows).
func (p profileTeams) rows(id string) map[string]float64 {
	for _, t := range p.Teams {
		if t.ID != id {
			continue
		}
		out := map[string]float64{"Resident population": t.ResidentPopulation.Total, "Aged 60+": t.ResidentPopulation.Age60Plus,
			"Registered population": t.RegisteredPopulation, "Practices": t.PracticeCount}
		if t.LocalRegistrationShare != nil {
			out["Local registration share"] = *t.LocalRegistrationShare
		}
		return out
	}
	return nil
}
