package importer

import (
	"context"
	"github.com/placeteam/placeteam/data/store"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/realdata"
	"github.com/placeteam/placeteam/data/sqlitestore"
)

// manifestPath is the committed manifest of a city, from this package's folder.
func manifestPath(t testing.TB, city string) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot find the test's own folder")
	}
	return filepath.Join(filepath.Dir(file), "..", "manifests", city+".yaml")
}

func importCity(t testing.TB, city string) *Result {
	t.Helper()
	dir := realdata.Dir(t)
	m, err := manifest.ReadFile(manifestPath(t, city))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Options{Manifest: m, DataRoot: dir})
	if err != nil {
		t.Fatalf("import %s: %v", city, err)
	}
	return res
}

// TestManchesterManifest checks the import against totals the source files
// document (shared/data/manchester/SOURCES.md), counted independently of
// placeteam.
func TestManchesterManifest(t *testing.T) {
	res := importCity(t, "manchester")
	s := res.Report.Summary
	if s.Wards != 32 || s.LSOAs != 1296 || s.CityLSOAs != 282 || s.MSOAs != 271 {
		t.Errorf("geography: %d wards, %d LSOAs (%d in the city), %d MSOAs", s.Wards, s.LSOAs, s.CityLSOAs, s.MSOAs)
	}
	if s.Practices.CityCCGCount[dataset.StatusActive] != 87 || s.Practices.InCity[dataset.StatusActive] != 87 {
		t.Errorf("active practices: %d of the city's CCGs, %d inside city wards; want all 87 inside",
			s.Practices.CityCCGCount[dataset.StatusActive], s.Practices.InCity[dataset.StatusActive])
	}
	for _, w := range res.Report.Warnings {
		if w.Kind == "city-practice-outside-city" {
			t.Errorf("city practices outside the city: %+v", w)
		}
	}
	var list2021 *dataset.DatedTotal
	for i := range s.ListSizes {
		if s.ListSizes[i].Date == "2021-01-01" {
			list2021 = &s.ListSizes[i]
		}
	}
	if list2021 == nil || list2021.ByCommissioner["14L"] != 675754 || list2021.CityPatients != 675754 {
		t.Errorf("January 2021 list sizes = %+v; want 675,754 for CCG 14L, all at practices inside the city", list2021)
	}
	if len(s.Registrations) != 1 {
		t.Fatalf("registrations = %+v", s.Registrations)
	}
	reg := s.Registrations[0]
	if reg.Date != "2015-04-01" || reg.Level != dataset.AreaDistrict || reg.CityPractices != 92 || reg.CityPatients != 594958 {
		t.Errorf("April 2015 registrations = %+v; want 594,958 patients at 92 city practices", reg)
	}
	// 2004–2018 wards, by best-fit lookup, and the baseline configuration.
	byMethod := map[dataset.WardMethod]int{}
	for _, l := range res.Dataset.LSOAs {
		byMethod[l.WardMethod]++
	}
	if byMethod[dataset.WardByLookup] != 282 || byMethod[dataset.WardByInteriorPoint] != 0 {
		t.Errorf("LSOA ward methods = %v", byMethod)
	}
	// The baseline first, then option B.
	var names []string
	for _, c := range res.Configurations {
		names = append(names, c.Name)
		if len(c.Teams()) != 12 || len(c.Localities) != 3 {
			t.Errorf("configuration %s: %d teams in %d localities", c.Name, len(c.Teams()), len(c.Localities))
		}
	}
	if got := strings.Join(names, " "); got != "manchester-2015 manchester-2015-b" {
		t.Errorf("configurations = %s", got)
	}
	// Closed practices are kept with their dates.
	closed := 0
	for _, p := range res.Dataset.Practices {
		if p.WardCode != "" && p.Status == dataset.StatusClosed {
			closed++
			if p.Closed.IsZero() {
				t.Errorf("closed practice %s has no close date", p.Code)
			}
		}
	}
	if closed != 8 {
		t.Errorf("closed city practices = %d, want 8", closed)
	}
}

// TestSalfordManifest: a second city from the same files with a new manifest
// and no code change.
func TestSalfordManifest(t *testing.T) {
	res := importCity(t, "salford")
	s := res.Report.Summary
	if s.City.Code != "E08000006" || s.Wards != 20 || s.CityLSOAs != 150 {
		t.Errorf("Salford: city %v, %d wards, %d city LSOAs", s.City, s.Wards, s.CityLSOAs)
	}
	for _, w := range res.Dataset.Wards {
		if w.Code < "E05000000" {
			t.Errorf("odd ward code %q", w.Code)
		}
	}
	if s.Practices.CityCCGCount[dataset.StatusActive] == 0 || s.Practices.CityCCGCount[dataset.StatusActive] != s.Practices.InCity[dataset.StatusActive] {
		t.Errorf("Salford practices: %d active of CCG 01G, %d active inside Salford wards",
			s.Practices.CityCCGCount[dataset.StatusActive], s.Practices.InCity[dataset.StatusActive])
	}
}

func BenchmarkImportManchester(b *testing.B) {
	dir := realdata.Dir(b)
	m, err := manifest.ReadFile(manifestPath(b, "manchester"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), Options{Manifest: m, DataRoot: dir}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestManchesterStoreRoundTrip: import → store → reopen gives back exactly
// the imported dataset and configurations.
func TestManchesterStoreRoundTrip(t *testing.T) {
	res := importCity(t, "manchester")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	st, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ReplaceDataset(ctx, res.Dataset, res.Configurations, store.ImportRecord{Manifest: "manchester.yaml", Report: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, err = sqlitestore.Open(ctx, sqlitestore.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	got, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(res.Dataset, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("dataset changed in the store (-imported +reloaded):\n%s", diff)
	}
	cfg, version, err := st.Configuration(ctx, "manchester-2015")
	if err != nil {
		t.Fatal(err)
	}
	if version != 1 || !reflect.DeepEqual(cfg, res.Configurations[0]) {
		t.Errorf("configuration v%d = %+v", version, cfg)
	}
}

// BenchmarkImportAndStoreManchester: files → dataset → a new SQLite store.
func BenchmarkImportAndStoreManchester(b *testing.B) {
	dir := realdata.Dir(b)
	m, err := manifest.ReadFile(manifestPath(b, "manchester"))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := Run(ctx, Options{Manifest: m, DataRoot: dir})
		if err != nil {
			b.Fatal(err)
		}
		st, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
		if err != nil {
			b.Fatal(err)
		}
		if err := st.ReplaceDataset(ctx, res.Dataset, res.Configurations, store.ImportRecord{Manifest: "bench", Report: []byte(`{}`)}); err != nil {
			b.Fatal(err)
		}
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
