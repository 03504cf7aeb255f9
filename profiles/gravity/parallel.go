package gravity

import (
	"sync"
	"sync/atomic"
)

// forEach calls fn(k) for every k in [0, n) on up to workers goroutines and
// returns the error of the smallest k that failed. Each fn(k) must write only
// to memory of its own k, so the results do not depend on workers.
func forEach(workers, n int, fn func(k int) error) error {
	if workers <= 1 || n <= 1 {
		for k := range n {
			if err := fn(k); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for {
				k := int(next.Add(1) - 1)
				if k >= n {
					return
				}
				errs[k] = fn(k)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
