package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/placeteam/placeteam/data/store"
	"time"
)

// SaveScenario stores (or replaces) a named scenario; body is its JSON.
func (s *Store) SaveScenario(ctx context.Context, name, configuration string, body json.RawMessage) error {
	if err := store.CheckScenario(name, body); err != nil {
		return fmt.Errorf("sqlitestore: save scenario: %w", err)
	}
	at, err := encodeTime(time.Now())
	if err != nil {
		return err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO scenarios (name, configuration, created_at, body) VALUES (?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET configuration = excluded.configuration, created_at = excluded.created_at, body = excluded.body`,
			name, configuration, at, string(body))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: save scenario %q: %w", name, err)
	}
	return nil
}

// Scenario returns a stored scenario's JSON, or an error wrapping store.ErrNotFound.
func (s *Store) Scenario(ctx context.Context, name string) (json.RawMessage, error) {
	var body string
	err := s.db.QueryRowContext(ctx, `SELECT body FROM scenarios WHERE name = ?`, name).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlitestore: scenario %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: scenario %q: %w", name, err)
	}
	return json.RawMessage(body), nil
}

// Scenarios lists stored scenarios by name.
func (s *Store) Scenarios(ctx context.Context) ([]store.ScenarioInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, configuration, created_at FROM scenarios ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: scenarios: %w", err)
	}
	defer rows.Close()
	out := []store.ScenarioInfo{}
	for rows.Next() {
		var (
			x  store.ScenarioInfo
			at sql.NullString
		)
		if err := rows.Scan(&x.Name, &x.Configuration, &at); err != nil {
			return nil, fmt.Errorf("sqlitestore: scenarios: %w", err)
		}
		if x.CreatedAt, err = decodeTime(at); err != nil {
			return nil, fmt.Errorf("sqlitestore: scenarios: %w", err)
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
