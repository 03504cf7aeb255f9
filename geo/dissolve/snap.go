package dissolve

import (
	"cmp"
	"context"
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// snap makes boundaries that lie within tolerance of each other identical,
// so the overlay sees them as one shared boundary rather than two that
// leave a sliver between them. It returns new polygons; polys is unchanged.
//
// Pass 1 (vertices): in input order, each vertex moves onto the nearest
// vertex of another polygon kept so far (an anchor) within tolerance, or else
// becomes an anchor itself. Vertices of one polygon never snap to each other,
// so no polygon loses detail of its own.
//
// Pass 2 (edges): each vertex of another polygon that lies within tolerance
// of an edge, strictly between its ends, is inserted into that edge in order
// along it. A shared boundary digitised with extra vertices on one side then
// has them on both sides, and a T-junction gets its node.
//
// A polygon that folds onto itself in the process (possible only where it is
// narrower than the tolerance) is caught by validation in overlayInputs,
// which falls back to the polygon as it was.
func snap(ctx context.Context, polys []polygon, tolerance float64) ([]polygon, error) {
	snapped, err := snapVertices(ctx, polys, tolerance)
	if err != nil {
		return nil, err
	}
	return nodeEdges(ctx, snapped, tolerance)
}

// ownedPoint is a vertex and the index of the polygon it belongs to.
type ownedPoint struct {
	p     orb.Point
	owner int
}

func snapVertices(ctx context.Context, polys []polygon, tolerance float64) ([]polygon, error) {
	var anchors rtree.RTreeG[ownedPoint]
	out := make([]polygon, len(polys))
	for owner, poly := range polys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rings := make([][]orb.Point, len(poly.rings))
		for k, r := range poly.rings {
			moved := make([]orb.Point, len(r))
			for i, v := range r {
				if a, ok := nearestAnchor(&anchors, v, owner, tolerance); ok {
					moved[i] = a
					continue
				}
				moved[i] = v
				anchors.Insert(v, v, ownedPoint{p: v, owner: owner})
			}
			rings[k] = moved
		}
		out[owner] = polygon{part: poly.part, index: poly.index, rings: rings}
	}
	return out, nil
}

// nearestAnchor finds the anchor of another polygon nearest to v and within
// tolerance; ties go to the lower point, so the result never depends on the
// tree's layout.
func nearestAnchor(anchors *rtree.RTreeG[ownedPoint], v orb.Point, owner int, tolerance float64) (orb.Point, bool) {
	var best orb.Point
	bestDist := math.Inf(1)
	lo, hi := [2]float64{v[0] - tolerance, v[1] - tolerance}, [2]float64{v[0] + tolerance, v[1] + tolerance}
	anchors.Search(lo, hi, func(_, _ [2]float64, a ownedPoint) bool {
		if a.owner == owner {
			return true
		}
		d := math.Hypot(a.p[0]-v[0], a.p[1]-v[1])
		if d <= tolerance && (d < bestDist || d == bestDist && comparePoints(a.p, best) < 0) {
			best, bestDist = a.p, d
		}
		return true
	})
	return best, !math.IsInf(bestDist, 1)
}

func nodeEdges(ctx context.Context, polys []polygon, tolerance float64) ([]polygon, error) {
	var vertices rtree.RTreeG[ownedPoint]
	seen := make(map[ownedPoint]bool)
	for owner, poly := range polys {
		for _, r := range poly.rings {
			for _, v := range r {
				key := ownedPoint{p: v, owner: owner}
				if !seen[key] {
					seen[key] = true
					vertices.Insert(v, v, key)
				}
			}
		}
	}

	out := make([]polygon, len(polys))
	var cuts []cut
	for owner, poly := range polys {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		own := make(map[orb.Point]bool)
		for _, r := range poly.rings {
			for _, v := range r {
				own[v] = true
			}
		}
		rings := make([][]orb.Point, len(poly.rings))
		for k, r := range poly.rings {
			noded := make([]orb.Point, 0, len(r))
			for i, a := range r {
				b := r[(i+1)%len(r)]
				noded = append(noded, a)
				cuts = edgeCuts(&vertices, a, b, own, tolerance, cuts[:0])
				for _, c := range cuts {
					noded = append(noded, c.p)
				}
			}
			rings[k] = noded
		}
		out[owner] = polygon{part: poly.part, index: poly.index, rings: rings}
	}
	return out, nil
}

// cut is a vertex to insert into an edge, t of the way from its start.
type cut struct {
	t float64
	p orb.Point
}

// edgeCuts appends to dst the vertices of other polygons within tolerance of
// edge a→b, strictly between its ends, sorted along the edge and without
// repeats. Vertices the polygon already has (in own) are skipped: inserting
// one would make the ring touch itself.
func edgeCuts(vertices *rtree.RTreeG[ownedPoint], a, b orb.Point, own map[orb.Point]bool, tolerance float64, dst []cut) []cut {
	dx, dy := b[0]-a[0], b[1]-a[1]
	length2 := dx*dx + dy*dy
	if length2 == 0 {
		return dst
	}
	lo := [2]float64{math.Min(a[0], b[0]) - tolerance, math.Min(a[1], b[1]) - tolerance}
	hi := [2]float64{math.Max(a[0], b[0]) + tolerance, math.Max(a[1], b[1]) + tolerance}
	vertices.Search(lo, hi, func(_, _ [2]float64, v ownedPoint) bool {
		if own[v.p] {
			return true
		}
		t := ((v.p[0]-a[0])*dx + (v.p[1]-a[1])*dy) / length2
		if t <= 0 || t >= 1 {
			return true
		}
		if math.Hypot(a[0]+t*dx-v.p[0], a[1]+t*dy-v.p[1]) > tolerance {
			return true
		}
		dst = append(dst, cut{t: t, p: v.p})
		return true
	})
	slices.SortFunc(dst, func(x, y cut) int {
		if c := cmp.Compare(x.t, y.t); c != 0 {
			return c
		}
		return comparePoints(x.p, y.p)
	})
	return slices.CompactFunc(dst, func(x, y cut) bool { return x.p == y.p })
}

// comparePoints orders points by longitude, then latitude.
func comparePoints(a, b orb.Point) int {
	if c := cmp.Compare(a[0], b[0]); c != 0 {
		return c
	}
	return cmp.Compare(a[1], b[1])
}
