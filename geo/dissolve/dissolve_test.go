package dissolve

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
)

var update = flag.Bool("update", false, "rewrite testdata/*_out.geojson from the current results")

// The fixtures are cells of 0.05° near Manchester (≈3.3 km × 5.6 km, about a
// ward). Each row dissolves testdata/<input>.geojson and compares the result
// with testdata/<name>_out.geojson, then checks its shape and area.
func TestUnionGolden(t *testing.T) {
	exact := Options{SnapTolerance: -1}
	tests := []struct {
		name, input string
		opts        Options
		parts       int // parts in the result
		holes       int // interior rings over all parts
		vertices    int // distinct vertices of the first exterior; 0: not checked
		cells       int // area in 0.05° cells; 0: the sum of the inputs' areas
	}{
		{name: "adjacent_squares", parts: 1, holes: 0, vertices: 4},
		{name: "ring_of_cells", parts: 1, holes: 1, vertices: 4},
		{name: "disjoint_groups", parts: 2, holes: 0, vertices: 4},
		{name: "enclave", parts: 1, holes: 0, vertices: 4},
		{name: "covered_hole", parts: 1, holes: 0, vertices: 4, cells: 24}, // inputs overlap
		// Shared edges that do not match vertex for vertex.
		{name: "densified_edge", parts: 1, holes: 0, vertices: 4},
		{name: "shifted_gap", parts: 1, holes: 0, vertices: 4},
		{name: "shifted_overlap", parts: 1, holes: 0, vertices: 4},
		{name: "densified_jittered", parts: 1, holes: 0, vertices: 4},
		{name: "t_junction_shifted", parts: 1, holes: 0, vertices: 8},
		{name: "wedge_gap", parts: 1, holes: 0, vertices: 4}, // sliver hole filled
		// Without snapping the same inputs stay apart or keep slivers:
		// proof that the rows above depend on it.
		{name: "shifted_gap_exact", input: "shifted_gap", opts: exact, parts: 2, holes: 0, vertices: 4},
		{name: "densified_jittered_exact", input: "densified_jittered", opts: exact, parts: 2, holes: 0},
		{name: "sliver_holes", parts: 1, holes: 0, vertices: 4},
		{name: "sliver_holes_exact", input: "sliver_holes", opts: exact, parts: 2, holes: 0, vertices: 4},
		{name: "wedge_gap_exact", input: "wedge_gap", opts: exact, parts: 1, holes: 1, vertices: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := tt.input
			if input == "" {
				input = tt.name
			}
			parts := readParts(t, filepath.Join("testdata", input+".geojson"))
			g, err := Union(context.Background(), parts, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			compareGolden(t, filepath.Join("testdata", tt.name+"_out.geojson"), g)

			mp := checkOutput(t, g)
			if len(mp) != tt.parts {
				t.Errorf("%d parts, want %d", len(mp), tt.parts)
			}
			if n := holeCount(mp); n != tt.holes {
				t.Errorf("%d holes, want %d", n, tt.holes)
			}
			if n := len(mp[0][0]) - 1; tt.vertices > 0 && n != tt.vertices {
				t.Errorf("first exterior has %d vertices, want %d", n, tt.vertices)
			}
			// Snapping moves shared boundaries by at most the tolerance, so
			// area is conserved to well within 0.01% at this cell size.
			want := float64(tt.cells) * 0.05 * 0.05
			if tt.cells == 0 {
				for _, p := range parts {
					want += planarArea(p)
				}
			}
			checkArea(t, tt.name, planarArea(g), want, 1e-4)
		})
	}
}

// compareGolden compares g, encoded as a one-feature FeatureCollection,
// with the file at path, or rewrites the file under -update.
func compareGolden(t *testing.T, path string, g orb.Geometry) {
	t.Helper()
	got := encodeGolden(t, g)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s (run go test -update if the change is intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func encodeGolden(t *testing.T, g orb.Geometry) []byte {
	t.Helper()
	f := geojson.NewFeature(g)
	b, err := f.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return []byte("{\"type\":\"FeatureCollection\",\"features\":[\n" + string(b) + "\n]}\n")
}

func TestUnionErrors(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	bowtie := orb.Polygon{{{0, 0}, {2, 2}, {2, 0}, {0, 1}, {0, 0}}} // lobes of unequal area
	tests := []struct {
		name  string
		parts []orb.MultiPolygon
		opts  Options
		want  error
	}{
		{"no parts", nil, Options{}, ErrEmpty},
		{"only empty parts", []orb.MultiPolygon{{}, {{}}}, Options{}, ErrEmpty},
		{"only degenerate rings", []orb.MultiPolygon{{{{{0, 0}, {1, 1}, {0, 0}}}}}, Options{}, ErrEmpty},
		{"only a sliver", []orb.MultiPolygon{{{{{0, 0}, {1, 0}, {1, 1e-6}, {0, 1e-6}, {0, 0}}}}}, Options{}, ErrEmpty},
		{"self-intersecting ring", []orb.MultiPolygon{{square}, {bowtie}}, Options{}, ErrInvalidPolygon},
		{"NaN coordinate", []orb.MultiPolygon{{{{{0, 0}, {1, 0}, {nan(), 1}, {0, 0}}}}}, Options{}, ErrInvalidPolygon},
		{"NaN tolerance", []orb.MultiPolygon{{square}}, Options{SnapTolerance: nan()}, ErrBadOptions},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Union(context.Background(), tt.parts, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Union = %v, %v; want error %v", g, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "dissolve: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestUnionNamesInvalidPart(t *testing.T) {
	square := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	bowtie := orb.Polygon{{{3, 0}, {5, 2}, {5, 0}, {3, 1}, {3, 0}}}
	_, err := Union(context.Background(), []orb.MultiPolygon{{square}, {square, bowtie}}, Options{})
	if !errors.Is(err, ErrInvalidPolygon) || !strings.Contains(err.Error(), "part 1 polygon 1") {
		t.Fatalf("error %v; want ErrInvalidPolygon naming part 1 polygon 1", err)
	}
}

func TestUnionCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	square := orb.Polygon{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}
	if _, err := Union(ctx, []orb.MultiPolygon{{square}}, Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Union on a cancelled context: %v; want context.Canceled", err)
	}
}

// Open rings, either winding, repeated vertices and overlapping inputs are
// all accepted, and the input is left as it was.
func TestUnionAcceptsUntidyInput(t *testing.T) {
	open := orb.Polygon{{{0, 0}, {0, 1}, {0, 1}, {1, 1}, {1, 0}}} // open, clockwise, repeated vertex
	overlapping := orb.Polygon{{{0.5, 0}, {1.5, 0}, {1.5, 1}, {0.5, 1}, {0.5, 0}}}
	before := orb.Clone(open)
	g, err := Union(context.Background(), []orb.MultiPolygon{{open}, {overlapping}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mp := checkOutput(t, g)
	want := orb.Polygon{{{0, 0}, {1.5, 0}, {1.5, 1}, {0, 1}, {0, 0}}}
	if !orb.Equal(mp[0], want) {
		t.Errorf("Union = %v, want %v", mp[0], want)
	}
	if !orb.Equal(open, before) {
		t.Errorf("input changed to %v", open)
	}
}

func nan() float64 {
	var zero float64
	return zero / zero
}
