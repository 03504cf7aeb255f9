// Package areaindex finds which area (ward, LSOA, district) contains a
// lon/lat point: an R-tree over the bounds of each polygon narrows the
// search, then an exact point-in-polygon test decides.
//
// Boundary rule, deterministic so a point on a shared edge always lands in
// the same area:
//
//   - Boundaries are inside: a point exactly on an area's outer ring, on the
//     ring of one of its holes, or on a vertex is contained by that area.
//   - When several areas contain a point (it lies on an edge or vertex they
//     share, or the areas overlap), Locate returns the lowest code in byte
//     order; LocateAll returns them all in that order.
//
// "Exactly on" is decided in float64 arithmetic with each edge evaluated in a
// fixed direction (from its lower to its upper end, whichever ring it belongs
// to), so two areas sharing an edge with identical vertices classify every
// point the same way: a point the arithmetic places on the edge is in both
// (and the lowest code wins), and a point rounding places off it is in
// exactly one of them. Boundaries that do not share vertices exactly, as in
// generalised ONS files, leave slivers that belong to no area or to two.
package areaindex

import (
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// Area is a named polygon area.
type Area struct {
	Code     string
	Geometry orb.MultiPolygon // lon/lat
}

// Index answers point-in-area queries. It is immutable after New and safe
// for concurrent use.
type Index struct {
	codes []string // area codes, sorted; a part's area is an index into it
	parts []part
	tree  rtree.RTreeG[int32] // part bounds -> index into parts
	grid  *grid               // optional (Accelerated): most points without a search
}

// part is one polygon of an area's multipolygon.
type part struct {
	area    int32
	polygon orb.Polygon
}

// New indexes areas. Areas are sorted by code (the caller's slice is not
// modified); areas with empty or non-finite geometry are kept but never
// found. Geometry
// is not copied: do not modify it while the Index is in use.
func New(areas []Area) *Index {
	sorted := slices.Clone(areas)
	slices.SortStableFunc(sorted, func(a, b Area) int { return strings.Compare(a.Code, b.Code) })

	ix := &Index{codes: make([]string, len(sorted))}
	for i, a := range sorted {
		ix.codes[i] = a.Code
		for _, poly := range a.Geometry {
			if len(poly) == 0 || len(poly[0]) == 0 {
				continue
			}
			b := poly[0].Bound()
			if !finite(b) {
				continue // NaN would never match a search; keep it out of the tree
			}
			ix.tree.Insert(b.Min, b.Max, int32(len(ix.parts)))
			ix.parts = append(ix.parts, part{area: int32(i), polygon: poly})
		}
	}
	return ix
}

// Len returns the number of areas indexed.
func (ix *Index) Len() int { return len(ix.codes) }

// Locate returns the code of the area containing p; when several do, the
// lowest code (see the package documentation for the boundary rule).
func (ix *Index) Locate(p orb.Point) (code string, ok bool) {
	best := int32(cellBoundary)
	if ix.grid != nil {
		best = ix.grid.lookup(p)
	}
	if best == cellBoundary {
		best = ix.locateIndex(p)
	}
	if best < 0 {
		return "", false
	}
	return ix.codes[best], true
}

// locateIndex is Locate by search: the index of the lowest-coded area
// containing p, or -1.
func (ix *Index) locateIndex(p orb.Point) int32 {
	best := int32(-1)
	ix.tree.Search(p, p, func(_, _ [2]float64, i int32) bool {
		pt := &ix.parts[i]
		if (best < 0 || pt.area < best) && polygonContains(pt.polygon, p) {
			best = pt.area
		}
		return true
	})
	return best
}

// LocateAll returns the codes of every area containing p, sorted, each once;
// nil when none does.
func (ix *Index) LocateAll(p orb.Point) []string {
	var found []int32
	ix.tree.Search(p, p, func(_, _ [2]float64, i int32) bool {
		pt := &ix.parts[i]
		if !slices.Contains(found, pt.area) && polygonContains(pt.polygon, p) {
			found = append(found, pt.area)
		}
		return true
	})
	if len(found) == 0 {
		return nil
	}
	slices.Sort(found)
	codes := make([]string, 0, len(found))
	for _, a := range found {
		if len(codes) == 0 || codes[len(codes)-1] != ix.codes[a] {
			codes = append(codes, ix.codes[a])
		}
	}
	return codes
}

func finite(b orb.Bound) bool {
	for _, v := range [...]float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
