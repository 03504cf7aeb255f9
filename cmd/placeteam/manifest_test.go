package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/realdata"
)

var minimalFixture = filepath.Join("..", "..", "data", "importer", "testdata", "minimal")

// copyMinimal copies the minimal city (boundaries, population and
// deprivation only) so a test can break its manifest.
func copyMinimal(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(minimalFixture)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(minimalFixture, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

var minimalGaps = []string{"no-practices", "no-list-sizes", "no-registrations", "no-msoas", "no-catchments", "no-hospital-sites", "no-indicators"}

func TestManifestCheckMinimalCity(t *testing.T) {
	path := filepath.Join(minimalFixture, "manifest.yaml")
	out, err := run(t, "manifest", "check", path)
	if err != nil {
		t.Fatalf("manifest check: %v\n%s", err, out)
	}
	for _, want := range []string{
		"Checked minimal:", "nothing was stored",
		"What the dataset cannot answer:",
		"no GP practices: no registered populations by team",
		"no registrations by area of residence: no flows",
		"no hospital catchments: no catchment shares",
		"Will answer:\n  + resident populations and age bands by ward and team\n  + deprivation",
		"Will not answer:\n  - registered populations by team (no-practices, no-list-sizes)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	out, err = run(t, "manifest", "check", path, "--format", "json")
	if err != nil {
		t.Fatalf("manifest check --format json: %v\n%s", err, out)
	}
	var got manifestCheck
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("json: %v\n%s", err, out)
	}
	var kinds []string
	for _, g := range got.Report.Gaps {
		kinds = append(kinds, g.Kind)
	}
	if !slices.Equal(kinds, minimalGaps) {
		t.Errorf("gaps = %v, want %v", kinds, minimalGaps)
	}
	available := map[string]bool{}
	for _, a := range got.Answers {
		available[a.Figure] = a.Available
	}
	if !available["resident populations and age bands by ward and team"] || available["registered populations by team"] || available["hospital catchment shares"] {
		t.Errorf("answers = %+v", got.Answers)
	}
}

// TestManifestCheckShipped checks the shipped manifests against the real
// data: every file reads and joins.
func TestManifestCheckShipped(t *testing.T) {
	dir := realdata.Dir(t)
	// What each shipped manifest will not answer: nothing (the 2018-ward
	// manifest carries the same indicator and practice-group files).
	for name, unanswered := range map[string][]string{
		"manchester.yaml":      nil,
		"salford.yaml":         nil,
		"manchester-2018.yaml": nil,
	} {
		t.Run(name, func(t *testing.T) {
			out, err := run(t, "manifest", "check", filepath.Join("..", "..", "data", "manifests", name), "--data-root", dir, "--format", "json")
			if err != nil {
				t.Fatalf("manifest check: %v\n%s", err, out)
			}
			var got manifestCheck
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if got.Report.Summary.Wards == 0 || len(got.Report.Files) == 0 {
				t.Errorf("summary = %+v", got.Report.Summary)
			}
			var not []string
			for _, a := range got.Answers {
				if !a.Available {
					not = append(not, a.Figure)
				}
			}
			if !slices.Equal(not, unanswered) {
				t.Errorf("will not answer %q, want %q", not, unanswered)
			}
		})
	}
	out, err := run(t, "manifest", "check", filepath.Join("..", "..", "data", "manifests", "manchester.yaml"), "--data-root", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Checked manchester:", "Wards: 32   LSOAs: 1296 (282 in the city)",
		"registrations by district only, none by LSOA: flows are a gravity estimate",
		"Will not answer:\n  (nothing: every figure has its inputs)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestManifestCheckErrors: a broken manifest fails with the file and line.
func TestManifestCheckErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // manifest edit
		files    map[string]string
		is       error
		want     []string
	}{
		{
			name: "unknown role",
			old:  "  - {id: imd-2019, role: deprivation,", new: "  - {id: imd-2019, role: imd,",
			is: manifest.ErrInvalid, want: []string{"manifest.yaml: invalid manifest: line 17: files[3] (imd-2019): unknown role \"imd\""},
		},
		{
			name: "required column not mapped",
			old:  "rank: IMD Rank, decile: IMD Decile}", new: "rank: IMD Rank}",
			is: manifest.ErrInvalid, want: []string{"line 17: files[3] (imd-2019): no column mapping for \"decile\""},
		},
		{
			name:  "required column not in the file",
			files: map[string]string{"imd2019.csv": "LSOA code (2011),IMD Rank\nE01000001,1\n"},
			want:  []string{"imd2019.csv", "line 1", "IMD Decile"},
		},
		{
			name: "file outside the data root",
			old:  "path: imd2019.csv", new: "path: ../imd2019.csv",
			is: importer.ErrOutsideDataRoot, want: []string{"imd-2019 (", "manifest.yaml line 17)", `"../imd2019.csv"`},
		},
		{
			name:  "missing file",
			files: map[string]string{"imd2019.csv": ""},
			is:    importer.ErrMissingFile, want: []string{"imd2019.csv", "manifest.yaml line 17"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyMinimal(t)
			path := filepath.Join(dir, "manifest.yaml")
			if tt.old != "" {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(string(b), tt.old) {
					t.Fatalf("manifest has no %q", tt.old)
				}
				if err := os.WriteFile(path, []byte(strings.Replace(string(b), tt.old, tt.new, 1)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for name, content := range tt.files {
				var err error
				if content == "" {
					err = os.Remove(filepath.Join(dir, name))
				} else {
					err = os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			out, err := run(t, "manifest", "check", path, "--data-root", dir)
			if err == nil {
				t.Fatalf("no error:\n%s", out)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v is not %v", err, tt.is)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
		})
	}
}

// TestInfoListsWhatIsMissing imports the minimal city and asks info what
// the dataset cannot answer, as text and as JSON.
func TestInfoListsWhatIsMissing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "minimal.db")
	out, err := run(t, "import", "--db", db, "--manifest", filepath.Join(minimalFixture, "manifest.yaml"))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	if !strings.Contains(out, "What the dataset cannot answer:") {
		t.Errorf("import report lacks the gaps:\n%s", out)
	}
	out, err = run(t, "info", "--db", db)
	if err != nil {
		t.Fatalf("info: %v\n%s", err, out)
	}
	for _, want := range []string{
		"What the dataset cannot answer:",
		"no GP practices: no registered populations by team",
		"no practice list sizes and no registrations",
		"no registrations by area of residence: no flows",
		"no hospital catchments: no catchment shares",
		"no indicators: no indicator profiles",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("info lacks %q:\n%s", want, out)
		}
	}
	out, err = run(t, "info", "--db", db, "--format", "json")
	if err != nil {
		t.Fatalf("info --format json: %v\n%s", err, out)
	}
	var got struct {
		Gaps []importer.Gap `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, g := range got.Gaps {
		if g.Missing == "" || g.Cost == "" || len(g.Roles) == 0 {
			t.Errorf("gap %+v lacks what, cost or roles", g)
		}
		kinds = append(kinds, g.Kind)
	}
	if !slices.Equal(kinds, minimalGaps) {
		t.Errorf("info gaps = %v, want %v", kinds, minimalGaps)
	}
}

// TestCheckRegisteredUnknown: on the minimal city (no practices) the
// registered balance is not checked, rather than read as every team at 0.
func TestCheckRegisteredUnknown(t *testing.T) {
	db := filepath.Join(t.TempDir(), "minimal.db")
	if out, err := run(t, "import", "--db", db, "--manifest", filepath.Join(minimalFixture, "manifest.yaml")); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := run(t, "check", "--db", db, "--config", "testcity-baseline")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`registered balance\s+–\s+not checked: \S`).MatchString(out) {
		t.Errorf("check does not say the registered balance cannot be checked:\n%s", out)
	}
	out, err = run(t, "check", "--db", db, "--config", "testcity-baseline", "--format", "json")
	if err != nil {
		t.Fatalf("check --format json: %v\n%s", err, out)
	}
	var r struct {
		Failing    []string          `json:"failing"`
		Unknown    map[string]string `json:"unknown"`
		Registered struct {
			Unknown string `json:"unknown"`
		} `json:"registered_balance"`
		Resident struct {
			Target float64 `json:"target"`
		} `json:"resident_balance"`
		Teams []map[string]any `json:"teams"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if r.Registered.Unknown == "" || r.Unknown["registered_balance"] != r.Registered.Unknown || slices.Contains(r.Failing, "registered_balance") {
		t.Errorf("registered balance unknown %q, report unknown %v, failing %v", r.Registered.Unknown, r.Unknown, r.Failing)
	}
	if r.Resident.Target <= 0 || len(r.Teams) == 0 {
		t.Fatalf("resident target %v over %d teams: the resident balance should still be checked", r.Resident.Target, len(r.Teams))
	}
	for _, team := range r.Teams {
		if v, ok := team["registered_deviation"]; !ok || v != nil {
			t.Errorf("team %v registered_deviation = %v (present %v), want null", team["id"], v, ok)
		}
	}
}

// TestInfoShowsFallbacks: an LSOA's MSOA found by an interior point is
// reported by import and by info.
func TestInfoShowsFallbacks(t *testing.T) {
	dir := copyFixture(t)
	path := filepath.Join(dir, "manifest.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "msoa: msoa11cd, ", "", 1)
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "t.db")
	if out, err := run(t, "import", "--db", db, "--manifest", path); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err := run(t, "info", "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "Fallbacks:\n       5  LSOAs placed in MSOAs by an interior point") {
		t.Errorf("info:\n%s", out)
	}
}
