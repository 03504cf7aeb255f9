package oidc_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/web/oidc"
	"github.com/placeteam/placeteam/web/oidc/oidctest"
)

// TestVerify: tokens that verify act with their mapped role (the highest
// of several); wrong issuer, audience, key, expired ones are
// unauthenticated; a token without a mapped role has no role.
func TestVerify(t *testing.T) {
	iss := oidctest.NewIssuer(t)
	ctx := context.Background()
	plain, err := oidc.New(ctx, oidc.Config{Issuer: iss.URL, Audience: "placeteam"})
	if err != nil {
		t.Fatal(err)
	}
	roleMap, err := oidc.ParseRoleMap([]string{"planners=editor", "placeteam-admins=admin", "staff=viewer"})
	if err != nil {
		t.Fatal(err)
	}
	groups, err := oidc.New(ctx, oidc.Config{Issuer: iss.URL, Audience: "placeteam", RoleClaim: "groups", RoleMap: roleMap, NameClaim: "preferred_username"})
	if err != nil {
		t.Fatal(err)
	}
	other := oidctest.NewKey(t)
	for _, tc := range []struct {
		name     string
		verifier *oidc.Verifier
		token    string
		wantName string
		wantRole string
		wantErr  error
		wantText string
	}{
		{"role claim", plain, iss.Token(t, oidctest.Claims{Subject: "u1", Audience: "placeteam",
			Extra: map[string]any{"email": "ed@example.org", "placeteam_role": "editor"}}), "ed@example.org", "editor", nil, ""},
		{"no email: sub", plain, iss.Token(t, oidctest.Claims{Subject: "u2", Audience: "placeteam",
			Extra: map[string]any{"placeteam_role": "viewer"}}), "u2", "viewer", nil, ""},
		{"groups: highest mapped", groups, iss.Token(t, oidctest.Claims{Subject: "u3", Audience: "placeteam",
			Extra: map[string]any{"preferred_username": "ada", "groups": []string{"staff", "placeteam-admins", "planners"}}}), "ada", "admin", nil, ""},
		{"groups: unmapped role name ignored", groups, iss.Token(t, oidctest.Claims{Subject: "u4", Audience: "placeteam",
			Extra: map[string]any{"groups": []string{"admin", "staff"}}}), "u4", "viewer", nil, ""},
		{"no role", plain, iss.Token(t, oidctest.Claims{Subject: "u5", Audience: "placeteam",
			Extra: map[string]any{"email": "x@example.org"}}), "", "", planning.ErrNoRole, "x@example.org"},
		{"unknown role value", plain, iss.Token(t, oidctest.Claims{Subject: "u6", Audience: "placeteam",
			Extra: map[string]any{"placeteam_role": "owner"}}), "", "", planning.ErrNoRole, "placeteam_role"},
		{"no mapped group", groups, iss.Token(t, oidctest.Claims{Subject: "u7", Audience: "placeteam",
			Extra: map[string]any{"groups": []string{"visitors"}}}), "", "", planning.ErrNoRole, ""},
		{"wrong issuer", plain, iss.Token(t, oidctest.Claims{Issuer: "https://evil.example", Subject: "u", Audience: "placeteam",
			Extra: map[string]any{"placeteam_role": "admin"}}), "", "", planning.ErrUnauthenticated, "issue"},
		{"wrong audience", plain, iss.Token(t, oidctest.Claims{Subject: "u", Audience: "someone-else",
			Extra: map[string]any{"placeteam_role": "admin"}}), "", "", planning.ErrUnauthenticated, "audience"},
		{"bad signature", plain, iss.TokenWithKey(t, other, oidctest.Claims{Subject: "u", Audience: "placeteam",
			Extra: map[string]any{"placeteam_role": "admin"}}), "", "", planning.ErrUnauthenticated, "signature"},
		{"expired", plain, iss.Token(t, oidctest.Claims{Subject: "u", Audience: "placeteam", Expiry: time.Now().Add(-time.Minute),
			Extra: map[string]any{"placeteam_role": "admin"}}), "", "", planning.ErrUnauthenticated, "expired"},
		{"not a jwt", plain, "hello", "", "", planning.ErrUnauthenticated, ""},
		{"huge", plain, strings.Repeat("a", 20000), "", "", planning.ErrUnauthenticated, "longer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			actor, err := tc.verifier.Verify(ctx, tc.token)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err %v, want %v", err, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantText) {
					t.Errorf("err %q, want it to say %q", err, tc.wantText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if actor.Name != tc.wantName || actor.Role != tc.wantRole {
				t.Errorf("actor %+v, want %s as %s", actor, tc.wantName, tc.wantRole)
			}
		})
	}
}

// TestNew: a bad configuration or an issuer that cannot be discovered is
// an error at start.
func TestNew(t *testing.T) {
	iss := oidctest.NewIssuer(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		cfg  oidc.Config
		want string
	}{
		{"no issuer", oidc.Config{Audience: "a"}, "no issuer"},
		{"no audience", oidc.Config{Issuer: iss.URL}, "no audience"},
		{"bad role in map", oidc.Config{Issuer: iss.URL, Audience: "a", RoleMap: map[string]string{"g": "owner"}}, "owner"},
		{"nothing there", oidc.Config{Issuer: iss.URL + "/nowhere", Audience: "a"}, "discovery"},
		{"issuer mismatch", oidc.Config{Issuer: strings.Replace(iss.URL, "127.0.0.1", "localhost", 1), Audience: "a"}, "discovery"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := oidc.New(ctx, tc.cfg)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want it to say %q", err, tc.want)
			}
		})
	}
}

func TestParseRoleMap(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want map[string]string
		err  bool
	}{
		{[]string{"a=admin", " b = viewer "}, map[string]string{"a": "admin", "b": "viewer"}, false},
		{[]string{"a=admin", "a=admin"}, map[string]string{"a": "admin"}, false},
		{[]string{"a"}, nil, true},
		{[]string{"=admin"}, nil, true},
		{[]string{"a=owner"}, nil, true},
		{[]string{"a=admin", "a=viewer"}, nil, true},
	} {
		got, err := oidc.ParseRoleMap(tc.in)
		if (err != nil) != tc.err {
			t.Errorf("%q: err %v", tc.in, err)
			continue
		}
		if len(got) != len(tc.want) {
			t.Errorf("%q: got %v, want %v", tc.in, got, tc.want)
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%q: %s → %q, want %q", tc.in, k, got[k], v)
			}
		}
	}
}
