package sqlitestore

import (
	"context"

	"github.com/placeteam/placeteam/data/jobqueue"
)

// JobQueue opens the durable job queue in the store's file (River's
// tables beside the store's; see data/jobqueue). Stop the queue before
// closing the store.
func (s *Store) JobQueue(ctx context.Context, cfg jobqueue.Config) (*jobqueue.Queue, error) {
	return jobqueue.NewSQLite(ctx, s.db, cfg)
}
