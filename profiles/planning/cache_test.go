package planning

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func TestFlightCacheComputesOncePerKey(t *testing.T) {
	c := newFlightCache[int](4)
	release := make(chan struct{})
	var wg sync.WaitGroup
	results := make([]int, 16)
	for i := range results {
		wg.Go(func() {
			v, err := c.get(context.Background(), "k", func(context.Context) (int, error) {
				<-release
				return 42, nil
			})
			if err != nil {
				t.Error(err)
			}
			results[i] = v
		})
	}
	time.Sleep(20 * time.Millisecond) // let every caller reach the flight
	close(release)
	wg.Wait()
	if got := c.builds.Load(); got != 1 {
		t.Errorf("16 concurrent first requests computed %d times, want 1", got)
	}
	for _, v := range results {
		if v != 42 {
			t.Fatalf("results = %v, want 42 each", results)
		}
	}
}

func TestFlightCacheBoundedLRU(t *testing.T) {
	c := newFlightCache[string](2)
	build := func(v string) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return v, nil }
	}
	ctx := context.Background()
	for _, k := range []string{"a", "b", "a", "c"} { // a is used again, so b is the least recent
		if _, err := c.get(ctx, k, build(k)); err != nil {
			t.Fatal(err)
		}
	}
	if c.len() != 2 {
		t.Fatalf("len = %d, want 2", c.len())
	}
	if _, ok := c.lookup("b"); ok {
		t.Error("b kept, want it evicted as least recently used")
	}
	if _, ok := c.lookup("a"); !ok {
		t.Error("a evicted, want it kept")
	}
	c.forget("a")
	if _, ok := c.lookup("a"); ok {
		t.Error("a kept after forget")
	}
}

func TestFlightCacheErrorsNotStoredAndCallerCancels(t *testing.T) {
	c := newFlightCache[int](2)
	boom := errors.New("boom")
	if _, err := c.get(context.Background(), "k", func(context.Context) (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if v, err := c.get(context.Background(), "k", func(context.Context) (int, error) { return 7, nil }); err != nil || v != 7 {
		t.Fatalf("after an error: %d, %v; want a new computation", v, err)
	}
	// A caller that gives up does not cancel the computation others wait on.
	ctx, cancel := context.WithCancel(context.Background())
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := c.get(ctx, "slow", func(bctx context.Context) (int, error) {
			<-release
			return 1, bctx.Err()
		})
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		v, err := c.get(context.Background(), "slow", func(context.Context) (int, error) { return 2, nil })
		got <- fmt.Sprint(v, err)
	}()
	close(release)
	if s := <-got; s != "1 <nil>" && s != "2 <nil>" {
		t.Fatalf("second caller got %s", s)
	}
}
