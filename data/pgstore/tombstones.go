package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/store"
)

// DeleteConfigurationBy deletes every version of the named configuration
// (and their teams) when its latest version is expect (store.AnyVersion: no
// check), in one transaction, keeping the versions in a tombstone that
// names by; a stale expectation wraps store.ErrConflict. The name's
// numbering survives: saved again, it continues after the last version it
// had. The delete is announced to Watch.
func (s *Store) DeleteConfigurationBy(ctx context.Context, name string, expect int, by string) error {
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := lockDataset(ctx, tx); err != nil {
			return err
		}
		// Locking creates the name's sequence row when it has none; the
		// rollback of a failed delete takes it away again.
		_, latest, err := lockName(ctx, tx, name)
		if err != nil {
			return err
		}
		if latest == 0 {
			return store.ErrNotFound
		}
		if err := store.CheckExpected(latest, expect); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `SELECT version, created_at, author, note, body, changes FROM configuration_versions
			WHERE name = $1 ORDER BY version`, name)
		if err != nil {
			return err
		}
		var (
			versions []store.ArchivedVersion
			v        store.ArchivedVersion
			body     []byte
		)
		if _, err := pgx.ForEachRow(rows, []any{&v.Version, &v.CreatedAt, &v.Author, &v.Note, &body, &v.Changes}, func() error {
			v.Body = json.RawMessage(append([]byte(nil), body...))
			versions = append(versions, v)
			return nil
		}); err != nil {
			return err
		}
		archive, err := json.Marshal(versions)
		if err != nil {
			return fmt.Errorf("encode versions: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO configuration_tombstones (name, deleted_at, deleted_by, latest, versions)
			VALUES ($1, now(), $2, $3, $4)`, name, by, latest, string(archive)); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM configurations WHERE name = $1`, name)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return notify(ctx, tx, name, 0)
	})
	if err != nil {
		return fmt.Errorf("pgstore: delete configuration %q: %w", name, err)
	}
	return nil
}

// DeletedConfigurations lists the deleted configurations kept, the most
// recently deleted first.
func (s *Store) DeletedConfigurations(ctx context.Context) ([]store.DeletedConfiguration, error) {
	rows, err := s.pool.Query(ctx, `SELECT name, latest, jsonb_array_length(versions), deleted_at, deleted_by
		FROM configuration_tombstones ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("pgstore: deleted configurations: %w", err)
	}
	var (
		out []store.DeletedConfiguration
		d   store.DeletedConfiguration
	)
	if _, err := pgx.ForEachRow(rows, []any{&d.Name, &d.Latest, &d.Versions, &d.DeletedAt, &d.DeletedBy}, func() error {
		d.DeletedAt = d.DeletedAt.UTC()
		out = append(out, d)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("pgstore: deleted configurations: %w", err)
	}
	return out, nil
}

// RestoreConfiguration brings back the most recently deleted configuration
// of that name with every version it had (numbers, authors, notes; their
// teams dissolved again), and returns its latest version. It wraps
// store.ErrNotFound when none is kept, store.ErrConflict when a
// configuration of that name exists now, and configuration.ErrInvalid when
// the latest version names wards the stored dataset no longer has. The
// restore is announced to Watch.
func (s *Store) RestoreConfiguration(ctx context.Context, name string) (int, error) {
	var latest int
	err := s.write(ctx, func(tx pgx.Tx) error {
		if _, err := lockDataset(ctx, tx); err != nil {
			return err
		}
		last, current, err := lockName(ctx, tx, name)
		if err != nil {
			return err
		}
		var (
			id      int64
			archive []byte
		)
		err = tx.QueryRow(ctx, `SELECT id, versions FROM configuration_tombstones WHERE name = $1
			ORDER BY id DESC LIMIT 1`, name).Scan(&id, &archive)
		if errors.Is(err, pgx.ErrNoRows) {
			return store.ErrNotFound
		}
		if err != nil {
			return err
		}
		if current > 0 {
			return fmt.Errorf("%w: a configuration named %q exists now; delete or rename it first", store.ErrConflict, name)
		}
		var versions []store.ArchivedVersion
		if err := json.Unmarshal(archive, &versions); err != nil {
			return fmt.Errorf("decode tombstone %d: %w", id, err)
		}
		if len(versions) == 0 {
			return fmt.Errorf("tombstone %d keeps no versions", id)
		}
		wards, err := wardNames(ctx, tx)
		if err != nil {
			return err
		}
		for i, v := range versions {
			c, err := decodeConfiguration(v.Body)
			if err != nil {
				return fmt.Errorf("version %d: %w", v.Version, err)
			}
			if i == len(versions)-1 {
				if err := store.CheckSave(c, wards); err != nil {
					return err
				}
			}
			meta := store.VersionMeta{At: v.CreatedAt, Author: v.Author, Note: v.Note, Changes: json.RawMessage(v.Changes)}
			if err := insertVersion(ctx, tx, c, meta, v.Version); err != nil {
				return fmt.Errorf("version %d: %w", v.Version, err)
			}
			latest = v.Version
		}
		// Numbering never goes back (insertVersion set it to each version's).
		if _, err := tx.Exec(ctx, `UPDATE configuration_sequence SET last = $2 WHERE name = $1`, name, max(last, latest)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM configuration_tombstones WHERE id = $1`, id); err != nil {
			return err
		}
		return notify(ctx, tx, name, latest)
	})
	if err != nil {
		return 0, fmt.Errorf("pgstore: restore configuration %q: %w", name, err)
	}
	return latest, nil
}
