package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/planning"
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

// TestConfigAdd: config add saves through the core, as the OS user and
// audited; a file that says what the latest version says (wards in another
// order) saves nothing; a changed one saves the next version.
func TestConfigAdd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	yml, err := run(t, "config", "show", "--db", db, "demo-baseline")
	if err != nil {
		t.Fatal(err)
	}
	c, err := configuration.Read(strings.NewReader(yml), "show")
	if err != nil {
		t.Fatal(err)
	}
	write := func(c *configuration.Configuration) string {
		b, err := yaml.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(t.TempDir(), "c.yaml")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	same := c.Clone()
	slices.Reverse(same.Localities[0].Teams[0].Wards)
	if out, err := run(t, "config", "add", "--db", db, write(same)); err != nil || !strings.Contains(out, "unchanged from version 1: nothing saved") {
		t.Fatalf("unchanged add: %v\n%s", err, out)
	}
	changed := c.Clone()
	changed.Title = "Renamed"
	if out, err := run(t, "config", "add", "--db", db, "--note", "new title", write(changed)); err != nil || !strings.Contains(out, "saved demo-baseline version 2") {
		t.Fatalf("changed add: %v\n%s", err, out)
	}
	who, _ := planning.ActorFrom(cliActor(t.Context()))
	audit, err := run(t, "audit", "--db", db)
	if err != nil || !strings.Contains(audit, "configuration.save") || !strings.Contains(audit, who.Name) {
		t.Fatalf("audit: %v\n%s", err, audit)
	}
	if strings.Count(audit, "configuration.save") != 1 {
		t.Errorf("the unchanged add was audited as a save:\n%s", audit)
	}
}
