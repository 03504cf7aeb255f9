package page_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
)

// browserResult is what testdata/browser.mjs reports.
type browserResult struct {
	LoadMs int `json:"loadMs"`
	Steps  struct {
		Render struct {
			Error       string `json:"error"`
			Team        string `json:"team"`
			Ward        string `json:"ward"`
			HitTeam     string `json:"hitTeam"`
			X, Y        int
			Colour      string `json:"colour"`
			Legend      int    `json:"legend"`
			Attribution string `json:"attribution"`
			Folded      bool   `json:"attributionFolded"`
			MapBox      mapBox `json:"mapBox"`
		} `json:"render"`
		Profile struct {
			Team string             `json:"team"`
			Rows map[string]float64 `json:"rows"`
		} `json:"profile"`
		Keyboard string `json:"keyboard"`
		Edit     struct {
			Target       string             `json:"target"`
			TargetColour string             `json:"targetColour"`
			Rows         map[string]float64 `json:"rows"`
			Checks       string             `json:"checks"`
		} `json:"edit"`
		Undo struct {
			Rows        map[string]float64 `json:"rows"`
			RedoEnabled bool               `json:"redoEnabled"`
		} `json:"undo"`
		Save struct {
			Version int    `json:"version"`
			ETag    string `json:"etag"`
		} `json:"save"`
		Conflict struct {
			Other struct {
				Status int    `json:"status"`
				Ward   string `json:"ward"`
			} `json:"other"`
			Text    string `json:"text"`
			Latest  int    `json:"latest"`
			Pending int    `json:"pending"`
		} `json:"conflict"`
		Compare    compareStep    `json:"compare"`
		Choropleth choroplethStep `json:"choropleth"`
		Site       siteStep       `json:"site"`
		Exports    exportsStep    `json:"exports"`
		Toggles    struct {
			Before, Off, After int
		} `json:"toggles"`
		Usability usabilityStep `json:"usability"`
		WardNames wardNamesStep `json:"wardNames"`
	} `json:"steps"`
	Errors []string `json:"errors"`
}

// mapBox is where the map's canvas sits on the page.
type mapBox struct{ X, Y, Width, Height float64 }

// The steps of testdata/steps.mjs, shared by the demo and Manchester runs.
type (
	compareStep struct {
		A        string                        `json:"a"`
		AVersion int                           `json:"aVersion"`
		Moved    []string                      `json:"moved"`
		Rows     map[string]map[string]float64 `json:"rows"`
		Outlined []string                      `json:"outlined"`
	}
	choroplethStep struct {
		Version    int          `json:"version"`
		Ramp       []string     `json:"ramp"`
		Colours    []string     `json:"colours"`
		Breaks     []float64    `json:"breaks"`
		Legend     []string     `json:"legend"`
		LegendText string       `json:"legendText"`
		Modelled   bool         `json:"modelled"`
		High       featureProbe `json:"high"`
		Low        featureProbe `json:"low"`
		Teams      struct {
			Text     string `json:"text"`
			Modelled bool   `json:"modelled"`
		} `json:"teams"`
		Refetched struct {
			Version int     `json:"version"`
			State   float64 `json:"state"`
		} `json:"refetched"`
	}
	// featureProbe is a pixel inside a feature and the choropleth's value there.
	featureProbe struct {
		ID     string  `json:"id"`
		Value  float64 `json:"value"`
		X, Y   int
		Colour string `json:"colour"`
		Error  string `json:"error"`
	}
	siteStep struct {
		Saved string `json:"saved"`
		// Version is the version the page showed, PlanVersion the plan's.
		Version     int      `json:"version"`
		PlanVersion int      `json:"planVersion"`
		Features    int      `json:"features"`
		Hubs        []string `json:"hubs"`
		Spokes      int      `json:"spokes"`
		Hub         *struct {
			ID   string `json:"id"`
			X, Y int
		} `json:"hub"`
		Equity map[string][]*float64 `json:"equity"`
	}
	exportsStep map[string]struct {
		Href     string `json:"href"`
		Download string `json:"download"`
		Status   int    `json:"status"`
		Type     string `json:"type"`
		Start    string `json:"start"`
	}
	usabilityStep struct {
		Unnamed      []string `json:"unnamed"`
		PageOverflow bool     `json:"pageOverflow"`
		SideOverflow bool     `json:"sideOverflow"`
		Tabbed       []string `json:"tabbed"`
	}
)

// need skips the browser test when a tool is missing, except under CI=true
// where it fails: CI installs them (.ci/run).
func need(t *testing.T, what, path, install string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		msg := fmt.Sprintf("browser test needs %s at %s (%s)", what, path, install)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// TestMapPageInBrowser serves the demo city with `placeteam serve` and
// drives the page in Chromium (testdata/browser.mjs): the map is drawn
// (pixels, not DOM), the legend holds every team in the style's colours,
// clicking a ward opens its team's profile with the API's numbers, the
// legend works from the keyboard; a draft move, undo, save and a stale save
// (checkEditing); version 2 against version 1 in the compare view
// (checkCompare); wards by income deprivation drawn by feature-state in the
// ramp's ends at the highest and lowest ward, a modelled figure marked, a
// new version's values fetched (checkChoropleth); a siting run's hubs drawn
// (checkSiting); named controls, Tab order and no sideways scrolling at
// 1280×800; the export links. Screenshots go to
// $PLACETEAM_ARTIFACTS/TestMapPageInBrowser or a temporary directory.
func TestMapPageInBrowser(t *testing.T) {
	env := setupBrowser(t)
	base := startServer(t, env.bin, env.root, filepath.Join(t.TempDir(), "demo.db"))
	out := env.out

	var profile struct {
		Teams []struct {
			ID                 string `json:"id"`
			ResidentPopulation struct {
				Total float64 `json:"total"`
			} `json:"resident_population"`
			RegisteredPopulation float64 `json:"registered_population"`
			PracticeCount        float64 `json:"practice_count"`
		} `json:"teams"`
	}
	getJSON(t, base+"/api/configurations/demo-baseline/profile", &profile)

	var res browserResult
	env.run(t, "browser.mjs", base, &res)
	t.Logf("page load to the map's first idle: %d ms; screenshots in %s", res.LoadMs, out)
	if len(res.Errors) > 0 {
		t.Errorf("page errors: %v", res.Errors)
	}

	r := res.Steps.Render
	if r.Error != "" {
		t.Fatal(r.Error)
	}
	if r.Legend != len(profile.Teams) {
		t.Errorf("legend has %d teams, the profile %d", r.Legend, len(profile.Teams))
	}
	if r.HitTeam != r.Team {
		t.Errorf("ward %s drawn at (%d,%d) is of team %q on the map, want %q", r.Ward, r.X, r.Y, r.HitTeam, r.Team)
	}
	if !strings.Contains(r.Attribution, "placeteam demo city") {
		t.Errorf("attribution %q lacks the dataset's", r.Attribution)
	}
	if !r.Folded {
		t.Error("attribution is shown in full: want it compact, folded behind its button")
	}
	img := readPNG(t, filepath.Join(out, "map.png"))
	// The canvas is drawn: the pixel at the ward is its team's colour
	// blended over the background, not the background itself.
	at := img.At(int(r.MapBox.X)+r.X, int(r.MapBox.Y)+r.Y)
	background := color.RGBA{0xf4, 0xf1, 0xea, 0xff}
	if near(at, background, 8) {
		t.Errorf("pixel at ward %s is the background %v: the map did not render", r.Ward, at)
	}
	want := blend(hexColour(t, r.Colour), background, 0.55)
	if !near(at, want, 40) {
		t.Errorf("pixel at ward %s is %v, want near team %s's %s over the background (%v)", r.Ward, at, r.Team, r.Colour, want)
	}
	if n := distinctColours(img, r.MapBox); n < 5 {
		t.Errorf("map area has %d distinct colours: not a drawn map", n)
	}

	p := res.Steps.Profile
	if p.Team != r.Team {
		t.Fatalf("clicking ward %s opened team %q, want %q", r.Ward, p.Team, r.Team)
	}
	for _, team := range profile.Teams {
		if team.ID != p.Team {
			continue
		}
		for label, want := range map[string]float64{
			"Resident population":   team.ResidentPopulation.Total,
			"Registered population": team.RegisteredPopulation,
			"Practices":             team.PracticeCount,
		} {
			if got, ok := p.Rows[label]; !ok || got != want {
				t.Errorf("profile panel %s = %v (shown %v), API says %v", label, got, ok, want)
			}
		}
	}
	if len(profile.Teams) > 1 && res.Steps.Keyboard != profile.Teams[1].ID {
		t.Errorf("Enter on the second legend entry opened %q, want %q", res.Steps.Keyboard, profile.Teams[1].ID)
	}
	checkEditing(t, base, out, res, p.Rows, at)
	box := res.Steps.Render.MapBox
	checkCompare(t, base, out, res.Steps.Compare, "demo-baseline", 2, "demo-baseline", 1)
	ch := res.Steps.Choropleth
	hi := checkChoropleth(t, base, out, box, ch, "demo-baseline", 2, "wards", "ind_income-deprivation")
	if !ch.Teams.Modelled || !strings.Contains(ch.Teams.Text, "Local registration share") {
		t.Errorf("teams by local registration share (modelled in the demo city): legend %q, modelled mark %v", ch.Teams.Text, ch.Teams.Modelled)
	}
	var v1 struct {
		Values map[string]map[string]any `json:"values"`
	}
	getJSON(t, base+"/values/demo-baseline/wards.json?version=1", &v1)
	if want, _ := v1.Values[hi]["ind_income-deprivation"].(float64); ch.Refetched.Version != 1 || ch.Refetched.State != want {
		t.Errorf("after choosing version 1 the choropleth is of version %d with %s = %v, want %v", ch.Refetched.Version, hi, ch.Refetched.State, want)
	}
	checkSiting(t, base, out, box, res.Steps.Site, "demo-baseline", len(profile.Teams))
	// Named, the scenario was saved and drawn from its stored GeoJSON.
	var stored struct {
		Features []json.RawMessage `json:"features"`
	}
	getJSON(t, base+"/api/scenarios/demo-hubs?format=geojson", &stored)
	if s := res.Steps.Site; s.Saved != "demo-hubs" || s.Features != len(stored.Features) || s.Features == 0 {
		t.Errorf("siting saved as %q with %d features on the map; the stored scenario's GeoJSON has %d", s.Saved, s.Features, len(stored.Features))
	}
	checkUsability(t, res.Steps.Usability)
	checkExports(t, res.Steps.Exports, "demo-baseline", 1)
	checkWardNames(t, base, res.Steps.WardNames)
	if tg := res.Steps.Toggles; tg.Before == 0 || tg.Off != 0 || tg.After != tg.Before {
		t.Errorf("practice-blue pixels drawn %d, with the practices toggle off %d, on again %d", tg.Before, tg.Off, tg.After)
	}
}

// TestMapPageManchester imports the shared Manchester data, serves it and
// drives the page: first map load (logged), a draft move (edit.png),
// manchester-2015 against manchester-2015-b (compare.png: the API's deltas,
// moved wards outlined), wards by income deprivation (pixels at the highest
// and lowest ward) and a siting run (a hub per team drawn).
func TestMapPageManchester(t *testing.T) {
	env := setupBrowser(t)
	data := os.Getenv("PLACETEAM_DATA_ROOT")
	if data == "" {
		data = filepath.Join(env.root, "..", "shared", "data")
	}
	data = filepath.Join(data, "manchester")
	need(t, "the Manchester data", data, "../shared/data/manchester beside the checkout, or PLACETEAM_DATA_ROOT")
	db := filepath.Join(t.TempDir(), "mcr.db")
	imp := exec.Command(env.bin, "import", "--db", db, "--manifest", "data/manifests/manchester.yaml", "--data-root", data)
	imp.Dir = env.root
	if msg, err := imp.CombinedOutput(); err != nil {
		t.Fatalf("import: %v\n%s", err, msg)
	}
	base := startServer(t, env.bin, env.root, db)
	var res struct {
		LoadMs int    `json:"loadMs"`
		Config string `json:"config"`
		MapBox mapBox `json:"mapBox"`
		Steps  struct {
			Edit struct {
				From   string `json:"from"`
				Status string `json:"status"`
			} `json:"edit"`
			Compare    compareStep    `json:"compare"`
			Choropleth choroplethStep `json:"choropleth"`
			Site       siteStep       `json:"site"`
		} `json:"steps"`
		Errors []string `json:"errors"`
	}
	env.run(t, "manchester.mjs", base, &res)
	t.Logf("Manchester: page load to the map's first idle: %d ms; screenshots in %s", res.LoadMs, env.out)
	if len(res.Errors) > 0 {
		t.Errorf("page errors: %v", res.Errors)
	}
	if res.Config != "manchester-2015" || res.Steps.Edit.From == "" {
		t.Fatalf("page opened %q, the draft moved from %q", res.Config, res.Steps.Edit.From)
	}
	var profile struct {
		Teams []struct{} `json:"teams"`
	}
	getJSON(t, base+"/api/configurations/manchester-2015/profile", &profile)
	box := res.MapBox
	if n := distinctColours(readPNG(t, filepath.Join(env.out, "map.png")), box); n < 5 {
		t.Errorf("map area has %d distinct colours: not a drawn map", n)
	}
	checkCompare(t, base, env.out, res.Steps.Compare, "manchester-2015", 1, "manchester-2015-b", 1)
	checkChoropleth(t, base, env.out, box, res.Steps.Choropleth, "manchester-2015", 1, "wards", "ind_income-deprivation")
	checkSiting(t, base, env.out, box, res.Steps.Site, "manchester-2015", len(profile.Teams))
}

// browserEnv is what a browser test needs: the checkout, Chromium, node, a
// built placeteam and the artifacts directory.
type browserEnv struct {
	root, chromium, node, bin, out string
}

// setupBrowser finds the tools (skipping without them, failing under
// CI=true), builds placeteam (or takes $PLACETEAM_BIN) and makes the
// artifacts directory ($PLACETEAM_ARTIFACTS/{test name}, or a temporary one).
func setupBrowser(t *testing.T) browserEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	env := browserEnv{root: root, chromium: os.Getenv("PLACETEAM_CHROMIUM")}
	if env.chromium == "" {
		env.chromium = "/usr/bin/chromium"
	}
	need(t, "chromium", env.chromium, "apt-get install -y chromium")
	if env.node, err = exec.LookPath("node"); err != nil {
		need(t, "node", "node", "apt-get install -y nodejs")
	}
	need(t, "playwright-core", filepath.Join(root, "node_modules/playwright-core/package.json"), "npm ci in the repository")
	need(t, "maplibre-gl", filepath.Join(root, "node_modules/maplibre-gl/dist/maplibre-gl.js"), "npm ci in the repository")
	env.out = os.Getenv("PLACETEAM_ARTIFACTS")
	if env.out == "" {
		env.out = t.TempDir()
	} else {
		env.out = filepath.Join(env.out, t.Name())
		if err := os.MkdirAll(env.out, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// PLACETEAM_BIN names a placeteam already built (it must embed these
	// page assets); else it is built from the checkout.
	if env.bin = os.Getenv("PLACETEAM_BIN"); env.bin != "" {
		return env
	}
	env.bin = filepath.Join(t.TempDir(), "placeteam")
	build := exec.Command("go", "build", "-o", env.bin, "./cmd/placeteam")
	build.Dir = root
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, msg)
	}
	return env
}

// run runs testdata/{script} against base and decodes what it printed.
func (env browserEnv) run(t *testing.T, script, base string, v any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, env.node, filepath.Join(env.root, "web/page/testdata", script), base, env.out)
	cmd.Dir = env.root
	cmd.Env = append(os.Environ(), "PLACETEAM_CHROMIUM="+env.chromium)
	stdout, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("browser script %s: %v\n%s\n%s", script, err, stdout, stderr)
	}
	if err := json.Unmarshal(stdout, v); err != nil {
		t.Fatalf("browser script %s output: %v\n%s", script, err, stdout)
	}
}

// checkEditing checks the edit, undo, save and conflict steps against the
// API: the panel shows what evaluate gives for the same move, the ward is
// drawn in its new team's colour, undo restores both, the save made version
// 2 and the stale save was explained.
func checkEditing(t *testing.T, base, out string, res browserResult, before map[string]float64, beforePixel color.Color) {
	t.Helper()
	r, e := res.Steps.Render, res.Steps.Edit
	var evaluated struct {
		Profile struct {
			Teams []struct {
				ID                 string `json:"id"`
				ResidentPopulation struct {
					Total float64 `json:"total"`
				} `json:"resident_population"`
			} `json:"teams"`
		} `json:"profile"`
	}
	body := fmt.Sprintf(`{"moves":[{"ward":%q,"team":%q}]}`, r.Ward, e.Target)
	postJSON(t, base+"/api/configurations/demo-baseline/evaluate?version=1", body, &evaluated)
	var want float64 = -1
	for _, team := range evaluated.Profile.Teams {
		if team.ID == r.Team {
			want = team.ResidentPopulation.Total
		}
	}
	if got := e.Rows["Resident population"]; got != want || got == before["Resident population"] {
		t.Errorf("after moving %s to %s the panel shows %s's residents %v, evaluate says %v (before %v)",
			r.Ward, e.Target, r.Team, got, want, before["Resident population"])
	}
	x, y := int(r.MapBox.X)+r.X, int(r.MapBox.Y)+r.Y
	background := color.RGBA{0xf4, 0xf1, 0xea, 0xff}
	edited := readPNG(t, filepath.Join(out, "edit.png")).At(x, y)
	if wantColour := blend(hexColour(t, e.TargetColour), background, 0.55); !near(edited, wantColour, 40) || near(edited, toRGBA(beforePixel), 12) {
		t.Errorf("pixel at moved ward %s is %v, want near %s's %v and unlike before (%v)", r.Ward, edited, e.Target, wantColour, beforePixel)
	}
	u := res.Steps.Undo
	if u.Rows["Resident population"] != before["Resident population"] || !u.RedoEnabled {
		t.Errorf("undo: residents %v (want %v), redo enabled %v", u.Rows["Resident population"], before["Resident population"], u.RedoEnabled)
	}
	if undone := readPNG(t, filepath.Join(out, "undo.png")).At(x, y); !near(undone, toRGBA(beforePixel), 12) {
		t.Errorf("pixel at ward %s after undo is %v, want the original %v", r.Ward, undone, beforePixel)
	}
	if res.Steps.Save.Version != 2 || res.Steps.Save.ETag != `"demo-baseline.v2"` {
		t.Errorf("after save the page shows version %d (ETag %s), want 2", res.Steps.Save.Version, res.Steps.Save.ETag)
	}
	var saved configuration.Configuration
	getJSON(t, base+"/api/configurations/demo-baseline?version=2", &saved)
	if team := saved.WardTeams()[r.Ward]; team != e.Target {
		t.Errorf("saved version 2 has ward %s in team %q, want %q", r.Ward, team, e.Target)
	}
	c := res.Steps.Conflict
	if c.Other.Status != http.StatusOK || c.Latest != 3 || c.Pending != 1 ||
		!strings.Contains(c.Text, "version 3") || !strings.Contains(c.Text, "loaded version 2") {
		t.Errorf("conflict: other save %d, shown %q (latest %d, %d moves kept)", c.Other.Status, c.Text, c.Latest, c.Pending)
	}
}

func toRGBA(c color.Color) color.RGBA {
	r, g, b, _ := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}
}

func postJSON(t *testing.T, url, body string, v any) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("POST %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
}

// startServer runs `placeteam serve` on a free loopback port and returns
// its base URL; it is stopped when the test ends.
func startServer(t *testing.T, bin, dir, db string) string {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	found := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+)`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case base := <-found:
		return base
	case <-time.After(90 * time.Second):
		t.Fatal("serve did not print its address")
	}
	return ""
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func hexColour(t *testing.T, s string) color.RGBA {
	t.Helper()
	var r, g, b uint8
	if _, err := fmt.Sscanf(strings.TrimPrefix(s, "#"), "%02x%02x%02x", &r, &g, &b); err != nil {
		t.Fatalf("colour %q: %v", s, err)
	}
	return color.RGBA{r, g, b, 0xff}
}

// blend is fg at opacity alpha over bg.
func blend(fg, bg color.RGBA, alpha float64) color.RGBA {
	mix := func(f, b uint8) uint8 { return uint8(math.Round(alpha*float64(f) + (1-alpha)*float64(b))) }
	return color.RGBA{mix(fg.R, bg.R), mix(fg.G, bg.G), mix(fg.B, bg.B), 0xff}
}

func near(c color.Color, want color.RGBA, tolerance int) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, y uint8) int { return int(math.Abs(float64(int(x>>8) - int(y)))) }
	return d(r, want.R) <= tolerance && d(g, want.G) <= tolerance && d(b, want.B) <= tolerance
}

func distinctColours(img image.Image, box mapBox) int {
	seen := map[color.RGBA]bool{}
	for y := int(box.Y); y < int(box.Y+box.Height); y += 7 {
		for x := int(box.X); x < int(box.X+box.Width); x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}] = true
		}
	}
	return len(seen)
}

// checkCompare checks the compare view against GET /api/compare for the
// same two versions: every team's deltas, the wards moved, and the moved
// wards outlined on the map.
func checkCompare(t *testing.T, base, out string, c compareStep, a string, aVersion int, b string, bVersion int) {
	t.Helper()
	if c.A != a || c.AVersion != aVersion {
		t.Fatalf("compare view: A is %s v%d, want %s v%d", c.A, c.AVersion, a, aVersion)
	}
	var api struct {
		WardsMoved []struct {
			Ward string `json:"ward"`
		} `json:"wards_moved"`
		Teams []map[string]any `json:"teams"`
	}
	getJSON(t, fmt.Sprintf("%s/api/compare?a=%s&b=%s&a_version=%d&b_version=%d", base, a, b, aVersion, bVersion), &api)
	if len(c.Rows) != len(api.Teams) {
		t.Errorf("compare table has %d teams, the API %d", len(c.Rows), len(api.Teams))
	}
	changed := 0
	for _, team := range api.Teams {
		id, _ := team["id"].(string)
		for _, field := range []string{"resident_population_delta", "registered_population_delta", "local_registration_share_delta", "out_of_city_registered_delta"} {
			want, ok := team[field].(float64)
			if got, shown := c.Rows[id][field]; shown != ok || got != want {
				t.Errorf("compare table %s %s = %v (shown %v), API says %v (%v)", id, field, got, shown, team[field], ok)
			}
			if want != 0 {
				changed++
			}
		}
	}
	if changed == 0 {
		t.Errorf("compare: the API shows no delta between %s v%d and %s v%d: the test compares nothing", a, aVersion, b, bVersion)
	}
	var moved []string
	for _, m := range api.WardsMoved {
		moved = append(moved, m.Ward)
	}
	sort.Strings(moved)
	shown := append([]string(nil), c.Moved...)
	sort.Strings(shown)
	if strings.Join(shown, " ") != strings.Join(moved, " ") || len(moved) == 0 {
		t.Errorf("compare view lists moved wards %v, API %v", c.Moved, moved)
	}
	if strings.Join(c.Outlined, " ") != strings.Join(moved, " ") {
		t.Errorf("wards outlined on the map %v, want the moved %v", c.Outlined, moved)
	}
	if _, err := os.Stat(filepath.Join(out, "compare.png")); err != nil {
		t.Error(err)
	}
}

// checkChoropleth checks a choropleth of unit by figure against the values
// document: the features with the highest and lowest value are drawn in the
// ramp's darkest and lightest colours (pixels read from the screenshot).
// It returns the highest feature's id.
func checkChoropleth(t *testing.T, base, out string, box mapBox, ch choroplethStep, config string, version int, unit, figure string) string {
	t.Helper()
	var doc struct {
		Values map[string]map[string]any `json:"values"`
	}
	getJSON(t, fmt.Sprintf("%s/values/%s/%s.json?version=%d", base, config, unit, version), &doc)
	hi, lo := "", ""
	var hiV, loV float64
	for id, row := range doc.Values {
		v, ok := row[figure].(float64)
		if !ok {
			continue
		}
		if hi == "" || v > hiV {
			hi, hiV = id, v
		}
		if lo == "" || v < loV {
			lo, loV = id, v
		}
	}
	if ch.Version != version || ch.High.ID != hi || ch.Low.ID != lo || ch.High.Value != hiV || ch.Low.Value != loV {
		t.Errorf("%s by %s of version %d: highest %s (%v), lowest %s (%v); the values document (v%d) says %s (%v), %s (%v)",
			unit, figure, ch.Version, ch.High.ID, ch.High.Value, ch.Low.ID, ch.Low.Value, version, hi, hiV, lo, loV)
	}
	if len(ch.Ramp) < 2 || len(ch.Legend) != len(ch.Colours) || len(ch.Colours) < 3 {
		t.Fatalf("choropleth: ramp %v, classes %v, legend %v", ch.Ramp, ch.Colours, ch.Legend)
	}
	if ch.High.Colour != ch.Ramp[len(ch.Ramp)-1] || ch.Low.Colour != ch.Ramp[0] {
		t.Errorf("highest %s in %s, lowest in %s: want the ramp's ends %s and %s", unit, ch.High.Colour, ch.Low.Colour, ch.Ramp[len(ch.Ramp)-1], ch.Ramp[0])
	}
	img := readPNG(t, filepath.Join(out, "choropleth.png"))
	background := color.RGBA{0xf4, 0xf1, 0xea, 0xff}
	var pixels []color.Color
	for _, f := range []featureProbe{ch.High, ch.Low} {
		if f.Error != "" {
			t.Fatal(f.Error)
		}
		at := img.At(int(box.X)+f.X, int(box.Y)+f.Y)
		if want := blend(hexColour(t, f.Colour), background, 0.8); !near(at, want, 30) {
			t.Errorf("pixel in %s (%s %.3f) is %v, want its class colour %s over the background (%v)", f.ID, figure, f.Value, at, f.Colour, want)
		}
		pixels = append(pixels, at)
	}
	// The ramp runs light to dark: the highest is darker.
	luma := func(c color.Color) float64 {
		r, g, b, _ := c.RGBA()
		return 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(b)
	}
	if luma(pixels[0]) >= luma(pixels[1]) {
		t.Errorf("highest %s's pixel %v is not darker than the lowest's %v", unit, pixels[0], pixels[1])
	}
	return hi
}

// checkSiting runs the same scenario through the API and checks the page
// drew a hub per team (rendered features and a pixel) and the equity
// table's overall row.
func checkSiting(t *testing.T, base, out string, box mapBox, s siteStep, config string, teams int) {
	t.Helper()
	var plan struct {
		Hubs []struct {
			ID string `json:"id"`
		} `json:"hubs"`
		Report struct {
			Overall struct {
				Weight       float64 `json:"weight"`
				MeanDistance float64 `json:"mean_distance_km"`
			} `json:"overall"`
		} `json:"report"`
	}
	if s.Version == 0 || s.PlanVersion != s.Version {
		t.Errorf("the page sited hubs for version %d while showing version %d", s.PlanVersion, s.Version)
	}
	postJSON(t, base+"/api/scenarios", fmt.Sprintf(`{"configuration":%q,"version":%d,"one_per_team":true,"model":"p-median","weight":"population","threshold_km":1.5}`, config, s.Version), &plan)
	var want []string
	for _, h := range plan.Hubs {
		want = append(want, h.ID)
	}
	sort.Strings(want)
	got := append([]string(nil), s.Hubs...)
	sort.Strings(got)
	if len(got) != teams || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("map shows hubs %v, want one per team (%d) as the API sites them: %v", got, teams, want)
	}
	if s.Spokes == 0 {
		t.Error("no spoke lines drawn")
	}
	if s.Hub == nil {
		t.Fatal("no hub rendered")
	}
	if at := readPNG(t, filepath.Join(out, "site.png")).At(int(box.X)+s.Hub.X, int(box.Y)+s.Hub.Y); !near(at, color.RGBA{0, 0, 0, 0xff}, 40) {
		t.Errorf("pixel at hub %s is %v, want the hub's black", s.Hub.ID, at)
	}
	overall := s.Equity["overall"]
	if len(overall) < 2 || overall[0] == nil || *overall[0] != plan.Report.Overall.Weight || overall[1] == nil || *overall[1] != plan.Report.Overall.MeanDistance {
		t.Errorf("equity table overall %v, API weight %v mean %v km", deref(overall), plan.Report.Overall.Weight, plan.Report.Overall.MeanDistance)
	}
	if len(s.Equity) != 6 {
		t.Errorf("equity table has %d rows, want overall and five IMD quintiles", len(s.Equity))
	}
}

func deref(v []*float64) []any {
	out := make([]any, len(v))
	for i, p := range v {
		if p != nil {
			out[i] = *p
		}
	}
	return out
}

// checkUsability: every control has a name, Tab reaches the choropleth
// controls, and nothing scrolls sideways at 1280×800.
func checkUsability(t *testing.T, u usabilityStep) {
	t.Helper()
	if len(u.Unnamed) > 0 {
		t.Errorf("controls without an accessible name: %v", u.Unnamed)
	}
	if u.PageOverflow || u.SideOverflow {
		t.Errorf("at 1280×800 the page (%v) or the side panel (%v) scrolls sideways", u.PageOverflow, u.SideOverflow)
	}
	tabbed := " " + strings.Join(u.Tabbed, " ") + " "
	for _, id := range []string{"choro-unit", "choro-figure"} {
		if !strings.Contains(tabbed, " "+id+" ") {
			t.Errorf("Tab from the version choice reaches %v, not #%s", u.Tabbed, id)
		}
	}
}

// checkExports: the export links name the version shown and answer with
// CSV, CSV and GeoJSON.
func checkExports(t *testing.T, e exportsStep, config string, version int) {
	t.Helper()
	for id, want := range map[string]struct{ href, typ, start string }{
		"export-config":  {fmt.Sprintf("/api/configurations/%s/export?version=%d", config, version), "text/csv", "ward_code,"},
		"export-profile": {fmt.Sprintf("/api/configurations/%s/profile?format=csv&version=%d", config, version), "text/csv", ""},
		"export-teams":   {fmt.Sprintf("/collections/teams-%s/items?limit=10000&version=%d", config, version), "application/geo+json", `{"features":`},
	} {
		got := e[id]
		if got.Href != want.href || got.Status != http.StatusOK || !strings.HasPrefix(got.Type, want.typ) ||
			!strings.HasPrefix(got.Start, want.start) || got.Download == "" {
			t.Errorf("%s: %+v, want %s answering %s starting %q with a download name", id, got, want.href, want.typ, want.start)
		}
	}
}

// wardNamesStep is what the page showed of the ward names.
type wardNamesStep struct {
	Labels []struct {
		Ward   string     `json:"ward"`
		Text   string     `json:"text"`
		Shown  bool       `json:"shown"`
		Offset int        `json:"offset"`
		LngLat [2]float64 `json:"lngLat"`
	} `json:"labels"`
	HiddenShown int     `json:"hiddenShown"`
	Zoom        float64 `json:"zoom"`
}

// checkWardNames: one label per ward, with its name, at its label point
// (from the wards collection: inside the ward), drawn there at zoom 11 and
// above, and none left shown with the toggle off.
func checkWardNames(t *testing.T, base string, s wardNamesStep) {
	t.Helper()
	var wards struct {
		Features []struct {
			Properties struct {
				Code     string  `json:"code"`
				Name     string  `json:"name"`
				LabelLon float64 `json:"label_lon"`
				LabelLat float64 `json:"label_lat"`
			} `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, base+"/collections/wards/items", &wards)
	if len(s.Labels) != len(wards.Features) || len(s.Labels) == 0 {
		t.Fatalf("%d ward labels, %d wards", len(s.Labels), len(wards.Features))
	}
	byWard := map[string]int{}
	for i, l := range s.Labels {
		byWard[l.Ward] = i
	}
	for _, w := range wards.Features {
		i, ok := byWard[w.Properties.Code]
		if !ok {
			t.Errorf("ward %s has no label", w.Properties.Code)
			continue
		}
		l := s.Labels[i]
		if l.Text != w.Properties.Name || math.Abs(l.LngLat[0]-w.Properties.LabelLon) > 1e-5 || math.Abs(l.LngLat[1]-w.Properties.LabelLat) > 1e-5 {
			t.Errorf("label of %s: %q at %v, want %q at (%v, %v)", w.Properties.Code, l.Text, l.LngLat, w.Properties.Name, w.Properties.LabelLon, w.Properties.LabelLat)
		}
		if s.Zoom >= 11 && (!l.Shown || l.Offset > 2) {
			t.Errorf("label of %s at zoom %.2f: shown %v, %d px from its point", w.Properties.Code, s.Zoom, l.Shown, l.Offset)
		}
	}
	if s.HiddenShown != 0 {
		t.Errorf("%d ward names still shown with their toggle off", s.HiddenShown)
	}
}
