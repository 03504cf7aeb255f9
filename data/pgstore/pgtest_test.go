package pgstore

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/placeteam/placeteam/data/pgstore/pgtest"
)

var (
	adminURL     = pgtest.AdminURL
	withDatabase = pgtest.WithDatabase
	admin        = pgtest.Admin
	randomName   = pgtest.RandomName
	newDatabase  = pgtest.NewDatabase
)

// template is a database with the schema applied, made once per test
// binary and copied for each test that wants a fresh store (creating
// PostGIS in every new database would take most of the test time).
var template struct {
	once sync.Once
	name string
	err  error
}

func migratedTemplate(t testing.TB) string {
	t.Helper()
	root := adminURL(t)
	template.once.Do(func() {
		ctx := context.Background()
		name := randomName("pt_template_")
		if template.err = admin(ctx, root, "CREATE DATABASE "+name); template.err != nil {
			return
		}
		template.name = name
		var s *Store
		if s, template.err = Open(ctx, Config{URL: withDatabase(t, root, name)}); template.err != nil {
			return
		}
		template.err = s.Close()
	})
	if template.err != nil {
		t.Fatalf("template database: %v", template.err)
	}
	return template.name
}

// TestMain drops the template database after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if template.name != "" {
		if err := admin(context.Background(), os.Getenv(pgtest.EnvURL), "DROP DATABASE IF EXISTS "+template.name+" WITH (FORCE)"); err != nil {
			fmt.Fprintf(os.Stderr, "drop template database %s: %v\n", template.name, err)
		}
	}
	os.Exit(code)
}

// openFresh opens a store on a new database with the schema applied,
// closing it and dropping the database when the test ends. It returns the
// store and the database's URL, for opening a second store on it.
func openFresh(t testing.TB) (*Store, string) {
	t.Helper()
	u := newDatabase(t, migratedTemplate(t))
	return open(t, u), u
}

// open opens the store at u, closing it when the test ends.
func open(t testing.TB, u string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{URL: u})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
