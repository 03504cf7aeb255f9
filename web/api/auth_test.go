package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/placeteam/placeteam/web/api"
)

// writes lists every write endpoint with a body that would succeed.
var writes = []struct{ method, path, body string }{
	{"POST", "/api/configurations", `{"copy_of":"demo-baseline","name":"copy"}`},
	{"DELETE", "/api/configurations/demo-baseline", ""},
	{"POST", "/api/configurations/demo-baseline/moves", `{"moves":[{"ward":"E05999001","team":"N2"}]}`},
	{"POST", "/api/configurations/demo-baseline/revert", `{"version":1}`},
	{"POST", "/api/configurations/demo-baseline/optimise", `{"objective":"min_local"}`},
	{"POST", "/api/scenarios", `{"configuration":"demo-baseline","k":2,"name":"s"}`},
	{"DELETE", "/api/jobs/1", ""},
	{"POST", "/api/configurations/demo-baseline/restore", ""},
}

// TestAccessControl: with tokens, every write answers 401 without one and
// 403 with a viewer's; reads need a viewer (or --public-read); an editor's
// move is authored and audited as the editor whatever the body says;
// revoked and expired tokens are refused; the audit trail is an admin's.
func TestAccessControl(t *testing.T) {
	core, _ := testCore(t, noJobs)
	ctx := context.Background()
	viewerSecret, _, err := core.CreateToken(ctx, "vic", "viewer", 0)
	if err != nil {
		t.Fatal(err)
	}
	editorSecret, _, err := core.CreateToken(ctx, "ed", "editor", 0)
	if err != nil {
		t.Fatal(err)
	}
	adminSecret, _, err := core.CreateToken(ctx, "ada", "admin", 0)
	if err != nil {
		t.Fatal(err)
	}
	shortSecret, _, err := core.CreateToken(ctx, "brief", "admin", time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	goneSecret, _, err := core.CreateToken(ctx, "gone", "admin", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := core.RevokeToken(ctx, "gone"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond) // "brief" has expired
	newServer := func(access api.Access) *httptest.Server {
		srv := httptest.NewServer(api.New(api.Config{Core: core, Access: &access, Logger: slog.New(slog.DiscardHandler)}))
		t.Cleanup(srv.Close)
		return srv
	}
	srv := newServer(api.Access{})
	bearer := func(s string) map[string]string { return map[string]string{"Authorization": "Bearer " + s} }
	for _, w := range writes {
		res, _ := do(t, srv, exchange{"no token " + w.path, w.method, w.path, nil, w.body, 401, problemCT, nil})
		if !strings.Contains(res.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("%s %s: WWW-Authenticate %q", w.method, w.path, res.Header.Get("WWW-Authenticate"))
		}
		do(t, srv, exchange{"viewer " + w.path, w.method, w.path, bearer(viewerSecret), w.body, 403, problemCT, []string{"role"}})
	}
	do(t, srv, exchange{"editor may not delete", "DELETE", "/api/configurations/demo-baseline", bearer(editorSecret), "", 403, problemCT, nil})
	for _, x := range []exchange{
		{"read without token", "GET", "/api/configurations", nil, "", 401, problemCT, nil},
		{"tile without token", "GET", "/tiles/demo-baseline/12/2047/1362.mvt", nil, "", 401, problemCT, nil},
		{"health is open", "GET", "/healthz", nil, "", 200, jsonCT, nil},
		{"viewer reads", "GET", "/api/configurations", bearer(viewerSecret), "", 200, jsonCT, []string{"demo-baseline"}},
		{"viewer what-if", "POST", "/api/configurations/demo-baseline/evaluate", bearer(viewerSecret), `{"moves":[{"ward":"E05999001","team":"N2"}]}`, 200, jsonCT, nil},
		{"unknown token", "GET", "/api/configurations", bearer("pt_nope"), "", 401, problemCT, []string{"unknown token"}},
		{"revoked token", "GET", "/api/configurations", bearer(goneSecret), "", 401, problemCT, []string{"revoked"}},
		{"expired token", "GET", "/api/configurations", bearer(shortSecret), "", 401, problemCT, []string{"expired"}},
		{"not bearer", "GET", "/api/configurations", map[string]string{"Authorization": "Basic YTpi"}, "", 401, problemCT, nil},
		{"audit needs admin", "GET", "/api/audit", bearer(editorSecret), "", 403, problemCT, nil},
		{"whoami", "GET", "/api/whoami", bearer(editorSecret), "", 200, jsonCT, []string{`"name":"ed"`, `"role":"editor"`}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
	// An editor's move, claiming to be someone else.
	do(t, srv, exchange{"editor moves", "POST", "/api/configurations/demo-baseline/moves",
		map[string]string{"Authorization": "Bearer " + editorSecret, "If-Match": `"demo-baseline.v1"`},
		`{"moves":[{"ward":"E05999001","team":"N2"}],"author":"the mayor","note":"forged?"}`, 200, jsonCT, nil})
	do(t, srv, exchange{"history", "GET", "/api/configurations/demo-baseline/versions", bearer(viewerSecret), "", 200, jsonCT,
		[]string{`"author":"ed","note":"forged?"`}})
	_, body := do(t, srv, exchange{"audit", "GET", "/api/audit?target=demo-baseline", bearer(adminSecret), "", 200, jsonCT, nil})
	var trail struct {
		Entries []struct{ Who, Role, From, Action, Target string }
	}
	if err := json.Unmarshal([]byte(body), &trail); err != nil || len(trail.Entries) != 1 {
		t.Fatalf("audit: %v %s", err, body)
	}
	if e := trail.Entries[0]; e.Who != "ed" || e.Role != "editor" || e.Action != "configuration.move" || e.From != "127.0.0.1" {
		t.Errorf("audit entry %+v", e)
	}
	_, body = do(t, srv, exchange{"token audit", "GET", "/api/audit?target=gone", bearer(adminSecret), "", 200, jsonCT, []string{"token.revoke", "token.create"}})
	_ = body

	// Public read: reads without a token, writes still need one.
	pub := newServer(api.Access{PublicRead: true})
	do(t, pub, exchange{"public read", "GET", "/api/configurations", nil, "", 200, jsonCT, nil})
	do(t, pub, exchange{"public write", "POST", "/api/configurations/demo-baseline/revert", nil, `{"version":1}`, 401, problemCT, nil})
}
