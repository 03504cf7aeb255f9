package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigDeleteRestore: config delete hides a configuration but keeps
// it; config deleted lists it with who deleted it; config restore brings it
// back; a stale --version refuses; the audit trail has both.
func TestConfigDeleteRestore(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	if _, err := run(t, "config", "delete", "--db", db, "--version", "7", "demo-baseline"); err == nil || !strings.Contains(err.Error(), "7") {
		t.Fatalf("delete with a stale version: %v", err)
	}
	if out, err := run(t, "config", "delete", "--db", db, "demo-baseline"); err != nil || !strings.Contains(out, "deleted demo-baseline") {
		t.Fatalf("delete: %v\n%s", err, out)
	}
	if list, err := run(t, "config", "list", "--db", db); err != nil || strings.Contains(list, "demo-baseline") {
		t.Fatalf("list after delete: %v\n%s", err, list)
	}
	deleted, err := run(t, "config", "deleted", "--db", db)
	if err != nil || !strings.Contains(deleted, "demo-baseline\tversion 1\t1 versions") || !strings.Contains(deleted, " by ") {
		t.Fatalf("deleted: %v\n%s", err, deleted)
	}
	if out, err := run(t, "config", "restore", "--db", db, "demo-baseline"); err != nil || !strings.Contains(out, "restored demo-baseline at version 1") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if list, err := run(t, "config", "list", "--db", db); err != nil || !strings.Contains(list, "demo-baseline\tversion 1") {
		t.Fatalf("list after restore: %v\n%s", err, list)
	}
	if _, err := run(t, "config", "restore", "--db", db, "demo-baseline"); err == nil {
		t.Fatal("a second restore with nothing kept succeeded")
	}
	audit, err := run(t, "audit", "--db", db)
	if err != nil || !strings.Contains(audit, "configuration.delete") || !strings.Contains(audit, "configuration.restore") {
		t.Fatalf("audit: %v\n%s", err, audit)
	}
}
