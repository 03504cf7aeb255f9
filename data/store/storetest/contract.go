// Package storetest is the contract every placeteam store backend must
// pass: configuration versions and their history, conditional saves and
// deletes (If-Match) under concurrency, refusal of configurations that do
// not fit the wards, scenarios, and dataset replacement that stores all or
// nothing. A backend's own test calls Run with a function that opens a
// fresh, empty store.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
)

// Backend is every method the contract exercises.
type Backend interface {
	HasDataset(ctx context.Context) (bool, error)
	Dataset(ctx context.Context) (*dataset.Dataset, error)
	ReplaceDataset(ctx context.Context, d *dataset.Dataset, configs []*configuration.Configuration, record store.ImportRecord) error
	Imports(ctx context.Context) ([]store.ImportRecord, error)

	Configurations(ctx context.Context) ([]store.ConfigurationInfo, error)
	Configuration(ctx context.Context, name string) (*configuration.Configuration, int, error)
	ConfigurationVersion(ctx context.Context, name string, version int) (*configuration.Configuration, store.VersionMeta, error)
	ConfigurationHistory(ctx context.Context, name string) ([]store.VersionInfo, error)
	SaveConfigurationIf(ctx context.Context, c *configuration.Configuration, meta store.VersionMeta, expect int) (int, error)
	DeleteConfigurationIf(ctx context.Context, name string, expect int) error
	DeleteConfigurationBy(ctx context.Context, name string, expect int, by string) error
	DeletedConfigurations(ctx context.Context) ([]store.DeletedConfiguration, error)
	RestoreConfiguration(ctx context.Context, name string) (int, error)

	SaveScenario(ctx context.Context, name, configuration string, body json.RawMessage) error
	Scenario(ctx context.Context, name string) (json.RawMessage, error)
	Scenarios(ctx context.Context) ([]store.ScenarioInfo, error)

	CreateToken(ctx context.Context, t store.Token) error
	TokenByHash(ctx context.Context, hash string) (store.Token, error)
	Tokens(ctx context.Context) ([]store.Token, error)
	RevokeToken(ctx context.Context, name string, at time.Time) error
	RecordAudit(ctx context.Context, e store.AuditEntry) error
	Audit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error)
}

// Open opens a fresh, empty store for one test (closing it at cleanup).
type Open func(t *testing.T) Backend

// Run runs the whole contract, each part as a subtest on its own store.
func Run(t *testing.T, open Open) {
	tests := []struct {
		name string
		run  func(t *testing.T, open Open)
	}{
		{"EmptyStore", testEmptyStore},
		{"RoundTrip", testRoundTrip},
		{"ReplaceDatasetReplaces", testReplaceDatasetReplaces},
		{"ReplaceDatasetRejects", testReplaceDatasetRejects},
		{"ConfigurationVersions", testConfigurationVersions},
		{"ZeroTimeIsNow", testZeroTimeIsNow},
		{"NotFound", testNotFound},
		{"SaveRejects", testSaveRejects},
		{"ConcurrentSaves", testConcurrentSaves},
		{"ConditionalSaves", testConditionalSaves},
		{"OneWinnerPerExpectation", testOneWinner},
		{"VersionsNeverReused", testVersionsNeverReused},
		{"Scenarios", testScenarios},
		{"Tokens", testTokens},
		{"DeleteKeepsHistory", testDeleteKeepsHistory},
		{"Audit", testAudit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, open) })
	}
}

// DeepEqual fails the test unless got and want are reflect.DeepEqual (which,
// unlike cmp, also tells apart time zones and nil from empty slices).
func DeepEqual(t testing.TB, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		diff := cmp.Diff(want, got)
		if diff == "" {
			diff = "(cmp sees no difference: a time zone or a nil-versus-empty slice differs)"
		}
		t.Fatalf("%s differs (-want +got):\n%s", what, diff)
	}
}

// withDataset opens a store holding Dataset and configuration "a"
// (version 1, imported at the returned time).
func withDataset(t *testing.T, open Open) (Backend, time.Time) {
	t.Helper()
	s := open(t)
	importedAt := time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)
	if err := s.ReplaceDataset(context.Background(), Dataset(), []*configuration.Configuration{Configuration("a")},
		Record("m", importedAt)); err != nil {
		t.Fatal(err)
	}
	return s, importedAt
}

func save(ctx context.Context, s Backend, c *configuration.Configuration, meta store.VersionMeta) (int, error) {
	return s.SaveConfigurationIf(ctx, c, meta, store.AnyVersion)
}

func testEmptyStore(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	if ok, err := s.HasDataset(ctx); err != nil || ok {
		t.Errorf("HasDataset = %v, %v; want false, nil", ok, err)
	}
	if _, err := s.Dataset(ctx); !errors.Is(err, store.ErrNoDataset) {
		t.Errorf("Dataset error = %v, want store.ErrNoDataset", err)
	}
	if _, err := save(ctx, s, Configuration("a"), store.VersionMeta{Author: "me"}); !errors.Is(err, store.ErrNoDataset) {
		t.Errorf("SaveConfiguration error = %v, want store.ErrNoDataset", err)
	}
	if got, err := s.Imports(ctx); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Imports = %#v, %v; want an empty list", got, err)
	}
	if got, err := s.Configurations(ctx); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Configurations = %#v, %v; want an empty list", got, err)
	}
	if got, err := s.Scenarios(ctx); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Scenarios = %#v, %v; want an empty list", got, err)
	}
}

func testRoundTrip(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	want := Dataset()
	if err := want.Validate(); err != nil {
		t.Fatalf("fixture is invalid: %v", err)
	}
	// A non-UTC time stores as the same instant and loads in UTC.
	record := Record("manifest.yaml", time.Date(2024, time.May, 6, 9, 30, 1, 5000, time.FixedZone("BST", 3600)))
	if err := s.ReplaceDataset(ctx, want, []*configuration.Configuration{Configuration("a"), Configuration("b")}, record); err != nil {
		t.Fatalf("ReplaceDataset: %v", err)
	}
	if ok, err := s.HasDataset(ctx); err != nil || !ok {
		t.Fatalf("HasDataset = %v, %v; want true, nil", ok, err)
	}
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatalf("Dataset: %v", err)
	}
	DeepEqual(t, "dataset", got, want)
	if got.Practices[0].Opened.Location() != time.UTC {
		t.Errorf("loaded time is in %v, want UTC", got.Practices[0].Opened.Location())
	}
	for _, name := range []string{"a", "b"} {
		c, version, err := s.Configuration(ctx, name)
		if err != nil {
			t.Fatalf("Configuration(%q): %v", name, err)
		}
		if version != 1 {
			t.Errorf("Configuration(%q) version = %d, want 1", name, version)
		}
		DeepEqual(t, "configuration "+name, c, Configuration(name))
	}
	imports, err := s.Imports(ctx)
	if err != nil {
		t.Fatalf("Imports: %v", err)
	}
	wantRecord := record
	wantRecord.ImportedAt = record.ImportedAt.UTC()
	if len(imports) != 1 {
		t.Fatalf("imports = %+v, want one", imports)
	}
	// JSON reports may come back re-serialised: compare them as values.
	if !jsonEqual(imports[0].Report, wantRecord.Report) {
		t.Errorf("report = %s, want %s", imports[0].Report, wantRecord.Report)
	}
	imports[0].Report = wantRecord.Report
	DeepEqual(t, "imports", imports, []store.ImportRecord{wantRecord})
}

func jsonEqual(a, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func testReplaceDatasetReplaces(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	if err := s.ReplaceDataset(ctx, Dataset(), []*configuration.Configuration{Configuration("old")}, Record("one", time.Unix(1, 0))); err != nil {
		t.Fatal(err)
	}
	if _, err := save(ctx, s, Configuration("old"), store.VersionMeta{Author: "me"}); err != nil {
		t.Fatal(err)
	}
	second := SyntheticDataset(45, 8, 30)
	if err := s.ReplaceDataset(ctx, second, nil, store.ImportRecord{Manifest: "two", ImportedAt: time.Unix(2, 0)}); err != nil {
		t.Fatalf("ReplaceDataset: %v", err)
	}
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	DeepEqual(t, "dataset", got, second)
	if _, _, err := s.Configuration(ctx, "old"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("configuration of the replaced dataset: error = %v, want store.ErrNotFound", err)
	}
	if _, _, err := s.ConfigurationVersion(ctx, "old", 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old version of the replaced dataset: error = %v, want store.ErrNotFound", err)
	}
	imports, err := s.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != 2 || imports[0].Manifest != "one" || imports[1].Manifest != "two" {
		t.Errorf("Imports = %+v, want one then two", imports)
	}
	if imports[1].Report != nil {
		t.Errorf("nil report came back as %q", imports[1].Report)
	}
}

// testReplaceDatasetRejects: a failed replace stores nothing and leaves the
// previous dataset, configurations and import history untouched.
func testReplaceDatasetRejects(t *testing.T, open Open) {
	tests := []struct {
		name    string
		modify  func(d *dataset.Dataset, configs []*configuration.Configuration) []*configuration.Configuration
		record  store.ImportRecord
		ctx     func() context.Context
		wantErr error
	}{
		{"valid (guards the others: each fails for its own reason)", nil, store.ImportRecord{}, nil, nil},
		{name: "duplicate ward code", modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
			d.Wards[1].Code = d.Wards[0].Code
			return c
		}, wantErr: dataset.ErrInvalid},
		{name: "LSOA in unknown ward", modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
			d.LSOAs[0].WardCode = "E05099999"
			return c
		}, wantErr: dataset.ErrInvalid},
		{name: "configuration names unknown ward", modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
			c[0].Localities[0].Teams[0].Wards = append(c[0].Localities[0].Teams[0].Wards, "E05099999")
			return c
		}, wantErr: configuration.ErrInvalid},
		{name: "ward in two teams", modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
			c[0].Localities[1].Teams[0].Wards = append(c[0].Localities[1].Teams[0].Wards, "E05011359")
			return c
		}, wantErr: configuration.ErrInvalid},
		{name: "two configurations of one name", modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
			return append(c, Configuration(c[0].Name))
		}, wantErr: configuration.ErrInvalid},
		{name: "nil configuration", modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
			return append(c, nil)
		}},
		{name: "report is not JSON", record: store.ImportRecord{Manifest: "new", Report: json.RawMessage(`{"oops"`)}},
		{name: "cancelled context", ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, wantErr: context.Canceled},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := open(t)
			beforeRecord := Record("before", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
			if err := s.ReplaceDataset(ctx, Dataset(), []*configuration.Configuration{Configuration("kept")}, beforeRecord); err != nil {
				t.Fatal(err)
			}
			next := ReplacementDataset()
			configs := []*configuration.Configuration{Configuration("new")}
			if tt.modify != nil {
				configs = tt.modify(next, configs)
			}
			record := tt.record
			if record.Manifest == "" {
				record = store.ImportRecord{Manifest: "new"}
			}
			replaceCtx := ctx
			if tt.ctx != nil {
				replaceCtx = tt.ctx()
			}
			err := s.ReplaceDataset(replaceCtx, next, configs, record)
			if i == 0 {
				if err != nil {
					t.Fatalf("valid replacement: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("ReplaceDataset succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want one wrapping %v", err, tt.wantErr)
			}
			AssertUnchanged(t, s, beforeRecord)
		})
	}
}

// AssertUnchanged checks that s still holds Dataset with only configuration
// "kept" at version 1 and the one import record: what a failed replacement
// must leave.
func AssertUnchanged(t *testing.T, s Backend, beforeRecord store.ImportRecord) {
	t.Helper()
	ctx := context.Background()
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	DeepEqual(t, "dataset after failed replace", got, Dataset())
	infos, err := s.Configurations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 || infos[0].Name != "kept" || infos[0].Version != 1 {
		t.Errorf("configurations after failed replace = %+v, want only kept v1", infos)
	}
	imports, err := s.Imports(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) != 1 || imports[0].Manifest != beforeRecord.Manifest || !imports[0].ImportedAt.Equal(beforeRecord.ImportedAt) {
		t.Errorf("imports after failed replace = %+v, want only %q", imports, beforeRecord.Manifest)
	}
}

// ReplacementDataset is a valid dataset, different from Dataset, over the
// same wards, so that Configuration fits it.
func ReplacementDataset() *dataset.Dataset {
	d := SyntheticDataset(80, 8, 50)
	d.Wards = Dataset().Wards
	for i := range d.Wards {
		d.Wards[i].Source = "s"
	}
	for i := range d.LSOAs {
		d.LSOAs[i].WardCode = d.Wards[i%len(d.Wards)].Code
	}
	return d
}

func testConfigurationVersions(t *testing.T, open Open) {
	ctx := context.Background()
	s, importedAt := withDataset(t, open)
	// Version 2 moves ward E05011360 to the south; version 3 retitles it.
	v2 := Configuration("a")
	v2.Localities[0].Teams = v2.Localities[0].Teams[:1]
	v2.Localities[1].Teams = append(v2.Localities[1].Teams, configuration.Team{ID: "s2", Name: "South 2", Wards: []string{"E05011360"}})
	v3 := Configuration("a")
	v3.Title = "Third time lucky"
	saves := []struct {
		c    *configuration.Configuration
		meta store.VersionMeta
	}{
		{v2, store.VersionMeta{Author: "alice", Note: "move Ardwick", At: time.Date(2024, time.April, 1, 9, 0, 0, 0, time.UTC)}},
		{v3, store.VersionMeta{Author: "bob", Note: "retitle", At: time.Date(2024, time.April, 2, 9, 0, 0, 0, time.FixedZone("CEST", 7200))}},
	}
	for i, sv := range saves {
		version, err := save(ctx, s, sv.c, sv.meta)
		if err != nil {
			t.Fatalf("SaveConfiguration: %v", err)
		}
		if version != i+2 {
			t.Errorf("saved version %d, want %d", version, i+2)
		}
	}
	latest, version, err := s.Configuration(ctx, "a")
	if err != nil || version != 3 {
		t.Fatalf("Configuration = version %d, %v; want 3", version, err)
	}
	DeepEqual(t, "latest", latest, v3)
	tests := []struct {
		version int
		want    *configuration.Configuration
		meta    store.VersionMeta
	}{
		{1, Configuration("a"), store.VersionMeta{Author: "import", Note: "imported with dataset testcity", At: importedAt}},
		{2, v2, saves[0].meta},
		{3, v3, store.VersionMeta{Author: "bob", Note: "retitle", At: saves[1].meta.At.UTC()}},
	}
	var history []store.VersionInfo
	for _, tt := range tests {
		c, meta, err := s.ConfigurationVersion(ctx, "a", tt.version)
		if err != nil {
			t.Fatalf("ConfigurationVersion(%d): %v", tt.version, err)
		}
		DeepEqual(t, "configuration", c, tt.want)
		DeepEqual(t, "meta", meta, tt.meta)
		history = append(history, store.VersionInfo{Version: tt.version, VersionMeta: tt.meta})
	}
	gotHistory, err := s.ConfigurationHistory(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	DeepEqual(t, "history", gotHistory, history)
	if _, err := save(ctx, s, Configuration("b"), store.VersionMeta{Author: "carol", At: importedAt}); err != nil {
		t.Fatal(err)
	}
	infos, err := s.Configurations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	DeepEqual(t, "configurations", infos, []store.ConfigurationInfo{
		{Name: "a", Title: "Third time lucky", Version: 3, UpdatedAt: saves[1].meta.At.UTC(), Teams: 3, Localities: 2},
		{Name: "b", Title: "Test b", Version: 1, UpdatedAt: importedAt, Teams: 3, Localities: 2},
	})
	if err := s.DeleteConfigurationIf(ctx, "a", store.AnyVersion); err != nil {
		t.Fatalf("DeleteConfiguration: %v", err)
	}
	if _, _, err := s.ConfigurationVersion(ctx, "a", 2); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("version of a deleted configuration: error = %v, want ErrNotFound", err)
	}
	// A name saved again after deletion continues its numbering (3 were
	// saved), so no old ETag can match the new configuration.
	if version, err := save(ctx, s, Configuration("a"), store.VersionMeta{}); err != nil || version != 4 {
		t.Errorf("save after delete = version %d, %v; want 4", version, err)
	}
}

func testZeroTimeIsNow(t *testing.T, open Open) {
	s, _ := withDataset(t, open)
	before := time.Now()
	if _, err := save(context.Background(), s, Configuration("a"), store.VersionMeta{}); err != nil {
		t.Fatal(err)
	}
	_, meta, err := s.ConfigurationVersion(context.Background(), "a", 2)
	if err != nil {
		t.Fatal(err)
	}
	if meta.At.Before(before.Add(-time.Second)) || meta.At.After(time.Now().Add(time.Second)) {
		t.Errorf("zero At stored as %v, want about now", meta.At)
	}
}

func testNotFound(t *testing.T, open Open) {
	ctx := context.Background()
	s, _ := withDataset(t, open)
	tests := []struct {
		name string
		call func() error
	}{
		{"Configuration", func() error { _, _, err := s.Configuration(ctx, "nope"); return err }},
		{"ConfigurationVersion of unknown name", func() error { _, _, err := s.ConfigurationVersion(ctx, "nope", 1); return err }},
		{"ConfigurationVersion of unknown version", func() error { _, _, err := s.ConfigurationVersion(ctx, "a", 2); return err }},
		{"ConfigurationHistory", func() error { _, err := s.ConfigurationHistory(ctx, "nope"); return err }},
		{"DeleteConfiguration", func() error { return s.DeleteConfigurationIf(ctx, "nope", store.AnyVersion) }},
		{"DeleteConfiguration with a version", func() error { return s.DeleteConfigurationIf(ctx, "nope", 1) }},
		{"Scenario", func() error { _, err := s.Scenario(ctx, "nope"); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("error = %v, want one wrapping store.ErrNotFound", err)
			}
		})
	}
}

func testSaveRejects(t *testing.T, open Open) {
	tests := []struct {
		name   string
		modify func(c *configuration.Configuration)
	}{
		{"unknown ward", func(c *configuration.Configuration) {
			c.Localities[0].Teams[0].Wards = append(c.Localities[0].Teams[0].Wards, "E05099999")
		}},
		{"ward in two teams", func(c *configuration.Configuration) {
			c.Localities[1].Teams[0].Wards = append(c.Localities[1].Teams[0].Wards, "E05011359")
		}},
		{"ward in no team", func(c *configuration.Configuration) { c.Localities[1].Teams[0].Wards = nil }},
		{"no name", func(c *configuration.Configuration) { c.Name = "" }},
	}
	for _, tt := range tests {
		for _, name := range []string{"a", "fresh"} { // an existing and a new name
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				ctx := context.Background()
				s, _ := withDataset(t, open)
				c := Configuration(name)
				tt.modify(c)
				for _, expect := range []int{store.AnyVersion, store.NoVersion, 1} {
					if _, err := s.SaveConfigurationIf(ctx, c, store.VersionMeta{Author: "x"}, expect); !errors.Is(err, configuration.ErrInvalid) {
						t.Fatalf("expect %d: error = %v, want one wrapping configuration.ErrInvalid", expect, err)
					}
				}
				infos, err := s.Configurations(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(infos) != 1 || infos[0].Name != "a" || infos[0].Version != 1 {
					t.Errorf("configurations after rejected save = %+v, want only a v1", infos)
				}
			})
		}
	}
}

// testConcurrentSaves: unconditional writers queue instead of failing or
// handing out one version twice; readers run alongside.
func testConcurrentSaves(t *testing.T, open Open) {
	ctx := context.Background()
	s, _ := withDataset(t, open)
	const writers = 8
	versions := make([]int, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			versions[i], errs[i] = save(ctx, s, Configuration("a"), store.VersionMeta{Author: "w"})
		})
	}
	for range writers {
		wg.Go(func() {
			if _, err := s.Dataset(ctx); err != nil {
				t.Errorf("Dataset during saves: %v", err)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatalf("SaveConfiguration: %v", err)
		}
	}
	sort.Ints(versions)
	for i, v := range versions {
		if v != i+2 {
			t.Fatalf("versions = %v, want 2…%d once each", versions, writers+1)
		}
	}
}

func testConditionalSaves(t *testing.T, open Open) {
	ctx := context.Background()
	s, _ := withDataset(t, open)
	c := Configuration("a")
	changes := json.RawMessage(`[{"ward":"W1","to":"T2"}]`)
	if v, err := s.SaveConfigurationIf(ctx, c, store.VersionMeta{Author: "ann", Changes: changes}, 1); err != nil || v != 2 {
		t.Fatalf("save on the expected version: %d, %v", v, err)
	}
	if _, err := s.SaveConfigurationIf(ctx, c, store.VersionMeta{Author: "bob"}, 1); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale save: %v, want store.ErrConflict", err)
	}
	if _, err := s.SaveConfigurationIf(ctx, c, store.VersionMeta{}, store.NoVersion); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("create over an existing name: %v", err)
	}
	if v, err := s.SaveConfigurationIf(ctx, Configuration("new"), store.VersionMeta{}, store.NoVersion); err != nil || v != 1 {
		t.Fatalf("create a new name: %d, %v", v, err)
	}
	_, meta, err := s.ConfigurationVersion(ctx, c.Name, 2)
	if err != nil || meta.Author != "ann" || !jsonEqual(meta.Changes, changes) {
		t.Fatalf("version 2 meta = %+v, %v", meta, err)
	}
	hist, err := s.ConfigurationHistory(ctx, c.Name)
	if err != nil || len(hist) != 2 || !jsonEqual(hist[1].Changes, changes) || hist[0].Changes != nil {
		t.Fatalf("history = %+v, %v", hist, err)
	}
}

// testOneWinner: 50 writers that all expect version 1 (one If-Match) race;
// exactly one saves version 2 and every other gets ErrConflict. The same
// for deletes racing saves.
func testOneWinner(t *testing.T, open Open) {
	ctx := context.Background()
	s, _ := withDataset(t, open)
	const writers = 50
	errs := make([]error, writers)
	versions := make([]int, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			c := Configuration("a")
			c.Title = "writer"
			versions[i], errs[i] = s.SaveConfigurationIf(ctx, c, store.VersionMeta{Author: "w"}, 1)
		})
	}
	wg.Wait()
	won := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won++
			if versions[i] != 2 {
				t.Errorf("winner saved version %d, want 2", versions[i])
			}
		case !errors.Is(err, store.ErrConflict):
			t.Errorf("loser: %v, want store.ErrConflict", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d writers won, want exactly 1", won)
	}
	if _, v, err := s.Configuration(ctx, "a"); err != nil || v != 2 {
		t.Fatalf("latest = %d, %v; want 2", v, err)
	}
	// Half delete, half save, all expecting version 2: one wins.
	for i := range writers {
		wg.Go(func() {
			if i%2 == 0 {
				errs[i] = s.DeleteConfigurationIf(ctx, "a", 2)
				return
			}
			_, errs[i] = s.SaveConfigurationIf(ctx, Configuration("a"), store.VersionMeta{}, 2)
		})
	}
	wg.Wait()
	won = 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if !errors.Is(err, store.ErrConflict) && !errors.Is(err, store.ErrNotFound) {
			t.Errorf("loser: %v, want a conflict or not found", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d of the deletes and saves won, want exactly 1", won)
	}
}

func testVersionsNeverReused(t *testing.T, open Open) {
	ctx := context.Background()
	s, _ := withDataset(t, open)
	if err := s.DeleteConfigurationIf(ctx, "a", 7); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale delete: %v", err)
	}
	if err := s.DeleteConfigurationIf(ctx, "a", 1); err != nil {
		t.Fatal(err)
	}
	v, err := s.SaveConfigurationIf(ctx, Configuration("a"), store.VersionMeta{}, store.NoVersion)
	if err != nil || v != 2 {
		t.Fatalf("recreated as version %d, %v; want 2", v, err)
	}
}

func testScenarios(t *testing.T, open Open) {
	ctx := context.Background()
	s, _ := withDataset(t, open)
	if err := s.SaveScenario(ctx, "hubs-a", "a", json.RawMessage(`{"hubs":[1]}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveScenario(ctx, "hubs-a", "a", json.RawMessage(`{"hubs": [2], "name": "x"}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveScenario(ctx, "bad", "a", json.RawMessage(`{`)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("invalid JSON: %v, want store.ErrInvalid", err)
	}
	if err := s.SaveScenario(ctx, "", "a", json.RawMessage(`{}`)); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no name: %v, want store.ErrInvalid", err)
	}
	body, err := s.Scenario(ctx, "hubs-a")
	if err != nil || !jsonEqual(body, json.RawMessage(`{"hubs":[2],"name":"x"}`)) {
		t.Fatalf("Scenario = %s, %v", body, err)
	}
	list, err := s.Scenarios(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "hubs-a" || list[0].Configuration != "a" || list[0].CreatedAt.IsZero() {
		t.Errorf("Scenarios = %+v, %v", list, err)
	}
}

// testTokens: tokens round-trip without their secret, names are unique,
// revocation is kept (the first time), unknown ones are not found.
func testTokens(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	if list, err := s.Tokens(ctx); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("Tokens on an empty store = %v, %v; want an empty list", list, err)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)
	expires := at.Add(90 * 24 * time.Hour)
	a := store.Token{Name: "ci", Role: store.RoleEditor, Hash: store.TokenHash("secret-a"), CreatedAt: at, CreatedBy: "admin", ExpiresAt: &expires}
	b := store.Token{Name: "ann", Role: store.RoleViewer, Hash: store.TokenHash("secret-b"), CreatedAt: at, CreatedBy: "local"}
	for _, tok := range []store.Token{a, b} {
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatalf("CreateToken %s: %v", tok.Name, err)
		}
	}
	if err := s.CreateToken(ctx, store.Token{Name: "ci", Role: store.RoleAdmin, Hash: store.TokenHash("other"), CreatedAt: at}); !errors.Is(err, store.ErrConflict) {
		t.Errorf("a second token named ci: %v, want ErrConflict", err)
	}
	for _, bad := range []store.Token{{Name: "", Role: store.RoleViewer, Hash: store.TokenHash("x")}, {Name: "x", Role: "root", Hash: store.TokenHash("x")}, {Name: "x", Role: store.RoleViewer, Hash: "short"}} {
		if err := s.CreateToken(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("CreateToken %+v: %v, want ErrInvalid", bad, err)
		}
	}
	got, err := s.TokenByHash(ctx, store.TokenHash("secret-a"))
	if err != nil {
		t.Fatal(err)
	}
	DeepEqual(t, "token", got, a)
	if _, err := s.TokenByHash(ctx, store.TokenHash("nobody")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TokenByHash of an unknown secret: %v, want ErrNotFound", err)
	}
	list, err := s.Tokens(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "ann" || list[1].Name != "ci" {
		t.Fatalf("Tokens = %+v, %v", list, err)
	}
	revoked := at.Add(time.Hour)
	if err := s.RevokeToken(ctx, "ci", revoked); err != nil {
		t.Fatal(err)
	}
	if err := s.RevokeToken(ctx, "ci", revoked.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err = s.TokenByHash(ctx, store.TokenHash("secret-a"))
	if err != nil || got.RevokedAt == nil || !got.RevokedAt.Equal(revoked) || got.Active(revoked.Add(time.Second)) {
		t.Errorf("revoked token %+v, %v", got, err)
	}
	if !b.Active(at) || a.Active(expires.Add(time.Second)) {
		t.Errorf("Active ignores expiry")
	}
	if err := s.RevokeToken(ctx, "nobody", revoked); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeToken unknown: %v", err)
	}
}

// testAudit: entries come back newest first, pageable, filtered by
// target, details intact.
func testAudit(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	if list, err := s.Audit(ctx, store.AuditQuery{}); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("Audit on an empty store = %v, %v", list, err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i := 0; i < 5; i++ {
		target := "a"
		if i%2 == 1 {
			target = "b"
		}
		e := store.AuditEntry{At: at.Add(time.Duration(i) * time.Minute), Who: "ann", Role: store.RoleEditor, From: "127.0.0.1",
			Action: "configuration.move", Target: target, Detail: json.RawMessage(`{"version": 2}`)}
		if err := s.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	all, err := s.Audit(ctx, store.AuditQuery{})
	if err != nil || len(all) != 5 {
		t.Fatalf("Audit = %d entries, %v", len(all), err)
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID >= all[i-1].ID || all[i].At.After(all[i-1].At) {
			t.Errorf("not newest first: %+v", all)
		}
	}
	if e := all[0]; e.Who != "ann" || e.Role != store.RoleEditor || e.From != "127.0.0.1" || e.Action != "configuration.move" ||
		!e.At.Equal(at.Add(4*time.Minute)) || !jsonEqual(e.Detail, json.RawMessage(`{"version":2}`)) {
		t.Errorf("entry %+v", e)
	}
	page, err := s.Audit(ctx, store.AuditQuery{Limit: 2, Before: all[1].ID})
	if err != nil || len(page) != 2 || page[0].ID != all[2].ID || page[1].ID != all[3].ID {
		t.Errorf("page %+v, %v", page, err)
	}
	bs, err := s.Audit(ctx, store.AuditQuery{Target: "b"})
	if err != nil || len(bs) != 2 || bs[0].Target != "b" || bs[1].Target != "b" {
		t.Errorf("target b: %+v, %v", bs, err)
	}
}
