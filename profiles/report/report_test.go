package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/profiles/report"
)

var writeSample = flag.String("sample", "", "write the whole-option demo report to this file")

// demoInput is the report input of the demo city's baseline.
func demoInput(t *testing.T, selected string) report.Input {
	t.Helper()
	ctx := context.Background()
	ds, baseline, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: filepath.Join(t.TempDir(), "demo.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.ReplaceDataset(ctx, ds, []*configuration.Configuration{baseline}, store.ImportRecord{Manifest: "demo"}); err != nil {
		t.Fatal(err)
	}
	core, err := planning.New(ctx, planning.Config{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { core.Close() })
	v, err := core.Latest(ctx, baseline.Name)
	if err != nil {
		t.Fatal(err)
	}
	in, err := core.ReportInput(ctx, v, selected)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func render(t *testing.T, in report.Input) (string, *html.Node) {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Render(&buf, in); err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("the report does not parse: %v", err)
	}
	return buf.String(), doc
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return slices.Contains(strings.Fields(v), class)
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func text(n *html.Node) string {
	var sb strings.Builder
	walk(n, func(x *html.Node) {
		if x.Type == html.TextNode {
			sb.WriteString(x.Data)
		}
	})
	return sb.String()
}

// sections are the report's unit sections by "level:id".
func sections(doc *html.Node) map[string]*html.Node {
	out := map[string]*html.Node{}
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "section" && hasClass(n, "unit") {
			level, _ := attr(n, "data-level")
			id, _ := attr(n, "data-id")
			out[level+":"+id] = n
		}
	})
	return out
}

// unitCells are the first figure cell of each field in a section (the
// unit's own, before the city's).
func unitCells(sec *html.Node) map[string]*html.Node {
	out := map[string]*html.Node{}
	walk(sec, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "td" {
			if f, ok := attr(n, "data-field"); ok {
				if _, seen := out[f]; !seen {
					out[f] = n
				}
			}
		}
	})
	return out
}

// TestReportWholeOption: the city, every locality and every team get a
// section with their name, and the figures in it are the profile's (as
// its JSON has them).
func TestReportWholeOption(t *testing.T) {
	in := demoInput(t, "")
	out, doc := render(t, in)
	if *writeSample != "" {
		if err := os.WriteFile(*writeSample, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	secs := sections(doc)
	p := in.Profile
	units := append(append([]placeprofile.Unit{p.City}, p.Localities...), p.Teams...)
	if len(secs) != len(units) {
		t.Errorf("%d sections, want %d", len(secs), len(units))
	}
	for _, u := range units {
		sec, ok := secs[u.Level+":"+u.ID]
		if !ok {
			t.Errorf("no section for %s %s", u.Level, u.ID)
			continue
		}
		if !strings.Contains(text(sec), u.Name) {
			t.Errorf("section %s lacks the name %q", u.ID, u.Name)
		}
		// The figures, against the unit's JSON.
		raw, err := json.Marshal(u)
		if err != nil {
			t.Fatal(err)
		}
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatal(err)
		}
		fields["resident_population"] = u.ResidentPopulation.Total
		cells := unitCells(sec)
		for _, f := range []string{"resident_population", "registered_population", "registered_to_resident_ratio", "practice_count",
			"local_registration_share", "practice_lists_resident_share", "out_of_city_registered", "out_of_city_share", "area_km2"} {
			c, ok := cells[f]
			if !ok {
				t.Errorf("%s: no cell for %s", u.ID, f)
				continue
			}
			want, _ := fields[f].(float64)
			if fields[f] == nil {
				if !hasClass(c, "unknown") {
					t.Errorf("%s %s: null in JSON but not shown unknown", u.ID, f)
				}
				continue
			}
			v, _ := attr(c, "data-value")
			got, err := strconv.ParseFloat(v, 64)
			if err != nil || got != want {
				t.Errorf("%s %s: data-value %q, want %v (JSON)", u.ID, f, v, want)
			}
		}
	}
	if !strings.Contains(out, "Sources and licences") {
		t.Error("no sources section")
	}
	for _, s := range in.Sources {
		if s.Licence != "" && !strings.Contains(out, html.EscapeString(s.Licence)) {
			t.Errorf("source %s: licence %q not shown", s.ID, s.Licence)
		}
	}
	checkSelfContained(t, doc)
}

// checkSelfContained: nothing is fetched from outside the page.
func checkSelfContained(t *testing.T, doc *html.Node) {
	t.Helper()
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "script", "link", "img", "iframe", "object", "embed":
			t.Errorf("the report has a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			if a.Key == "src" || a.Key == "href" || strings.HasSuffix(a.Key, ":href") || a.Key == "xlink:href" {
				if !strings.HasPrefix(a.Val, "#") {
					t.Errorf("<%s %s=%q>: not a link inside the page", n.Data, a.Key, a.Val)
				}
			}
		}
		if n.Data == "style" && strings.Contains(text(n), "url(") {
			t.Error("the style sheet loads a url()")
		}
	})
}

// TestReportOneTeam: --team reports the team alone beside the city, and an
// unknown id fails.
func TestReportOneTeam(t *testing.T) {
	in := demoInput(t, "")
	team := in.Profile.Teams[1]
	in.Selected = team.ID
	_, doc := render(t, in)
	secs := sections(doc)
	if len(secs) != 1 || secs["team:"+team.ID] == nil {
		t.Fatalf("sections %v, want team %s only", slices.Collect(mapsKeys(secs)), team.ID)
	}
	in.Selected = "no-such-team"
	if err := report.Render(&bytes.Buffer{}, in); !errors.Is(err, report.ErrNoSuchUnit) {
		t.Errorf("unknown team: %v, want ErrNoSuchUnit", err)
	}
}

func mapsKeys(m map[string]*html.Node) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestReportMarksModelledAndUnknown: a modelled figure carries the
// modelled mark, an unknown one shows – with a note saying why, never 0.
func TestReportMarksModelledAndUnknown(t *testing.T) {
	in := demoInput(t, "")
	p := *in.Profile
	p.Teams = slices.Clone(p.Teams)
	team := p.Teams[0]
	team.ModelledFields = []string{placeprofile.FieldLocalRegistrationShare, placeprofile.FieldOutOfCityRegistered}
	team.Unknown = map[string]string{placeprofile.FieldRegisteredOutsideCity: "no registrations by area of residence dated 2021-01-01"}
	team.RegisteredOutsideCity = nil
	p.Teams[0] = team
	in.Profile, in.Selected = &p, team.ID
	if len(in.Indicators) > 0 {
		r := *in.Indicators[0]
		r.Modelled = true
		in.Indicators = append([]*indicatorprofile.Result{&r}, in.Indicators[1:]...)
	}
	out, doc := render(t, in)
	cells := unitCells(sections(doc)["team:"+team.ID])
	for _, f := range team.ModelledFields {
		c := cells[f]
		if c == nil || !hasClass(c, "modelled") || !strings.Contains(text(c), "M") {
			t.Errorf("%s: not marked modelled", f)
		}
	}
	if c := cells["resident_population"]; c != nil && hasClass(c, "modelled") {
		t.Error("resident population is marked modelled")
	}
	c := cells[placeprofile.FieldRegisteredOutsideCity]
	if c == nil || !hasClass(c, "unknown") || !strings.HasPrefix(text(c), "–") {
		t.Errorf("unknown figure shown as %q", text(c))
	}
	if !strings.Contains(out, "no registrations by area of residence dated 2021-01-01") {
		t.Error("the reason for the unknown figure is not given")
	}
	if !strings.Contains(out, `id="modelled-legend"`) {
		t.Error("no legend for the modelled mark")
	}
	if len(in.Indicators) > 0 {
		id := in.Indicators[0].Indicator.ID
		found := false
		walk(doc, func(n *html.Node) {
			if v, ok := attr(n, "data-indicator"); ok && v == id && hasClass(n, "modelled-row") {
				found = true
			}
		})
		if !found {
			t.Errorf("modelled indicator %s not marked", id)
		}
	}
}

// TestReportEscapes: names are text, never markup.
func TestReportEscapes(t *testing.T) {
	in := demoInput(t, "")
	p := *in.Profile
	p.Teams = slices.Clone(p.Teams)
	p.Teams[0].Name = `<script>alert("x")</script> & Co`
	in.Profile = &p
	out, doc := render(t, in)
	if strings.Contains(out, "<script>") {
		t.Error("a team name was written as markup")
	}
	if !strings.Contains(text(sections(doc)["team:"+p.Teams[0].ID]), `<script>alert("x")</script> & Co`) {
		t.Error("the escaped name does not read back")
	}
}
