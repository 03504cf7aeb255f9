// Package adjacency finds which areas (electoral wards, LSOAs) are rook
// neighbours from their lon/lat polygons (EPSG:4326), so that a districting
// tool can check that each team, a group of areas, is contiguous.
//
// Two areas are adjacent when their boundaries share a stretch of positive
// length. A touch at a single point, or at a few isolated points, is not
// adjacency ("rook", not "queen"). The shared length of every adjacent pair
// is kept, in metres.
//
// What counts as shared:
//
//   - Exact shared segments: two consecutive vertices that appear in both
//     boundaries, in either direction, as in generalised ONS boundaries
//     (BGC/BFC), where neighbours share identical vertex sequences.
//   - Collinear overlapping segments with different vertices, or with
//     coordinate noise (1e-9° is about 0.1 mm): the part of one boundary
//     segment that runs within [Options.ToleranceMetres] (default 0.5 m) of
//     another area's boundary segment, measured perpendicular to it, where
//     the two segments point the same way (or opposite ways) to within
//     2°. The alignment rule keeps two boundaries that merely meet at a
//     point, at an angle, from counting the few metres near the point where
//     they are closer than the tolerance.
//   - Holes count: an enclave (an area entirely inside another, filling a
//     hole of it) is adjacent to its host. A MultiPolygon area in several
//     parts is adjacent to the neighbours of each part.
//
// A pair whose total shared length is below [Options.MinSharedMetres]
// (default 1 m) is treated as a point touch. Two corners that meet at a
// point along edges that happen to be collinear overlap by a fraction of a
// millimetre once coordinates carry noise, and a generalised vertex can
// overhang a neighbour's corner by a little; neither is a shared boundary.
// (In the Manchester ward and LSOA files every point touch measures exactly
// zero, so there the minimum changes nothing.)
//
// The adjacency is strict: areas separated by a gap wider than the tolerance
// (a river channel left between wards in generalised data, or a sliver) are
// not adjacent. A caller that wants to join them adds its own links.
//
// Lengths are measured as orb/geo.Distance measures them: on a sphere of
// radius orb.EarthRadius (6,378,137 m), equirectangular at each segment's
// mid-latitude. For segments up to a few kilometres this agrees with the
// haversine distance to about one part in a million, and with the WGS84
// ellipsoid to within 0.3% in Britain. The tolerance uses the same local
// metric frame. Areas must not cross the antimeridian; near the poles the
// frame degrades.
//
// Cost: an R-tree over the areas' bounds gives each area its candidate
// neighbours. Each area matches exact shared segments through a small hash
// table of its own segments; the segments left over (the outer boundary of
// the whole set, and sides whose vertices differ) go into an R-tree per
// area, in which the candidates' leftover segments are looked up. Areas are
// handled in parallel, and the time grows about linearly with the number of
// vertices (7,056 areas of 100 vertices: about 0.15 s; see the benchmarks).
package adjacency

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/validity"
)

// Defaults used when an Options field is zero.
const (
	// DefaultMinSharedMetres is the shared length below which a contact is
	// a point touch. One metre is well under any real ward boundary and
	// well over the sub-millimetre overlap that coordinate noise leaves
	// where two corners meet along collinear edges.
	DefaultMinSharedMetres = 1.0
	// DefaultToleranceMetres is how far apart two boundary segments may be
	// and still share a stretch. Half a metre covers coordinate noise and
	// rounding (six decimal places of a degree is 0.11 m) and is far below
	// the 20 m generalisation of BGC boundaries, so it bridges no real gap.
	DefaultToleranceMetres = 0.5
)

// maxAngleDegrees is how far the directions of two segments may differ for
// them to share a stretch.
const maxAngleDegrees = 2.0

// Options tune Build. The zero value gives the defaults; a negative, NaN or
// infinite field is an error (ErrOptions).
type Options struct {
	// MinSharedMetres is the shared boundary length a pair needs to be
	// adjacent; zero means DefaultMinSharedMetres.
	MinSharedMetres float64
	// ToleranceMetres is the largest perpendicular distance between two
	// boundary segments that still counts as shared; zero means
	// DefaultToleranceMetres.
	ToleranceMetres float64
}

// withDefaults fills zero fields and rejects values that cannot be used.
func (o Options) withDefaults() (Options, error) {
	if o.MinSharedMetres == 0 {
		o.MinSharedMetres = DefaultMinSharedMetres
	}
	if o.ToleranceMetres == 0 {
		o.ToleranceMetres = DefaultToleranceMetres
	}
	if !(o.MinSharedMetres > 0) || math.IsInf(o.MinSharedMetres, 0) {
		return o, fmt.Errorf("%w: MinSharedMetres is %g, want a positive finite length", ErrOptions, o.MinSharedMetres)
	}
	if !(o.ToleranceMetres > 0) || math.IsInf(o.ToleranceMetres, 0) {
		return o, fmt.Errorf("%w: ToleranceMetres is %g, want a positive finite length", ErrOptions, o.ToleranceMetres)
	}
	return o, nil
}

// ErrOptions reports an Options value that cannot be used.
var ErrOptions = errors.New("adjacency: invalid options")

// AreaError reports an area whose geometry cannot be used: not finite
// lon/lat, a ring not closed, degenerate or empty. Err wraps the
// geo/validity sentinel (validity.ErrUnclosedRing and so on).
type AreaError struct {
	Index int // position in the slice given to Build
	Err   error
}

func (e *AreaError) Error() string { return fmt.Sprintf("adjacency: area %d: %v", e.Index, e.Err) }

func (e *AreaError) Unwrap() error { return e.Err }

// Edge is one adjacent pair, A < B, with the length of boundary they share.
type Edge struct {
	A, B         int
	SharedMetres float64
}

// Graph is the rook adjacency of n areas, numbered as in the slice given to
// Build. It is immutable and safe for concurrent use.
type Graph struct {
	// Compressed rows: the neighbours of area i are
	// neighbours[start[i]:start[i+1]], sorted, with shared lengths at the
	// same positions in shared.
	start      []int32
	neighbours []int32
	shared     []float64
}

// Build computes the adjacency of areas. It returns an *AreaError for the
// first area with unusable geometry, and ctx's error if ctx ends first.
func Build(ctx context.Context, areas []orb.MultiPolygon, opts Options) (*Graph, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if len(areas) > math.MaxInt32 {
		return nil, fmt.Errorf("adjacency: %d areas, at most %d supported", len(areas), math.MaxInt32)
	}
	for i, mp := range areas {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("adjacency: %w", err)
			}
		}
		if err := validity.MultiPolygon(mp); err != nil {
			return nil, &AreaError{Index: i, Err: err}
		}
	}
	b, err := newBoundaries(areas)
	if err != nil {
		return nil, err
	}
	shared := make(map[pair]float64)
	matched := make([]bool, len(b.points))
	if err := b.matchExact(ctx, matched, shared); err != nil {
		return nil, fmt.Errorf("adjacency: %w", err)
	}
	if err := b.matchNear(ctx, matched, opts.ToleranceMetres, shared); err != nil {
		return nil, fmt.Errorf("adjacency: %w", err)
	}
	return newGraph(len(areas), shared, opts.MinSharedMetres), nil
}

// pair is two area indices, the smaller in the high half.
type pair uint64

func pairOf(a, b int32) pair {
	if a > b {
		a, b = b, a
	}
	return pair(uint64(uint32(a))<<32 | uint64(uint32(b)))
}

func (p pair) areas() (a, b int32) { return int32(p >> 32), int32(uint32(p)) }

// newGraph keeps the pairs that share at least minShared metres.
func newGraph(n int, shared map[pair]float64, minShared float64) *Graph {
	edges := make([]Edge, 0, len(shared))
	for p, metres := range shared {
		if metres >= minShared {
			a, b := p.areas()
			edges = append(edges, Edge{A: int(a), B: int(b), SharedMetres: metres})
		}
	}
	g := &Graph{
		start:      make([]int32, n+1),
		neighbours: make([]int32, 2*len(edges)),
		shared:     make([]float64, 2*len(edges)),
	}
	for _, e := range edges {
		g.start[e.A+1]++
		g.start[e.B+1]++
	}
	for i := range n {
		g.start[i+1] += g.start[i]
	}
	fill := slices.Clone(g.start[:n])
	for _, e := range edges {
		g.neighbours[fill[e.A]], g.shared[fill[e.A]] = int32(e.B), e.SharedMetres
		fill[e.A]++
		g.neighbours[fill[e.B]], g.shared[fill[e.B]] = int32(e.A), e.SharedMetres
		fill[e.B]++
	}
	for i := range n {
		row := rowSorter{g.neighbours[g.start[i]:g.start[i+1]], g.shared[g.start[i]:g.start[i+1]]}
		row.sort()
	}
	return g
}

// rowSorter sorts one row's neighbours, carrying the shared lengths along.
type rowSorter struct {
	neighbours []int32
	shared     []float64
}

func (r rowSorter) sort() {
	// Rows are short (a ward has a handful of neighbours): insertion sort.
	for i := 1; i < len(r.neighbours); i++ {
		for j := i; j > 0 && r.neighbours[j] < r.neighbours[j-1]; j-- {
			r.neighbours[j], r.neighbours[j-1] = r.neighbours[j-1], r.neighbours[j]
			r.shared[j], r.shared[j-1] = r.shared[j-1], r.shared[j]
		}
	}
}

// Len returns the number of areas.
func (g *Graph) Len() int { return len(g.start) - 1 }

// row returns area i's neighbours and shared lengths; none when i is out of
// range.
func (g *Graph) row(i int) ([]int32, []float64) {
	if i < 0 || i >= g.Len() {
		return nil, nil
	}
	lo, hi := g.start[i], g.start[i+1]
	return g.neighbours[lo:hi], g.shared[lo:hi]
}

// Neighbours returns the areas adjacent to area i, sorted. An index out of
// range has no neighbours. The slice is the caller's to keep.
func (g *Graph) Neighbours(i int) []int {
	row, _ := g.row(i)
	if len(row) == 0 {
		return nil
	}
	out := make([]int, len(row))
	for k, j := range row {
		out[k] = int(j)
	}
	return out
}

// Shared returns the boundary length areas i and j share, in metres, or 0
// when they are not adjacent.
func (g *Graph) Shared(i, j int) float64 {
	row, shared := g.row(i)
	if j < 0 || j > math.MaxInt32 {
		return 0
	}
	if k, ok := slices.BinarySearch(row, int32(j)); ok {
		return shared[k]
	}
	return 0
}

// Edges returns every adjacent pair once, sorted by A then B.
func (g *Graph) Edges() []Edge {
	edges := make([]Edge, 0, len(g.neighbours)/2)
	for a := range g.Len() {
		row, shared := g.row(a)
		for k, b := range row {
			if int(b) > a {
				edges = append(edges, Edge{A: a, B: int(b), SharedMetres: shared[k]})
			}
		}
	}
	return edges
}
