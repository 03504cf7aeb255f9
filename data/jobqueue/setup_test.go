package jobqueue

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river/rivertype"

	"github.com/placeteam/placeteam/data/pgstore/pgtest"
	"github.com/placeteam/placeteam/data/store"
)

// TestPostgresSchema: replicas opening a database that has no placeteam
// schema yet create it once and put River's tables there, not in public.
func TestPostgresSchema(t *testing.T) {
	dbURL := pgtest.NewDatabase(t, "")
	testConcurrentOpen(t, postgresReplicas(dbURL))

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for table, want := range map[string]bool{"placeteam.river_job": true, "public.river_job": false} {
		var exists bool
		if err := conn.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil {
			t.Fatal(err)
		}
		if exists != want {
			t.Errorf("%s exists: %v, want %v", table, exists, want)
		}
	}
}

// TestSQLiteNeedsBusyTimeout: without it, replicas would fail on each
// other's writes with SQLITE_BUSY.
func TestSQLiteNeedsBusyTimeout(t *testing.T) {
	db, err := sql.Open("sqlite", sqliteDSN(filepath.Join(t.TempDir(), "placeteam.db"), false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := NewSQLite(context.Background(), db, Config{}); err == nil {
		t.Error("NewSQLite accepted a database without busy_timeout")
	}
}

func TestConfigRefusesNegative(t *testing.T) {
	db := freshSQLite(t)
	for _, cfg := range []Config{{Workers: -1}, {MaxAttempts: -1}, {JobTimeout: -1}} {
		if _, err := db(t, cfg); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%+v: %v, want store.ErrInvalid", cfg, err)
		}
	}
}

func TestStateOf(t *testing.T) {
	failedOnce := []rivertype.AttemptError{{Attempt: 1, Error: "boom"}}
	tests := []struct {
		river  rivertype.JobState
		errors []rivertype.AttemptError
		want   State
	}{
		{rivertype.JobStateAvailable, nil, StateQueued},
		{rivertype.JobStateScheduled, nil, StateQueued},
		{rivertype.JobStatePending, nil, StateQueued},
		{rivertype.JobStateAvailable, failedOnce, StateRetrying},
		{rivertype.JobStateRetryable, failedOnce, StateRetrying},
		{rivertype.JobStateRunning, failedOnce, StateRunning},
		{rivertype.JobStateCompleted, failedOnce, StateCompleted},
		{rivertype.JobStateDiscarded, failedOnce, StateFailed},
		{rivertype.JobStateCancelled, nil, StateCancelled},
	}
	for _, tt := range tests {
		if got := stateOf(&rivertype.JobRow{State: tt.river, Errors: tt.errors}); got != tt.want {
			t.Errorf("%s with %d errors: %s, want %s", tt.river, len(tt.errors), got, tt.want)
		}
	}
}
