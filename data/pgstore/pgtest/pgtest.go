// Package pgtest gives tests their own PostgreSQL databases on the server
// named by PLACETEAM_TEST_POSTGRES (scripts/postgres.sh start DIR prints
// such a URL; .ci/run starts one). Without it a test is skipped, except in
// CI (CI=true), where it fails.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable with the URL of a PostgreSQL
// server (with PostGIS available) the tests may create databases on, e.g.
// postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable.
const EnvURL = "PLACETEAM_TEST_POSTGRES"

// AdminURL is the server to test against; without one the test is skipped,
// except in CI, where it fails.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(EnvURL + " is not set; .ci/run starts a cluster with scripts/postgres.sh")
		}
		t.Skip(EnvURL + " is not set (scripts/postgres.sh start DIR prints a server's URL)")
	}
	return u
}

// WithDatabase returns rawURL with its database replaced by name.
func WithDatabase(t testing.TB, rawURL, name string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// Admin runs one statement on the database at rawURL.
func Admin(ctx context.Context, rawURL, sql string) error {
	conn, err := pgx.Connect(ctx, rawURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

// RandomName is prefix and 12 random hex digits: a database name no other
// test (or test binary) uses.
func RandomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// createMu serialises CREATE DATABASE within a test binary: copying a
// template refuses while another session uses it.
var createMu sync.Mutex

// NewDatabase creates a database (a copy of template; "" for the server's
// default, without the placeteam schema or PostGIS) and drops it when the
// test ends. It returns the database's URL.
func NewDatabase(t testing.TB, template string) string {
	t.Helper()
	ctx := context.Background()
	root := AdminURL(t)
	name := RandomName("pt_")
	sql := "CREATE DATABASE " + name
	if template != "" {
		sql += " TEMPLATE " + template
	}
	createMu.Lock()
	err := Admin(ctx, root, sql)
	createMu.Unlock()
	if err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		if err := Admin(ctx, root, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(t, root, name)
}
