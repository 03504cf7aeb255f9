package adjacency

import (
	"context"
	"math"

	"github.com/paulmach/orb"
	"github.com/tidwall/rtree"
)

// metresPerDegree is the length of one degree of a great circle on the
// sphere orb/geo measures on.
const metresPerDegree = orb.EarthRadius * math.Pi / 180

// minCosLatitude keeps the tolerance, converted to degrees of longitude,
// finite near the poles.
const minCosLatitude = 1e-6

// matchNear credits the stretches where an unmatched segment runs within
// tolerance metres of another area's unmatched segment, measured along the
// segment of the area with the lower index.
//
// Each area puts its unmatched segments in an R-tree, then looks up, grown
// by the tolerance, the unmatched segments of every later area whose bounds
// come within the tolerance of its own.
func (b *boundaries) matchNear(ctx context.Context, matched []bool, tolerance float64, shared map[pair]float64) error {
	left := make([]int32, len(b.bounds)) // unmatched segments of each area
	for a := range b.bounds {
		for g := b.start[a]; g < b.start[a+1]; g++ {
			if b.area[g] != noSegment && !matched[g] {
				left[a]++
			}
		}
	}
	newState := func() *nearSearch { return b.newNearSearch(tolerance) }
	states, err := eachArea(ctx, len(b.bounds), newState, func(s *nearSearch, a int) {
		if left[a] == 0 {
			return
		}
		s.tree = rtree.RTreeG[int32]{}
		for g := b.start[a]; g < b.start[a+1]; g++ {
			if b.area[g] != noSegment && !matched[g] {
				lo, hi := bound(b.points[g], b.points[g+1])
				s.tree.Insert(lo, hi, g)
			}
		}
		area := b.bounds[a]
		s.dLat = tolerance / metresPerDegree
		maxLat := math.Min(math.Max(math.Abs(area.Min[1]), math.Abs(area.Max[1]))+s.dLat, 90)
		s.dLon = s.dLat / math.Max(math.Cos(maxLat*math.Pi/180), minCosLatitude)
		grown := s.grow(area.Min, area.Max)
		s.candidates = b.candidates(s.candidates[:0], a, grown)
		for _, c := range s.candidates {
			if int(c) < a || left[c] == 0 {
				continue
			}
			s.pair = pairOf(int32(a), c)
			for h := b.start[c]; h < b.start[c+1]; h++ {
				if b.area[h] == noSegment || matched[h] {
					continue
				}
				s.t0, s.t1 = b.points[h], b.points[h+1]
				lo, hi := bound(s.t0, s.t1)
				if hi[0] < grown.Min[0] || lo[0] > grown.Max[0] || hi[1] < grown.Min[1] || lo[1] > grown.Max[1] {
					continue
				}
				near := s.grow(lo, hi)
				s.tree.Search(near.Min, near.Max, s.visit)
			}
		}
	})
	if err != nil {
		return err
	}
	found := make([]map[pair]float64, len(states))
	for i, s := range states {
		found[i] = s.found
	}
	addAll(shared, found)
	return nil
}

// nearSearch is one worker's state in matchNear: the area's tree, the
// segment being looked up, and what has been found so far. Its visit
// callback is made once, so that a search allocates nothing.
type nearSearch struct {
	b          *boundaries
	tolerance  float64
	tree       rtree.RTreeG[int32]
	candidates []int32
	found      map[pair]float64
	dLat, dLon float64 // the tolerance in degrees around the current area

	pair   pair // the current area and candidate
	t0, t1 orb.Point
	visit  func(_, _ [2]float64, g int32) bool
}

func (b *boundaries) newNearSearch(tolerance float64) *nearSearch {
	s := &nearSearch{b: b, tolerance: tolerance, found: make(map[pair]float64)}
	s.visit = func(_, _ [2]float64, g int32) bool {
		if metres := sharedMetres(s.b.points[g], s.b.points[g+1], s.t0, s.t1, s.tolerance); metres > 0 {
			s.found[s.pair] += metres
		}
		return true
	}
	return s
}

// grow returns the bound from lo to hi grown by the tolerance.
func (s *nearSearch) grow(lo, hi [2]float64) orb.Bound {
	return orb.Bound{
		Min: orb.Point{lo[0] - s.dLon, lo[1] - s.dLat},
		Max: orb.Point{hi[0] + s.dLon, hi[1] + s.dLat},
	}
}

// bound returns the corners of segment p-q's bounding box.
func bound(p, q orb.Point) (lo, hi [2]float64) {
	lo, hi = p, q
	if q[0] < p[0] {
		lo[0], hi[0] = q[0], p[0]
	}
	if q[1] < p[1] {
		lo[1], hi[1] = q[1], p[1]
	}
	return lo, hi
}

// sinMaxAngle is the sine of maxAngleDegrees.
var sinMaxAngle = math.Sin(maxAngleDegrees * math.Pi / 180)

// sharedMetres returns the length of segment s (s0 to s1) along which
// segment t (t0 to t1) runs within tolerance metres of it, provided the two
// point the same way or opposite ways to within maxAngleDegrees; otherwise 0.
//
// Both are put in a local metric frame at s0, with longitude scaled by the
// cosine of s's mid-latitude, as orb/geo.Distance does. t's ends are
// projected onto s's line, giving the stretch of s that t lies alongside;
// that stretch is then cut to where t's perpendicular distance from the line
// (which varies linearly along t) is within tolerance, and to s itself.
func sharedMetres(s0, s1, t0, t1 orb.Point, tolerance float64) float64 {
	kx := metresPerDegree * math.Cos((s0[1]+s1[1])/2*math.Pi/180)
	ky := metresPerDegree
	ux, uy := (s1[0]-s0[0])*kx, (s1[1]-s0[1])*ky
	px, py := (t0[0]-s0[0])*kx, (t0[1]-s0[1])*ky
	qx, qy := (t1[0]-s0[0])*kx, (t1[1]-s0[1])*ky
	vx, vy := qx-px, qy-py

	lenU2, lenV2 := ux*ux+uy*uy, vx*vx+vy*vy
	if lenU2 == 0 || lenV2 == 0 {
		return 0
	}
	if cross := ux*vy - uy*vx; cross*cross > sinMaxAngle*sinMaxAngle*lenU2*lenV2 {
		return 0 // not aligned
	}
	lenU := math.Sqrt(lenU2)
	// Parameters of t's ends along s (0 at s0, 1 at s1) and their signed
	// distances from s's line, in metres.
	tp, tq := (ux*px+uy*py)/lenU2, (ux*qx+uy*qy)/lenU2
	dp, dq := (ux*py-uy*px)/lenU, (ux*qy-uy*qx)/lenU
	if tq < tp {
		tp, tq, dp, dq = tq, tp, dq, dp
	}
	if tq == tp {
		return 0
	}
	lo, hi := math.Max(tp, 0), math.Min(tq, 1)
	// d(τ) = dp + (dq-dp)(τ-tp)/(tq-tp); keep |d(τ)| <= tolerance.
	if dq == dp {
		if math.Abs(dp) > tolerance {
			return 0
		}
	} else {
		slope := (dq - dp) / (tq - tp)
		a, b := tp+(-tolerance-dp)/slope, tp+(tolerance-dp)/slope
		lo, hi = math.Max(lo, math.Min(a, b)), math.Min(hi, math.Max(a, b))
	}
	if hi <= lo {
		return 0
	}
	return (hi - lo) * lenU
}
