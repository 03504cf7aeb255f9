// Package oidc verifies OpenID Connect bearer tokens (JWTs from an
// identity provider) and turns them into placeteam actors: the issuer is
// found by discovery, its keys from its JWKS, and the role comes from a
// claim, optionally through a map of claim values to roles.
package oidc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"

	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// Defaults for the claims read.
const (
	DefaultRoleClaim = "placeteam_role"
	DefaultNameClaim = "email"
)

// maxTokenBytes bounds the raw token accepted (a hostile header is not
// parsed).
const maxTokenBytes = 16 << 10

// Config says which issuer to trust and how to read its tokens.
type Config struct {
	// Issuer is the issuer URL; its /.well-known/openid-configuration is
	// fetched at start.
	Issuer string
	// Audience is the client id tokens must be issued for (the aud claim).
	Audience string
	// RoleClaim holds the role: a string or a list of strings (e.g.
	// "groups"). Default DefaultRoleClaim.
	RoleClaim string
	// RoleMap maps claim values to roles (e.g. "placeteam-admins" →
	// "admin"). Empty: claim values that are role names are the roles.
	// With a map, only mapped values count.
	RoleMap map[string]string
	// NameClaim names the actor; default DefaultNameClaim. A token without
	// it is named by its sub.
	NameClaim string
	// HTTPClient fetches discovery and keys (default http.DefaultClient).
	HTTPClient *http.Client
}

// Verifier checks tokens from one issuer.
type Verifier struct {
	verifier  *gooidc.IDTokenVerifier
	roleClaim string
	roleMap   map[string]string
	nameClaim string
}

// New fetches the issuer's discovery document and returns a verifier.
func New(ctx context.Context, cfg Config) (*Verifier, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("oidc: no issuer URL")
	}
	if cfg.Audience == "" {
		return nil, errors.New("oidc: no audience (the client id tokens are issued for)")
	}
	for value, role := range cfg.RoleMap {
		if store.RoleRank(role) == 0 {
			return nil, fmt.Errorf("oidc: role map %q=%q: want viewer, editor or admin", value, role)
		}
	}
	if cfg.HTTPClient != nil {
		ctx = gooidc.ClientContext(ctx, cfg.HTTPClient)
	}
	provider, err := gooidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discovery for %s: %w", cfg.Issuer, err)
	}
	v := &Verifier{
		verifier:  provider.Verifier(&gooidc.Config{ClientID: cfg.Audience}),
		roleClaim: cfg.RoleClaim,
		roleMap:   cfg.RoleMap,
		nameClaim: cfg.NameClaim,
	}
	if v.roleClaim == "" {
		v.roleClaim = DefaultRoleClaim
	}
	if v.nameClaim == "" {
		v.nameClaim = DefaultNameClaim
	}
	return v, nil
}

// Verify checks raw (signature, issuer, audience, expiry) and returns
// its actor. A token that fails verification wraps
// planning.ErrUnauthenticated; one that verifies but maps to no role
// wraps planning.ErrNoRole.
func (v *Verifier) Verify(ctx context.Context, raw string) (planning.Actor, error) {
	if len(raw) > maxTokenBytes {
		return planning.Actor{}, fmt.Errorf("%w: oidc: token longer than %d bytes", planning.ErrUnauthenticated, maxTokenBytes)
	}
	token, err := v.verifier.Verify(ctx, raw)
	if err != nil {
		if ctx.Err() != nil {
			return planning.Actor{}, fmt.Errorf("oidc: verify: %w", ctx.Err())
		}
		return planning.Actor{}, fmt.Errorf("%w: %w", planning.ErrUnauthenticated, err)
	}
	var claims map[string]any
	if err := token.Claims(&claims); err != nil {
		return planning.Actor{}, fmt.Errorf("%w: oidc: claims: %w", planning.ErrUnauthenticated, err)
	}
	name, _ := claims[v.nameClaim].(string)
	if name == "" {
		name = token.Subject
	}
	role := v.role(claims[v.roleClaim])
	if role == "" {
		return planning.Actor{}, fmt.Errorf("%w: oidc: %s has no placeteam role in claim %q", planning.ErrNoRole, name, v.roleClaim)
	}
	return planning.Actor{Name: name, Role: role}, nil
}

// role is the highest role the claim's values map to ("" for none).
func (v *Verifier) role(claim any) string {
	var values []string
	switch c := claim.(type) {
	case string:
		values = []string{c}
	case []any:
		for _, x := range c {
			if s, ok := x.(string); ok {
				values = append(values, s)
			}
		}
	}
	best := ""
	for _, value := range values {
		role := value
		if len(v.roleMap) > 0 {
			role = v.roleMap[value]
		}
		if store.RoleRank(role) > store.RoleRank(best) {
			best = role
		}
	}
	return best
}

// ParseRoleMap reads NAME=ROLE entries (a flag's values) into a map.
func ParseRoleMap(entries []string) (map[string]string, error) {
	m := make(map[string]string, len(entries))
	for _, e := range entries {
		name, role, ok := strings.Cut(e, "=")
		name, role = strings.TrimSpace(name), strings.TrimSpace(role)
		if !ok || name == "" || store.RoleRank(role) == 0 {
			return nil, fmt.Errorf("oidc: role map %q: want NAME=ROLE with ROLE viewer, editor or admin", e)
		}
		if prev, dup := m[name]; dup && prev != role {
			return nil, fmt.Errorf("oidc: role map: %q is mapped to both %s and %s", name, prev, role)
		}
		m[name] = role
	}
	return m, nil
}
