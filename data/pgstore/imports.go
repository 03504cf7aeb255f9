package pgstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/store"
)

func insertImport(ctx context.Context, tx pgx.Tx, r store.ImportRecord) error {
	var report any // NULL for no report
	if r.Report != nil {
		report = string(r.Report)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO imports (manifest, imported_at, report) VALUES ($1, $2, $3)`,
		r.Manifest, r.ImportedAt, report); err != nil {
		return fmt.Errorf("insert import: %w", err)
	}
	return nil
}

// Imports lists the import history, oldest first (newest last); an empty,
// non-nil slice when there is none.
func (s *Store) Imports(ctx context.Context) ([]store.ImportRecord, error) {
	rows, err := s.pool.Query(ctx, `SELECT manifest, imported_at, report FROM imports ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("pgstore: imports: %w", err)
	}
	out := []store.ImportRecord{}
	var (
		r      store.ImportRecord
		report []byte
	)
	if _, err := pgx.ForEachRow(rows, []any{&r.Manifest, &r.ImportedAt, &report}, func() error {
		x := store.ImportRecord{Manifest: r.Manifest, ImportedAt: r.ImportedAt.UTC()}
		if report != nil {
			x.Report = json.RawMessage(report)
		}
		out = append(out, x)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("pgstore: imports: %w", err)
	}
	return out, nil
}
