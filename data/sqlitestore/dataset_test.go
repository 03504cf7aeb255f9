package sqlitestore

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// deepEqual fails the test unless got and want are reflect.DeepEqual (which,
// unlike cmp, also tells apart time zones and nil from empty slices).
func deepEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		diff := cmp.Diff(want, got)
		if diff == "" {
			diff = "(cmp sees no difference: a time zone or a nil-versus-empty slice differs)"
		}
		t.Fatalf("%s differs (-want +got):\n%s", what, diff)
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, path := openTemp(t)
	want := testDataset()
	if err := want.Validate(); err != nil {
		t.Fatalf("fixture is invalid: %v", err)
	}
	// A non-UTC time stores as the same instant and loads in UTC.
	record := testRecord("manifest.yaml", time.Date(2024, time.May, 6, 9, 30, 1, 5, time.FixedZone("BST", 3600)))
	if err := s.ReplaceDataset(ctx, want, []*configuration.Configuration{testConfiguration("a"), testConfiguration("b")}, record); err != nil {
		t.Fatalf("ReplaceDataset: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = open(t, path)
	ok, err := s.HasDataset(ctx)
	if err != nil || !ok {
		t.Fatalf("HasDataset = %v, %v; want true, nil", ok, err)
	}
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatalf("Dataset: %v", err)
	}
	deepEqual(t, "dataset", got, want)
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
		deepEqual(t, "configuration "+name, c, testConfiguration(name))
	}

	imports, err := s.Imports(ctx)
	if err != nil {
		t.Fatalf("Imports: %v", err)
	}
	wantRecord := record
	wantRecord.ImportedAt = record.ImportedAt.UTC()
	deepEqual(t, "imports", imports, []ImportRecord{wantRecord})
}

func TestEmptyStore(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if ok, err := s.HasDataset(ctx); err != nil || ok {
		t.Errorf("HasDataset = %v, %v; want false, nil", ok, err)
	}
	if _, err := s.Dataset(ctx); !errors.Is(err, ErrNoDataset) {
		t.Errorf("Dataset error = %v, want ErrNoDataset", err)
	}
	if _, err := s.SaveConfiguration(ctx, testConfiguration("a"), VersionMeta{Author: "me"}); !errors.Is(err, ErrNoDataset) {
		t.Errorf("SaveConfiguration error = %v, want ErrNoDataset", err)
	}
	if got, err := s.Imports(ctx); err != nil || len(got) != 0 {
		t.Errorf("Imports = %v, %v; want none", got, err)
	}
	if got, err := s.Configurations(ctx); err != nil || len(got) != 0 {
		t.Errorf("Configurations = %v, %v; want none", got, err)
	}
}

func TestReplaceDatasetReplaces(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	first := testDataset()
	if err := s.ReplaceDataset(ctx, first, []*configuration.Configuration{testConfiguration("old")}, testRecord("one", time.Unix(1, 0))); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveConfiguration(ctx, testConfiguration("old"), VersionMeta{Author: "me"}); err != nil {
		t.Fatal(err)
	}

	second := syntheticDataset(45, 8, 30)
	if err := s.ReplaceDataset(ctx, second, nil, ImportRecord{Manifest: "two", ImportedAt: time.Unix(2, 0)}); err != nil {
		t.Fatalf("ReplaceDataset: %v", err)
	}
	got, err := s.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "dataset", got, second)
	if _, _, err := s.Configuration(ctx, "old"); !errors.Is(err, ErrNotFound) {
		t.Errorf("configuration of the replaced dataset: error = %v, want ErrNotFound", err)
	}
	if _, _, err := s.ConfigurationVersion(ctx, "old", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("old version of the replaced dataset: error = %v, want ErrNotFound", err)
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

// TestReplaceDatasetRejects checks that a failed replace stores nothing and
// leaves the previous dataset, configurations and import history untouched.
func TestReplaceDatasetRejects(t *testing.T) {
	tests := []struct {
		name    string
		modify  func(d *dataset.Dataset, configs []*configuration.Configuration) []*configuration.Configuration
		record  ImportRecord
		ctx     func() context.Context
		wantErr error
	}{
		{
			name: "duplicate ward code",
			modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
				d.Wards[1].Code = d.Wards[0].Code
				return c
			},
			wantErr: dataset.ErrInvalid,
		},
		{
			name: "LSOA in unknown ward",
			modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
				d.LSOAs[0].WardCode = "E05099999"
				return c
			},
			wantErr: dataset.ErrInvalid,
		},
		{
			name: "configuration names unknown ward",
			modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
				c[0].Localities[0].Teams[0].Wards = append(c[0].Localities[0].Teams[0].Wards, "E05099999")
				return c
			},
			wantErr: configuration.ErrInvalid,
		},
		{
			name: "ward in two teams",
			modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
				c[0].Localities[1].Teams[0].Wards = append(c[0].Localities[1].Teams[0].Wards, "E05011359")
				return c
			},
			wantErr: configuration.ErrInvalid,
		},
		{
			name: "two configurations of one name",
			modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
				return append(c, testConfiguration(c[0].Name))
			},
			wantErr: configuration.ErrInvalid,
		},
		{
			name: "nil configuration",
			modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
				return append(c, nil)
			},
		},
		{
			name:   "report is not JSON",
			record: ImportRecord{Manifest: "new", Report: json.RawMessage(`{"oops"`)},
		},
		{
			// Validate accepts it, the time encoding does not: the failure
			// comes mid-transaction, after the old content was deleted.
			name: "time out of range fails inside the transaction",
			modify: func(d *dataset.Dataset, c []*configuration.Configuration) []*configuration.Configuration {
				d.Practices[len(d.Practices)-1].Opened = time.Date(10000, time.January, 1, 0, 0, 0, 0, time.UTC)
				return c
			},
		},
		{
			name: "cancelled context",
			ctx: func() context.Context {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx
			},
			wantErr: context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTemp(t)
			before := testDataset()
			beforeRecord := testRecord("before", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC))
			if err := s.ReplaceDataset(ctx, before, []*configuration.Configuration{testConfiguration("kept")}, beforeRecord); err != nil {
				t.Fatal(err)
			}

			next := replacementDataset()
			configs := []*configuration.Configuration{testConfiguration("new")}
			if tt.modify != nil {
				configs = tt.modify(next, configs)
			}
			record := tt.record
			if record.Manifest == "" {
				record = ImportRecord{Manifest: "new"}
			}
			replaceCtx := ctx
			if tt.ctx != nil {
				replaceCtx = tt.ctx()
			}

			err := s.ReplaceDataset(replaceCtx, next, configs, record)
			if err == nil {
				t.Fatal("ReplaceDataset succeeded, want an error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error = %v, want one wrapping %v", err, tt.wantErr)
			}

			got, err := s.Dataset(ctx)
			if err != nil {
				t.Fatal(err)
			}
			deepEqual(t, "dataset after failed replace", got, testDataset())
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
			deepEqual(t, "imports after failed replace", imports, []ImportRecord{beforeRecord})
		})
	}
}

// TestReplaceDatasetValidFixture guards TestReplaceDatasetRejects: its
// unmodified replacement must succeed, so each case fails for its own reason.
func TestReplaceDatasetValidFixture(t *testing.T) {
	s, _ := openTemp(t)
	next := replacementDataset()
	if err := s.ReplaceDataset(context.Background(), next, []*configuration.Configuration{testConfiguration("new")}, ImportRecord{Manifest: "new"}); err != nil {
		t.Fatalf("ReplaceDataset: %v", err)
	}
}

// replacementDataset is a valid dataset, different from testDataset, over
// the same wards, so that testConfiguration fits it.
func replacementDataset() *dataset.Dataset {
	d := syntheticDataset(80, 8, 50)
	d.Wards = testDataset().Wards
	for i := range d.Wards {
		d.Wards[i].Source = "s"
	}
	for i := range d.LSOAs {
		d.LSOAs[i].WardCode = d.Wards[i%len(d.Wards)].Code
	}
	return d
}
