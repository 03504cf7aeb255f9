package importer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/manifest"
)

// TestManifestPathsStayInsideDataRoot points the population file at places
// outside the data root: each is refused, naming the manifest key and line,
// without echoing the file; links that stay inside still work.
func TestManifestPathsStayInsideDataRoot(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.csv")
	if err := os.WriteFile(secret, []byte("SECRET-CONTENT,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path string
		link       string // when set, create path as a symlink to link
		wantErr    bool
	}{
		{name: "dot-dot", path: "../../etc/passwd", wantErr: true},
		{name: "dot-dot to the secret", path: "../" + filepath.Base(outside) + "/secret.csv", wantErr: true},
		{name: "absolute", path: secret, wantErr: true},
		{name: "symlink out", path: "escape.csv", link: secret, wantErr: true},
		{name: "dangling symlink out", path: "dangle.csv", link: filepath.Join(outside, "missing.csv"), wantErr: true},
		{name: "symlinked folder out", path: "sub/secret.csv", link: outside, wantErr: true},
		{name: "symlink inside", path: "pop-link.csv", link: "population.csv"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			manifestPath := fixture(t, nil)
			dir := filepath.Dir(manifestPath)
			if tc.link != "" {
				linkAt := filepath.Join(dir, tc.path)
				if strings.Contains(tc.path, "/") {
					linkAt = filepath.Join(dir, filepath.Dir(tc.path))
				}
				if err := os.Symlink(tc.link, linkAt); err != nil {
					t.Fatal(err)
				}
			}
			b, err := os.ReadFile(manifestPath)
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Replace(string(b), "path: population.csv", "path: "+tc.path, 1)
			if text == string(b) {
				t.Fatal("fixture manifest has no population path")
			}
			if err := os.WriteFile(manifestPath, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			m, err := manifest.ReadFile(manifestPath)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Run(context.Background(), Options{Manifest: m, DataRoot: dir})
			if !tc.wantErr {
				if err != nil {
					t.Fatalf("link inside the data root refused: %v", err)
				}
				return
			}
			if !errors.Is(err, ErrOutsideDataRoot) {
				t.Fatalf("err = %v, want ErrOutsideDataRoot", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "population") || !strings.Contains(msg, "line 16") {
				t.Errorf("error does not name the manifest key and line: %s", msg)
			}
			if strings.Contains(msg, "SECRET") || strings.Contains(msg, "root:x:") {
				t.Errorf("error echoes file content: %s", msg)
			}
		})
	}
}

// TestManifestRecordsPathLines checks the parser keeps each file's line.
func TestManifestRecordsPathLines(t *testing.T) {
	m, err := manifest.ReadFile("testdata/city/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"wards": 8, "population": 16}
	for _, f := range m.Files {
		if w, ok := want[f.ID]; ok && f.Line != w {
			t.Errorf("%s: line %d, want %d", f.ID, f.Line, w)
		}
	}
}
