package sqlitestore

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
)

// storeWithDataset opens a store holding testDataset and configuration "a"
// (version 1, imported at importedAt).
func storeWithDataset(t *testing.T) (*Store, time.Time) {
	t.Helper()
	s, _ := openTemp(t)
	importedAt := time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)
	if err := s.ReplaceDataset(context.Background(), testDataset(), []*configuration.Configuration{testConfiguration("a")},
		testRecord("m", importedAt)); err != nil {
		t.Fatal(err)
	}
	return s, importedAt
}

func TestConfigurationVersions(t *testing.T) {
	ctx := context.Background()
	s, importedAt := storeWithDataset(t)

	// Version 2 moves ward E05011360 to the south; version 3 retitles it.
	v2 := testConfiguration("a")
	v2.Localities[0].Teams = v2.Localities[0].Teams[:1]
	v2.Localities[1].Teams = append(v2.Localities[1].Teams, configuration.Team{ID: "s2", Name: "South 2", Wards: []string{"E05011360"}})
	v3 := testConfiguration("a")
	v3.Title = "Third time lucky"
	saves := []struct {
		c    *configuration.Configuration
		meta VersionMeta
	}{
		{v2, VersionMeta{Author: "alice", Note: "move Ardwick", At: time.Date(2024, time.April, 1, 9, 0, 0, 0, time.UTC)}},
		{v3, VersionMeta{Author: "bob", Note: "retitle", At: time.Date(2024, time.April, 2, 9, 0, 0, 0, time.FixedZone("CEST", 7200))}},
	}
	for i, sv := range saves {
		version, err := s.SaveConfiguration(ctx, sv.c, sv.meta)
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
	deepEqual(t, "latest", latest, v3)

	tests := []struct {
		version int
		want    *configuration.Configuration
		meta    VersionMeta
	}{
		{1, testConfiguration("a"), VersionMeta{Author: "import", Note: "imported with dataset testcity", At: importedAt}},
		{2, v2, saves[0].meta},
		{3, v3, VersionMeta{Author: "bob", Note: "retitle", At: saves[1].meta.At.UTC()}},
	}
	var history []VersionInfo
	for _, tt := range tests {
		c, meta, err := s.ConfigurationVersion(ctx, "a", tt.version)
		if err != nil {
			t.Fatalf("ConfigurationVersion(%d): %v", tt.version, err)
		}
		deepEqual(t, "configuration", c, tt.want)
		deepEqual(t, "meta", meta, tt.meta)
		history = append(history, VersionInfo{Version: tt.version, VersionMeta: tt.meta})
	}
	gotHistory, err := s.ConfigurationHistory(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "history", gotHistory, history)

	if _, err := s.SaveConfiguration(ctx, testConfiguration("b"), VersionMeta{Author: "carol", At: importedAt}); err != nil {
		t.Fatal(err)
	}
	infos, err := s.Configurations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "configurations", infos, []ConfigurationInfo{
		{Name: "a", Title: "Third time lucky", Version: 3, UpdatedAt: saves[1].meta.At.UTC(), Teams: 3, Localities: 2},
		{Name: "b", Title: "Test b", Version: 1, UpdatedAt: importedAt, Teams: 3, Localities: 2},
	})

	if err := s.DeleteConfiguration(ctx, "a"); err != nil {
		t.Fatalf("DeleteConfiguration: %v", err)
	}
	if _, _, err := s.ConfigurationVersion(ctx, "a", 2); !errors.Is(err, ErrNotFound) {
		t.Errorf("version of a deleted configuration: error = %v, want ErrNotFound", err)
	}
	// A name saved again after deletion continues its numbering (3 were
	// saved), so no old ETag can match the new configuration.
	if version, err := s.SaveConfiguration(ctx, testConfiguration("a"), VersionMeta{}); err != nil || version != 4 {
		t.Errorf("save after delete = version %d, %v; want 4", version, err)
	}
}

func TestSaveConfigurationZeroTimeIsNow(t *testing.T) {
	s, _ := storeWithDataset(t)
	before := time.Now()
	if _, err := s.SaveConfiguration(context.Background(), testConfiguration("a"), VersionMeta{}); err != nil {
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

func TestNotFound(t *testing.T) {
	ctx := context.Background()
	s, _ := storeWithDataset(t)
	tests := []struct {
		name string
		call func() error
	}{
		{"Configuration", func() error { _, _, err := s.Configuration(ctx, "nope"); return err }},
		{"ConfigurationVersion of unknown name", func() error { _, _, err := s.ConfigurationVersion(ctx, "nope", 1); return err }},
		{"ConfigurationVersion of unknown version", func() error { _, _, err := s.ConfigurationVersion(ctx, "a", 2); return err }},
		{"ConfigurationHistory", func() error { _, err := s.ConfigurationHistory(ctx, "nope"); return err }},
		{"DeleteConfiguration", func() error { return s.DeleteConfiguration(ctx, "nope") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, ErrNotFound) {
				t.Errorf("error = %v, want one wrapping ErrNotFound", err)
			}
		})
	}
}

func TestSaveConfigurationRejects(t *testing.T) {
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
		{"ward in no team", func(c *configuration.Configuration) {
			c.Localities[1].Teams[0].Wards = nil
		}},
		{"no name", func(c *configuration.Configuration) { c.Name = "" }},
	}
	for _, tt := range tests {
		for _, name := range []string{"a", "fresh"} { // an existing and a new name
			t.Run(tt.name+"/"+name, func(t *testing.T) {
				ctx := context.Background()
				s, _ := storeWithDataset(t)
				c := testConfiguration(name)
				tt.modify(c)
				if _, err := s.SaveConfiguration(ctx, c, VersionMeta{Author: "x"}); !errors.Is(err, configuration.ErrInvalid) {
					t.Fatalf("error = %v, want one wrapping configuration.ErrInvalid", err)
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

// TestConcurrentSaves checks that writers queue (BEGIN IMMEDIATE under
// busy_timeout) instead of failing or handing out one version twice.
func TestConcurrentSaves(t *testing.T) {
	ctx := context.Background()
	s, _ := storeWithDataset(t)
	const writers = 8
	versions := make([]int, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			versions[i], errs[i] = s.SaveConfiguration(ctx, testConfiguration("a"), VersionMeta{Author: "w"})
		})
	}
	// Readers run alongside.
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

func TestSaveConfigurationIf(t *testing.T) {
	ctx := context.Background()
	s, _ := storeWithDataset(t)
	c := testConfiguration("a")
	changes := json.RawMessage(`[{"ward":"W1","to":"T2"}]`)
	if v, err := s.SaveConfigurationIf(ctx, c, VersionMeta{Author: "ann", Changes: changes}, 1); err != nil || v != 2 {
		t.Fatalf("save on the expected version: %d, %v", v, err)
	}
	if _, err := s.SaveConfigurationIf(ctx, c, VersionMeta{Author: "bob"}, 1); !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("stale save: %v, want ErrVersionConflict", err)
	}
	if _, err := s.SaveConfigurationIf(ctx, c, VersionMeta{}, NoVersion); !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("create over an existing name: %v", err)
	}
	_, meta, err := s.ConfigurationVersion(ctx, c.Name, 2)
	if err != nil || meta.Author != "ann" || string(meta.Changes) != string(changes) {
		t.Fatalf("version 2 meta = %+v, %v", meta, err)
	}
	hist, err := s.ConfigurationHistory(ctx, c.Name)
	if err != nil || len(hist) != 2 || string(hist[1].Changes) != string(changes) || hist[0].Changes != nil {
		t.Fatalf("history = %+v, %v", hist, err)
	}
}

func TestScenarios(t *testing.T) {
	ctx := context.Background()
	s, _ := storeWithDataset(t)
	if err := s.SaveScenario(ctx, "hubs-a", "a", json.RawMessage(`{"hubs":[1]}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveScenario(ctx, "hubs-a", "a", json.RawMessage(`{"hubs":[2]}`)); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveScenario(ctx, "bad", "a", json.RawMessage(`{`)); err == nil {
		t.Error("invalid JSON saved")
	}
	body, err := s.Scenario(ctx, "hubs-a")
	if err != nil || string(body) != `{"hubs":[2]}` {
		t.Fatalf("Scenario = %s, %v", body, err)
	}
	if _, err := s.Scenario(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown scenario: %v", err)
	}
	list, err := s.Scenarios(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "hubs-a" || list[0].Configuration != "a" {
		t.Errorf("Scenarios = %+v, %v", list, err)
	}
}

// TestVersionsNeverReused: a configuration deleted and created again
// continues its numbering, so an old ETag cannot match it.
func TestVersionsNeverReused(t *testing.T) {
	ctx := context.Background()
	s, _ := storeWithDataset(t)
	c := testConfiguration("a")
	if err := s.DeleteConfigurationIf(ctx, "a", 7); !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("stale delete: %v", err)
	}
	if err := s.DeleteConfigurationIf(ctx, "a", 1); err != nil {
		t.Fatal(err)
	}
	v, err := s.SaveConfigurationIf(ctx, c, VersionMeta{}, NoVersion)
	if err != nil || v != 2 {
		t.Fatalf("recreated as version %d, %v; want 2", v, err)
	}
	if err := s.DeleteConfigurationIf(ctx, "nope", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete unknown: %v", err)
	}
}
