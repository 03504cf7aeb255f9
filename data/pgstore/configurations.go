package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
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
// version is expect (store.NoVersion: the name must be new; store.AnyVersion:
// no check), in the same transaction, so two planners never silently
// overwrite each other: of writers racing with one expectation, one wins
// and the others get store.ErrConflict. The version's dissolved teams go to
// configuration_teams, and the save is announced to Watch.
func (s *Store) SaveConfigurationIf(ctx context.Context, c *configuration.Configuration, meta store.VersionMeta, expect int) (int, error) {
	if c == nil {
		return 0, errors.New("pgstore: save configuration: nil configuration")
	}
	var version int
	err := s.write(ctx, func(tx pgx.Tx) error {
		ok, err := lockDataset(ctx, tx)
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
		last, latest, err := lockName(ctx, tx, c.Name)
		if err != nil {
			return err
		}
		if err := store.CheckExpected(latest, expect); err != nil {
			return err
		}
		version = max(last, latest) + 1
		if err := insertVersion(ctx, tx, c, meta, version); err != nil {
			return err
		}
		return notify(ctx, tx, c.Name, version)
	})
	if err != nil {
		return 0, fmt.Errorf("pgstore: save configuration %q: %w", c.Name, err)
	}
	return version, nil
}

// wardNames maps every stored ward code to its name.
func wardNames(ctx context.Context, tx pgx.Tx) (map[string]string, error) {
	rows, err := tx.Query(ctx, `SELECT code, name FROM wards`)
	if err != nil {
		return nil, fmt.Errorf("load wards: %w", err)
	}
	wards := map[string]string{}
	var code, name string
	if _, err := pgx.ForEachRow(rows, []any{&code, &name}, func() error {
		wards[code] = name
		return nil
	}); err != nil {
		return nil, fmt.Errorf("load wards: %w", err)
	}
	return wards, nil
}

// lockName locks name's row in configuration_sequence, creating it when
// the name is new (the upsert waits for a concurrent creator, then locks
// its row), and then reads — in a statement of its own, so after the lock —
// the last version ever given to the name and its latest stored version.
// Every writer of a name takes this lock before it reads, so a check of the
// latest version and the write after it are atomic.
func lockName(ctx context.Context, tx pgx.Tx, name string) (last, latest int, err error) {
	if err := tx.QueryRow(ctx, `INSERT INTO configuration_sequence AS s (name, last) VALUES ($1, 0)
		ON CONFLICT (name) DO UPDATE SET last = s.last RETURNING last`, name).Scan(&last); err != nil {
		return 0, 0, fmt.Errorf("lock name: %w", err)
	}
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM configuration_versions WHERE name = $1`,
		name).Scan(&latest); err != nil {
		return 0, 0, fmt.Errorf("latest version: %w", err)
	}
	return last, latest, nil
}

// insertVersion stores c (already validated) as version of its name (whose
// row lockName holds), with its dissolved teams.
func insertVersion(ctx context.Context, tx pgx.Tx, c *configuration.Configuration, meta store.VersionMeta, version int) error {
	if meta.At.IsZero() {
		meta.At = time.Now()
	}
	body, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO configurations (name, created_at) VALUES ($1, $2)
		ON CONFLICT (name) DO NOTHING`, c.Name, meta.At); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE configuration_sequence SET last = $2 WHERE name = $1`, c.Name, version); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO configuration_versions (name, version, created_at, author, note, body, changes)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.Name, version, meta.At, meta.Author, meta.Note, string(body), string(meta.Changes)); err != nil {
		return err
	}
	return insertTeams(ctx, tx, c, version)
}

// LatestVersion returns the latest version number of the named
// configuration, or 0 and an error wrapping store.ErrNotFound: one index
// probe, for replicas checking what they cached.
func (s *Store) LatestVersion(ctx context.Context, name string) (int, error) {
	var version int
	err := s.pool.QueryRow(ctx, `SELECT version FROM configuration_versions WHERE name = $1
		ORDER BY version DESC LIMIT 1`, name).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("pgstore: latest version of %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return 0, fmt.Errorf("pgstore: latest version of %q: %w", name, err)
	}
	return version, nil
}

// Configuration returns the latest version of the named configuration and
// its number, or an error wrapping store.ErrNotFound.
func (s *Store) Configuration(ctx context.Context, name string) (*configuration.Configuration, int, error) {
	var (
		version int
		body    []byte
	)
	err := s.pool.QueryRow(ctx, `SELECT version, body FROM configuration_versions WHERE name = $1
		ORDER BY version DESC LIMIT 1`, name).Scan(&version, &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, fmt.Errorf("pgstore: configuration %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("pgstore: configuration %q: %w", name, err)
	}
	c, err := decodeConfiguration(body)
	if err != nil {
		return nil, 0, fmt.Errorf("pgstore: configuration %q version %d: %w", name, version, err)
	}
	return c, version, nil
}

// ConfigurationVersion returns one saved version of the named configuration
// with who saved it and when, or an error wrapping store.ErrNotFound.
func (s *Store) ConfigurationVersion(ctx context.Context, name string, version int) (*configuration.Configuration, store.VersionMeta, error) {
	var (
		meta    store.VersionMeta
		body    []byte
		changes string
	)
	err := s.pool.QueryRow(ctx, `SELECT created_at, author, note, body, changes FROM configuration_versions
		WHERE name = $1 AND version = $2`, name, version).Scan(&meta.At, &meta.Author, &meta.Note, &body, &changes)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.VersionMeta{}, fmt.Errorf("pgstore: configuration %q version %d: %w", name, version, store.ErrNotFound)
	}
	if err != nil {
		return nil, store.VersionMeta{}, fmt.Errorf("pgstore: configuration %q version %d: %w", name, version, err)
	}
	meta.At = meta.At.UTC()
	if changes != "" {
		meta.Changes = json.RawMessage(changes)
	}
	c, err := decodeConfiguration(body)
	if err != nil {
		return nil, store.VersionMeta{}, fmt.Errorf("pgstore: configuration %q version %d: %w", name, version, err)
	}
	return c, meta, nil
}

// ConfigurationHistory lists every version of the named configuration,
// oldest first, or returns an error wrapping store.ErrNotFound.
func (s *Store) ConfigurationHistory(ctx context.Context, name string) ([]store.VersionInfo, error) {
	rows, err := s.pool.Query(ctx, `SELECT version, created_at, author, note, changes FROM configuration_versions
		WHERE name = $1 ORDER BY version`, name)
	if err != nil {
		return nil, fmt.Errorf("pgstore: configuration %q history: %w", name, err)
	}
	var (
		out     []store.VersionInfo
		v       store.VersionInfo
		changes string
	)
	if _, err := pgx.ForEachRow(rows, []any{&v.Version, &v.At, &v.Author, &v.Note, &changes}, func() error {
		v.At = v.At.UTC()
		v.Changes = nil
		if changes != "" {
			v.Changes = json.RawMessage(changes)
		}
		out = append(out, v)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("pgstore: configuration %q history: %w", name, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("pgstore: configuration %q history: %w", name, store.ErrNotFound)
	}
	return out, nil
}

// Configurations summarises the latest version of every configuration,
// ordered by name in byte order (an empty, non-nil slice when there are
// none).
func (s *Store) Configurations(ctx context.Context) ([]store.ConfigurationInfo, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (name) name, version, created_at, body
		FROM configuration_versions ORDER BY name, version DESC`)
	if err != nil {
		return nil, fmt.Errorf("pgstore: configurations: %w", err)
	}
	out := []store.ConfigurationInfo{}
	var (
		info store.ConfigurationInfo
		body []byte
	)
	if _, err := pgx.ForEachRow(rows, []any{&info.Name, &info.Version, &info.UpdatedAt, &body}, func() error {
		c, err := decodeConfiguration(body)
		if err != nil {
			return fmt.Errorf("configuration %q: %w", info.Name, err)
		}
		x := store.ConfigurationInfo{Name: info.Name, Title: c.Title, Version: info.Version, UpdatedAt: info.UpdatedAt.UTC(),
			Localities: len(c.Localities)}
		for _, l := range c.Localities {
			x.Teams += len(l.Teams)
		}
		out = append(out, x)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("pgstore: configurations: %w", err)
	}
	return out, nil
}

// DeleteConfiguration deletes the named configuration with all its
// versions, or returns an error wrapping store.ErrNotFound.
func (s *Store) DeleteConfiguration(ctx context.Context, name string) error {
	return s.DeleteConfigurationIf(ctx, name, store.AnyVersion)
}

// DeleteConfigurationIf deletes the named configuration when its latest
// version is expect (store.AnyVersion: no check), keeping its versions in a
// tombstone (see DeleteConfigurationBy).
func (s *Store) DeleteConfigurationIf(ctx context.Context, name string, expect int) error {
	return s.DeleteConfigurationBy(ctx, name, expect, "")
}

func decodeConfiguration(body []byte) (*configuration.Configuration, error) {
	var c configuration.Configuration
	if err := json.Unmarshal(body, &c); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return &c, nil
}
