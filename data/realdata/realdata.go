// Package realdata finds the shared real data sets (public Manchester
// downloads) for tests and benchmarks in other packages.
//
// The data live outside the repository, at ../shared/data relative to the
// repository root; set PLACETEAM_DATA_ROOT to the folder that contains
// manchester/ to use another copy. When the data are missing, tests are
// skipped, except under CI=true, where a missing data set fails the test so
// that a broken checkout cannot pass silently.
package realdata

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// EnvDataRoot names the environment variable that overrides the data root.
const EnvDataRoot = "PLACETEAM_DATA_ROOT"

// Dir returns the manchester data folder, or skips t (fails it under CI=true)
// when the folder cannot be found.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := manchesterDir()
	if err == nil {
		err = exists(dir, true)
	}
	if err != nil {
		unavailable(t, err)
		return ""
	}
	return dir
}

// File returns the path of rel inside the manchester data folder, for
// example File(t, "boundaries/wards_2004_2018_manchester_wd13.geojson"), or
// skips t (fails it under CI=true) when the file is missing.
func File(t testing.TB, rel string) string {
	t.Helper()
	dir, err := manchesterDir()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	if err == nil {
		err = exists(path, false)
	}
	if err != nil {
		unavailable(t, err)
		return ""
	}
	return path
}

// unavailable skips t, or fails it when running under CI.
func unavailable(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("realdata: %v (CI=true, so missing data is a failure)", err)
		return
	}
	t.Skipf("realdata: %v; skipping (set %s to the folder that contains manchester/)", err, EnvDataRoot)
}

// Manifest returns the path of the repository's shipped manifest
// data/manifests/NAME.yaml, found from the working directory (go test runs
// in the package's folder); it fails t when there is none.
func Manifest(t testing.TB, name string) string {
	t.Helper()
	wd, err := os.Getwd()
	if err == nil {
		var repo string
		if repo, err = repoRoot(wd); err == nil {
			path := filepath.Join(repo, "data", "manifests", name+".yaml")
			if err = exists(path, false); err == nil {
				return path
			}
		}
	}
	t.Fatalf("realdata: manifest %s: %v", name, err)
	return ""
}

// manchesterDir resolves the manchester folder from the environment or the
// repository layout, without checking that it exists.
func manchesterDir() (string, error) {
	if root := os.Getenv(EnvDataRoot); root != "" {
		return filepath.Join(root, "manchester"), nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find data: %w", err)
	}
	repo, err := repoRoot(wd)
	if err != nil {
		return "", err
	}
	return filepath.Join(repo, "..", "shared", "data", "manchester"), nil
}

// repoRoot walks up from dir to the first folder holding go.mod; go test
// runs each package's tests in that package's folder.
func repoRoot(dir string) (string, error) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("find data: no go.mod above the working directory")
		}
		dir = parent
	}
}

func exists(path string, wantDir bool) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("data not available: %w", err)
	}
	if wantDir && !info.IsDir() {
		return fmt.Errorf("data not available: %s is not a folder", path)
	}
	if !wantDir && info.IsDir() {
		return fmt.Errorf("data not available: %s is a folder", path)
	}
	return nil
}
