package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/placeteam/placeteam/data/store"
)

// CreateToken stores a token (its hash, never the secret); a name already
// taken, revoked or not, is a conflict.
func (s *Store) CreateToken(ctx context.Context, t store.Token) error {
	if err := store.CheckToken(t); err != nil {
		return fmt.Errorf("sqlitestore: create token: %w", err)
	}
	created, err := encodeTime(t.CreatedAt)
	if err != nil {
		return err
	}
	expires, err := encodeOptionalTime(t.ExpiresAt)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var taken bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM tokens WHERE name = ?)`, t.Name).Scan(&taken); err != nil {
			return err
		}
		if taken {
			return fmt.Errorf("%w: a token named %q exists", store.ErrConflict, t.Name)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO tokens (name, role, hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			t.Name, t.Role, t.Hash, created, t.CreatedBy, expires)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: create token %q: %w", t.Name, err)
	}
	return nil
}

func encodeOptionalTime(t *time.Time) (any, error) {
	if t == nil {
		return nil, nil
	}
	return encodeTime(*t)
}

func decodeOptionalTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := decodeTime(s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

const tokenColumns = `name, role, hash, created_at, created_by, expires_at, revoked_at`

func scanToken(scan func(...any) error) (store.Token, error) {
	var (
		t                         store.Token
		created, expires, revoked sql.NullString
	)
	if err := scan(&t.Name, &t.Role, &t.Hash, &created, &t.CreatedBy, &expires, &revoked); err != nil {
		return t, err
	}
	var err error
	if t.CreatedAt, err = decodeTime(created); err != nil {
		return t, err
	}
	if t.ExpiresAt, err = decodeOptionalTime(expires); err != nil {
		return t, err
	}
	t.RevokedAt, err = decodeOptionalTime(revoked)
	return t, err
}

// TokenByHash finds the token with a secret's hash (revoked and expired
// ones too: the caller decides), or an error wrapping store.ErrNotFound.
func (s *Store) TokenByHash(ctx context.Context, hash string) (store.Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE hash = ?`, hash).Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Token{}, fmt.Errorf("sqlitestore: token: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.Token{}, fmt.Errorf("sqlitestore: token: %w", err)
	}
	return t, nil
}

// Tokens lists every token by name (an empty, non-nil slice when none).
func (s *Store) Tokens(ctx context.Context) ([]store.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: tokens: %w", err)
	}
	defer rows.Close()
	out := []store.Token{}
	for rows.Next() {
		t, err := scanToken(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked at at (revoking a revoked token keeps
// the first time); an unknown name wraps store.ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, name string, at time.Time) error {
	when, err := encodeTime(at)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE name = ?`, when, name)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return fmt.Errorf("token %q: %w", name, store.ErrNotFound)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: revoke token: %w", err)
	}
	return nil
}

// RecordAudit appends an entry to the audit trail (At zero: now).
func (s *Store) RecordAudit(ctx context.Context, e store.AuditEntry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	at, err := encodeTime(e.At)
	if err != nil {
		return err
	}
	var detail any
	if len(e.Detail) > 0 {
		detail = string(e.Detail)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit (at, who, role, origin, action, target, detail) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			at, e.Who, e.Role, e.From, e.Action, e.Target, detail)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: record audit: %w", err)
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
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, who, role, origin, action, target, detail FROM audit
		WHERE id < ? AND (? = '' OR target = ?) ORDER BY id DESC LIMIT ?`, before, q.Target, q.Target, limit)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: audit: %w", err)
	}
	defer rows.Close()
	out := []store.AuditEntry{}
	for rows.Next() {
		var (
			e      store.AuditEntry
			at     sql.NullString
			detail sql.NullString
		)
		if err := rows.Scan(&e.ID, &at, &e.Who, &e.Role, &e.From, &e.Action, &e.Target, &detail); err != nil {
			return nil, fmt.Errorf("sqlitestore: audit: %w", err)
		}
		if e.At, err = decodeTime(at); err != nil {
			return nil, err
		}
		if detail.Valid {
			e.Detail = []byte(detail.String)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
