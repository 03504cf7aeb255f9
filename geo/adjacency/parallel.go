package adjacency

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// eachArea calls visit for every area, on GOMAXPROCS goroutines, each with
// its own state from newState, and returns the states; or ctx's error if ctx
// ends first.
func eachArea[S any](ctx context.Context, n int, newState func() S, visit func(state S, area int)) ([]S, error) {
	workers := max(1, min(runtime.GOMAXPROCS(0), n/64)) // small sets run on one
	states := make([]S, workers)
	var next atomic.Int64 // the next area to visit
	var wg sync.WaitGroup
	for w := range workers {
		state := newState()
		states[w] = state
		wg.Go(func() {
			for ctx.Err() == nil {
				a := int(next.Add(1) - 1)
				if a >= n {
					return
				}
				visit(state, a)
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return states, nil
}

// addAll adds the shared lengths found by each worker into shared.
func addAll(shared map[pair]float64, found []map[pair]float64) {
	for _, m := range found {
		for p, metres := range m {
			shared[p] += metres
		}
	}
}
