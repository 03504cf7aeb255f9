// Package store is the vocabulary every placeteam store backend shares: the
// records it keeps beside a dataset (configuration versions, scenarios,
// imports), the version expectations of conditional writes, the sentinel
// errors it wraps, and the checks a backend runs before it writes. It
// declares no interface: each consumer declares the few methods it needs
// (see profiles/planning), and the backends — data/sqlitestore, the
// embedded default, and data/pgstore, PostgreSQL with PostGIS — satisfy them
// directly with these types.
package store

import (
	"encoding/json"
	"errors"
	"time"
)

// Sentinel errors, wrapped with what was asked for.
var (
	// ErrNotFound: no configuration, version or scenario of that name.
	ErrNotFound = errors.New("not found")
	// ErrConflict: the latest stored version is not the one the caller
	// expected (someone else saved in between).
	ErrConflict = errors.New("version conflict")
	// ErrNoDataset: the store holds no dataset yet.
	ErrNoDataset = errors.New("store holds no dataset")
	// ErrNoStore: a store that must exist does not (a mistyped path or
	// database is an error, not a new empty store).
	ErrNoStore = errors.New("no store there")
	// ErrInvalid: a request the store refuses as malformed (an empty name,
	// a body that is not JSON). Configurations that do not fit the wards
	// wrap configuration.ErrInvalid instead.
	ErrInvalid = errors.New("invalid")
)

// AnyVersion and NoVersion are the special expectations of a conditional
// save or delete: whatever the latest version is, or only when the name is
// new.
const (
	AnyVersion = -1
	NoVersion  = 0
)

// VersionMeta says who saved a configuration version, why and when.
type VersionMeta struct {
	Author string `json:"author"`
	Note   string `json:"note"`
	// Changes records what the version changed (e.g. the ward moves
	// applied) as JSON; empty for a configuration saved whole.
	Changes json.RawMessage `json:"changes,omitempty"`
	// At is when the version was saved; stored in UTC, zero means now.
	At time.Time `json:"at"`
}

// VersionInfo describes one saved version of a configuration.
type VersionInfo struct {
	Version int `json:"version"`
	VersionMeta
}

// ConfigurationInfo summarises the latest version of a configuration.
type ConfigurationInfo struct {
	Name      string    `json:"name"`
	Title     string    `json:"title,omitempty"`
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updated_at"`
	// Teams and Localities count the latest version's teams and localities.
	Teams      int `json:"teams"`
	Localities int `json:"localities"`
}

// ScenarioInfo describes a stored hub-siting scenario.
type ScenarioInfo struct {
	Name          string    `json:"name"`
	Configuration string    `json:"configuration"`
	CreatedAt     time.Time `json:"created_at"`
}

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

// Change is one committed write to configurations, as a store reports it to
// the processes that watch it (other replicas drop their cached latest
// version of the name).
type Change struct {
	// Configuration is the name whose versions changed.
	Configuration string
	// Version is the latest version after the write; 0 when deleted.
	Version int
}
