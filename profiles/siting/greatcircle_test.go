package siting

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

func TestGreatCircleMatchesOrb(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	demand, cands := synthetic(r, syntheticConfig{demand: 50, candidates: 40, radiusKm: 300})
	// Add far-apart and antipodal-ish pairs.
	demand = append(demand, Demand{ID: "south", Point: orb.Point{170, -80}}, Demand{ID: "pole", Point: orb.Point{0, 90}})
	cands = append(cands, Candidate{ID: "dateline", Point: orb.Point{-179.9, 10}})
	gc := GreatCircle(demand, cands)
	for i, d := range demand {
		for j, c := range cands {
			got, want := gc.Distance(i, j), geo.DistanceHaversine(d.Point, c.Point)/1000
			if got != want {
				t.Fatalf("distance %s→%s = %v, orb says %v", d.ID, c.ID, got, want)
			}
		}
	}
	for _, ij := range [][2]int{{-1, 0}, {0, -1}, {len(demand), 0}, {0, len(cands)}} {
		if d := gc.Distance(ij[0], ij[1]); !math.IsNaN(d) {
			t.Errorf("Distance(%d, %d) = %v, want NaN", ij[0], ij[1], d)
		}
	}
}

// The k-d tree must return exactly the k nearest by chord (ties by index),
// which are the k nearest by great-circle distance.
func TestKDTreeNearest(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	demand, cands := synthetic(r, syntheticConfig{demand: 200, candidates: 700, radiusKm: 50})
	gc := GreatCircle(demand, cands).(*greatCircle)
	ids := make([]int32, 0, len(cands))
	for j := range cands {
		if j%3 != 0 { // a subset, as for one team
			ids = append(ids, int32(j))
		}
	}
	tree := newKDTree(ids, func(j int32) [3]float64 { return gc.cand[j].unit })
	var hits []kdHit
	for i := range demand {
		for _, k := range []int{1, 2, 7, 50, len(ids), len(ids) + 5} {
			hits = tree.nearest(gc.dem[i].unit, k, hits)
			got := make([]int32, len(hits))
			slices.SortFunc(hits, func(a, b kdHit) int {
				if hitLess(a, b) {
					return -1
				}
				return 1
			})
			for x, h := range hits {
				got[x] = h.id
			}
			want := slices.Clone(ids)
			slices.SortFunc(want, func(a, b int32) int {
				ha := kdHit{dist2(gc.dem[i].unit, gc.cand[a].unit), a}
				hb := kdHit{dist2(gc.dem[i].unit, gc.cand[b].unit), b}
				if hitLess(ha, hb) {
					return -1
				}
				return 1
			})
			want = want[:min(k, len(want))]
			if !slices.Equal(got, want) {
				t.Fatalf("demand %d, k=%d: tree %v, scan %v", i, k, got, want)
			}
			// The chord order is the distance order.
			for x := 1; x < len(got); x++ {
				if gc.Distance(i, int(got[x-1])) > gc.Distance(i, int(got[x]))*(1+1e-12) {
					t.Fatalf("demand %d: chord order disagrees with distance at %d", i, x)
				}
			}
		}
	}
}
