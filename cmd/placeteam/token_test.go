package main

import (
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/web/oidc/oidctest"
)

// TestTokensAndModes: serve refuses a non-loopback address with no
// tokens; token create prints a secret once and keeps only its hash;
// list shows it, revoke ends it; the audit trail records both and the
// import.
func TestTokensAndModes(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	if _, err := run(t, "serve", "--db", db, "--addr", "0.0.0.0:0"); err == nil || !strings.Contains(err.Error(), "refusing to listen") {
		t.Fatalf("serve on 0.0.0.0 with no tokens: %v", err)
	}
	for addr, want := range map[string]bool{"127.0.0.1:8080": true, "localhost:1": true, "[::1]:80": true, ":8080": false, "0.0.0.0:1": false, "10.0.0.5:80": false} {
		if loopback(addr) != want {
			t.Errorf("loopback(%q) = %v", addr, !want)
		}
	}
	out, err := run(t, "token", "create", "--db", db, "--name", "ci", "--role", "editor", "--expires", "90d")
	if err != nil {
		t.Fatalf("token create: %v\n%s", err, out)
	}
	secret := strings.TrimSpace(strings.Split(out, "\n")[0])
	if !strings.HasPrefix(secret, "pt_") || len(secret) < 40 {
		t.Fatalf("secret %q", secret)
	}
	st, err := sqlitestore.Open(t.Context(), sqlitestore.Config{Path: db, MustExist: true})
	if err != nil {
		t.Fatal(err)
	}
	tokens, err := st.Tokens(t.Context())
	st.Close()
	if err != nil || len(tokens) != 1 || tokens[0].Hash == secret || strings.Contains(tokens[0].Hash, secret) {
		t.Fatalf("stored tokens %+v, %v", tokens, err)
	}
	if _, err := run(t, "token", "create", "--db", db, "--name", "x", "--role", "root"); err == nil {
		t.Error("a role that does not exist was accepted")
	}
	if _, err := run(t, "token", "create", "--db", db, "--name", "x", "--role", "viewer", "--expires", "soon"); err == nil {
		t.Error("a bad lifetime was accepted")
	}
	list, err := run(t, "token", "list", "--db", db)
	if err != nil || !strings.Contains(list, "ci") || !strings.Contains(list, "editor") || strings.Contains(list, secret) {
		t.Errorf("token list: %v\n%s", err, list)
	}
	if _, err := run(t, "token", "revoke", "--db", db, "ci"); err != nil {
		t.Fatal(err)
	}
	if list, _ := run(t, "token", "list", "--db", db); !strings.Contains(list, "revoked") {
		t.Errorf("after revoke:\n%s", list)
	}
	audit, err := run(t, "audit", "--db", db)
	if err != nil || !strings.Contains(audit, "token.create") || !strings.Contains(audit, "token.revoke") {
		t.Errorf("audit: %v\n%s", err, audit)
	}
}

// TestServeOIDC: with an identity provider trusted, serve starts on a
// non-loopback address with no tokens in the store, and requires a
// token: the provider's (named by its email claim) is accepted, none is
// 401. Half-given or unreachable provider settings stop the start.
func TestServeOIDC(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if out, err := run(t, "demo", "--db", db); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	iss := oidctest.NewIssuer(t)
	if _, err := run(t, "serve", "--db", db, "--addr", "0.0.0.0:0", "--oidc-issuer", iss.URL); err == nil || !strings.Contains(err.Error(), "--oidc-audience") {
		t.Errorf("issuer without audience: %v", err)
	}
	if _, err := run(t, "serve", "--db", db, "--oidc-audience", "placeteam"); err == nil || !strings.Contains(err.Error(), "need --oidc-issuer") {
		t.Errorf("audience without issuer: %v", err)
	}
	if _, err := run(t, "serve", "--db", db, "--oidc-issuer", iss.URL, "--oidc-audience", "placeteam", "--oidc-role-map", "planners=owner"); err == nil || !strings.Contains(err.Error(), "role map") {
		t.Errorf("bad role map: %v", err)
	}
	if _, err := run(t, "serve", "--db", db, "--oidc-issuer", "http://127.0.0.1:1", "--oidc-audience", "placeteam"); err == nil || !strings.Contains(err.Error(), "discovery") {
		t.Errorf("unreachable issuer: %v", err)
	}
	base, _ := replicaProcess(t, db, "--addr", "0.0.0.0:0", "--oidc-issuer", iss.URL, "--oidc-audience", "placeteam",
		"--oidc-role-claim", "groups", "--oidc-role-map", "planners=editor")
	_, port, err := net.SplitHostPort(strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	base = "http://127.0.0.1:" + port
	get := func(bearer string) (int, string) {
		req, _ := http.NewRequest("GET", base+"/api/whoami", nil)
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get(""); code != http.StatusUnauthorized {
		t.Errorf("no token: %d %s", code, body)
	}
	tok := iss.Token(t, oidctest.Claims{Subject: "u1", Audience: "placeteam", Extra: map[string]any{"email": "pat@city.example", "groups": []string{"planners"}}})
	if code, body := get(tok); code != http.StatusOK || !strings.Contains(body, `"name":"pat@city.example"`) || !strings.Contains(body, `"role":"editor"`) {
		t.Errorf("OIDC token: %d %s", code, body)
	}
}
