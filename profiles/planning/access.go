package planning

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/placeteam/placeteam/data/store"
)

// AccessStore keeps API tokens (their hashes) and the audit trail.
type AccessStore interface {
	CreateToken(ctx context.Context, t store.Token) error
	TokenByHash(ctx context.Context, hash string) (store.Token, error)
	Tokens(ctx context.Context) ([]store.Token, error)
	RevokeToken(ctx context.Context, name string, at time.Time) error
	RecordAudit(ctx context.Context, e store.AuditEntry) error
	Audit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error)
}

// Actor is who a request acts as: an authenticated identity and its
// role, and the client's address.
type Actor struct {
	Name string `json:"name"`
	Role string `json:"role"`
	From string `json:"from"`
}

type actorKey struct{}

// WithActor marks ctx as acting for a: writes made with it are authored
// and audited as a (a version's author is a.Name, whatever the request
// says).
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom is the actor of ctx, if any.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// ErrUnauthenticated is wrapped when a secret is unknown, revoked or
// expired.
var ErrUnauthenticated = errors.New("not authenticated")

// tokenPrefix starts every secret, so that a leaked one is recognisable
// (secret scanners, logs).
const tokenPrefix = "pt_"

// Verifier checks bearer tokens from an identity provider (OIDC): it
// returns the actor a token proves, an error wrapping ErrUnauthenticated
// for a token that does not verify, or ErrNoRole for one that verifies
// but grants no placeteam role.
type Verifier interface {
	Verify(ctx context.Context, raw string) (Actor, error)
}

// Authenticate finds who a bearer secret proves: a placeteam token
// ("pt_…") through the store, anything else through the identity
// provider's verifier when there is one.
func (s *Service) Authenticate(ctx context.Context, secret string) (Actor, error) {
	if !strings.HasPrefix(secret, tokenPrefix) {
		if s.verifier != nil {
			return s.verifier.Verify(ctx, secret)
		}
		return Actor{}, fmt.Errorf("%w: not a placeteam token", ErrUnauthenticated)
	}
	if len(secret) > 256 {
		return Actor{}, fmt.Errorf("%w: not a placeteam token", ErrUnauthenticated)
	}
	t, err := s.store.TokenByHash(ctx, store.TokenHash(secret))
	if errors.Is(err, store.ErrNotFound) {
		return Actor{}, fmt.Errorf("%w: unknown token", ErrUnauthenticated)
	}
	if err != nil {
		return Actor{}, err
	}
	now := time.Now()
	switch {
	case t.RevokedAt != nil:
		return Actor{}, fmt.Errorf("%w: token %q was revoked", ErrUnauthenticated, t.Name)
	case !t.Active(now):
		return Actor{}, fmt.Errorf("%w: token %q expired", ErrUnauthenticated, t.Name)
	}
	return Actor{Name: t.Name, Role: t.Role}, nil
}

// VerifiesExternal reports whether bearer tokens from an identity
// provider are accepted.
func (s *Service) VerifiesExternal() bool { return s.verifier != nil }

// HasActiveTokens reports whether any token may be used now.
func (s *Service) HasActiveTokens(ctx context.Context) (bool, error) {
	list, err := s.store.Tokens(ctx)
	if err != nil {
		return false, err
	}
	now := time.Now()
	for _, t := range list {
		if t.Active(now) {
			return true, nil
		}
	}
	return false, nil
}

// CreateToken makes a token and returns its secret, which is shown once:
// the store keeps only its hash. ttl zero means no expiry.
func (s *Service) CreateToken(ctx context.Context, name, role string, ttl time.Duration) (string, store.Token, error) {
	if ttl < 0 {
		return "", store.Token{}, fmt.Errorf("%w: a token's lifetime must be positive", store.ErrInvalid)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", store.Token{}, err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	actor := s.actor(ctx)
	t := store.Token{Name: name, Role: role, Hash: store.TokenHash(secret), CreatedAt: time.Now().UTC().Truncate(time.Microsecond), CreatedBy: actor.Name}
	if ttl > 0 {
		exp := t.CreatedAt.Add(ttl)
		t.ExpiresAt = &exp
	}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", store.Token{}, err
	}
	s.audit(ctx, "token.create", name, map[string]any{"role": role, "expires_at": t.ExpiresAt})
	return secret, t, nil
}

// Tokens lists the tokens (never their secrets).
func (s *Service) Tokens(ctx context.Context) ([]store.Token, error) { return s.store.Tokens(ctx) }

// RevokeToken revokes a token: it is refused from then on.
func (s *Service) RevokeToken(ctx context.Context, name string) error {
	if err := s.store.RevokeToken(ctx, name, time.Now().UTC().Truncate(time.Microsecond)); err != nil {
		return err
	}
	s.audit(ctx, "token.revoke", name, nil)
	return nil
}

// Audit lists the audit trail, newest first.
func (s *Service) Audit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	if q.Limit > 1000 {
		q.Limit = 1000
	}
	return s.store.Audit(ctx, q)
}

// actor is ctx's actor, or the command line's when there is none.
func (s *Service) actor(ctx context.Context) Actor {
	if a, ok := ActorFrom(ctx); ok {
		return a
	}
	return Actor{Name: "cli", Role: store.RoleAdmin, From: "cli"}
}

// audit records a write that has been made. The write is committed by
// then, so a failure to record it is logged loudly rather than undoing it.
func (s *Service) audit(ctx context.Context, action, target string, detail any) {
	a := s.actor(ctx)
	e := store.AuditEntry{At: time.Now().UTC(), Who: a.Name, Role: a.Role, From: a.From, Action: action, Target: target}
	if detail != nil {
		b, err := json.Marshal(detail)
		if err == nil {
			e.Detail = b
		}
	}
	if err := s.store.RecordAudit(context.WithoutCancel(ctx), e); err != nil {
		s.logger.Error("audit: a write was made but not recorded", "action", action, "target", target, "who", a.Name, "err", err)
	}
}

// RecordImport audits a dataset import made outside the core (the
// import command writes the store before any core exists).
func RecordImport(ctx context.Context, st AccessStore, who, manifest string, replace bool) error {
	return RecordImportDetail(ctx, st, who, manifest, ImportDetail{Replace: replace})
}

// ImportDetail is what an import's audit entry records.
type ImportDetail struct {
	Replace bool `json:"replace"`
	// Kept and Dropped name the stored configurations a replacement kept
	// and dropped; Backup is the backup file written first, if any.
	Kept    []string `json:"kept,omitempty"`
	Dropped []string `json:"dropped,omitempty"`
	Backup  string   `json:"backup,omitempty"`
}

// RecordImportDetail audits an import with what it kept, dropped and backed up.
func RecordImportDetail(ctx context.Context, st AccessStore, who, manifest string, d ImportDetail) error {
	detail, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("planning: audit import: %w", err)
	}
	return st.RecordAudit(ctx, store.AuditEntry{At: time.Now().UTC(), Who: who, Role: store.RoleAdmin, From: "cli",
		Action: "dataset.import", Target: manifest, Detail: detail})
}
