package sqlitestore

import (
	"context"
	"errors"
	"fmt"
)

// BackupTo writes a consistent copy of the whole store to dest (VACUUM
// INTO: a snapshot, compacted, safe while others read). dest must not
// exist yet: an old backup is never overwritten.
func (s *Store) BackupTo(ctx context.Context, dest string) error {
	if dest == "" {
		return errors.New("sqlitestore: backup: no destination")
	}
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", dest); err != nil {
		return fmt.Errorf("sqlitestore: backup to %s: %w", dest, err)
	}
	return nil
}
