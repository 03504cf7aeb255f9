package planning

import (
	"container/list"
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/singleflight"
)

// flightCache is a bounded LRU of values computed once per key: concurrent
// first requests for a key share one computation (singleflight), later
// ones get the stored value. A computation runs detached from the caller's
// cancellation, so one client going away does not fail the others waiting
// on it; each caller still stops waiting when its own ctx ends.
type flightCache[V any] struct {
	max   int
	group singleflight.Group

	mu      sync.Mutex
	entries map[string]*list.Element
	order   *list.List // front: most recently used

	// builds counts computations (for tests and metrics); hits and misses
	// count lookups that found a stored value and those that did not.
	builds, hits, misses atomic.Int64
}

type cacheEntry[V any] struct {
	key   string
	value V
}

func newFlightCache[V any](max int) *flightCache[V] {
	return &flightCache[V]{max: max, entries: map[string]*list.Element{}, order: list.New()}
}

func (c *flightCache[V]) lookup(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.order.MoveToFront(e)
		return e.Value.(*cacheEntry[V]).value, true
	}
	var zero V
	return zero, false
}

func (c *flightCache[V]) add(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		e.Value.(*cacheEntry[V]).value = v
		c.order.MoveToFront(e)
		return
	}
	c.entries[key] = c.order.PushFront(&cacheEntry[V]{key, v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.entries, last.Value.(*cacheEntry[V]).key)
	}
}

// get returns the value of key, computing it with build when it is not
// stored. Errors are not stored: the next request tries again.
func (c *flightCache[V]) get(ctx context.Context, key string, build func(ctx context.Context) (V, error)) (V, error) {
	if v, ok := c.lookup(key); ok {
		c.hits.Add(1)
		return v, nil
	}
	c.misses.Add(1)
	detached := context.WithoutCancel(ctx)
	ch := c.group.DoChan(key, func() (any, error) {
		if v, ok := c.lookup(key); ok {
			return v, nil
		}
		c.builds.Add(1)
		v, err := build(detached)
		if err != nil {
			return nil, err
		}
		c.add(key, v)
		return v, nil
	})
	var zero V
	select {
	case r := <-ch:
		if r.Err != nil {
			return zero, r.Err
		}
		return r.Val.(V), nil
	case <-ctx.Done():
		return zero, ctx.Err()
	}
}

// forget drops every key with the prefix.
func (c *flightCache[V]) forget(prefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for key, e := range c.entries {
		if strings.HasPrefix(key, prefix) {
			c.order.Remove(e)
			delete(c.entries, key)
		}
	}
}

// counts reports the cache's counters and size.
func (c *flightCache[V]) counts() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load(), Builds: c.builds.Load(), Entries: c.len()}
}

// len is the number of stored values.
func (c *flightCache[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
