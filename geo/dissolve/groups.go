package dissolve

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/paulmach/orb"
)

// GroupError says which group Groups failed on.
type GroupError struct {
	ID  string
	Err error
}

func (e *GroupError) Error() string { return fmt.Sprintf("dissolve: group %q: %v", e.ID, e.Err) }

func (e *GroupError) Unwrap() error { return e.Err }

// Groups dissolves each group's member polygons (group id → members, e.g.
// team id → its wards' polygons) as Union does, one group per CPU at a time,
// and returns group id → geometry. Groups are independent: a member may
// belong to several. The first failure cancels the rest and is returned as a
// *GroupError; a group with no members fails with ErrEmpty.
func Groups(ctx context.Context, groups map[string][]orb.MultiPolygon, opts Options) (map[string]orb.Geometry, error) {
	if _, err := opts.tolerance(); err != nil {
		return nil, fmt.Errorf("dissolve: %w", err)
	}
	ids := make([]string, 0, len(groups))
	for id := range groups {
		ids = append(ids, id)
	}
	slices.Sort(ids)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make([]orb.Geometry, len(ids))
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	next := make(chan int)
	workers := min(runtime.GOMAXPROCS(0), len(ids))
	for range workers {
		wg.Go(func() {
			for i := range next {
				g, err := union(ctx, groups[ids[i]], opts)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = &GroupError{ID: ids[i], Err: err}
					}
					mu.Unlock()
					cancel()
					continue
				}
				results[i] = g
			}
		})
	}
feed:
	for i := range ids {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()

	if firstErr != nil {
		return nil, firstErr
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("dissolve: %w", err) // cancelled by the caller
	}
	out := make(map[string]orb.Geometry, len(ids))
	for i, id := range ids {
		out[id] = results[i]
	}
	return out, nil
}
