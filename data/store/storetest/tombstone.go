package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
)

// testDeleteKeepsHistory: a deleted configuration disappears from every
// read but is kept, every version, and an admin's restore brings it back
// exactly (numbers, authors, notes, bodies); restoring over a live name is
// a conflict; a restore whose wards are gone is refused; numbering never
// goes back.
func testDeleteKeepsHistory(t *testing.T, open Open) {
	ctx := context.Background()
	s, _ := withDataset(t, open)
	at := time.Date(2024, time.April, 2, 9, 30, 0, 0, time.UTC)
	second := Configuration("a")
	second.Title = "Second"
	if _, err := s.SaveConfigurationIf(ctx, second, store.VersionMeta{Author: "bob", Note: "moved W2", At: at, Changes: []byte(`{"moves":[{"ward":"W2","team":"n1"}]}`)}, 1); err != nil {
		t.Fatal(err)
	}
	history, err := s.ConfigurationHistory(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	before, _, err := s.ConfigurationVersion(ctx, "a", 2)
	if err != nil {
		t.Fatal(err)
	}

	if err := s.DeleteConfigurationBy(ctx, "a", 1, "alice"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("delete with a stale version: %v, want ErrConflict", err)
	}
	if _, err := s.RestoreConfiguration(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("restore of a configuration never deleted: %v, want ErrNotFound", err)
	}
	if err := s.DeleteConfigurationBy(ctx, "a", 2, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Configuration(ctx, "a"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted configuration still read: %v", err)
	}
	infos, err := s.Configurations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 0 {
		t.Errorf("deleted configuration still listed: %+v", infos)
	}
	deleted, err := s.DeletedConfigurations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 1 || deleted[0].Name != "a" || deleted[0].Latest != 2 || deleted[0].Versions != 2 || deleted[0].DeletedBy != "alice" ||
		time.Since(deleted[0].DeletedAt) > time.Minute || deleted[0].DeletedAt.Location() != time.UTC {
		t.Fatalf("deleted configurations = %+v", deleted)
	}

	// A new configuration of that name blocks the restore, and continues
	// the numbering.
	if v, err := save(ctx, s, Configuration("a"), store.VersionMeta{}); err != nil || v != 3 {
		t.Fatalf("save after delete = %d, %v; want 3", v, err)
	}
	if _, err := s.RestoreConfiguration(ctx, "a"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("restore over a live name: %v, want ErrConflict", err)
	}
	if err := s.DeleteConfigurationBy(ctx, "a", store.AnyVersion, "carol"); err != nil {
		t.Fatal(err)
	}
	// The newest tombstone is restored first: the one-version "a" carol
	// deleted.
	if v, err := s.RestoreConfiguration(ctx, "a"); err != nil || v != 3 {
		t.Fatalf("restore = %d, %v; want 3", v, err)
	}
	if err := s.DeleteConfigurationBy(ctx, "a", 3, "carol"); err != nil {
		t.Fatal(err)
	}
	// Two tombstones now, the newest first.
	deleted, err = s.DeletedConfigurations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 2 || deleted[0].DeletedBy != "carol" || deleted[1].DeletedBy != "alice" {
		t.Fatalf("deleted configurations = %+v", deleted)
	}
	// Saved again, the name goes on from 4 whatever was restored.
	if v, err := save(ctx, s, Configuration("a"), store.VersionMeta{}); err != nil || v != 4 {
		t.Fatalf("save = %d, %v; want 4", v, err)
	}
	if err := s.DeleteConfigurationBy(ctx, "a", 4, "dan"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.RestoreConfiguration(ctx, "a"); err != nil || v != 4 {
		t.Fatalf("restore = %d, %v; want 4", v, err)
	}
	if v, err := save(ctx, s, Configuration("a"), store.VersionMeta{}); err != nil || v != 5 {
		t.Fatalf("save after restore = %d, %v; want 5", v, err)
	}
	if err := s.DeleteConfigurationBy(ctx, "a", 5, "dan"); err != nil {
		t.Fatal(err)
	}
	// A fresh store for the exact round trip of a two-version history.
	s2, _ := withDataset(t, open)
	if _, err := s2.SaveConfigurationIf(ctx, second, store.VersionMeta{Author: "bob", Note: "moved W2", At: at, Changes: []byte(`{"moves":[{"ward":"W2","team":"n1"}]}`)}, 1); err != nil {
		t.Fatal(err)
	}
	if err := s2.DeleteConfigurationBy(ctx, "a", 2, "alice"); err != nil {
		t.Fatal(err)
	}
	if v, err := s2.RestoreConfiguration(ctx, "a"); err != nil || v != 2 {
		t.Fatalf("restore = %d, %v; want 2", v, err)
	}
	gotHistory, err := s2.ConfigurationHistory(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	DeepEqual(t, "restored history", gotHistory, history)
	after, meta, err := s2.ConfigurationVersion(ctx, "a", 2)
	if err != nil {
		t.Fatal(err)
	}
	DeepEqual(t, "restored version 2", after, before)
	if string(meta.Changes) != `{"moves":[{"ward":"W2","team":"n1"}]}` {
		t.Errorf("restored changes = %s", meta.Changes)
	}
	if deleted, err := s2.DeletedConfigurations(ctx); err != nil || len(deleted) != 0 {
		t.Errorf("tombstone kept after restore: %+v, %v", deleted, err)
	}

	// A configuration whose wards the dataset has lost cannot come back.
	if err := s2.DeleteConfigurationBy(ctx, "a", 2, "alice"); err != nil {
		t.Fatal(err)
	}
	d := Dataset()
	gone := d.Wards[len(d.Wards)-1].Code
	d.Wards = d.Wards[:len(d.Wards)-1]
	kept := d.LSOAs[:0]
	for _, l := range d.LSOAs {
		if l.WardCode != gone {
			kept = append(kept, l)
		}
	}
	d.LSOAs = kept
	if err := s2.ReplaceDataset(ctx, d, nil, Record("smaller", at)); err != nil {
		t.Fatal(err)
	}
	if _, err := s2.RestoreConfiguration(ctx, "a"); !errors.Is(err, configuration.ErrInvalid) {
		t.Fatalf("restore onto a dataset without its wards: %v, want configuration.ErrInvalid", err)
	}
	if deleted, err := s2.DeletedConfigurations(ctx); err != nil || len(deleted) != 1 {
		t.Errorf("a refused restore lost the tombstone: %+v, %v", deleted, err)
	}
}
