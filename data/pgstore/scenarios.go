package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/store"
)

// SaveScenario stores (or replaces) a named scenario; body is its JSON.
func (s *Store) SaveScenario(ctx context.Context, name, configuration string, body json.RawMessage) error {
	if err := store.CheckScenario(name, body); err != nil {
		return fmt.Errorf("pgstore: save scenario: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO scenarios (name, configuration, created_at, body) VALUES ($1, $2, $3, $4)
		ON CONFLICT (name) DO UPDATE SET configuration = excluded.configuration, created_at = excluded.created_at, body = excluded.body`,
		name, configuration, time.Now(), string(body)); err != nil {
		return fmt.Errorf("pgstore: save scenario %q: %w", name, err)
	}
	return nil
}

// Scenario returns a stored scenario's JSON, or an error wrapping
// store.ErrNotFound.
func (s *Store) Scenario(ctx context.Context, name string) (json.RawMessage, error) {
	var body []byte
	err := s.pool.QueryRow(ctx, `SELECT body FROM scenarios WHERE name = $1`, name).Scan(&body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("pgstore: scenario %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("pgstore: scenario %q: %w", name, err)
	}
	return json.RawMessage(body), nil
}

// Scenarios lists stored scenarios by name (byte order; an empty, non-nil
// slice when there are none).
func (s *Store) Scenarios(ctx context.Context) ([]store.ScenarioInfo, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, configuration, created_at FROM scenarios ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("pgstore: scenarios: %w", err)
	}
	out := []store.ScenarioInfo{}
	var x store.ScenarioInfo
	if _, err := pgx.ForEachRow(rows, []any{&x.Name, &x.Configuration, &x.CreatedAt}, func() error {
		x.CreatedAt = x.CreatedAt.UTC()
		out = append(out, x)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("pgstore: scenarios: %w", err)
	}
	return out, nil
}
