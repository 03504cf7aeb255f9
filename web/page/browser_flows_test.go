package page_test

import (
	"encoding/json"
	"fmt"
	"image/color"
	"math"
	"net/http"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// flowsShown is what testdata/flows.mjs read from the flows panel and map.
type flowsShown struct {
	Team      string    `json:"team"`
	Version   int       `json:"version"`
	Residents []flowBar `json:"residents"`
	Patients  []flowBar `json:"patients"`
	Modelled  struct{ Residents, Patients bool }
	Lines     []flowLine `json:"lines"`
	Rendered  int        `json:"rendered"`
	Mid       *struct {
		Team string `json:"team"`
		X, Y int
	} `json:"mid"`
	MapBox  mapBox `json:"mapBox"`
	Summary string `json:"summary"`
	Profile string `json:"profile"`
}

type flowBar struct {
	Unit  string   `json:"unit"`
	Value *float64 `json:"value"`
	Share *float64 `json:"share"`
	Text  string   `json:"text"`
	Width float64  `json:"width"`
}

type flowLine struct {
	Team    string    `json:"team"`
	Flow    float64   `json:"flow"`
	RawFrom []float64 `json:"from"`
	RawTo   []float64 `json:"to"`
}

// flowMatrix is the part of GET /api/configurations/{name}/flows checked.
type flowMatrix struct {
	Units     []string    `json:"units"`
	Rows      [][]float64 `json:"rows"`
	Unknown   string      `json:"unknown"`
	FlowModel struct {
		Modelled bool `json:"modelled"`
	} `json:"flow_model"`
}

// TestMapPageFlowsAndSwipe makes version 2 of demo-baseline (a ward moved
// by POST moves) and drives testdata/flows.mjs: a team chosen from the
// legend by keyboard shows its flows once the flows panel opens — both bar
// charts equal the flows API's row and column for the team, with shares
// and the modelled mark, and the map's lines source holds one line per
// other team sharing patients with it, from its centre to theirs, drawn
// (a pixel at the widest line's midpoint is not the colour it was before);
// another team chosen from the panel's list; Clear removes the lines. Then
// the compare panel's swipe view of version 2 (A) against version 1 (B): a
// second map with B's style, a slider divider moved by the arrow keys and
// by dragging, the cameras kept together, the moved ward drawn in A's team
// colour left of the divider and in B's right of it; off removes the map.
// Screenshots go to $PLACETEAM_ARTIFACTS/TestMapPageFlowsAndSwipe or a
// temporary directory.
func TestMapPageFlowsAndSwipe(t *testing.T) {
	env := setupBrowser(t)
	base := startServer(t, env.bin, env.root, filepath.Join(t.TempDir(), "demo.db"))
	cfg := base + "/api/configurations/demo-baseline"

	// Version 2: the first team's first ward moves to the second team.
	var v1 struct {
		Teams []struct {
			ID    string   `json:"id"`
			Wards []string `json:"wards"`
		} `json:"teams"`
	}
	getJSON(t, cfg+"/profile?version=1", &v1)
	if len(v1.Teams) < 3 {
		t.Fatalf("demo-baseline has %d teams", len(v1.Teams))
	}
	ward := v1.Teams[0].Wards[0]
	req, err := http.NewRequest(http.MethodPost, cfg+"/moves",
		strings.NewReader(fmt.Sprintf(`{"moves":[{"ward":%q,"team":%q}]}`, ward, v1.Teams[1].ID)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", `"demo-baseline.v1"`)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST moves: %s", res.Status)
	}

	var v2 struct {
		Teams []struct {
			ID string `json:"id"`
		} `json:"teams"`
	}
	getJSON(t, cfg+"/profile?version=2", &v2)
	var matrix flowMatrix
	getJSON(t, cfg+"/flows?version=2", &matrix)
	if matrix.Unknown != "" || matrix.Rows == nil {
		t.Fatalf("demo flows unknown (%q): the test checks nothing", matrix.Unknown)
	}
	boxes := teamBoxes(t, base+"/collections/teams-demo-baseline/items?limit=10000&version=2")

	var got struct {
		LoadMs int    `json:"loadMs"`
		MapBox mapBox `json:"mapBox"`
		Steps  struct {
			Closed struct {
				Source bool `json:"source"`
				Bars   int  `json:"bars"`
			} `json:"closed"`
			Flows   flowsShown `json:"flows"`
			Other   flowsShown `json:"other"`
			Cleared struct {
				Source, Layer bool
				Bars          int `json:"bars"`
			} `json:"cleared"`
			Compare compareStep   `json:"compare"`
			Swipe   swipeStep     `json:"swipe"`
			Off     swipeOffStep  `json:"off"`
			Usable  usabilityStep `json:"usability"`
		} `json:"steps"`
		Errors []string `json:"errors"`
	}
	env.run(t, "flows.mjs", base, &got)
	t.Logf("page load to the map's first idle: %d ms; screenshots in %s", got.LoadMs, env.out)
	if len(got.Errors) > 0 {
		t.Errorf("page errors: %v", got.Errors)
	}
	s := got.Steps

	// Flows.
	if s.Closed.Source || s.Closed.Bars != 0 {
		t.Errorf("with the flows panel closed a team's profile drew flows: lines source %v, %d bars", s.Closed.Source, s.Closed.Bars)
	}
	checkFlowsShown(t, "legend (keyboard)", s.Flows, matrix, v2.Teams[1].ID, boxes)
	checkFlowsShown(t, "flows team list", s.Other, matrix, v2.Teams[2].ID, boxes)
	if s.Other.Profile != v2.Teams[2].ID {
		t.Errorf("choosing %s in the flows panel opened profile %q", v2.Teams[2].ID, s.Other.Profile)
	}
	if s.Flows.MapBox != got.MapBox {
		t.Errorf("the map moved on the page when flows opened: %+v, before %+v", s.Flows.MapBox, got.MapBox)
	}
	if m := s.Flows.Mid; m == nil {
		t.Error("no line to read a pixel on")
	} else {
		x, y := int(got.MapBox.X)+m.X, int(got.MapBox.Y)+m.Y
		before := toRGBA(readPNG(t, filepath.Join(env.out, "flows-before.png")).At(x, y))
		after := readPNG(t, filepath.Join(env.out, "flows.png")).At(x, y)
		if near(after, before, 30) {
			t.Errorf("pixel at the midpoint (%d,%d) of the line to %s is %v, as before the flows were drawn (%v)", m.X, m.Y, m.Team, after, before)
		}
		// The line is dark purple (#3b0f70 at 0.85 over the map).
		if r, g, b, _ := after.RGBA(); r>>8 > 140 || g>>8 > 110 || b>>8 > 170 {
			t.Errorf("pixel at the line to %s is %v: not the line's dark purple", m.Team, after)
		}
	}
	if s.Cleared.Source || s.Cleared.Layer || s.Cleared.Bars != 0 {
		t.Errorf("after Clear: lines source %v, layer %v, %d bars", s.Cleared.Source, s.Cleared.Layer, s.Cleared.Bars)
	}

	// Swipe.
	checkCompare(t, base, env.out, s.Compare, "demo-baseline", 2, "demo-baseline", 1)
	var styleA, styleB struct {
		Sources map[string]struct {
			Tiles []string `json:"tiles"`
		} `json:"sources"`
	}
	getJSON(t, base+"/styles/demo-baseline.json?version=2", &styleA)
	getJSON(t, base+"/styles/demo-baseline.json?version=1", &styleB)
	if len(styleA.Sources["placeteam"].Tiles) != 1 || len(styleB.Sources["placeteam"].Tiles) != 1 {
		t.Fatalf("styles' sources: %+v, %+v", styleA.Sources, styleB.Sources)
	}
	checkSwipe(t, env.out, got.MapBox, s.Swipe, styleA.Sources["placeteam"].Tiles[0], styleB.Sources["placeteam"].Tiles[0], ward, v1.Teams[1].ID, v1.Teams[0].ID)
	if s.Off.Swipe || s.Off.Maps != 1 || s.Off.Divider || s.Off.Pressed != "false" {
		t.Errorf("swipe view off: still on %v, %d map canvases (want 1), divider %v, aria-pressed %s", s.Off.Swipe, s.Off.Maps, s.Off.Divider, s.Off.Pressed)
	}
	if p := s.Swipe.Probe; p.Error == "" {
		x, y := int(got.MapBox.X)+p.X, int(got.MapBox.Y)+p.Y
		a := readPNG(t, filepath.Join(env.out, "swipe-a.png")).At(x, y)
		if off := readPNG(t, filepath.Join(env.out, "swipe-off.png")).At(x, y); !near(off, toRGBA(a), 12) {
			t.Errorf("with the swipe view off the moved ward is %v, want A's %v", off, a)
		}
	}
	if len(s.Usable.Unnamed) > 0 {
		t.Errorf("controls without an accessible name: %v", s.Usable.Unnamed)
	}
	if s.Usable.PageOverflow || s.Usable.SideOverflow {
		t.Errorf("at 1280×800 the page (%v) or the side panel (%v) scrolls sideways", s.Usable.PageOverflow, s.Usable.SideOverflow)
	}
}

type swipeStep struct {
	Probe struct {
		Ward             string `json:"ward"`
		X, Y             int
		TeamA            string `json:"teamA"`
		TeamB            string `json:"teamB"`
		ColourA, ColourB string
		Error            string `json:"error"`
	} `json:"probe"`
	Maps            int       `json:"maps"`
	StyleA          string    `json:"styleA"`
	StyleB          string    `json:"styleB"`
	Role            string    `json:"role"`
	Label           string    `json:"label"`
	ValueNow        float64   `json:"valuenow"`
	LabelA          string    `json:"labelA"`
	LabelB          string    `json:"labelB"`
	Pressed         string    `json:"pressed"`
	Clip            string    `json:"clip"`
	AfterLeft       float64   `json:"afterLeft"`
	AfterRight      float64   `json:"afterRight"`
	RightOfProbe    float64   `json:"rightOfProbe"`
	LeftOfProbe     float64   `json:"leftOfProbe"`
	CameraAfterDrag cameraTwo `json:"cameraAfterDrag"`
	Sync            struct {
		AMoved cameraTwo `json:"aMoved"`
		BMoved cameraTwo `json:"bMoved"`
		Back   cameraTwo `json:"back"`
	} `json:"sync"`
}

// cameraTwo is both maps' [lng, lat, zoom].
type cameraTwo struct {
	A []float64 `json:"a"`
	B []float64 `json:"b"`
}

type swipeOffStep struct {
	Swipe   bool   `json:"swipe"`
	Maps    int    `json:"maps"`
	Divider bool   `json:"divider"`
	Pressed string `json:"pressed"`
}

// checkFlowsShown checks one team's flows panel and lines against the
// matrix: every non-zero cell of its row (residents) and column (patients)
// is a bar with the API's value and its share of the total, nothing else
// is; one line per other team with flow either way, from inside the
// team's bounds to inside the other's.
func checkFlowsShown(t *testing.T, how string, f flowsShown, m flowMatrix, team string, boxes map[string][4]float64) {
	t.Helper()
	if f.Team != team || f.Version != 2 {
		t.Fatalf("%s: flows panel shows team %q of version %d, want %s of 2", how, f.Team, f.Version, team)
	}
	i := indexOf(m.Units, team)
	if i < 0 {
		t.Fatalf("team %s not in the flow matrix's units %v", team, m.Units)
	}
	row := map[string]float64{}
	col := map[string]float64{}
	for j, u := range m.Units {
		row[u], col[u] = m.Rows[i][j], m.Rows[j][i]
	}
	checkBars(t, how+": residents of "+team+" registered in", f.Residents, row)
	checkBars(t, how+": patients of "+team+"'s practices living in", f.Patients, col)
	if f.Modelled.Residents != m.FlowModel.Modelled || f.Modelled.Patients != m.FlowModel.Modelled {
		t.Errorf("%s: modelled marks %+v, the API's flow model modelled %v", how, f.Modelled, m.FlowModel.Modelled)
	}
	want := map[string]float64{}
	for j, u := range m.Units {
		if u == team || u == "outside" {
			continue
		}
		if v := m.Rows[i][j] + m.Rows[j][i]; v > 0 {
			want[u] = v
		}
	}
	if len(f.Lines) != len(want) || len(want) == 0 {
		t.Errorf("%s: %d lines from %s, want one per other team with flow either way: %v", how, len(f.Lines), team, want)
	}
	for _, l := range f.Lines {
		if w, ok := want[l.Team]; !ok || l.Flow != w {
			t.Errorf("%s: line %s→%s carries %v, the API %v (%v)", how, team, l.Team, l.Flow, w, ok)
		}
		if !inBox(l.RawFrom, boxes[team]) || !inBox(l.RawTo, boxes[l.Team]) {
			t.Errorf("%s: line %s→%s runs %v→%v, outside the teams' bounds %v, %v", how, team, l.Team, l.RawFrom, l.RawTo, boxes[team], boxes[l.Team])
		}
	}
	if f.Rendered == 0 {
		t.Errorf("%s: no flow line rendered", how)
	}
}

func checkBars(t *testing.T, what string, bars []flowBar, want map[string]float64) {
	t.Helper()
	total := 0.0
	nonZero := []string{}
	for u, v := range want {
		total += v
		if v != 0 {
			nonZero = append(nonZero, u)
		}
	}
	sort.Strings(nonZero)
	var shown []string
	top := 0.0
	for _, b := range bars {
		shown = append(shown, b.Unit)
		if b.Value == nil || b.Share == nil {
			t.Errorf("%s %s: shown as unknown (%q), the API says %v", what, b.Unit, b.Text, want[b.Unit])
			continue
		}
		if *b.Value != want[b.Unit] || math.Abs(*b.Share-want[b.Unit]/total) > 1e-9 {
			t.Errorf("%s %s: bar %v (share %v), the API %v (share %v)", what, b.Unit, *b.Value, *b.Share, want[b.Unit], want[b.Unit]/total)
		}
		if pct := fmt.Sprintf("%.1f%%", 100*want[b.Unit]/total); !strings.Contains(b.Text, pct) {
			t.Errorf("%s %s: bar text %q lacks the share %s", what, b.Unit, b.Text, pct)
		}
		top = math.Max(top, b.Width)
		if b.Width <= 0 {
			t.Errorf("%s %s: bar drawn %v px wide", what, b.Unit, b.Width)
		}
	}
	sort.Strings(shown)
	if strings.Join(shown, " ") != strings.Join(nonZero, " ") {
		t.Errorf("%s: bars for %v, the API's non-zero cells %v", what, shown, nonZero)
	}
	// Bars are to scale: the largest value has the longest bar.
	for _, b := range bars {
		if b.Value != nil && b.Width > 0 && math.Abs(b.Width/top-*b.Value/maxOf(want)) > 0.02 {
			t.Errorf("%s %s: bar %.1f px of the longest %.1f, value %v of the largest %v", what, b.Unit, b.Width, top, *b.Value, maxOf(want))
		}
	}
}

// checkSwipe checks the swipe view: a second map with B's style, a slider
// moved by the arrow keys and by dragging, the cameras in step, and the
// moved ward in A's colour left of the divider and B's right of it.
func checkSwipe(t *testing.T, out string, box mapBox, s swipeStep, styleA, styleB, ward, teamA, teamB string) {
	t.Helper()
	if s.Maps != 1 || s.Pressed != "true" {
		t.Fatalf("swipe view: %d second maps, button aria-pressed %s", s.Maps, s.Pressed)
	}
	if s.StyleB != styleB || s.StyleA != styleA || styleA == styleB {
		t.Errorf("swipe view's maps: A's tiles %s (want %s), B's %s (want %s)", s.StyleA, styleA, s.StyleB, styleB)
	}
	if s.LabelA != "A: demo-baseline v2" || s.LabelB != "B: demo-baseline v1" {
		t.Errorf("swipe labels %q and %q", s.LabelA, s.LabelB)
	}
	if s.Role != "slider" || s.Label == "" || s.ValueNow != 50 || !strings.Contains(s.Clip, "50%") {
		t.Errorf("divider: role %q, label %q, aria-valuenow %v, clip %q; want a named slider at 50", s.Role, s.Label, s.ValueNow, s.Clip)
	}
	if s.AfterLeft != 45 || s.AfterRight != 55 {
		t.Errorf("divider from 50: ArrowLeft gives %v (want 45), then ArrowRight twice %v (want 55)", s.AfterLeft, s.AfterRight)
	}
	same := func(a, b []float64) bool {
		if len(a) != 3 || len(b) != 3 {
			return false
		}
		for i := range a {
			if math.Abs(a[i]-b[i]) > 1e-9 {
				return false
			}
		}
		return true
	}
	if y := s.Sync; !same(y.AMoved.A, y.AMoved.B) || !same(y.BMoved.A, y.BMoved.B) || !same(y.Back.A, y.Back.B) || same(y.AMoved.A, y.BMoved.A) {
		t.Errorf("cameras out of step: A moved %v / B %v; B moved %v / A %v; back %v / %v", y.AMoved.A, y.AMoved.B, y.BMoved.B, y.BMoved.A, y.Back.A, y.Back.B)
	}
	if c := s.CameraAfterDrag; !same(c.A, c.B) {
		t.Errorf("dragging the divider moved a camera: A %v, B %v", c.A, c.B)
	}
	p := s.Probe
	if p.Error != "" {
		t.Fatal(p.Error)
	}
	if p.Ward != ward || p.TeamA != teamA || p.TeamB != teamB {
		t.Errorf("moved ward %s (want %s) is drawn in team %s on A, %s on B; the move was %s→%s", p.Ward, ward, p.TeamA, p.TeamB, teamB, teamA)
	}
	pct := func(x int) float64 { return 100 * float64(x) / box.Width }
	if math.Abs(s.RightOfProbe-pct(p.X+80)) > 1 || math.Abs(s.LeftOfProbe-pct(p.X-80)) > 1 {
		t.Errorf("dragged the divider to %.1f%% and %.1f%%, aria-valuenow %v and %v", pct(p.X+80), pct(p.X-80), s.RightOfProbe, s.LeftOfProbe)
	}
	if p.ColourA == p.ColourB {
		t.Fatalf("teams %s and %s share colour %s: the swipe shows no difference", p.TeamA, p.TeamB, p.ColourA)
	}
	x, y := int(box.X)+p.X, int(box.Y)+p.Y
	background := color.RGBA{0xf4, 0xf1, 0xea, 0xff}
	a := readPNG(t, filepath.Join(out, "swipe-a.png")).At(x, y)
	b := readPNG(t, filepath.Join(out, "swipe-b.png")).At(x, y)
	if want := blend(hexColour(t, p.ColourA), background, 0.55); !near(a, want, 40) {
		t.Errorf("left of the divider ward %s is %v, want A's team %s colour %s (%v)", ward, a, p.TeamA, p.ColourA, want)
	}
	if want := blend(hexColour(t, p.ColourB), background, 0.55); !near(b, want, 40) {
		t.Errorf("right of the divider ward %s is %v, want B's team %s colour %s (%v)", ward, b, p.TeamB, p.ColourB, want)
	}
	if near(a, toRGBA(b), 20) {
		t.Errorf("ward %s looks the same either side of the divider: %v and %v", ward, a, b)
	}
}

// teamBoxes reads each team's bounds [minLon, minLat, maxLon, maxLat]
// from the teams collection.
func teamBoxes(t *testing.T, url string) map[string][4]float64 {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties struct {
				ID string `json:"id"`
			} `json:"properties"`
			Geometry struct {
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	getJSON(t, url, &fc)
	out := map[string][4]float64{}
	for _, f := range fc.Features {
		var coords any
		if err := json.Unmarshal(f.Geometry.Coordinates, &coords); err != nil {
			t.Fatal(err)
		}
		b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		var walk func(v any)
		walk = func(v any) {
			list, _ := v.([]any)
			if len(list) >= 2 {
				if x, ok := list[0].(float64); ok {
					y, _ := list[1].(float64)
					b = [4]float64{math.Min(b[0], x), math.Min(b[1], y), math.Max(b[2], x), math.Max(b[3], y)}
					return
				}
			}
			for _, e := range list {
				walk(e)
			}
		}
		walk(coords)
		out[f.Properties.ID] = b
	}
	return out
}

func inBox(p []float64, b [4]float64) bool {
	return len(p) == 2 && p[0] >= b[0] && p[0] <= b[2] && p[1] >= b[1] && p[1] <= b[3]
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func maxOf(m map[string]float64) float64 {
	top := 0.0
	for _, v := range m {
		top = math.Max(top, v)
	}
	return top
}
