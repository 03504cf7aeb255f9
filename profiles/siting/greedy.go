package siting

import (
	"context"
	"fmt"
)

// greedy opens the fixed sites, then adds hubs one at a time, each time the
// candidate that improves the objective most (the p-median objective for
// PCentre). Distances are taken from the candidate lists only: a demand point
// none of whose listed candidates is open counts as unserved, so early steps
// favour candidates that serve the most unserved points. With OnePerTeam,
// once the hubs left equal the teams still without one, only candidates of
// those teams are eligible.
//
// gain[j] = Σ_{i: j in list(i), d_ij < D_i} value(D_i) − value(d_ij) is kept
// up to date: opening h changes D_i only for points in h's reverse list, and
// for those only the list entries nearer than the old D_i. Work: O(m) per
// step to pick the best candidate plus O(L) per improved point.
func (e *engine) greedy(ctx context.Context) error {
	in, l := e.in, e.l
	D := e.bestD
	for i := range D {
		D[i] = inf
	}
	for _, j := range in.fixed {
		e.openHub(int32(j))
		for k := l.rstart[j]; k < l.rstart[j+1]; k++ {
			if i := l.rdem[k]; l.rdist[k] < D[i] {
				D[i] = l.rdist[k]
			}
		}
	}
	gain := make([]score, in.m)
	for i := range in.n {
		old := e.value(i, D[i])
		for k := l.start[i]; k < l.start[i+1]; k++ {
			d := l.dist[k]
			if d >= D[i] {
				break
			}
			j := l.cand[k]
			gain[j] = gain[j].add(old.sub(e.value(i, d)))
		}
	}
	uncovered := 0
	if in.p.OnePerTeam {
		for _, c := range e.teamHubs {
			if c == 0 {
				uncovered++
			}
		}
	}
	for len(e.hubs) < in.hubs {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("siting: greedy start: %w", err)
		}
		forced := in.p.OnePerTeam && in.hubs-len(e.hubs) <= uncovered
		h := int32(-1)
		for j := range in.m {
			if e.open[j] {
				continue
			}
			if forced {
				if t := in.candTeam[j]; t < 0 || e.teamHubs[t] > 0 {
					continue
				}
			}
			if h < 0 || compareScores(gain[j], gain[h]) > 0 {
				h = int32(j)
			}
		}
		if h < 0 {
			return fmt.Errorf("siting: greedy start: no eligible candidate for hub %d of %d: %w", len(e.hubs)+1, in.hubs, ErrInvalidInput)
		}
		if t := in.candTeam[h]; in.p.OnePerTeam && t >= 0 && e.teamHubs[t] == 0 {
			uncovered--
		}
		e.openHub(h)
		for k := l.rstart[h]; k < l.rstart[h+1]; k++ {
			i, d := int(l.rdem[k]), l.rdist[k]
			old := D[i]
			if d >= old {
				continue
			}
			oldV, newV := e.value(i, old), e.value(i, d)
			for kk := l.start[i]; kk < l.start[i+1]; kk++ {
				d2 := l.dist[kk]
				if d2 >= old {
					break
				}
				j2 := l.cand[kk]
				v2 := e.value(i, d2)
				gain[j2] = gain[j2].sub(oldV.sub(v2))
				if d2 < d {
					gain[j2] = gain[j2].add(newV.sub(v2))
				}
			}
			D[i] = d
		}
	}
	return nil
}
