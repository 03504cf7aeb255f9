package realdata

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder is a testing.TB that records Skipf and Fatalf instead of ending
// the test, so Dir's choice between them can be checked.
type recorder struct {
	testing.TB
	skipped, failed string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Skipf(format string, a ...any)  { r.skipped = format }
func (r *recorder) Fatalf(format string, a ...any) { r.failed = format }

func TestDirUsesOverride(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "manchester", "boundaries"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "manchester", "boundaries", "x.geojson"), []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvDataRoot, root)
	t.Setenv("CI", "true")

	if got, want := Dir(t), filepath.Join(root, "manchester"); got != want {
		t.Fatalf("Dir = %q, want %q", got, want)
	}
	if got, want := File(t, "boundaries/x.geojson"), filepath.Join(root, "manchester", "boundaries", "x.geojson"); got != want {
		t.Fatalf("File = %q, want %q", got, want)
	}
}

func TestMissingDataSkipsOrFails(t *testing.T) {
	tests := []struct {
		name     string
		ci       string
		wantSkip bool
	}{
		{"local run skips", "", true},
		{"CI=false skips", "false", true},
		{"CI=true fails", "true", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(EnvDataRoot, t.TempDir()) // no manchester/ inside
			t.Setenv("CI", tt.ci)

			for name, call := range map[string]func(testing.TB) string{
				"Dir":  Dir,
				"File": func(tb testing.TB) string { return File(tb, "boundaries/missing.geojson") },
			} {
				r := &recorder{TB: t}
				if got := call(r); got != "" {
					t.Errorf("%s returned %q for missing data", name, got)
				}
				if skipped := r.skipped != ""; skipped != tt.wantSkip || (r.failed != "") == tt.wantSkip {
					t.Errorf("%s: skipped=%q failed=%q, want skip=%v", name, r.skipped, r.failed, tt.wantSkip)
				}
			}
		})
	}
}

func TestRepoLayout(t *testing.T) {
	t.Setenv(EnvDataRoot, "")
	dir, err := manchesterDir()
	if err != nil {
		t.Fatal(err)
	}
	// From data/realdata the repository root is two levels up.
	want, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "data", "manchester"))
	if err != nil {
		t.Fatal(err)
	}
	if dir != want {
		t.Fatalf("manchesterDir = %q, want %q", dir, want)
	}
	if !strings.HasSuffix(filepath.ToSlash(dir), "shared/data/manchester") {
		t.Fatalf("unexpected layout %q", dir)
	}
}
