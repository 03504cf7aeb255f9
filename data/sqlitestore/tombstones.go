package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/placeteam/placeteam/data/store"
)

// DeleteConfigurationBy deletes the named configuration when its latest
// version is expect (store.AnyVersion: no check), keeping every version in
// a tombstone that names by; RestoreConfiguration brings it back.
func (s *Store) DeleteConfigurationBy(ctx context.Context, name string, expect int, by string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		var versions []store.ArchivedVersion
		err := each(ctx, tx, `SELECT version, created_at, author, note, body, changes FROM configuration_versions
			WHERE name = ? ORDER BY version`, func(r *sql.Rows) error {
			var (
				v    store.ArchivedVersion
				at   sql.NullString
				body string
			)
			if err := r.Scan(&v.Version, &at, &v.Author, &v.Note, &body, &v.Changes); err != nil {
				return err
			}
			t, err := decodeTime(at)
			if err != nil {
				return err
			}
			v.CreatedAt, v.Body = t, json.RawMessage(body)
			versions = append(versions, v)
			return nil
		}, name)
		if err != nil {
			return err
		}
		if len(versions) == 0 {
			return store.ErrNotFound
		}
		latest := versions[len(versions)-1].Version
		if expect != store.AnyVersion {
			if err := store.CheckExpected(latest, expect); err != nil {
				return err
			}
		}
		archive, err := json.Marshal(versions)
		if err != nil {
			return fmt.Errorf("encode versions: %w", err)
		}
		now, err := encodeTime(time.Now())
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO configuration_tombstones (name, deleted_at, deleted_by, latest, versions)
			VALUES (?, ?, ?, ?, ?)`, name, now, by, latest, string(archive)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM configurations WHERE name = ?`, name)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: delete configuration %q: %w", name, err)
	}
	return nil
}

// DeletedConfigurations lists the deleted configurations kept, the most
// recently deleted first.
func (s *Store) DeletedConfigurations(ctx context.Context) ([]store.DeletedConfiguration, error) {
	var out []store.DeletedConfiguration
	err := s.read(ctx, func(tx *sql.Tx) error {
		return each(ctx, tx, `SELECT name, latest, json_array_length(versions), deleted_at, deleted_by
			FROM configuration_tombstones ORDER BY id DESC`, func(r *sql.Rows) error {
			var (
				d  store.DeletedConfiguration
				at sql.NullString
			)
			if err := r.Scan(&d.Name, &d.Latest, &d.Versions, &at, &d.DeletedBy); err != nil {
				return err
			}
			t, err := decodeTime(at)
			d.DeletedAt = t
			out = append(out, d)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: deleted configurations: %w", err)
	}
	return out, nil
}

// RestoreConfiguration brings back the most recently deleted configuration
// of that name with every version it had (their numbers, authors and
// notes), and returns its latest version. It wraps store.ErrNotFound when
// none is kept, store.ErrConflict when a configuration of that name exists
// now, and configuration.ErrInvalid when the latest version names wards the
// stored dataset no longer has.
func (s *Store) RestoreConfiguration(ctx context.Context, name string) (int, error) {
	var latest int
	err := s.write(ctx, func(tx *sql.Tx) error {
		var (
			id      int64
			archive string
		)
		err := tx.QueryRowContext(ctx, `SELECT id, versions FROM configuration_tombstones WHERE name = ?
			ORDER BY id DESC LIMIT 1`, name).Scan(&id, &archive)
		if errors.Is(err, sql.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM configuration_versions WHERE name = ?)`, name).Scan(&exists); err != nil {
			return err
		}
		if exists {
			return fmt.Errorf("%w: a configuration named %q exists now; delete or rename it first", store.ErrConflict, name)
		}
		var versions []store.ArchivedVersion
		if err := json.Unmarshal([]byte(archive), &versions); err != nil {
			return fmt.Errorf("decode tombstone %d: %w", id, err)
		}
		if len(versions) == 0 {
			return fmt.Errorf("tombstone %d keeps no versions", id)
		}
		if err := checkRestorable(ctx, tx, versions[len(versions)-1]); err != nil {
			return err
		}
		first, err := encodeTime(versions[0].CreatedAt)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO configurations (name, created_at) VALUES (?, ?)`, name, first); err != nil {
			return err
		}
		for _, v := range versions {
			at, err := encodeTime(v.CreatedAt)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO configuration_versions (name, version, created_at, author, note, body, changes)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, name, v.Version, at, v.Author, v.Note, string(v.Body), v.Changes); err != nil {
				return err
			}
			latest = v.Version
		}
		// Numbering never goes back: the sequence keeps the highest number
		// the name was ever given.
		if _, err := tx.ExecContext(ctx, `INSERT INTO configuration_sequence (name, last) VALUES (?, ?)
			ON CONFLICT (name) DO UPDATE SET last = max(last, excluded.last)`, name, latest); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM configuration_tombstones WHERE id = ?`, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: restore configuration %q: %w", name, err)
	}
	return latest, nil
}

// checkRestorable checks a deleted configuration's latest version against
// the stored dataset's wards, as a save would be.
func checkRestorable(ctx context.Context, tx *sql.Tx, v store.ArchivedVersion) error {
	c, err := decodeConfiguration(string(v.Body))
	if err != nil {
		return fmt.Errorf("version %d: %w", v.Version, err)
	}
	wards, err := wardNames(ctx, tx)
	if err != nil {
		return err
	}
	return store.CheckSave(c, wards)
}
