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
	"strings"
	"testing"
	"time"
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
			Colour      string                                `json:"colour"`
			Legend      int                                   `json:"legend"`
			Attribution string                                `json:"attribution"`
			Folded      bool                                  `json:"attributionFolded"`
			MapBox      struct{ X, Y, Width, Height float64 } `json:"mapBox"`
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
	} `json:"steps"`
	Errors []string `json:"errors"`
}

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
// drives the page in Chromium: the map is drawn (pixels, not DOM), the
// legend holds every team in the style's colours, clicking a ward opens
// its team's profile with the API's numbers, and the legend works from the
// keyboard. Screenshots go to $PLACETEAM_ARTIFACTS or a temp directory.
func TestMapPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test: not in -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	chromium := os.Getenv("PLACETEAM_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	need(t, "chromium", chromium, "apt-get install -y chromium")
	node, err := exec.LookPath("node")
	if err != nil {
		need(t, "node", "node", "apt-get install -y nodejs")
	}
	need(t, "playwright-core", filepath.Join(root, "node_modules/playwright-core/package.json"), "npm ci in the repository")
	need(t, "maplibre-gl", filepath.Join(root, "node_modules/maplibre-gl/dist/maplibre-gl.js"), "npm ci in the repository")

	out := os.Getenv("PLACETEAM_ARTIFACTS")
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "placeteam")
	build := exec.Command("go", "build", "-o", bin, "./cmd/placeteam")
	build.Dir = root
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, msg)
	}
	base := startServer(t, bin, root, filepath.Join(t.TempDir(), "demo.db"))

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

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(root, "web/page/testdata/browser.mjs"), base, out)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "PLACETEAM_CHROMIUM="+chromium)
	stdout, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("browser script: %v\n%s\n%s", err, stdout, stderr)
	}
	var res browserResult
	if err := json.Unmarshal(stdout, &res); err != nil {
		t.Fatalf("browser script output: %v\n%s", err, stdout)
	}
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
	var saved struct {
		Localities []struct {
			Teams []struct {
				ID    string   `json:"id"`
				Wards []string `json:"wards"`
			} `json:"teams"`
		} `json:"localities"`
	}
	getJSON(t, base+"/api/configurations/demo-baseline?version=2", &saved)
	if team := teamOf(saved.Localities, r.Ward); team != e.Target {
		t.Errorf("saved version 2 has ward %s in team %q, want %q", r.Ward, team, e.Target)
	}
	c := res.Steps.Conflict
	if c.Other.Status != http.StatusOK || c.Latest != 3 || c.Pending != 1 ||
		!strings.Contains(c.Text, "version 3") || !strings.Contains(c.Text, "loaded version 2") {
		t.Errorf("conflict: other save %d, shown %q (latest %d, %d moves kept)", c.Other.Status, c.Text, c.Latest, c.Pending)
	}
}

func teamOf(localities []struct {
	Teams []struct {
		ID    string   `json:"id"`
		Wards []string `json:"wards"`
	} `json:"teams"`
}, ward string) string {
	for _, l := range localities {
		for _, t := range l.Teams {
			for _, w := range t.Wards {
				if w == ward {
					return t.ID
				}
			}
		}
	}
	return ""
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

func distinctColours(img image.Image, box struct{ X, Y, Width, Height float64 }) int {
	seen := map[color.RGBA]bool{}
	for y := int(box.Y); y < int(box.Y+box.Height); y += 7 {
		for x := int(box.X); x < int(box.X+box.Width); x += 7 {
			r, g, b, _ := img.At(x, y).RGBA()
			seen[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}] = true
		}
	}
	return len(seen)
}
