package sqlitestore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/placeteam/placeteam/data/store"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
)

// SaveConfiguration validates c against the stored dataset's wards and
// stores it as the next version of the configuration named c.Name (version 1
// when the name is new). It returns the version saved. A configuration that
// fails validation gives an error wrapping configuration.ErrInvalid; a store
// without a dataset, one wrapping store.ErrNoDataset.
func (s *Store) SaveConfiguration(ctx context.Context, c *configuration.Configuration, meta store.VersionMeta) (int, error) {
	return s.SaveConfigurationIf(ctx, c, meta, store.AnyVersion)
}

// SaveConfigurationIf saves c as a new version only when the latest stored
// version is expect (store.NoVersion: the name must be new; store.AnyVersion: no
// check), in the same transaction, so two planners never silently
// overwrite each other.
func (s *Store) SaveConfigurationIf(ctx context.Context, c *configuration.Configuration, meta store.VersionMeta, expect int) (int, error) {
	if c == nil {
		return 0, errors.New("sqlitestore: save configuration: nil configuration")
	}
	var version int
	err := s.write(ctx, func(tx *sql.Tx) error {
		ok, err := hasDataset(ctx, tx)
		if err != nil {
			return err
		}
		if !ok {
			return store.ErrNoDataset
		}
		wards, err := wardNames(ctx, tx)
		if err != nil {
			return err
		}
		if err := store.CheckSave(c, wards); err != nil {
			return err
		}
		if expect != store.AnyVersion {
			var latest int
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM configuration_versions WHERE name = ?`, c.Name).Scan(&latest); err != nil {
				return err
			}
			if err := store.CheckExpected(latest, expect); err != nil {
				return err
			}
		}
		version, err = insertVersion(ctx, tx, c, meta)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlitestore: save configuration %q: %w", c.Name, err)
	}
	return version, nil
}

// wardNames maps every stored ward code to its name.
func wardNames(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	wards := map[string]string{}
	err := each(ctx, tx, `SELECT code, name FROM wards`, func(r *sql.Rows) error {
		var code, name string
		if err := r.Scan(&code, &name); err != nil {
			return err
		}
		wards[code] = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load wards: %w", err)
	}
	return wards, nil
}

// insertVersion appends c (already validated) as the next version of its
// name and returns that version.
func insertVersion(ctx context.Context, tx *sql.Tx, c *configuration.Configuration, meta store.VersionMeta) (int, error) {
	if meta.At.IsZero() {
		meta.At = time.Now()
	}
	at, err := encodeTime(meta.At)
	if err != nil {
		return 0, err
	}
	body, err := json.Marshal(c)
	if err != nil {
		return 0, fmt.Errorf("encode: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO configurations (name, created_at) VALUES (?, ?)
		ON CONFLICT (name) DO NOTHING`, c.Name, at); err != nil {
		return 0, err
	}
	var version int
	if err := tx.QueryRowContext(ctx, `SELECT max(
			(SELECT coalesce(max(version), 0) FROM configuration_versions WHERE name = ?1),
			(SELECT coalesce(max(last), 0) FROM configuration_sequence WHERE name = ?1)) + 1`,
		c.Name).Scan(&version); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO configuration_sequence (name, last) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET last = excluded.last`, c.Name, version); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO configuration_versions (name, version, created_at, author, note, body, changes)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.Name, version, at, meta.Author, meta.Note, string(body), string(meta.Changes)); err != nil {
		return 0, err
	}
	return version, nil
}

// Configuration returns the latest version of the named configuration and
// its number, or an error wrapping store.ErrNotFound.
func (s *Store) Configuration(ctx context.Context, name string) (*configuration.Configuration, int, error) {
	var (
		version int
		body    string
	)
	err := s.db.QueryRowContext(ctx, `SELECT version, body FROM configuration_versions WHERE name = ?
		ORDER BY version DESC LIMIT 1`, name).Scan(&version, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, fmt.Errorf("sqlitestore: configuration %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("sqlitestore: configuration %q: %w", name, err)
	}
	c, err := decodeConfiguration(body)
	if err != nil {
		return nil, 0, fmt.Errorf("sqlitestore: configuration %q version %d: %w", name, version, err)
	}
	return c, version, nil
}

// ConfigurationVersion returns one saved version of the named configuration
// with who saved it and when, or an error wrapping store.ErrNotFound.
func (s *Store) ConfigurationVersion(ctx context.Context, name string, version int) (*configuration.Configuration, store.VersionMeta, error) {
	var (
		meta store.VersionMeta
		at   sql.NullString
		body string
	)
	var changes string
	err := s.db.QueryRowContext(ctx, `SELECT created_at, author, note, body, changes FROM configuration_versions
		WHERE name = ? AND version = ?`, name, version).Scan(&at, &meta.Author, &meta.Note, &body, &changes)
	if changes != "" {
		meta.Changes = json.RawMessage(changes)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.VersionMeta{}, fmt.Errorf("sqlitestore: configuration %q version %d: %w", name, version, store.ErrNotFound)
	}
	if err != nil {
		return nil, store.VersionMeta{}, fmt.Errorf("sqlitestore: configuration %q version %d: %w", name, version, err)
	}
	if meta.At, err = decodeTime(at); err != nil {
		return nil, store.VersionMeta{}, fmt.Errorf("sqlitestore: configuration %q version %d: %w", name, version, err)
	}
	c, err := decodeConfiguration(body)
	if err != nil {
		return nil, store.VersionMeta{}, fmt.Errorf("sqlitestore: configuration %q version %d: %w", name, version, err)
	}
	return c, meta, nil
}

// ConfigurationHistory lists every version of the named configuration,
// oldest first, or returns an error wrapping store.ErrNotFound.
func (s *Store) ConfigurationHistory(ctx context.Context, name string) ([]store.VersionInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, created_at, author, note, changes FROM configuration_versions
		WHERE name = ? ORDER BY version`, name)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: configuration %q history: %w", name, err)
	}
	defer rows.Close()
	var out []store.VersionInfo
	for rows.Next() {
		var (
			v  store.VersionInfo
			at sql.NullString
		)
		var changes string
		if err := rows.Scan(&v.Version, &at, &v.Author, &v.Note, &changes); err != nil {
			return nil, fmt.Errorf("sqlitestore: configuration %q history: %w", name, err)
		}
		if v.At, err = decodeTime(at); err != nil {
			return nil, fmt.Errorf("sqlitestore: configuration %q history: %w", name, err)
		}
		if changes != "" {
			v.Changes = json.RawMessage(changes)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: configuration %q history: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("sqlitestore: configuration %q history: %w", name, store.ErrNotFound)
	}
	return out, nil
}

// Configurations summarises the latest version of every configuration,
// ordered by name (an empty, non-nil slice when there are none).
func (s *Store) Configurations(ctx context.Context) ([]store.ConfigurationInfo, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT v.name, v.version, v.created_at, v.body
		FROM configuration_versions v
		JOIN (SELECT name, max(version) AS version FROM configuration_versions GROUP BY name) latest
			USING (name, version)
		ORDER BY v.name`)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: configurations: %w", err)
	}
	defer rows.Close()
	out := []store.ConfigurationInfo{}
	for rows.Next() {
		var (
			info store.ConfigurationInfo
			at   sql.NullString
			body string
		)
		if err := rows.Scan(&info.Name, &info.Version, &at, &body); err != nil {
			return nil, fmt.Errorf("sqlitestore: configurations: %w", err)
		}
		if info.UpdatedAt, err = decodeTime(at); err != nil {
			return nil, fmt.Errorf("sqlitestore: configuration %q: %w", info.Name, err)
		}
		c, err := decodeConfiguration(body)
		if err != nil {
			return nil, fmt.Errorf("sqlitestore: configuration %q: %w", info.Name, err)
		}
		info.Title = c.Title
		info.Localities = len(c.Localities)
		for _, l := range c.Localities {
			info.Teams += len(l.Teams)
		}
		out = append(out, info)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlitestore: configurations: %w", err)
	}
	return out, nil
}

// DeleteConfiguration deletes the named configuration with all its
// versions, or returns an error wrapping store.ErrNotFound.
func (s *Store) DeleteConfiguration(ctx context.Context, name string) error {
	return s.DeleteConfigurationIf(ctx, name, store.AnyVersion)
}

// DeleteConfigurationIf deletes the named configuration when its latest
// version is expect (store.AnyVersion: no check), in one transaction; a
// stale expectation wraps store.ErrConflict. Its versions are kept in a
// tombstone (see DeleteConfigurationBy).
func (s *Store) DeleteConfigurationIf(ctx context.Context, name string, expect int) error {
	return s.DeleteConfigurationBy(ctx, name, expect, "")
}

func decodeConfiguration(body string) (*configuration.Configuration, error) {
	var c configuration.Configuration
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return &c, nil
}
