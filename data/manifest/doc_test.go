package manifest

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// yamlKeys lists the YAML keys of a struct type and of the structs it holds.
func yamlKeys(t reflect.Type, seen map[reflect.Type]bool, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "-" || key == "" {
			continue
		}
		out[key] = true
		yamlKeys(f.Type, seen, out)
	}
}

// TestReferenceDocumentsEveryKey fails when docs/manifest.md falls behind
// the manifest package: every key it accepts (found by reflecting over the
// structs' yaml tags), every role and each role's columns, the where forms
// and the enumerated values must appear in the reference as `code`.
func TestReferenceDocumentsEveryKey(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "manifest.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	keys := map[string]bool{}
	yamlKeys(reflect.TypeOf(Manifest{}), map[reflect.Type]bool{}, keys)
	// Keys of hand-written decoders: Column is a scalar; Condition a
	// mapping; in_city a reserved where key.
	for _, k := range []string{"prefix", "pattern", "values", WhereInCity} {
		keys[k] = true
	}
	for _, r := range knownRoles() {
		keys[r] = true
		for _, c := range append(append([]string{}, roles[Role(r)].required...), roles[Role(r)].optional...) {
			keys[c] = true
		}
		for _, f := range roles[Role(r)].formats {
			keys[string(f)] = true
		}
	}
	for _, v := range append(append([]string{"present", "absent", "auto", "all", "lookup", "district"}, indicatorLevels...), denominatorsFrom...) {
		keys[v] = true
	}
	for _, u := range meanUnits {
		keys[u] = true
	}
	var missing []string
	for k := range keys {
		if !strings.Contains(doc, "`"+k+"`") {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("docs/manifest.md does not document %s", strings.Join(missing, ", "))
	}
	// The struct walk must have found the nested keys, or it tests nothing.
	for _, k := range []string{"name", "city", "code", "files", "date_formats", "count_if", "suppressed_below"} {
		if !keys[k] {
			t.Errorf("reflection missed %q", k)
		}
	}
}

// TestReferenceMinimalManifestIsValid: the reference's minimal manifest is
// the minimal fixture, and it reads.
func TestReferenceMinimalManifestIsValid(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "manifest.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(b), "## A minimal manifest")
	if !ok {
		t.Fatal("no minimal manifest section")
	}
	_, rest, _ = strings.Cut(rest, "```yaml\n")
	body, _, ok := strings.Cut(rest, "```")
	if !ok {
		t.Fatal("no yaml block in the minimal manifest section")
	}
	if _, err := Read(strings.NewReader(body), "docs/manifest.md"); err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile(filepath.Join("..", "importer", "testdata", "minimal", "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(fixture), body) {
		t.Errorf("the reference's minimal manifest is not the fixture's (data/importer/testdata/minimal/manifest.yaml):\n%s", body)
	}
}
