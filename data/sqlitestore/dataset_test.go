package sqlitestore

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/data/store/storetest"
)

// TestReopen: what one process stored, another opening the file reads back
// (the contract checks the round trip within one open store).
func TestReopen(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	want := testDataset()
	if err := s.ReplaceDataset(ctx, want, []*configuration.Configuration{testConfiguration("a")}, testRecord("m", time.Unix(5, 0))); err != nil {
		t.Fatalf("ReplaceDataset: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	s = open(t, path)
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatalf("Dataset: %v", err)
	}
	storetest.DeepEqual(t, "dataset", got, want)
	if _, v, err := s.Configuration(ctx, "a"); err != nil || v != 1 {
		t.Fatalf("Configuration = %d, %v; want version 1", v, err)
	}
}

// TestReplaceFailsMidTransaction: Validate accepts a year-10000 date, the
// time encoding does not, so the failure comes after the old content was
// deleted inside the transaction; nothing of it may be lost.
func TestReplaceFailsMidTransaction(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	before := testRecord("before", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
	if err := s.ReplaceDataset(ctx, testDataset(), []*configuration.Configuration{testConfiguration("kept")}, before); err != nil {
		t.Fatal(err)
	}
	next := storetest.ReplacementDataset()
	next.Practices[len(next.Practices)-1].Opened = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
	if err := s.ReplaceDataset(ctx, next, []*configuration.Configuration{testConfiguration("new")}, store.ImportRecord{Manifest: "new"}); err == nil {
		t.Fatal("ReplaceDataset succeeded, want an error")
	}
	storetest.AssertUnchanged(t, s, before)
}

// TestLoadDuringReplace: loads racing with replacements each give one
// whole dataset, never one dataset's areas with another's registrations
// (a guard for any load split over transactions: reading the
// registrations in a second transaction on another connection was tried
// and caught by this test when its consistency check was disabled; it
// gained nothing on two cores and was left out).
func TestLoadDuringReplace(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	a, b := testDataset(), storetest.ReplacementDataset()
	if reflect.DeepEqual(a.Registrations, b.Registrations) {
		t.Fatal("the two datasets have the same registrations: the test could not tell them apart")
	}
	cfgs := func(d *dataset.Dataset) []*configuration.Configuration {
		if d == a {
			return []*configuration.Configuration{testConfiguration("a")}
		}
		return nil
	}
	if err := s.ReplaceDataset(ctx, a, cfgs(a), testRecord("a", time.Unix(1, 0))); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 30; i++ {
			d := a
			if i%2 == 0 {
				d = b
			}
			if err := s.ReplaceDataset(ctx, d, cfgs(d), testRecord("r", time.Unix(int64(i+2), 0))); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	loads := 0
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
		got, err := s.Dataset(ctx)
		if err != nil {
			t.Fatal(err)
		}
		loads++
		if !reflect.DeepEqual(got, a) && !reflect.DeepEqual(got, b) {
			t.Fatalf("load %d is neither dataset (%d registrations; %d and %d)", loads, len(got.Registrations), len(a.Registrations), len(b.Registrations))
		}
	}
	t.Logf("%d loads during 30 replacements", loads)
}
