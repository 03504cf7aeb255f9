package tiles

import (
	"context"
	"errors"
	"sync"
)

// flight runs one function per key at a time and hands its result to every
// caller that asked meanwhile (a minimal singleflight: x/sync is not a
// dependency of this module).
type flight struct {
	mu    sync.Mutex
	calls map[Key]*call
}

type call struct {
	done chan struct{}
	tile *Encoded
	err  error
}

// do runs fn for key unless a run is under way, in which case it waits for
// that run's result or for ctx to end.
func (f *flight) do(ctx context.Context, key Key, fn func() (*Encoded, error)) (*Encoded, error) {
	f.mu.Lock()
	if c, ok := f.calls[key]; ok {
		f.mu.Unlock()
		select {
		case <-c.done:
			return c.tile, c.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.calls == nil {
		f.calls = make(map[Key]*call)
	}
	c := &call{done: make(chan struct{})}
	f.calls[key] = c
	f.mu.Unlock()

	defer func() {
		if c.tile == nil && c.err == nil { // fn panicked: waiters must not get a nil tile
			c.err = errors.New("tiles: cutting the tile failed")
		}
		f.mu.Lock()
		delete(f.calls, key)
		f.mu.Unlock()
		close(c.done)
	}()
	c.tile, c.err = fn()
	return c.tile, c.err
}
