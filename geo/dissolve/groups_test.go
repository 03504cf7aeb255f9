package dissolve

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// cell is the unit square with its lower-left corner at (x, y).
func cell(x, y float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}}
}

func TestGroups(t *testing.T) {
	groups := map[string][]orb.MultiPolygon{
		"pair":     {cell(0, 0), cell(1, 0)},
		"apart":    {cell(0, 5), cell(3, 5)},
		"single":   {cell(9, 9)},
		"shares":   {cell(1, 0), cell(1, 1)}, // cell (1,0) is in "pair" too
		"overlaps": {cell(0, 0), cell(0, 0)},
	}
	got, err := Groups(context.Background(), groups, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(groups) {
		t.Fatalf("%d results for %d groups", len(got), len(groups))
	}
	for id, members := range groups {
		want, err := Union(context.Background(), members, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !orb.Equal(got[id], want) {
			t.Errorf("group %s: %v, want Union's %v", id, got[id], want)
		}
		checkOutput(t, got[id])
	}
	if _, ok := got["apart"].(orb.MultiPolygon); !ok {
		t.Errorf("group apart is %T, want orb.MultiPolygon", got["apart"])
	}
}

func TestGroupsErrors(t *testing.T) {
	bowtie := orb.MultiPolygon{{{{0, 0}, {2, 2}, {2, 0}, {0, 1}, {0, 0}}}}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		groups map[string][]orb.MultiPolygon
		opts   Options
		want   error
		id     string // group named by the *GroupError; "" for none
	}{
		{"empty group", context.Background(), map[string][]orb.MultiPolygon{"ok": {cell(0, 0)}, "none": nil}, Options{}, ErrEmpty, "none"},
		{"invalid member", context.Background(), map[string][]orb.MultiPolygon{"ok": {cell(0, 0)}, "bad": {cell(0, 0), bowtie}}, Options{}, ErrInvalidPolygon, "bad"},
		{"cancelled", cancelled, map[string][]orb.MultiPolygon{"ok": {cell(0, 0)}}, Options{}, context.Canceled, ""},
		{"bad options", context.Background(), map[string][]orb.MultiPolygon{"ok": {cell(0, 0)}}, Options{SnapTolerance: nan()}, ErrBadOptions, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Groups(tt.ctx, tt.groups, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Groups = %v, %v; want error %v", got, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "dissolve: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
			var groupErr *GroupError
			if tt.id != "" && (!errors.As(err, &groupErr) || groupErr.ID != tt.id) {
				t.Errorf("error %v does not name group %q", err, tt.id)
			}
		})
	}
}

func TestGroupsNone(t *testing.T) {
	got, err := Groups(context.Background(), nil, Options{})
	if err != nil || len(got) != 0 {
		t.Fatalf("Groups(nil) = %v, %v; want an empty map", got, err)
	}
}
