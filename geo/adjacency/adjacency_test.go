package adjacency

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/validity"
)

// Synthetic areas are drawn in units of 0.01° (about 660 m east-west and
// 1.1 km north-south) from a corner in Manchester.
const (
	lon0, lat0 = -2.25, 53.48
	unit       = 0.01
)

func pt(x, y float64) orb.Point { return orb.Point{lon0 + x*unit, lat0 + y*unit} }

// ring closes the given corners (in units) into a ring.
func ring(xy ...float64) orb.Ring {
	r := make(orb.Ring, 0, len(xy)/2+1)
	for i := 0; i < len(xy); i += 2 {
		r = append(r, pt(xy[i], xy[i+1]))
	}
	return append(r, r[0])
}

// rect is the anticlockwise ring of a rectangle, in units.
func rect(x0, y0, x1, y1 float64) orb.Ring { return ring(x0, y0, x1, y0, x1, y1, x0, y1) }

func reversed(r orb.Ring) orb.Ring {
	out := slices.Clone(r)
	slices.Reverse(out)
	return out
}

func area(rings ...orb.Ring) orb.MultiPolygon { return orb.MultiPolygon{orb.Polygon(rings)} }

// noisy moves every vertex by up to 1e-9° (about 0.1 mm), differently for
// each seed, so that two areas no longer share a vertex exactly.
func noisy(mp orb.MultiPolygon, seed uint64) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	state := seed*0x9e3779b97f4a7c15 + 1
	jitter := func() float64 {
		state ^= state << 13
		state ^= state >> 7
		state ^= state << 17
		return (float64(state%2001)/1000 - 1) * 1e-9
	}
	for i, poly := range mp {
		out[i] = make(orb.Polygon, len(poly))
		for j, r := range poly {
			nr := make(orb.Ring, len(r))
			for k := range len(r) - 1 {
				nr[k] = orb.Point{r[k][0] + jitter(), r[k][1] + jitter()}
			}
			nr[len(r)-1] = nr[0]
			out[i][j] = nr
		}
	}
	return out
}

// ellipsoidMetres is the length of a short lon/lat segment on the WGS84
// ellipsoid, from the meridian and prime-vertical radii of curvature at its
// mid-latitude: an independent check on the sphere the package measures on.
func ellipsoidMetres(p, q orb.Point) float64 {
	const a, f = 6378137.0, 1 / 298.257223563
	e2 := f * (2 - f)
	phi := (p[1] + q[1]) / 2 * math.Pi / 180
	w := 1 - e2*math.Sin(phi)*math.Sin(phi)
	meridian := a * (1 - e2) / math.Pow(w, 1.5)
	primeVertical := a / math.Sqrt(w)
	dy := meridian * (q[1] - p[1]) * math.Pi / 180
	dx := primeVertical * math.Cos(phi) * (q[0] - p[0]) * math.Pi / 180
	return math.Hypot(dx, dy)
}

// metres is the ellipsoid length of the segment between two points in units.
func metres(x0, y0, x1, y1 float64) float64 { return ellipsoidMetres(pt(x0, y0), pt(x1, y1)) }

// degreesEast is the longitude difference that spans m metres at lat0.
func degreesEast(m float64) float64 {
	return m / (metresPerDegree * math.Cos(lat0*math.Pi/180))
}

func TestBuild(t *testing.T) {
	left := area(rect(0, 0, 1, 1))
	gapEast := func(m float64) orb.MultiPolygon {
		dx := degreesEast(m) / unit
		return area(rect(1+dx, 0, 2, 1))
	}
	tests := []struct {
		name  string
		areas []orb.MultiPolygon
		opts  Options
		want  []Edge // SharedMetres from the WGS84 ellipsoid; matched within 0.5%
	}{
		{
			name:  "squares sharing an edge",
			areas: []orb.MultiPolygon{left, area(rect(1, 0, 2, 1))},
			want:  []Edge{{0, 1, metres(1, 0, 1, 1)}},
		},
		{
			name:  "squares sharing an edge, rings in opposite directions",
			areas: []orb.MultiPolygon{left, area(reversed(rect(0, 1, 1, 2)))},
			want:  []Edge{{0, 1, metres(0, 1, 1, 1)}},
		},
		{
			name:  "squares touching at a corner",
			areas: []orb.MultiPolygon{left, area(rect(1, 1, 2, 2))},
		},
		{
			name:  "shared edge split into 3 segments on one side",
			areas: []orb.MultiPolygon{left, area(ring(1, 0, 2, 0, 2, 1, 1, 1, 1, 2.0/3, 1, 1.0/3))},
			want:  []Edge{{0, 1, metres(1, 0, 1, 1)}},
		},
		{
			name: "sloping shared edge split into 3 segments on one side",
			areas: []orb.MultiPolygon{
				area(ring(0, 0, 1, 0, 1, 1)),
				area(ring(0, 0, 0.3, 0.3, 0.55, 0.55, 1, 1, 0, 1)),
			},
			want: []Edge{{0, 1, metres(0, 0, 1, 1)}},
		},
		{
			name:  "collinear overlap without a shared vertex",
			areas: []orb.MultiPolygon{left, area(rect(1, 0.5, 2, 1.5))},
			want:  []Edge{{0, 1, metres(1, 0.5, 1, 1)}},
		},
		{
			name: "enclave in a hole of its host",
			areas: []orb.MultiPolygon{
				area(rect(0, 0, 3, 3), reversed(rect(1, 1, 2, 2))),
				area(rect(1, 1, 2, 2)),
			},
			want: []Edge{{0, 1, 2*metres(1, 1, 2, 1) + 2*metres(1, 1, 1, 2)}},
		},
		{
			name: "two-part area touching a different neighbour with each part",
			areas: []orb.MultiPolygon{
				{{rect(0, 0, 1, 1)}, {rect(5, 0, 6, 1)}},
				area(rect(1, 0, 2, 1)),
				area(rect(4, 0, 5, 1)),
			},
			want: []Edge{{0, 1, metres(1, 0, 1, 1)}, {0, 2, metres(5, 0, 5, 1)}},
		},
		{
			name:  "coordinate noise of 1e-9 degrees on a shared edge",
			areas: []orb.MultiPolygon{noisy(left, 1), noisy(area(rect(1, 0, 2, 1)), 2)},
			want:  []Edge{{0, 1, metres(1, 0, 1, 1)}},
		},
		{
			name:  "coordinate noise of 1e-9 degrees at a corner touch",
			areas: []orb.MultiPolygon{noisy(left, 1), noisy(area(rect(1, 1, 2, 2)), 2)},
		},
		{
			name:  "parallel edges 0.2 m apart, inside the tolerance",
			areas: []orb.MultiPolygon{left, gapEast(0.2)},
			want:  []Edge{{0, 1, metres(1, 0, 1, 1)}},
		},
		{
			name:  "parallel edges 5 m apart: a gap, not adjacent",
			areas: []orb.MultiPolygon{left, gapEast(5)},
		},
		{
			name:  "parallel edges 5 m apart with a 10 m tolerance",
			areas: []orb.MultiPolygon{left, gapEast(5)},
			opts:  Options{ToleranceMetres: 10},
			want:  []Edge{{0, 1, metres(1, 0, 1, 1)}},
		},
		{
			name:  "contact of 0.5 m is a point touch",
			areas: []orb.MultiPolygon{left, area(rect(1, 1-0.5/metresPerDegree/unit, 2, 2))},
		},
		{
			name:  "contact of 0.5 m counts with a 0.25 m minimum",
			areas: []orb.MultiPolygon{left, area(rect(1, 1-0.5/metresPerDegree/unit, 2, 2))},
			opts:  Options{MinSharedMetres: 0.25},
			want:  []Edge{{0, 1, metres(1, 1-0.5/metresPerDegree/unit, 1, 1)}},
		},
		{
			// The edges leave the shared vertex about 19° apart: within
			// half a metre of each other for 1.5 m, but not aligned.
			name: "edges meeting at a point at a narrow angle",
			areas: []orb.MultiPolygon{
				area(ring(0, 0, 1, -1, 1, 0)),
				area(ring(0, 0, 1, 0.2, 1, 1)),
			},
		},
		{
			name:  "duplicate area shares its whole boundary",
			areas: []orb.MultiPolygon{left, left, area(rect(1, 0, 2, 1))},
			want: []Edge{
				{0, 1, 2*metres(0, 0, 1, 0) + 2*metres(0, 0, 0, 1)},
				{0, 2, metres(1, 0, 1, 1)},
				{1, 2, metres(1, 0, 1, 1)},
			},
		},
		{
			name: "no areas",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Build(context.Background(), tt.areas, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if g.Len() != len(tt.areas) {
				t.Errorf("Len() = %d, want %d", g.Len(), len(tt.areas))
			}
			got := g.Edges()
			if len(got) != len(tt.want) {
				t.Fatalf("Edges() = %v, want %v", got, tt.want)
			}
			for k, e := range got {
				w := tt.want[k]
				if e.A != w.A || e.B != w.B || math.Abs(e.SharedMetres-w.SharedMetres) > 0.005*w.SharedMetres {
					t.Errorf("edge %d = %+v, want %+v (within 0.5%%)", k, e, w)
				}
				if s := g.Shared(e.B, e.A); s != e.SharedMetres {
					t.Errorf("Shared(%d, %d) = %g, want %g", e.B, e.A, s, e.SharedMetres)
				}
			}
		})
	}
}

// TestGrid: in a 3×3 grid, only rook neighbours are adjacent.
func TestGrid(t *testing.T) {
	g := buildGrid(t)
	wantDegree := []int{2, 3, 2, 3, 4, 3, 2, 3, 2}
	for i, want := range wantDegree {
		if got := len(g.Neighbours(i)); got != want {
			t.Errorf("cell %d has %d neighbours %v, want %d", i, got, g.Neighbours(i), want)
		}
	}
	if got, want := g.Neighbours(4), []int{1, 3, 5, 7}; !slices.Equal(got, want) {
		t.Errorf("Neighbours(4) = %v, want %v", got, want)
	}
	if got := len(g.Edges()); got != 12 {
		t.Errorf("%d edges, want 12", got)
	}
	for _, diagonal := range [][2]int{{0, 4}, {2, 4}, {4, 6}, {4, 8}} {
		if s := g.Shared(diagonal[0], diagonal[1]); s != 0 {
			t.Errorf("diagonal cells %v share %g m", diagonal, s)
		}
	}
	tests := []struct {
		name string
		i, j int
		want float64
	}{
		{"rook pair", 4, 5, g.Shared(5, 4)},
		{"same cell", 4, 4, 0},
		{"first out of range", -1, 0, 0},
		{"second out of range", 0, 9, 0},
		{"huge index", 0, math.MaxInt, 0},
	}
	for _, tt := range tests {
		if got := g.Shared(tt.i, tt.j); got != tt.want {
			t.Errorf("%s: Shared(%d, %d) = %g, want %g", tt.name, tt.i, tt.j, got, tt.want)
		}
	}
	if g.Shared(4, 5) == 0 {
		t.Error("Shared(4, 5) = 0")
	}
	if n := g.Neighbours(9); n != nil {
		t.Errorf("Neighbours(9) = %v, want nil", n)
	}
	n := g.Neighbours(4)
	n[0] = 99
	if g.Neighbours(4)[0] != 1 {
		t.Error("Neighbours shares its slice with the graph")
	}
}

// buildGrid builds a 3×3 grid of unit squares, numbered row by row from the
// south-west:
//
//	6 7 8
//	3 4 5
//	0 1 2
func buildGrid(t testing.TB) *Graph {
	t.Helper()
	var cells []orb.MultiPolygon
	for y := range 3 {
		for x := range 3 {
			cells = append(cells, area(rect(float64(x), float64(y), float64(x+1), float64(y+1))))
		}
	}
	g, err := Build(context.Background(), cells, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestBuildErrors(t *testing.T) {
	good := area(rect(0, 0, 1, 1))
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name      string
		ctx       context.Context
		areas     []orb.MultiPolygon
		opts      Options
		want      error
		wantIndex int // of the *AreaError, when want is a validity error
	}{
		{"NaN coordinate", nil, []orb.MultiPolygon{good, {{{pt(0, 0), {math.NaN(), lat0}, pt(1, 1), pt(0, 0)}}}}, Options{}, validity.ErrBadCoordinate, 1},
		{"infinite coordinate", nil, []orb.MultiPolygon{{{{pt(0, 0), {math.Inf(1), lat0}, pt(1, 1), pt(0, 0)}}}}, Options{}, validity.ErrBadCoordinate, 0},
		{"unclosed ring", nil, []orb.MultiPolygon{good, good, {{rect(0, 0, 1, 1)[:4]}}}, Options{}, validity.ErrUnclosedRing, 2},
		{"unclosed hole", nil, []orb.MultiPolygon{{{rect(0, 0, 3, 3), rect(1, 1, 2, 2)[:4]}}}, Options{}, validity.ErrUnclosedRing, 0},
		{"empty area", nil, []orb.MultiPolygon{good, {}}, Options{}, validity.ErrEmpty, 1},
		{"zero-area ring", nil, []orb.MultiPolygon{area(ring(0, 0, 1, 0, 2, 0))}, Options{}, validity.ErrDegenerateRing, 0},
		{"negative tolerance", nil, []orb.MultiPolygon{good}, Options{ToleranceMetres: -1}, ErrOptions, -1},
		{"NaN minimum", nil, []orb.MultiPolygon{good}, Options{MinSharedMetres: math.NaN()}, ErrOptions, -1},
		{"infinite tolerance", nil, []orb.MultiPolygon{good}, Options{ToleranceMetres: math.Inf(1)}, ErrOptions, -1},
		{"cancelled", cancelled, []orb.MultiPolygon{good}, Options{}, context.Canceled, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := tt.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			g, err := Build(ctx, tt.areas, tt.opts)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Build() = %v, %v; want %v", g, err, tt.want)
			}
			var areaErr *AreaError
			if got := errors.As(err, &areaErr); got != (tt.wantIndex >= 0) {
				t.Fatalf("error %v: is *AreaError = %v", err, got)
			}
			if areaErr != nil && areaErr.Index != tt.wantIndex {
				t.Errorf("AreaError.Index = %d, want %d", areaErr.Index, tt.wantIndex)
			}
		})
	}
}
