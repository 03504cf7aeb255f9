package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/api"
	"github.com/placeteam/placeteam/web/oidc"
	"github.com/placeteam/placeteam/web/oidc/oidctest"
)

// TestOIDCAccess: with an identity provider trusted (a test issuer on
// loopback), its tokens act with the role their groups map to, beside
// placeteam tokens; tokens with a wrong issuer, audience, signature or an
// expiry in the past are 401; a verified token with no role is 403; an
// editor's move is authored and audited under the provider's name for
// them, whatever the body says.
func TestOIDCAccess(t *testing.T) {
	iss := oidctest.NewIssuer(t)
	ctx := context.Background()
	roles, err := oidc.ParseRoleMap([]string{"planners=editor", "readers=viewer"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := oidc.New(ctx, oidc.Config{Issuer: iss.URL, Audience: "placeteam", RoleClaim: "groups", RoleMap: roles})
	if err != nil {
		t.Fatal(err)
	}
	core, _ := testCoreWith(t, noJobs, func(c *planning.Config) { c.Verifier = v })
	adminSecret, _, err := core.CreateToken(ctx, "ada", "admin", 0)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Core: core, Access: &api.Access{}, Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)

	token := func(c oidctest.Claims) map[string]string {
		if c.Audience == "" {
			c.Audience = "placeteam"
		}
		return map[string]string{"Authorization": "Bearer " + iss.Token(t, c)}
	}
	editorClaims := oidctest.Claims{Subject: "u-ed", Extra: map[string]any{"email": "ed@city.example", "groups": []string{"planners"}}}
	editor := token(editorClaims)
	reader := token(oidctest.Claims{Subject: "u-vi", Extra: map[string]any{"email": "vi@city.example", "groups": []string{"readers"}}})
	for _, x := range []exchange{
		{"editor reads", "GET", "/api/configurations", editor, "", 200, jsonCT, []string{"demo-baseline"}},
		{"whoami", "GET", "/api/whoami", editor, "", 200, jsonCT, []string{`"name":"ed@city.example"`, `"role":"editor"`}},
		{"placeteam token still works", "GET", "/api/whoami", map[string]string{"Authorization": "Bearer " + adminSecret}, "", 200, jsonCT, []string{`"name":"ada"`}},
		{"wrong issuer", "GET", "/api/configurations", token(oidctest.Claims{Issuer: "https://idp.evil.example", Subject: "u-ed",
			Extra: editorClaims.Extra}), "", 401, problemCT, []string{"not authenticated"}},
		{"wrong audience", "GET", "/api/configurations", token(oidctest.Claims{Audience: "another-app", Subject: "u-ed",
			Extra: editorClaims.Extra}), "", 401, problemCT, []string{"audience"}},
		{"wrong signature", "GET", "/api/configurations", map[string]string{"Authorization": "Bearer " + iss.TokenWithKey(t, oidctest.NewKey(t),
			oidctest.Claims{Audience: "placeteam", Subject: "u-ed", Extra: editorClaims.Extra})}, "", 401, problemCT, []string{"signature"}},
		{"expired", "GET", "/api/configurations", token(oidctest.Claims{Subject: "u-ed", Expiry: time.Now().Add(-time.Minute),
			Extra: editorClaims.Extra}), "", 401, problemCT, []string{"expired"}},
		{"garbage", "GET", "/api/configurations", map[string]string{"Authorization": "Bearer not.a.jwt"}, "", 401, problemCT, nil},
		{"no role", "GET", "/api/configurations", token(oidctest.Claims{Subject: "u-x", Extra: map[string]any{"email": "x@city.example",
			"groups": []string{"visitors"}}}), "", 403, problemCT, []string{"no placeteam role", "x@city.example"}},
		{"viewer may not move", "POST", "/api/configurations/demo-baseline/moves", reader,
			`{"moves":[{"ward":"E05999001","team":"N2"}]}`, 403, problemCT, []string{"editor role"}},
		{"editor may not delete", "DELETE", "/api/configurations/demo-baseline", editor, "", 403, problemCT, []string{"admin role"}},
	} {
		t.Run(x.name, func(t *testing.T) { do(t, srv, x) })
	}
	move := map[string]string{"Authorization": editor["Authorization"], "If-Match": `"demo-baseline.v1"`}
	do(t, srv, exchange{"editor moves", "POST", "/api/configurations/demo-baseline/moves", move,
		`{"moves":[{"ward":"E05999001","team":"N2"}],"author":"the mayor","note":"via the IdP"}`, 200, jsonCT, nil})
	do(t, srv, exchange{"history", "GET", "/api/configurations/demo-baseline/versions", reader, "", 200, jsonCT,
		[]string{`"author":"ed@city.example","note":"via the IdP"`}})
	_, body := do(t, srv, exchange{"audit", "GET", "/api/audit?target=demo-baseline", map[string]string{"Authorization": "Bearer " + adminSecret}, "", 200, jsonCT, nil})
	var trail struct {
		Entries []struct{ Who, Role, Action string }
	}
	if err := json.Unmarshal([]byte(body), &trail); err != nil || len(trail.Entries) != 1 {
		t.Fatalf("audit: %v %s", err, body)
	}
	if e := trail.Entries[0]; e.Who != "ed@city.example" || e.Role != "editor" || e.Action != "configuration.move" {
		t.Errorf("audit entry %+v", e)
	}
}
