package planning_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
)

// demoStore is an SQLite store holding the demo city; it returns the
// store, its path (for a second process's handle) and the baseline's name.
func demoStore(t testing.TB) (*sqlitestore.Store, string, string) {
	t.Helper()
	ctx := context.Background()
	ds, baseline, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "core.db")
	s, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.ReplaceDataset(ctx, ds, []*configuration.Configuration{baseline}, store.ImportRecord{Manifest: "demo"}); err != nil {
		t.Fatal(err)
	}
	return s, path, baseline.Name
}

func newCore(t testing.TB, cfg planning.Config) *planning.Service {
	t.Helper()
	core, err := planning.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { core.Close() })
	return core
}

// cityTiles are the tiles at zoom z over the dataset's wards.
func cityTiles(core *planning.Service, z maptile.Zoom) []maptile.Tile {
	var b orb.Bound
	for i, w := range core.Dataset().Wards {
		if i == 0 {
			b = w.Geometry.Bound()
		} else {
			b = b.Union(w.Geometry.Bound())
		}
	}
	lo, hi := maptile.At(orb.Point{b.Min[0], b.Max[1]}, z), maptile.At(orb.Point{b.Max[0], b.Min[1]}, z)
	var out []maptile.Tile
	for x := lo.X; x <= hi.X; x++ {
		for y := lo.Y; y <= hi.Y; y++ {
			out = append(out, maptile.New(x, y, z))
		}
	}
	return out
}

// TestConcurrentFirstRequestsComputeOnce is the regression test for a
// version's first requests: sixteen at once for different tiles, half lean
// and half full (and the team collection), build each tileset once, its
// teams and localities once each for the lean tiles (shapes) and for the
// full ones and the collection (with figures), and profile it once.
func TestConcurrentFirstRequestsComputeOnce(t *testing.T) {
	s, _, name := demoStore(t)
	core := newCore(t, planning.Config{Store: s})
	ctx := context.Background()
	v, err := core.Latest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	tileList := cityTiles(core, 13)
	if len(tileList) < 16 {
		t.Fatalf("only %d tiles over the city at z13", len(tileList))
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			<-start
			tl := tileList[i]
			ans, err := core.Tile(ctx, v, int(tl.Z), int(tl.X), int(tl.Y), i%2 == 0, true, "")
			if err != nil || (ans.Status != 200 && ans.Status != 204) {
				t.Errorf("tile %v: %d, %v", tl, ans.Status, err)
			}
		})
	}
	for range 4 {
		wg.Go(func() {
			<-start
			if _, err := core.Units(ctx, v, placeprofile.LevelTeam); err != nil {
				t.Error(err)
			}
		})
	}
	close(start)
	wg.Wait()
	st := core.Stats()
	if st.TilesetBuilds != 2 || st.UnitBuilds != 4 || st.ProfileBuilds != 1 || st.IndicatorBuilds != 1 {
		t.Errorf("computations: tilesets %d, unit sets %d, profiles %d, indicator sets %d; want 2 (lean, full), 4 (teams and localities, shapes and figures), 1, 1",
			st.TilesetBuilds, st.UnitBuilds, st.ProfileBuilds, st.IndicatorBuilds)
	}
}

// TestLatestHeldInMemory: the latest version is not read from the store on
// every call; this process's saves show at once, another process's after
// the TTL.
func TestLatestHeldInMemory(t *testing.T) {
	ctx := context.Background()
	s, path, name := demoStore(t)
	const ttl = 300 * time.Millisecond
	core := newCore(t, planning.Config{Store: s, LatestTTL: ttl})
	v1, err := core.Latest(ctx, name)
	if err != nil || v1.Number != 1 {
		t.Fatalf("latest = %d, %v; want 1", v1.Number, err)
	}
	// Another process writes to the same file.
	other, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	retitled := v1.Configuration.Clone()
	retitled.Title = "from elsewhere"
	if _, err := other.SaveConfigurationIf(ctx, retitled, store.VersionMeta{Author: "other"}, 1); err != nil {
		t.Fatal(err)
	}
	if v, err := core.Latest(ctx, name); err != nil || v.Number != 1 {
		t.Fatalf("within the TTL latest = %d, %v; want the held version 1 (no store read)", v.Number, err)
	}
	time.Sleep(ttl + 50*time.Millisecond)
	v2, err := core.Latest(ctx, name)
	if err != nil || v2.Number != 2 || v2.Configuration.Title != "from elsewhere" {
		t.Fatalf("after the TTL latest = %d %q, %v; want version 2 from elsewhere", v2.Number, v2.Configuration.Title, err)
	}
	// A save through the core shows at once.
	mine := v2.Configuration.Clone()
	mine.Title = "mine"
	if _, err := core.Save(ctx, mine, store.VersionMeta{Author: "me"}, 2); err != nil {
		t.Fatal(err)
	}
	if v, err := core.Latest(ctx, name); err != nil || v.Number != 3 || v.Configuration.Title != "mine" {
		t.Fatalf("after our save latest = %d %q, %v; want 3 mine", v.Number, v.Configuration.Title, err)
	}
	// A stale expectation is a conflict, and drops the held latest.
	if _, err := core.Save(ctx, mine, store.VersionMeta{}, 2); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale save: %v, want store.ErrConflict", err)
	}
}

// TestSaveRefusesUnknownWardBeforeTheStore: the core checks a configuration
// against the dataset's wards whatever the backend.
func TestSaveRefusesUnknownWard(t *testing.T) {
	ctx := context.Background()
	s, _, name := demoStore(t)
	core := newCore(t, planning.Config{Store: s})
	v, err := core.Latest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	bad := v.Configuration.Clone()
	bad.Localities[0].Teams[0].Wards = append(bad.Localities[0].Teams[0].Wards, "E05999999")
	if _, err := core.Save(ctx, bad, store.VersionMeta{}, v.Number); !errors.Is(err, configuration.ErrInvalid) {
		t.Fatalf("unknown ward: %v, want configuration.ErrInvalid", err)
	}
	if h, err := core.History(ctx, name); err != nil || len(h) != 1 {
		t.Fatalf("history after a refused save: %d versions, %v; want 1", len(h), err)
	}
}

// TestMoveDeleteForget: a move saves the next version, carries the tiles
// it cannot have changed, and a delete drops the configuration's figures.
func TestMoveDeleteForget(t *testing.T) {
	ctx := context.Background()
	s, _, name := demoStore(t)
	core := newCore(t, planning.Config{Store: s})
	v1, err := core.Latest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range cityTiles(core, 11) {
		if _, err := core.Tile(ctx, v1, int(tl.Z), int(tl.X), int(tl.Y), false, false, ""); err != nil {
			t.Fatal(err)
		}
	}
	teams := v1.Configuration.Teams()
	from, to := teams[0], teams[len(teams)-1]
	res, err := core.Move(ctx, planning.MoveRequest{Name: name, Expect: 1,
		Moves: []configuration.Move{{Ward: from.Wards[0], Team: to.ID}}, Meta: store.VersionMeta{Author: "t"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Saved.Number != 2 || len(res.ChangedTeams) != 2 {
		t.Fatalf("move saved version %d changing %v; want 2 changing two teams", res.Saved.Number, res.ChangedTeams)
	}
	if _, err := core.Move(ctx, planning.MoveRequest{Name: name, Expect: 2,
		Moves: []configuration.Move{{Ward: from.Wards[0], Team: to.ID}}}); !errors.Is(err, planning.ErrNoChange) {
		t.Errorf("a move that changes nothing: %v, want ErrNoChange", err)
	}
	p2, err := core.Profile(ctx, res.Saved, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p1, err := core.Profile(ctx, v1, placeprofile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(p1.Teams[0].Wards) == fmt.Sprint(p2.Teams[0].Wards) {
		t.Errorf("profile of version 2 has team %s's wards of version 1", p1.Teams[0].ID)
	}
	if err := core.Delete(ctx, name, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := core.Latest(ctx, name); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("latest after delete: %v, want ErrNotFound", err)
	}
	if _, err := core.At(ctx, name, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("version 1 after delete: %v, want ErrNotFound (not a cached copy)", err)
	}
}

// TestOneLayerDefinition: the tiles carry, for every layer, the features
// of the collection of the same name; lean tiles only the properties the
// layer definition names (its id among them), full tiles the collection's
// properties but the version's.
func TestOneLayerDefinition(t *testing.T) {
	ctx := context.Background()
	s, _, name := demoStore(t)
	core := newCore(t, planning.Config{Store: s})
	v, err := core.Latest(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := core.Tileset(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	full, err := core.FullTileset(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	fields, fullFields := ts.LayerFields(), full.LayerFields()
	for _, l := range planning.MapLayers {
		var set *planning.FeatureSet
		switch l.Name {
		case planning.LayerTeams:
			set, err = core.Units(ctx, v, placeprofile.LevelTeam)
		case planning.LayerLocalities:
			set, err = core.Units(ctx, v, placeprofile.LevelLocality)
		default:
			set, err = core.Static(l.Name)
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Features) == 0 {
			t.Errorf("layer %s has no features", l.Name)
		}
		got, ok := fields[l.Name]
		if !ok {
			t.Errorf("tileset has no layer %s", l.Name)
			continue
		}
		if _, ok := got[l.IDField]; !ok || !slices.Contains(l.TileFields, l.IDField) {
			t.Errorf("tile layer %s does not carry its id field %q", l.Name, l.IDField)
		}
		for k := range got {
			if !slices.Contains(l.TileFields, k) {
				t.Errorf("lean tile layer %s carries %q, which its definition does not name", l.Name, k)
			}
		}
		for k := range set.Features[0].Properties {
			if _, ok := fullFields[l.Name][k]; !ok && k != "configuration" && k != "version" {
				t.Errorf("full tile layer %s lacks the collection's property %q", l.Name, k)
			}
		}
		for k := range fullFields[l.Name] {
			if k == "configuration" || k == "version" {
				t.Errorf("full tile layer %s carries %q: tiles of unchanged features would differ between versions", l.Name, k)
			}
		}
	}
	if _, err := core.Static("nope"); !errors.Is(err, planning.ErrUnknownLayer) {
		t.Errorf("unknown layer: %v", err)
	}
}
