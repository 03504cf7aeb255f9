package pgstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/store"
)

// CreateToken stores a token (its hash, never the secret); a name already
// taken, revoked or not, is a conflict.
func (s *Store) CreateToken(ctx context.Context, t store.Token) error {
	if err := store.CheckToken(t); err != nil {
		return fmt.Errorf("pgstore: create token: %w", err)
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO tokens (name, role, hash, created_at, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (name) DO NOTHING`, t.Name, t.Role, t.Hash, t.CreatedAt, t.CreatedBy, t.ExpiresAt)
	if err != nil {
		return fmt.Errorf("pgstore: create token %q: %w", t.Name, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: create token: %w: a token named %q exists", store.ErrConflict, t.Name)
	}
	return nil
}

const tokenColumns = `name, role, hash, created_at, created_by, expires_at, revoked_at`

func scanToken(row pgx.Row) (store.Token, error) {
	var t store.Token
	err := row.Scan(&t.Name, &t.Role, &t.Hash, &t.CreatedAt, &t.CreatedBy, &t.ExpiresAt, &t.RevokedAt)
	t.CreatedAt = t.CreatedAt.UTC()
	for _, p := range []*time.Time{t.ExpiresAt, t.RevokedAt} {
		if p != nil {
			*p = p.UTC()
		}
	}
	return t, err
}

// TokenByHash finds the token with a secret's hash (revoked and expired
// ones too: the caller decides), or an error wrapping store.ErrNotFound.
func (s *Store) TokenByHash(ctx context.Context, hash string) (store.Token, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = $1`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Token{}, fmt.Errorf("pgstore: token: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Token{}, fmt.Errorf("pgstore: token: %w", err)
	}
	return t, nil
}

// Tokens lists every token by name (an empty, non-nil slice when none).
func (s *Store) Tokens(ctx context.Context) ([]store.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("pgstore: tokens: %w", err)
	}
	defer rows.Close()
	out := []store.Token{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("pgstore: tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked at at (revoking a revoked token keeps
// the first time); an unknown name wraps store.ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, name string, at time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, $1) WHERE name = $2`, at, name)
	if err != nil {
		return fmt.Errorf("pgstore: revoke token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("pgstore: revoke token %q: %w", name, store.ErrNotFound)
	}
	return nil
}

// RecordAudit appends an entry to the audit trail (At zero: now).
func (s *Store) RecordAudit(ctx context.Context, e store.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	var detail any
	if len(e.Detail) > 0 {
		detail = string(e.Detail)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO audit (at, who, role, origin, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		e.At, e.Who, e.Role, e.From, e.Action, e.Target, detail); err != nil {
		return fmt.Errorf("pgstore: record audit: %w", err)
	}
	return nil
}

// Audit lists audit entries, newest first.
func (s *Store) Audit(ctx context.Context, q store.AuditQuery) ([]store.AuditEntry, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 100
	}
	before := q.Before
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := s.pool.Query(ctx, `SELECT id, at, who, role, origin, action, target, detail FROM audit
		WHERE id < $1 AND ($2 = '' OR target = $2) ORDER BY id DESC LIMIT $3`, before, q.Target, limit)
	if err != nil {
		return nil, fmt.Errorf("pgstore: audit: %w", err)
	}
	defer rows.Close()
	out := []store.AuditEntry{}
	for rows.Next() {
		var (
			e      store.AuditEntry
			detail []byte
		)
		if err := rows.Scan(&e.ID, &e.At, &e.Who, &e.Role, &e.From, &e.Action, &e.Target, &detail); err != nil {
			return nil, fmt.Errorf("pgstore: audit: %w", err)
		}
		e.At = e.At.UTC()
		if detail != nil {
			e.Detail = detail
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
