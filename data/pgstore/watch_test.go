package pgstore

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/data/store/storetest"
)

// notificationWait bounds how long a test waits for a notification.
const notificationWait = 5 * time.Second

// watching starts s.Watch, returning its changes, and waits until its
// connection is listening (seen in pg_stat_activity). The watch stops when
// the test ends.
func watching(t *testing.T, s *Store, u string) <-chan store.Change {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	changes := make(chan store.Change, 100)
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx, func(c store.Change) { changes <- c }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Watch returned %v, want nil", err)
			}
		case <-time.After(notificationWait):
			t.Error("Watch did not return after its context ended")
		}
	})
	waitForListener(t, u)
	return changes
}

// waitForListener waits until a connection to the database at u has run
// LISTEN, and returns its backend pid.
func waitForListener(t *testing.T, u string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	deadline := time.Now().Add(notificationWait)
	for time.Now().Before(deadline) {
		var pid int
		err := conn.QueryRow(ctx, `SELECT pid FROM pg_stat_activity
			WHERE datname = current_database() AND application_name = 'placeteam watch' AND query LIKE 'LISTEN%'`).Scan(&pid)
		if err == nil {
			return pid
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("no connection is listening")
	return 0
}

// next returns the next change, failing after notificationWait.
func next(t *testing.T, changes <-chan store.Change, what string) store.Change {
	t.Helper()
	select {
	case c := <-changes:
		return c
	case <-time.After(notificationWait):
		t.Fatalf("no notification within %v of %s", notificationWait, what)
		return store.Change{}
	}
}

// TestWatch: writes through a second store (another process) reach the
// first store's watcher, in commit order.
func TestWatch(t *testing.T) {
	ctx := context.Background()
	watcher, u := openFresh(t)
	writer := open(t, u)
	changes := watching(t, watcher, u)
	steps := []struct {
		what  string
		write func() error
		want  store.Change
	}{
		{"a dataset replacement", func() error {
			return writer.ReplaceDataset(ctx, storetest.Dataset(), []*configuration.Configuration{storetest.Configuration("a")}, store.ImportRecord{Manifest: "m"})
		}, store.Change{}},
		{"a save", func() error {
			_, err := writer.SaveConfiguration(ctx, storetest.Configuration("a"), store.VersionMeta{Author: "w"})
			return err
		}, store.Change{Configuration: "a", Version: 2}},
		{"a conditional save of a new name", func() error {
			_, err := writer.SaveConfigurationIf(ctx, storetest.Configuration("b"), store.VersionMeta{}, store.NoVersion)
			return err
		}, store.Change{Configuration: "b", Version: 1}},
		{"a delete", func() error { return writer.DeleteConfiguration(ctx, "a") }, store.Change{Configuration: "a", Version: 0}},
	}
	for _, step := range steps {
		if err := step.write(); err != nil {
			t.Fatalf("%s: %v", step.what, err)
		}
		if got := next(t, changes, step.what); got != step.want {
			t.Errorf("after %s: change %+v, want %+v", step.what, got, step.want)
		}
	}
	// A refused write announces nothing.
	if _, err := writer.SaveConfigurationIf(ctx, storetest.Configuration("b"), store.VersionMeta{}, 7); err == nil {
		t.Fatal("stale save succeeded")
	}
	if _, err := writer.SaveConfiguration(ctx, storetest.Configuration("c"), store.VersionMeta{}); err != nil {
		t.Fatal(err)
	}
	if got, want := next(t, changes, "a save after a refused one"), (store.Change{Configuration: "c", Version: 1}); got != want {
		t.Errorf("after a refused save and a save: change %+v, want %+v", got, want)
	}
}

// TestWatchReconnects: when the listening connection is lost, Watch
// reconnects, says "anything may have changed", and goes on delivering.
func TestWatchReconnects(t *testing.T) {
	ctx := context.Background()
	watcher, u := openFresh(t)
	if err := watcher.ReplaceDataset(ctx, storetest.Dataset(), []*configuration.Configuration{storetest.Configuration("a")}, store.ImportRecord{Manifest: "m"}); err != nil {
		t.Fatal(err)
	}
	changes := watching(t, watcher, u)
	pid := waitForListener(t, u)
	if err := admin(ctx, u, "SELECT pg_terminate_backend("+itoa(pid)+")"); err != nil {
		t.Fatal(err)
	}
	if got := next(t, changes, "losing the connection"); got != (store.Change{}) {
		t.Fatalf("after reconnecting: change %+v, want the empty change", got)
	}
	waitForListener(t, u)
	if _, err := open(t, u).SaveConfiguration(ctx, storetest.Configuration("a"), store.VersionMeta{}); err != nil {
		t.Fatal(err)
	}
	if got, want := next(t, changes, "a save after reconnecting"), (store.Change{Configuration: "a", Version: 2}); got != want {
		t.Errorf("change %+v, want %+v", got, want)
	}
}

// TestWatchEndsWithStore: closing the store ends its watchers.
func TestWatchEndsWithStore(t *testing.T) {
	s, u := openFresh(t)
	done := make(chan error, 1)
	go func() { done <- s.Watch(context.Background(), func(store.Change) {}) }()
	waitForListener(t, u)
	s.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Watch returned %v, want nil", err)
		}
	case <-time.After(notificationWait):
		t.Fatal("Watch did not return after Close")
	}
}
