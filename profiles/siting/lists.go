package siting

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
)

// candidateLists holds, for every demand point, the candidates that may
// serve it, nearest first (ties by index): all of them, or the L nearest with
// Problem.NearestLists = L. The reverse lists give, for every candidate, the
// demand points whose list holds it. Both are stored flat (CSR): 12 bytes per
// entry each way.
type candidateLists struct {
	start []int32 // demand i's list is cand[start[i]:start[i+1]]
	cand  []int32
	dist  []float64
	// complete[i] reports that demand i's list holds every candidate allowed
	// to serve it.
	complete []bool

	rstart []int32 // candidate j's reverse list is rdem[rstart[j]:rstart[j+1]]
	rdem   []int32
	rdist  []float64
}

// buildLists measures the distances the search needs. Distances that are
// NaN, infinite or negative are errors. With the package's GreatCircle and
// short lists it uses one k-d tree per team; otherwise it measures every
// allowed pair (O(n·m) Distance calls, spread over opts.Workers goroutines).
func buildLists(ctx context.Context, in *instance, opts Options) (*candidateLists, error) {
	groups := in.groups()
	// allowedIDs[g] lists the candidates allowed to serve demand of team g.
	allowedIDs := make([][]int32, groups)
	for j := range in.m {
		if t := in.candTeam[j]; t >= 0 {
			allowedIDs[t] = append(allowedIDs[t], int32(j))
			continue
		}
		for g := range groups {
			allowedIDs[g] = append(allowedIDs[g], int32(j))
		}
	}
	l := &candidateLists{start: make([]int32, in.n+1), complete: make([]bool, in.n)}
	total := 0
	for i := range in.n {
		all := len(allowedIDs[in.demTeam[i]])
		k := all
		if in.p.NearestLists > 0 {
			k = min(k, in.p.NearestLists)
		}
		l.complete[i] = k == all
		total += k
		if total > opts.MaxListEntries || total > math.MaxInt32 {
			perPoint, hint := in.m, "set Problem.NearestLists (for example 50)"
			if in.p.NearestLists > 0 {
				perPoint, hint = min(in.m, in.p.NearestLists), "shorten Problem.NearestLists"
			}
			return nil, fmt.Errorf("siting: candidate lists need more than %d entries (%d demand points × up to %d candidates each); %s or raise Options.MaxListEntries: %w",
				min(opts.MaxListEntries, math.MaxInt32), in.n, perPoint, hint, ErrTooLarge)
		}
		l.start[i+1] = int32(total)
	}
	l.cand = make([]int32, total)
	l.dist = make([]float64, total)

	gc, _ := in.p.Dist.(*greatCircle)
	var trees []*kdTree
	if gc != nil && in.p.NearestLists > 0 {
		trees = make([]*kdTree, groups)
		for g, ids := range allowedIDs {
			if in.p.NearestLists < len(ids) {
				trees[g] = newKDTree(ids, func(j int32) [3]float64 { return gc.cand[j].unit })
			}
		}
	}

	workers := min(opts.Workers, in.n)
	chunk := (in.n + workers - 1) / workers
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*chunk, min((w+1)*chunk, in.n)
		wg.Go(func() {
			var hits []kdHit
			for i := lo; i < hi; i++ {
				if (i-lo)%256 == 0 {
					if err := ctx.Err(); err != nil {
						errs[w] = fmt.Errorf("siting: candidate lists: %w", err)
						return
					}
				}
				g := in.demTeam[i]
				out := l.cand[l.start[i]:l.start[i+1]]
				if trees != nil && trees[g] != nil {
					hits = trees[g].nearest(gc.dem[i].unit, len(out), hits)
					for k := range hits {
						hits[k].d2 = haversineKm(&gc.dem[i], &gc.cand[hits[k].id])
					}
				} else {
					var err error
					if hits, err = scanNearest(in, i, allowedIDs[g], len(out), hits); err != nil {
						errs[w] = err
						return
					}
				}
				slices.SortFunc(hits, func(a, b kdHit) int {
					if hitLess(a, b) {
						return -1
					}
					return 1
				})
				d := l.dist[l.start[i]:l.start[i+1]]
				for k, h := range hits {
					out[k], d[k] = h.id, h.d2
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}

	l.rstart = make([]int32, in.m+1)
	for _, j := range l.cand {
		l.rstart[j+1]++
	}
	for j := range in.m {
		l.rstart[j+1] += l.rstart[j]
	}
	l.rdem = make([]int32, total)
	l.rdist = make([]float64, total)
	next := slices.Clone(l.rstart[:in.m])
	for i := range in.n {
		for k := l.start[i]; k < l.start[i+1]; k++ {
			j := l.cand[k]
			l.rdem[next[j]], l.rdist[next[j]] = int32(i), l.dist[k]
			next[j]++
		}
	}
	return l, nil
}

// scanNearest measures demand i against every allowed candidate and keeps
// the k nearest in hits (a bounded max-heap, then in no particular order).
func scanNearest(in *instance, i int, ids []int32, k int, hits []kdHit) ([]kdHit, error) {
	h := kdHeap(hits[:0])
	for _, j := range ids {
		d, err := measure(in, i, int(j))
		if err != nil {
			return nil, err
		}
		hit := kdHit{d2: d, id: j}
		if len(h) < k {
			h.push(hit)
		} else if hitLess(hit, h[0]) {
			h.replaceTop(hit)
		}
	}
	return h, nil
}

// measure returns the distance from demand i to candidate j, or an error if
// it is not a finite non-negative number.
func measure(in *instance, i, j int) (float64, error) {
	d := in.p.Dist.Distance(i, j)
	if math.IsNaN(d) || math.IsInf(d, 0) || d < 0 {
		return 0, fmt.Errorf("siting: distance from demand %q to candidate %q is %g, not a finite non-negative number: %w",
			in.p.Demand[i].ID, in.p.Candidates[j].ID, d, ErrInvalidInput)
	}
	return d, nil
}
