package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/realdata"
)

// TestREADMEExamples runs every command example of README.md's "Command
// line" block through the in-process cobra root, on the demo store and on
// an imported Manchester store, and those of its "Ward-set changes" block
// on the Manchester store (runWardSetChanges), and fails when one errors.
// (The "Stores" block's commands need a PostgreSQL server: the replica and
// PostgreSQL tests run them.)
//
// How the block is read (readmeCommands):
//   - the first ```sh block after the "## Command line" heading;
//   - text from " #" to the end of a line is a comment; a line that starts
//     with spaces continues the command above it (the wrapped optimise and
//     site lines);
//   - only lines starting with "placeteam " are commands (go build is not);
//   - every command runs with each optional [ … ] group stripped and, but
//     under -short, again with the groups kept (brackets removed), except a
//     group holding "…" (a repetition marker, as in [--ward … --team …]);
//   - a token with | alternatives (table|json|csv) takes the first;
//   - placeholders: NAME → readme-test, N → 1, TEXT → readme, sites.csv → a
//     one-site file the test writes, CODE,… → a ward of the store,
//     FILE.gpkg, FILE.html and FILE.pdf → files in the test's folder;
//   - demo.db and mcr.db name the store under test (each command gets its
//     own copy of the store, so delete and token create change nothing for
//     the next; the demo line writes a new store); on the demo store the Manchester names are mapped to the
//     demo's (manchester-2015 → demo-baseline, manchester-2015-b → an
//     option B the test saves, ward E05000697 and practice P84004 → a
//     demo ward and practice).
//
// Skipped, by design: serve (a server that runs until stopped) and, on the
// demo store, import and manifest check (of the Manchester files) and demo
// (its setup). The
// Manchester run starts with the README's own import line (--data-root
// mapped to the shared data), the demo run with its demo line. optimise
// runs with --time 1s --moves 2000 appended so it ends quickly.
func TestREADMEExamples(t *testing.T) {
	commands := readmeCommands(t)
	if len(commands) < 20 {
		t.Fatalf("read %d commands from README.md's Command line block", len(commands))
	}
	t.Run("demo", func(t *testing.T) {
		dir := t.TempDir()
		store := filepath.Join(dir, "demo.db")
		demoLine := findCommand(t, commands, "demo")
		if out, err := run(t, readmeArgs(demoLine, false, map[string]string{"demo.db": store})...); err != nil {
			t.Fatalf("%s: %v\n%s", demoLine, err, out)
		}
		optionB := saveDemoOptionB(t, store, dir)
		subst := storeNames(t, store, "demo-baseline", dir)
		subst["demo.db"], subst["mcr.db"] = store, store
		subst["manchester-2015-b"], subst["manchester-2015"] = optionB, "demo-baseline"
		runReadme(t, commands, store, dir, subst, "demo", "import", "manifest")
	})
	t.Run("manchester", func(t *testing.T) {
		data := realdata.Dir(t)
		dir := t.TempDir()
		store := filepath.Join(dir, "mcr.db")
		importLine := findCommand(t, commands, "import")
		subst := map[string]string{"mcr.db": store, "../shared/data/manchester": data,
			"data/manifests/manchester.yaml": filepath.Join("..", "..", "data", "manifests", "manchester.yaml")}
		if out, err := run(t, readmeArgs(importLine, false, subst)...); err != nil {
			t.Fatalf("%s: %v\n%s", importLine, err, out)
		}
		files := subst
		subst = storeNames(t, store, "manchester-2015", dir)
		subst["mcr.db"], subst["demo.db"] = store, filepath.Join(dir, "demo.db")
		for _, k := range []string{"../shared/data/manchester", "data/manifests/manchester.yaml"} {
			subst[k] = files[k] // manifest check names them too
		}
		runReadme(t, commands, store, dir, subst, "import")
		t.Run("ward-set changes", func(t *testing.T) { runWardSetChanges(t, store, dir, files) })
	})
}

// runWardSetChanges runs the README's "Ward-set changes" block on the
// Manchester store, in order (the import and profile read what carry and
// the import before them wrote): first with the optional groups stripped,
// then carry again with them kept (--lookup FILE.csv: a lookup the test
// writes from the first carry, each LSOA to the new ward given most of it).
func runWardSetChanges(t *testing.T, store, dir string, files map[string]string) {
	commands := readmeBlock(t, "## Ward-set changes")
	if len(commands) < 3 {
		t.Fatalf("read %d commands from the Ward-set changes block", len(commands))
	}
	subst := map[string]string{"mcr.db": store, "NAME": "readme-carried", "N": "1",
		"carried.yaml": filepath.Join(dir, "carried.yaml"), "mcr2018.db": filepath.Join(dir, "mcr2018.db"),
		"FILE.csv":                            filepath.Join(dir, "lookup.csv"),
		"../shared/data/manchester":           files["../shared/data/manchester"],
		"data/manifests/manchester-2018.yaml": filepath.Join("..", "..", "data", "manifests", "manchester-2018.yaml")}
	// Paths beginning with the data root (the new ward file) map too.
	wards := "../shared/data/manchester/boundaries/wards_2018plus_manchester_wd22.geojson"
	subst[wards] = filepath.Join(files["../shared/data/manchester"], "boundaries", "wards_2018plus_manchester_wd22.geojson")
	for _, keep := range []bool{false, true} {
		for _, line := range commands {
			if keep && (testing.Short() || !strings.Contains(line, "[")) {
				continue
			}
			args := readmeArgs(line, keep, subst)
			out, err := run(t, args...)
			t.Logf("placeteam %s", strings.Join(args, " "))
			if err != nil {
				t.Errorf("README: %s\n  ran: placeteam %s\n  error: %v\n%s", line, strings.Join(args, " "), err, out)
			}
			if !keep && strings.Fields(line)[1] == "carry" {
				writeLookup(t, subst["FILE.csv"], append(readmeArgs(line, false, subst), "--format", "json"))
			}
		}
	}
}

// writeLookup runs a carry (args, JSON output) and writes its LSOAs'
// largest pieces as an LSOA → ward lookup file.
func writeLookup(t *testing.T, path string, args []string) {
	t.Helper()
	out, err := run(t, args...)
	if err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
	var r struct {
		LSOAs []struct {
			Code   string `json:"code"`
			Pieces []struct {
				Ward  string  `json:"ward"`
				Share float64 `json:"share"`
			} `json:"pieces"`
		} `json:"lsoas"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("LSOA11CD,WD18CD\n")
	for _, l := range r.LSOAs {
		best, share := "", 0.0
		for _, p := range l.Pieces {
			if p.Share > share {
				best, share = p.Ward, p.Share
			}
		}
		if best != "" {
			fmt.Fprintf(&b, "%s,%s\n", l.Code, best)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// runReadme runs each command but those whose subcommand is in skip (and
// serve) on its own copy of store, with optional groups stripped and kept.
func runReadme(t *testing.T, commands []string, store, dir string, subst map[string]string, skip ...string) {
	for i, line := range commands {
		sub := strings.Fields(line)[1]
		if sub == "serve" || slices.Contains(skip, sub) {
			t.Logf("skipped: %s", line)
			continue
		}
		for _, keep := range []bool{false, true} {
			if keep && (testing.Short() || !strings.Contains(line, "[")) {
				continue
			}
			copyDB := filepath.Join(dir, fmt.Sprintf("cmd%d-%v.db", i, keep))
			s := map[string]string{}
			for k, v := range subst {
				s[k] = v
			}
			s["mcr.db"], s["demo.db"] = copyDB, copyDB
			if sub != "demo" { // demo writes a new store
				copyStore(t, store, copyDB)
			}
			args := readmeArgs(line, keep, s)
			if sub == "optimise" {
				args = append(args, "--time", "1s", "--moves", "2000")
			}
			began := time.Now()
			out, err := run(t, args...)
			t.Logf("%.1fs placeteam %s", time.Since(began).Seconds(), strings.Join(args, " "))
			if err != nil {
				t.Errorf("README: %s\n  ran: placeteam %s\n  error: %v\n%s", line, strings.Join(args, " "), err, out)
			}
			os.Remove(copyDB)
		}
	}
}

// readmeCommands reads the command examples of the "Command line" block.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	return readmeBlock(t, "## Command line")
}

// readmeBlock reads the command examples of the first ```sh block after
// the heading.
func readmeBlock(t *testing.T, heading string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	at := strings.Index(text, heading+"\n")
	if at < 0 {
		t.Fatalf("README.md has no %q section", heading)
	}
	text = text[at:]
	start := strings.Index(text, "```sh\n")
	if start < 0 {
		t.Fatalf("no ```sh block in the %q section", heading)
	}
	text = text[start+len("```sh\n"):]
	text = text[:strings.Index(text, "```")]
	var commands []string
	for _, line := range strings.Split(text, "\n") {
		continued := strings.HasPrefix(line, " ")
		if i := strings.Index(line, "#"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), "\\")) // a shell line continuation
		switch {
		case line == "":
		case continued && len(commands) > 0:
			commands[len(commands)-1] += " " + line
		case strings.HasPrefix(line, "placeteam "):
			commands = append(commands, line)
		}
	}
	return commands
}

var (
	optionalGroup = regexp.MustCompile(`\[([^\]]*)\]`)
	spaces        = regexp.MustCompile(`\s+`)
)

// readmeArgs turns one README command into arguments: optional groups
// stripped (or kept without their brackets), the first of | alternatives,
// and the substitutions (whole tokens, or the path a token starts with).
func readmeArgs(line string, keepOptional bool, subst map[string]string) []string {
	line = optionalGroup.ReplaceAllStringFunc(line, func(g string) string {
		if !keepOptional || strings.Contains(g, "…") {
			return " "
		}
		return " " + g[1:len(g)-1] + " "
	})
	fields := strings.Fields(spaces.ReplaceAllString(line, " "))[1:] // drop "placeteam"
	var args []string
	for _, f := range fields {
		f, _, _ = strings.Cut(f, "|")
		if v, ok := subst[f]; ok {
			f = v
		} else {
			for k, v := range subst {
				if strings.HasPrefix(f, k+":") || strings.HasSuffix(f, ":"+k) {
					f = strings.Replace(f, k, v, 1)
				}
			}
		}
		args = append(args, f)
	}
	return args
}

// storeNames are the placeholder values for a store: NAME, N, TEXT, a
// sites.csv inside the city, a ward for CODE,…, and on the demo store a
// demo ward and practice for the Manchester ones the README names.
func storeNames(t *testing.T, store, baseline, dir string) map[string]string {
	t.Helper()
	ds := loadStore(t, store)
	sites := filepath.Join(dir, "sites.csv")
	var site string
	for _, p := range ds.Practices {
		if p.WardCode != "" {
			site = fmt.Sprintf("readme-site,README test site,%f,%f\n", p.Location[0], p.Location[1])
			break
		}
	}
	if err := os.WriteFile(sites, []byte("id,name,lon,lat\n"+site), 0o644); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{"NAME": "readme-test", "N": "1", "TEXT": "readme", "sites.csv": sites, "CODE,…": ds.Wards[0].Code}
	for _, ext := range []string{"gpkg", "html", "pdf"} { // output files, written in the test's folder
		out["FILE."+ext] = filepath.Join(dir, "readme."+ext)
	}
	if baseline == "manchester-2015" {
		return out
	}
	cfgOut, err := run(t, "config", "show", "--db", store, baseline)
	if err != nil {
		t.Fatal(err)
	}
	// A ward of N3 (moved to C1 as the README moves City Centre) and a
	// practice located in a city ward (fixed as a hub).
	out["E05000697"] = yamlAfter(t, cfgOut, "id: N3", "- ")
	profile, err := run(t, "profile", "--db", store, "--config", baseline, "--team", "N4", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var team struct {
		Teams []struct {
			Practices []struct{ Code string } `json:"practices"`
		} `json:"teams"`
	}
	if err := json.Unmarshal([]byte(profile), &team); err != nil || len(team.Teams) != 1 || len(team.Teams[0].Practices) == 0 {
		t.Fatalf("profile --team N4: %v\n%s", err, profile)
	}
	out["P84004"] = team.Teams[0].Practices[0].Code
	return out
}

// yamlAfter returns the first value after marker that follows prefix.
func yamlAfter(t *testing.T, text, marker, prefix string) string {
	t.Helper()
	_, rest, ok := strings.Cut(text, marker)
	if !ok {
		t.Fatalf("no %q in\n%s", marker, text)
	}
	_, rest, ok = strings.Cut(rest, prefix)
	if !ok {
		t.Fatalf("no %q after %q", prefix, marker)
	}
	v, _, _ := strings.Cut(rest, "\n")
	return strings.TrimSpace(v)
}

// saveDemoOptionB saves a second demo configuration (the first ward of N1
// moved to N2) for the README's option-B commands, and returns its name.
func saveDemoOptionB(t *testing.T, store, dir string) string {
	t.Helper()
	cfgOut, err := run(t, "config", "show", "--db", store, "demo-baseline")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := configuration.Read(strings.NewReader(cfgOut), "shown")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Name, cfg.Title = "demo-option-b", "Demoport option B (README test)"
	north := cfg.Localities[0].Teams
	north[1].Wards = append(north[1].Wards, north[0].Wards[0])
	north[0].Wards = north[0].Wards[1:]
	body, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "option-b.yaml")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(t, "config", "add", "--db", store, file); err != nil {
		t.Fatalf("config add demo option B: %v\n%s\n%s", err, out, body)
	}
	return "demo-option-b"
}

func findCommand(t *testing.T, commands []string, sub string) string {
	t.Helper()
	for _, c := range commands {
		if strings.Fields(c)[1] == sub {
			return c
		}
	}
	t.Fatalf("README has no %q example", sub)
	return ""
}

// copyStore copies an SQLite store (and its WAL, when there is one).
func copyStore(t *testing.T, from, to string) {
	t.Helper()
	for _, suffix := range []string{"", "-wal"} {
		src, err := os.Open(from + suffix)
		if err != nil {
			if suffix != "" && os.IsNotExist(err) {
				continue
			}
			t.Fatal(err)
		}
		dst, err := os.Create(to + suffix)
		if err == nil {
			_, err = io.Copy(dst, src)
			if cerr := dst.Close(); err == nil {
				err = cerr
			}
		}
		src.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
}
