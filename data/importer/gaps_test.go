package importer

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
)

// manifestEdit returns fixture edits that rewrite testdata/city's manifest,
// replacing each old text with its new one (each must occur).
func manifestEdit(t *testing.T, pairs ...string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("testdata/city/manifest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("manifest has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return map[string]string{"manifest.yaml": s}
}

func gapKinds(gaps []Gap) []string {
	var out []string
	for _, g := range gaps {
		out = append(out, g.Kind)
	}
	return out
}

// TestMinimalCity imports a city with only ward and LSOA boundaries,
// population and deprivation: the import succeeds and the report says what
// the dataset cannot answer.
func TestMinimalCity(t *testing.T) {
	path := filepath.Join("testdata", "minimal", "manifest.yaml")
	m, err := manifest.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Manifest: m, DataRoot: filepath.Dir(path)})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	ds := res.Dataset
	if len(ds.Wards) != 2 || len(ds.LSOAs) != 5 || len(ds.Practices) != 0 || len(res.Configurations) != 1 {
		t.Fatalf("%d wards, %d LSOAs, %d practices, %d configurations", len(ds.Wards), len(ds.LSOAs), len(ds.Practices), len(res.Configurations))
	}
	got := gapKinds(res.Report.Gaps)
	want := []string{"no-practices", "no-list-sizes", "no-registrations", "no-msoas", "no-catchments", "no-hospital-sites", "no-indicators"}
	if !slices.Equal(got, want) {
		t.Errorf("gaps = %v, want %v", got, want)
	}
	var buf bytes.Buffer
	if err := res.Report.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"What the dataset cannot answer:",
		"no GP practices: no registered populations by team",
		"no registrations by area of residence: no flows",
		"no hospital catchments: no catchment shares",
		"no indicators: no indicator profiles",
	} {
		if !strings.Contains(buf.String(), s) {
			t.Errorf("report lacks %q:\n%s", s, buf.String())
		}
	}
}

func TestGapsOfTheFullFixture(t *testing.T) {
	res, err := runFixture(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The test city has everything but LSOA registrations and indicators.
	if got, want := gapKinds(res.Report.Gaps), []string{"no-lsoa-registrations", "no-indicators", "no-practice-groups"}; !slices.Equal(got, want) {
		t.Errorf("gaps = %v, want %v", got, want)
	}
}

func TestGapNoPracticeLocations(t *testing.T) {
	res, err := runFixture(t, manifestEdit(t,
		"  - {id: postcodes, role: postcodes, path: postcodes.csv, columns: {postcode: postcode, lat: lat, lon: long}}\n", ""))
	if err != nil {
		t.Fatal(err)
	}
	if got := gapKinds(res.Report.Gaps); !slices.Contains(got, "no-practice-locations") {
		t.Errorf("gaps = %v, want no-practice-locations", got)
	}
	// The warning says there is no postcode file, not that postcodes were
	// not found in one.
	found := false
	for _, w := range res.Report.Warnings {
		if w.Kind == "practice-not-located" {
			found = true
			if !strings.Contains(w.Message, "no postcode file") || strings.Contains(w.Message, "not found") {
				t.Errorf("practice-not-located: %q", w.Message)
			}
		}
	}
	if !found {
		t.Errorf("no practice-not-located warning in %+v", res.Report.Warnings)
	}
}

// TestMSOAByInteriorPoint: with no LSOA→MSOA lookup, each LSOA takes the
// MSOA holding its interior point, and the report says so.
func TestMSOAByInteriorPoint(t *testing.T) {
	for name, edit := range map[string][]string{
		"no area lookup":      {"  - {id: area-lookup, role: area-lookup, path: area_lookup.csv, columns: {lsoa: lsoa11cd, msoa: msoa11cd, district: lad11cd, district_name: lad11nm}}\n", ""},
		"lookup with no msoa": {"columns: {lsoa: lsoa11cd, msoa: msoa11cd, district:", "columns: {lsoa: lsoa11cd, district:"},
	} {
		t.Run(name, func(t *testing.T) {
			res, err := runFixture(t, manifestEdit(t, edit...))
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{"E01000001": "E02000001", "E01000002": "E02000001", "E01000003": "E02000002", "E01000004": "E02000002", "E01000005": "E02000003"}
			for _, l := range res.Dataset.LSOAs {
				if l.MSOACode != want[l.Code] {
					t.Errorf("%s in MSOA %q, want %s", l.Code, l.MSOACode, want[l.Code])
				}
			}
			fb := res.Report.Fallbacks
			if len(fb) != 1 || fb[0].Kind != "lsoa-msoa-interior-point" || fb[0].Count != 5 {
				t.Fatalf("fallbacks = %+v", fb)
			}
			for _, w := range res.Report.Warnings {
				if w.Kind == "lsoa-no-msoa" {
					t.Errorf("warning %+v after the fallback", w)
				}
			}
			var buf bytes.Buffer
			if err := res.Report.WriteText(&buf); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(buf.String(), "Fallbacks:\n       5  LSOAs placed in MSOAs by an interior point") {
				t.Errorf("report:\n%s", buf.String())
			}
		})
	}
	// With the lookup, no fallback.
	res, err := runFixture(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Report.Fallbacks) != 0 {
		t.Errorf("fallbacks with a lookup: %+v", res.Report.Fallbacks)
	}
}

func practiceCodes(ds *dataset.Dataset) []string {
	var out []string
	for _, p := range ds.Practices {
		out = append(out, p.Code)
	}
	return out
}

func practicesReport(t *testing.T, r *Report) *FileReport {
	t.Helper()
	for _, f := range r.Files {
		if f.Role == "practices" {
			return f
		}
	}
	t.Fatal("no practices file in the report")
	return nil
}

func TestWherePrefixAndInCity(t *testing.T) {
	const practices = `where: {prescribing_setting: "4"}`
	tests := []struct {
		name, where string
		want        []string
	}{
		{"exact, as before", practices, []string{"T00001", "T00002", "T00003", "T00004"}},
		{"postcode prefix", `where: {prescribing_setting: "4", postcode: {prefix: "TC1 "}}`, []string{"T00001"}},
		{"postcode prefixes", `where: {postcode: {prefix: [tc1, TC2]}}`, []string{"T00001", "T00002", "X00001"}},
		{"pattern", `where: {postcode: {pattern: "TC? *"}}`, []string{"T00001", "T00002", "X00001"}},
		{"commissioner", `where: {commissioner: 99X}`, []string{"T00001", "T00002", "T00004", "X00001"}},
		// T00003 and T00004 are not located in a city ward.
		{"in city", `where: {prescribing_setting: "4", in_city: true}`, []string{"T00001", "T00002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := runFixture(t, manifestEdit(t, practices, tt.where))
			if err != nil {
				t.Fatal(err)
			}
			if got := practiceCodes(res.Dataset); !slices.Equal(got, tt.want) {
				t.Errorf("practices = %v, want %v", got, tt.want)
			}
			fr := practicesReport(t, res.Report)
			if fr.Records != len(tt.want) || fr.Skipped != 5-len(tt.want) {
				t.Errorf("report: %d records, %d filtered", fr.Records, fr.Skipped)
			}
			for _, s := range res.Dataset.Sources {
				if s.ID == "practices" && s.Records != len(tt.want) {
					t.Errorf("source records = %d", s.Records)
				}
			}
		})
	}
}
