package planning

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
)

// Version is one saved version of a configuration. It is immutable: do not
// modify Configuration (Clone it first).
type Version struct {
	Name          string
	Number        int
	Configuration *configuration.Configuration
}

// key names the version in caches: "name@N".
func (v Version) key() string { return versionKey(v.Name, v.Number) }

func versionKey(name string, version int) string { return name + "@" + strconv.Itoa(version) }

// Configurations summarises the latest version of every configuration.
func (s *Service) Configurations(ctx context.Context) ([]store.ConfigurationInfo, error) {
	infos, err := s.store.Configurations(ctx)
	if err != nil {
		return nil, err
	}
	if infos == nil {
		infos = []store.ConfigurationInfo{}
	}
	return infos, nil
}

// Latest is the latest version of the named configuration, from memory
// when this process knows it (see the package comment), else the store.
func (s *Service) Latest(ctx context.Context, name string) (Version, error) {
	s.latestMu.Lock()
	e, ok := s.latest[name]
	s.latestMu.Unlock()
	if ok && time.Since(e.at) < s.ttl {
		return s.At(ctx, name, e.version)
	}
	return s.LatestStored(ctx, name)
}

// LatestStored is the latest version of the named configuration as the
// store has it now, bypassing (and refreshing) what this process holds:
// for writes, whose If-Match must be checked against the store, not
// against a replica's memory that a notification has not reached yet.
func (s *Service) LatestStored(ctx context.Context, name string) (Version, error) {
	s.latestMu.Lock()
	seen := s.changes
	s.latestMu.Unlock()
	c, v, err := s.store.Configuration(ctx, name)
	if err != nil {
		return Version{}, err
	}
	s.versions.add(versionKey(name, v), c)
	s.latestMu.Lock()
	if s.changes == seen {
		s.rememberLatest(name, v)
	}
	s.latestMu.Unlock()
	return Version{Name: name, Number: v, Configuration: c}, nil
}

// setLatest remembers version as the latest of name (this process saved it).
func (s *Service) setLatest(name string, version int) {
	s.latestMu.Lock()
	s.rememberLatest(name, version)
	s.latestMu.Unlock()
}

// rememberLatest records version unless a later one is known already
// (versions are never reused, so a lower number is an older read). The
// caller holds latestMu.
func (s *Service) rememberLatest(name string, version int) {
	if e, ok := s.latest[name]; ok && e.version > version {
		return
	}
	s.latest[name] = latestEntry{version, time.Now()}
}

func (s *Service) dropLatest(name string) {
	s.latestMu.Lock()
	delete(s.latest, name)
	s.latestMu.Unlock()
}

// At is one version of the named configuration; version 0 is the latest.
func (s *Service) At(ctx context.Context, name string, version int) (Version, error) {
	if version == 0 {
		return s.Latest(ctx, name)
	}
	if version < 0 {
		return Version{}, fmt.Errorf("planning: configuration %q version %d: %w", name, version, store.ErrNotFound)
	}
	c, err := s.versions.get(ctx, versionKey(name, version), func(ctx context.Context) (*configuration.Configuration, error) {
		c, _, err := s.store.ConfigurationVersion(ctx, name, version)
		return c, err
	})
	if err != nil {
		return Version{}, err
	}
	return Version{Name: name, Number: version, Configuration: c}, nil
}

// VersionInfo is who saved a version, when and what it changed.
func (s *Service) VersionInfo(ctx context.Context, name string, version int) (Version, store.VersionInfo, error) {
	c, meta, err := s.store.ConfigurationVersion(ctx, name, version)
	if err != nil {
		return Version{}, store.VersionInfo{}, err
	}
	return Version{Name: name, Number: version, Configuration: c}, store.VersionInfo{Version: version, VersionMeta: meta}, nil
}

// History lists every version of the named configuration, oldest first.
func (s *Service) History(ctx context.Context, name string) ([]store.VersionInfo, error) {
	return s.store.ConfigurationHistory(ctx, name)
}

// Save stores c as the next version when the latest is expect
// (store.NoVersion: the name must be new; store.AnyVersion: no check).
func (s *Service) Save(ctx context.Context, c *configuration.Configuration, meta store.VersionMeta, expect int) (Version, error) {
	if c == nil {
		return Version{}, errors.New("planning: save: nil configuration")
	}
	// The store checks the wards again inside its transaction; checking
	// here first gives the same answer without a round trip.
	if err := store.CheckSave(c, s.wardNames()); err != nil {
		return Version{}, err
	}
	c = c.Clone()
	if a, ok := ActorFrom(ctx); ok {
		meta.Author = a.Name // the authenticated identity, never the request's word
	}
	v, err := s.store.SaveConfigurationIf(ctx, c, meta, expect)
	if err != nil {
		if errors.Is(err, store.ErrConflict) {
			s.dropLatest(c.Name) // someone else saved: our latest is stale
		}
		return Version{}, err
	}
	s.versions.add(versionKey(c.Name, v), c)
	s.setLatest(c.Name, v)
	s.audit(ctx, saveAction(meta, expect), c.Name, map[string]any{"version": v, "author": meta.Author, "note": meta.Note, "changes": meta.Changes})
	return Version{Name: c.Name, Number: v, Configuration: c}, nil
}

func (s *Service) wardNames() map[string]string {
	wards := make(map[string]string, len(s.ds.Wards))
	for _, w := range s.ds.Wards {
		wards[w.Code] = w.Name
	}
	return wards
}

// Delete deletes the named configuration when its latest is expect, and
// drops what the core holds of it. Its history is kept: Restore brings it
// back.
func (s *Service) Delete(ctx context.Context, name string, expect int) error {
	err := s.store.DeleteConfigurationBy(ctx, name, expect, s.actor(ctx).Name)
	s.forget(name)
	if err == nil {
		s.audit(ctx, "configuration.delete", name, map[string]any{"expected_version": expect})
	}
	return err
}

// Deleted lists the deleted configurations the store keeps, the most
// recently deleted first.
func (s *Service) Deleted(ctx context.Context) ([]store.DeletedConfiguration, error) {
	return s.store.DeletedConfigurations(ctx)
}

// Restore brings back the most recently deleted configuration of that name,
// every version as it was, and returns its latest version.
func (s *Service) Restore(ctx context.Context, name string) (int, error) {
	version, err := s.store.RestoreConfiguration(ctx, name)
	s.forget(name)
	if errors.Is(err, store.ErrConflict) {
		return 0, fmt.Errorf("%w: %w", ErrNameInUse, err)
	}
	if err != nil {
		return 0, err
	}
	s.audit(ctx, "configuration.restore", name, map[string]any{"version": version})
	return version, nil
}

// saveAction names a save for the audit trail from what it records.
func saveAction(meta store.VersionMeta, expect int) string {
	var changes map[string]json.RawMessage
	_ = json.Unmarshal(meta.Changes, &changes) // none: a whole configuration
	switch {
	case changes["restored_version"] != nil:
		return "configuration.revert"
	case changes["optimised_from"] != nil:
		return "configuration.optimised"
	case changes["wards_moved"] != nil || changes["moves"] != nil:
		return "configuration.move"
	case expect == store.NoVersion:
		return "configuration.create"
	}
	return "configuration.save"
}

// forget drops every cached figure of the named configuration.
func (s *Service) forget(name string) {
	s.dropLatest(name)
	prefix := name + "@"
	s.versions.forget(prefix)
	s.profiles.forget(prefix)
	s.indicators.forget(prefix)
	s.tilesets.forget(prefix)
	s.checks.forget(prefix)
	for _, level := range []string{placeprofile.LevelTeam, placeprofile.LevelLocality} {
		s.units.forget(level + ":" + prefix)
		s.units.forget("shapes:" + level + ":" + prefix)
	}
	s.responses.forget(prefix)
}

// MoveRequest is a batch of ward moves on one version.
type MoveRequest struct {
	Name string
	// Expect is the version the moves apply to, which must be the latest.
	Expect int
	Moves  []configuration.Move
	configuration.MoveOptions
	Meta store.VersionMeta
}

// MoveResult is the saved version and what it changed.
type MoveResult struct {
	Base, Saved  Version
	ChangedTeams []string
	// TilesCarried counts cached tiles reused from the base version.
	TilesCarried int
}

// ErrNameInUse is wrapped when a deleted configuration cannot come back
// because another of its name exists.
var ErrNameInUse = errors.New("the name is in use")

// ErrNoChange is wrapped when moves leave every ward in its team.
var ErrNoChange = errors.New("the moves change nothing: every ward is already in its team")

// Move applies the moves to version Expect and saves the result as the
// next version, recording the moves and changed teams as its changes.
func (s *Service) Move(ctx context.Context, req MoveRequest) (MoveResult, error) {
	base, err := s.At(ctx, req.Name, req.Expect)
	if err != nil {
		return MoveResult{}, err
	}
	moved, err := base.Configuration.ApplyMoves(req.Moves, req.MoveOptions)
	if err != nil {
		return MoveResult{}, err
	}
	changed := configuration.ChangedTeams(base.Configuration, moved)
	if len(changed) == 0 {
		return MoveResult{}, fmt.Errorf("planning: %w", ErrNoChange)
	}
	meta := req.Meta
	if meta.Changes, err = json.Marshal(map[string]any{"moves": req.Moves, "changed_teams": changed}); err != nil {
		return MoveResult{}, err
	}
	saved, err := s.Save(ctx, moved, meta, req.Expect)
	if err != nil {
		return MoveResult{}, err
	}
	return MoveResult{Base: base, Saved: saved, ChangedTeams: changed, TilesCarried: s.carryTiles(base, saved)}, nil
}

// RevertRequest asks for a new version equal to an earlier one.
type RevertRequest struct {
	Name string
	// Expect is the latest version, which the revert follows.
	Expect int
	// Version is the version to restore.
	Version int
	Meta    store.VersionMeta
}

// Revert saves version req.Version of a configuration again as its next
// version (history is never rewritten: undo and redo are new versions). Its
// changes record the version restored, the wards that move back and the
// teams they change.
func (s *Service) Revert(ctx context.Context, req RevertRequest) (MoveResult, error) {
	base, err := s.At(ctx, req.Name, req.Expect)
	if err != nil {
		return MoveResult{}, err
	}
	if req.Version < 1 || req.Version > base.Number {
		return MoveResult{}, fmt.Errorf("planning: revert %q to version %d: %w (versions run 1 to %d)", req.Name, req.Version, store.ErrNotFound, base.Number)
	}
	target, err := s.At(ctx, req.Name, req.Version)
	if err != nil {
		return MoveResult{}, err
	}
	restored := target.Configuration.Clone()
	changed := configuration.ChangedTeams(base.Configuration, restored)
	if len(changed) == 0 {
		return MoveResult{}, fmt.Errorf("planning: version %d of %q: %w", req.Version, req.Name, ErrNoChange)
	}
	moves := compare.WardsMoved(base.Configuration, restored)
	meta := req.Meta
	if meta.Changes, err = json.Marshal(map[string]any{"restored_version": req.Version, "wards_moved": moves, "changed_teams": changed}); err != nil {
		return MoveResult{}, err
	}
	saved, err := s.Save(ctx, restored, meta, req.Expect)
	if err != nil {
		return MoveResult{}, err
	}
	return MoveResult{Base: base, Saved: saved, ChangedTeams: changed, TilesCarried: s.carryTiles(base, saved)}, nil
}

// Evaluation is a what-if: a version with unsaved moves, its profile and
// its comparison with the version.
type Evaluation struct {
	BaseVersion  int                   `json:"base_version"`
	ChangedTeams []string              `json:"changed_teams"`
	Profile      *placeprofile.Profile `json:"profile"`
	Comparison   *compare.Result       `json:"comparison"`
	// Changes are every metric that moves for the changed teams, their
	// localities and the city, before (a) and after (b).
	Changes []compare.UnitChange `json:"changes"`
	// Checks are the plan checks of the configuration with the moves.
	Checks *plancheck.Report `json:"checks"`
}

// Evaluate profiles v with the moves applied, without saving.
func (s *Service) Evaluate(ctx context.Context, v Version, moves []configuration.Move, mopts configuration.MoveOptions, opts placeprofile.Options) (*Evaluation, error) {
	moved, err := v.Configuration.ApplyMoves(moves, mopts)
	if err != nil {
		return nil, err
	}
	return s.evaluateConfiguration(ctx, v, moved, opts)
}

// evaluateConfiguration is Evaluate for a configuration already moved.
func (s *Service) evaluateConfiguration(ctx context.Context, v Version, moved *configuration.Configuration, opts placeprofile.Options) (*Evaluation, error) {
	before, err := s.Profile(ctx, v, opts)
	if err != nil {
		return nil, err
	}
	after, err := placeprofile.Evaluate(s.tables, moved, opts)
	if err != nil {
		return nil, err
	}
	checks, err := s.CheckConfiguration(ctx, moved, after, plancheck.Options{})
	if err != nil {
		return nil, err
	}
	changed := configuration.ChangedTeams(v.Configuration, moved)
	return &Evaluation{BaseVersion: v.Number, ChangedTeams: changed, Profile: after,
		Comparison: compare.Compare(v.Configuration, moved, before, after),
		Changes:    compare.Changes(before, after, changed), Checks: checks}, nil
}
