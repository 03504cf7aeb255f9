package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// envURL names the environment variable with the URL of a PostgreSQL
// server (with PostGIS available) the tests may create databases on, e.g.
// postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable from
// scripts/postgres.sh start DIR.
const envURL = "PLACETEAM_TEST_POSTGRES"

// adminURL is the server to test against; without one the test is skipped,
// except in CI, where it fails.
func adminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(envURL)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("PLACETEAM_TEST_POSTGRES is not set; .ci/run starts a cluster with scripts/postgres.sh")
		}
		t.Skip("PLACETEAM_TEST_POSTGRES is not set (scripts/postgres.sh start DIR prints a server's URL)")
	}
	return u
}

// withDatabase returns rawURL with its database replaced by name.
func withDatabase(t testing.TB, rawURL, name string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// admin runs one statement on the server's admin database.
func admin(ctx context.Context, rawURL, sql string) error {
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// createMu serialises CREATE DATABASE: copying the template refuses while
// another session uses it.
var createMu sync.Mutex

// newDatabase creates a database (a copy of template; "" for the server's
// default, without the placeteam schema or PostGIS) and drops it when the
// test ends. It returns the database's URL.
func newDatabase(t testing.TB, template string) string {
	t.Helper()
	ctx := context.Background()
	root := adminURL(t)
	name := randomName("pt_")
	sql := "CREATE DATABASE " + name
	if template != "" {
		sql += " TEMPLATE " + template
	}
	createMu.Lock()
	err := admin(ctx, root, sql)
	createMu.Unlock()
	if err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if err := admin(ctx, root, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return withDatabase(t, root, name)
}

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
		if err := admin(context.Background(), os.Getenv(envURL), "DROP DATABASE IF EXISTS "+template.name+" WITH (FORCE)"); err != nil {
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
