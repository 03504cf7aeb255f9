package planning

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ReadyTimeout bounds Ready's store query.
const ReadyTimeout = 2 * time.Second

// ErrNotReady is wrapped by Ready's errors.
var ErrNotReady = errors.New("planning: not ready")

// Ready reports whether the core can answer: its dataset and ward tables
// are loaded and the store answers a cheap query within ReadyTimeout.
// A nil or unloaded Service is not ready.
func (s *Service) Ready(ctx context.Context) error {
	if s == nil || s.ds == nil || s.tables == nil {
		return fmt.Errorf("%w: the dataset's tables are not loaded", ErrNotReady)
	}
	if s.store == nil {
		return fmt.Errorf("%w: no store", ErrNotReady)
	}
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	ok, err := s.store.HasDataset(ctx)
	if err != nil {
		return fmt.Errorf("%w: the store does not answer: %w", ErrNotReady, err)
	}
	if !ok {
		return fmt.Errorf("%w: the store holds no dataset", ErrNotReady)
	}
	return nil
}
