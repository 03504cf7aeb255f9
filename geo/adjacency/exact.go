package adjacency

import (
	"context"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

// matchExact credits every segment that appears, in either direction, in the
// boundaries of two different areas, and marks it matched on both sides.
//
// Each area puts its own segments in a small hash table, then looks up the
// segments of every later area whose bounds meet its own (those inside its
// bound): the table stays in cache, and areas are spread over goroutines.
// A goroutine marks its own area's segments and lists the later area's,
// which are marked once all are done. Two segments of one area whose keys
// hash alike (about one chance in 10^13 for a ward) keep only one in the
// table; the other is left to matchNear, which finds it all the same.
func (b *boundaries) matchExact(ctx context.Context, matched []bool, shared map[pair]float64) error {
	type state struct {
		table      map[uint64]int32 // key hash -> segment
		candidates []int32
		found      map[pair]float64
		later      []int32 // matched segments of later areas
	}
	newState := func() *state {
		return &state{table: make(map[uint64]int32), found: make(map[pair]float64)}
	}
	states, err := eachArea(ctx, len(b.bounds), newState, func(s *state, a int) {
		bound := b.bounds[a]
		s.candidates = b.candidates(s.candidates[:0], a, bound)
		filled := false
		for _, c := range s.candidates {
			if int(c) < a {
				continue
			}
			if !filled {
				clear(s.table)
				for g := b.start[a]; g < b.start[a+1]; g++ {
					if b.area[g] != noSegment {
						s.table[b.key(g).hash()] = g
					}
				}
				filled = true
			}
			for g := b.start[c]; g < b.start[c+1]; g++ {
				if b.area[g] == noSegment || !inside(bound, b.points[g]) || !inside(bound, b.points[g+1]) {
					continue
				}
				key := b.key(g)
				k, ok := s.table[key.hash()]
				if !ok || b.key(k) != key {
					continue
				}
				matched[k] = true
				s.later = append(s.later, g)
				s.found[pairOf(int32(a), c)] += geo.Distance(b.points[g], b.points[g+1])
			}
		}
	})
	if err != nil {
		return err
	}
	found := make([]map[pair]float64, len(states))
	for i, s := range states {
		found[i] = s.found
		for _, g := range s.later {
			matched[g] = true
		}
	}
	addAll(shared, found)
	return nil
}

func inside(b orb.Bound, p orb.Point) bool {
	return p[0] >= b.Min[0] && p[0] <= b.Max[0] && p[1] >= b.Min[1] && p[1] <= b.Max[1]
}
