package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"github.com/placeteam/placeteam/data/store"
)

func insertImport(ctx context.Context, tx *sql.Tx, r store.ImportRecord) error {
	at, err := encodeTime(r.ImportedAt)
	if err != nil {
		return fmt.Errorf("insert import: %w", err)
	}
	var report any
	if r.Report != nil {
		report = string(r.Report)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO imports (manifest, imported_at, report) VALUES (?, ?, ?)`,
		r.Manifest, at, report); err != nil {
		return fmt.Errorf("insert import: %w", err)
	}
	return nil
}

// Imports lists the import history, oldest first (newest last); an empty,
// non-nil slice when there is none.
func (s *Store) Imports(ctx context.Context) ([]store.ImportRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT manifest, imported_at, report FROM imports ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: imports: %w", err)
	}
	defer rows.Close()
	out := []store.ImportRecord{}
	for rows.Next() {
		var (
			r          store.ImportRecord
			at, report sql.NullString
		)
		if err := rows.Scan(&r.Manifest, &at, &report); err != nil {
			return nil, fmt.Errorf("sqlitestore: imports: %w", err)
		}
		if r.ImportedAt, err = decodeTime(at); err != nil {
			return nil, fmt.Errorf("sqlitestore: imports: %w", err)
		}
		if report.Valid {
			r.Report = json.RawMessage(report.String)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: imports: %w", err)
	}
	return out, nil
}
