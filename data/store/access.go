package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Roles, each allowed what the one before it is and more.
const (
	// RoleViewer reads.
	RoleViewer = "viewer"
	// RoleEditor also writes configurations, moves, scenarios and runs
	// the optimiser.
	RoleEditor = "editor"
	// RoleAdmin also deletes, restores, manages tokens, imports and reads
	// the audit trail.
	RoleAdmin = "admin"
)

// RoleRank orders the roles (0 for an unknown one).
func RoleRank(role string) int {
	switch role {
	case RoleViewer:
		return 1
	case RoleEditor:
		return 2
	case RoleAdmin:
		return 3
	}
	return 0
}

// Token is an API token as the store keeps it: never the secret, only
// its hash.
type Token struct {
	Name      string     `json:"name"`
	Role      string     `json:"role"`
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	CreatedBy string     `json:"created_by"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Active reports whether the token may be used at now.
func (t Token) Active(now time.Time) bool {
	return t.RevokedAt == nil && (t.ExpiresAt == nil || now.Before(*t.ExpiresAt))
}

// TokenHash is the hash a token's secret is kept and looked up by:
// SHA-256, hex. The secrets are 256 random bits, so a fast hash is enough
// (there is nothing to guess a password from).
func TokenHash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CheckToken refuses a token the store should not keep.
func CheckToken(t Token) error {
	switch {
	case t.Name == "" || len(t.Name) > 128:
		return fmt.Errorf("%w: a token needs a name of 1–128 characters", ErrInvalid)
	case RoleRank(t.Role) == 0:
		return fmt.Errorf("%w: role %q (want viewer, editor or admin)", ErrInvalid, t.Role)
	case len(t.Hash) != 64:
		return fmt.Errorf("%w: token hash", ErrInvalid)
	}
	return nil
}

// AuditEntry is one write, recorded with who, when, what and from where.
type AuditEntry struct {
	ID int64     `json:"id"`
	At time.Time `json:"at"`
	// Who is the authenticated identity (a token's name, an OIDC
	// subject, "local" in single-user mode, the OS user on the CLI); Role
	// the role it acted in; From the client address (or "cli").
	Who  string `json:"who"`
	Role string `json:"role"`
	From string `json:"from"`
	// Action names the write (configuration.create, configuration.move,
	// configuration.revert, configuration.delete, configuration.restore,
	// scenario.save, token.create, token.revoke, dataset.import, …);
	// Target what it wrote (a configuration name, a token name).
	Action string          `json:"action"`
	Target string          `json:"target"`
	Detail json.RawMessage `json:"detail,omitempty"`
}

// AuditQuery selects audit entries: newest first, at most Limit (default
// 100), with ID below Before when set (for paging), for Target when set.
type AuditQuery struct {
	Limit  int
	Before int64
	Target string
}
