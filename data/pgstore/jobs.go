package pgstore

import (
	"context"

	"github.com/placeteam/placeteam/data/jobqueue"
)

// JobQueue opens the durable job queue in the store's database (River's
// tables beside the store's, in the placeteam schema; see data/jobqueue).
// Every process sharing the database may open one: each attempt of a job
// runs on exactly one of them. Stop the queue before closing the store.
func (s *Store) JobQueue(ctx context.Context, cfg jobqueue.Config) (*jobqueue.Queue, error) {
	return jobqueue.NewPostgres(ctx, s.pool, cfg)
}
