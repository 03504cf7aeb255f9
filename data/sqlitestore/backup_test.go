package sqlitestore

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
)

// TestBackupTo copies the store to a file that opens as the same store, and
// refuses to overwrite an existing backup.
func TestBackupTo(t *testing.T) {
	ctx := context.Background()
	s, _ := openTemp(t)
	if err := s.ReplaceDataset(ctx, testDataset(), []*configuration.Configuration{testConfiguration("a")}, testRecord("m", time.Unix(5, 0))); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "placeteam.db.bak-20260101T000000")
	if err := s.BackupTo(ctx, dest); err != nil {
		t.Fatalf("BackupTo: %v", err)
	}
	b := open(t, dest)
	got, err := b.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "dataset in backup", got, testDataset())
	if _, _, err := b.Configuration(ctx, "a"); err != nil {
		t.Errorf("configuration in backup: %v", err)
	}
	if err := s.BackupTo(ctx, dest); err == nil {
		t.Error("BackupTo overwrote an existing backup")
	}
}
