package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// htmlCells maps "level:id/field" to the data-value of the unit's own
// figure cells.
func htmlCells(t *testing.T, page []byte) (map[string]string, *html.Node) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("the report does not parse: %v", err)
	}
	out := map[string]string{}
	var walk func(n *html.Node, unit string)
	walk = func(n *html.Node, unit string) {
		if n.Type == html.ElementNode {
			a := map[string]string{}
			for _, x := range n.Attr {
				a[x.Key] = x.Val
			}
			if n.Data == "section" && a["data-id"] != "" {
				unit = a["data-level"] + ":" + a["data-id"]
			}
			if n.Data == "td" && a["data-field"] != "" {
				if _, seen := out[unit+"/"+a["data-field"]]; !seen {
					out[unit+"/"+a["data-field"]] = a["data-value"]
				}
			}
			for _, k := range []string{"src", "href", "xlink:href"} {
				if v, ok := a[k]; ok && !strings.HasPrefix(v, "#") {
					t.Errorf("<%s %s=%q> is not a link inside the page", n.Data, k, v)
				}
			}
			if n.Data == "script" || n.Data == "link" || n.Data == "img" {
				t.Errorf("the report has a <%s>", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, unit)
		}
	}
	walk(doc, "")
	return out, doc
}

// TestReportCommand: the whole option's report names every team and shows
// the figures of profile --format json; --team writes one team to stdout.
func TestReportCommand(t *testing.T) {
	db := demoStore(t)
	path := filepath.Join(t.TempDir(), "report.html")
	if out, err := run(t, "report", "--db", db, "--config", "demo-baseline", "--out", path); err != nil {
		t.Fatalf("report: %v\n%s", err, out)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cells, _ := htmlCells(t, page)
	js, err := run(t, "profile", "--db", db, "--config", "demo-baseline", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var p struct {
		Teams []map[string]any `json:"teams"`
	}
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Teams) == 0 {
		t.Fatal("no teams in the profile")
	}
	for _, team := range p.Teams {
		id, name := team["id"].(string), team["name"].(string)
		if !bytes.Contains(page, []byte(html.EscapeString(name))) {
			t.Errorf("the report lacks team %s %q", id, name)
		}
		resident := team["resident_population"].(map[string]any)["total"].(float64)
		checks := map[string]any{"resident_population": resident}
		for _, f := range []string{"registered_population", "practice_count", "local_registration_share", "out_of_city_registered", "area_km2"} {
			checks[f] = team[f]
		}
		for f, want := range checks {
			got, ok := cells["team:"+id+"/"+f]
			if !ok {
				t.Errorf("team %s: no %s", id, f)
				continue
			}
			if want == nil {
				if got != "" {
					t.Errorf("team %s %s: %q, want unknown (null in JSON)", id, f, got)
				}
				continue
			}
			if v, err := strconv.ParseFloat(got, 64); err != nil || v != want.(float64) {
				t.Errorf("team %s %s: %q, want %v", id, f, got, want)
			}
		}
	}

	out, err := run(t, "report", "--db", db, "--config", "demo-baseline", "--team", "N1")
	if err != nil {
		t.Fatalf("report --team: %v", err)
	}
	if !strings.HasPrefix(out, "<!DOCTYPE html>") || !strings.Contains(out, `id="team-N1"`) || strings.Contains(out, `id="team-N2"`) {
		t.Errorf("report --team N1 to stdout: %.300s", out)
	}
	if _, err := run(t, "report", "--db", db, "--config", "demo-baseline", "--team", "ZZ9"); err == nil || !strings.Contains(err.Error(), "ZZ9") {
		t.Errorf("unknown team: %v", err)
	}
}

// updateScreenshot rewrites docs/report.png, the README's screenshot.
var updateScreenshot = flag.Bool("update-screenshot", false, "rewrite docs/report.png from TestReportRendersInChromium")

// TestReportRendersInChromium: headless Chromium renders the report of a
// team to a PNG (docs/report.png, the README's screenshot, with
// -update-screenshot; else a temporary file) and --pdf prints it. Skipped
// without Chromium, except in CI.
func TestReportRendersInChromium(t *testing.T) {
	browser := needTool(t, func() (string, error) { return findChromium("") }, "apt-get install chromium")
	db := demoStore(t)
	dir := t.TempDir()
	page, pdf := filepath.Join(dir, "n1.html"), filepath.Join(dir, "n1.pdf")
	if out, err := run(t, "report", "--db", db, "--config", "demo-baseline", "--team", "N1", "--out", page, "--pdf", pdf); err != nil {
		t.Fatalf("report --pdf: %v\n%s", err, out)
	}
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) || len(b) < 10_000 {
		t.Errorf("PDF: %d bytes, %.8q (%v)", len(b), b, err)
	}
	shot := filepath.Join(dir, "report.png")
	if *updateScreenshot {
		shot = filepath.Join("..", "..", "docs", "report.png")
	}
	if err := runChromium(context.Background(), browser, page, "--hide-scrollbars", "--window-size=1000,1900", "--screenshot="+mustAbs(t, shot)); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 900 || b.Dy() < 1500 {
		t.Errorf("screenshot is %v", b)
	}
	// Not blank: the page's accent colour is drawn somewhere.
	drawn := false
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y && !drawn; y += 4 {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 < 60 && g>>8 > 90 && g>>8 < 130 && bl>>8 > 160 {
				drawn = true
				break
			}
		}
	}
	if !drawn {
		t.Error("the screenshot shows none of the report's blue")
	}
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestReportPDFWithoutChromium(t *testing.T) {
	t.Setenv("PLACETEAM_CHROMIUM", "")
	t.Setenv("PATH", t.TempDir())
	if _, err := findChromium(""); err != errNoChromium {
		t.Errorf("findChromium with an empty PATH: %v", err)
	}
	if _, err := findChromium("/no/such/chromium"); err == nil {
		t.Error("a missing --chromium was accepted")
	}
}
