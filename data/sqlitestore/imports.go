package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// ImportRecord is one run of the importer, kept in the store's history.
type ImportRecord struct {
	// Manifest is the import manifest (its path or content; the importer's
	// choice).
	Manifest string `json:"manifest"`
	// ImportedAt is when the import ran; stored in UTC, zero means now.
	ImportedAt time.Time `json:"imported_at"`
	// Report is the import report as JSON (counts, warnings); may be nil.
	Report json.RawMessage `json:"report,omitempty"`
}

func insertImport(ctx context.Context, tx *sql.Tx, r ImportRecord) error {
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
func (s *Store) Imports(ctx context.Context) ([]ImportRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT manifest, imported_at, report FROM imports ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: imports: %w", err)
	}
	defer rows.Close()
	out := []ImportRecord{}
	for rows.Next() {
		var (
			r          ImportRecord
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
