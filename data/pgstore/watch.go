package pgstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/store"
)

// Channel is the NOTIFY channel of configuration writes. Each payload is
// JSON: {"configuration": name, "version": latest version, 0 when deleted};
// an empty name means anything may have changed (a dataset replacement).
const Channel = "placeteam_configurations"

// maxPayload keeps a notification under PostgreSQL's 8000-byte limit: a
// longer name is announced as "everything" instead.
const maxPayload = 7000

// changePayload is a notification's JSON.
type changePayload struct {
	Configuration string `json:"configuration"`
	Version       int    `json:"version"`
}

// notify announces a configuration write from inside its transaction, so
// the notification goes out when (and only if) the write commits.
func notify(ctx context.Context, tx pgx.Tx, name string, version int) error {
	payload, err := json.Marshal(changePayload{Configuration: name, Version: version})
	if err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	if len(payload) > maxPayload {
		if payload, err = json.Marshal(changePayload{}); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, Channel, string(payload)); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// Reconnection delays of Watch: doubling from the first to the last.
const (
	watchRetryFirst = 100 * time.Millisecond
	watchRetryMax   = 5 * time.Second
)

// Watch calls fn for every configuration write committed by any process
// sharing the database (this one included), in commit order: a save with
// the name and its new latest version, a delete with version 0, a dataset
// replacement with an empty name ("anything may have changed"). It holds
// one connection of its own that LISTENs; when that connection is lost it
// reconnects (retrying with a growing delay, up to 5 s) and then calls fn
// with store.Change{} — an empty name — since writes may have been missed
// meanwhile. fn runs on Watch's goroutine: it should be quick. Watch
// returns nil when ctx ends or the store is closed.
func (s *Store) Watch(ctx context.Context, fn func(store.Change)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(s.closed, cancel)
	defer stop()
	delay := watchRetryFirst
	for reconnect := false; ; reconnect = true {
		// A lost or refused connection is not reported (the store has no
		// logger): fn hears of it by the Change{} after reconnecting.
		if s.listen(ctx, fn, reconnect) {
			delay = watchRetryFirst // the connection worked: start the delays again
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, watchRetryMax)
	}
}

// listen connects, LISTENs and delivers notifications until the connection
// fails or ctx ends. After a reconnect it first tells fn that anything may
// have changed. It reports whether LISTEN succeeded.
func (s *Store) listen(ctx context.Context, fn func(store.Change), reconnect bool) bool {
	config := s.pool.Config().ConnConfig
	config.RuntimeParams["application_name"] = "placeteam watch"
	conn, err := pgx.ConnectConfig(ctx, config)
	if err != nil {
		return false
	}
	defer closeConn(ctx, conn)
	if _, err := conn.Exec(ctx, `LISTEN `+Channel); err != nil {
		return false
	}
	if reconnect {
		fn(store.Change{})
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true
		}
		var p changePayload
		if err := json.Unmarshal([]byte(n.Payload), &p); err != nil {
			p = changePayload{} // unreadable: assume anything changed
		}
		fn(store.Change{Configuration: p.Configuration, Version: p.Version})
	}
}
