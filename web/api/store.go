package api

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/placeteam/placeteam/data/configuration"
)

// Store is what the API needs from storage; declared here, satisfied by an
// adapter over the SQLite store (and later PostgreSQL).
type Store interface {
	Configurations(ctx context.Context) ([]ConfigurationInfo, error)
	Configuration(ctx context.Context, name string) (*configuration.Configuration, int, error)
	ConfigurationVersion(ctx context.Context, name string, version int) (*configuration.Configuration, VersionInfo, error)
	ConfigurationHistory(ctx context.Context, name string) ([]VersionInfo, error)
	// SaveConfiguration saves c as the next version when the latest is
	// expect (0: the name must be new); else it returns ErrConflict.
	SaveConfiguration(ctx context.Context, c *configuration.Configuration, meta VersionInfo, expect int) (int, error)
	// DeleteConfiguration deletes every version when the latest is expect;
	// else it returns ErrConflict.
	DeleteConfiguration(ctx context.Context, name string, expect int) error
	SaveScenario(ctx context.Context, name, configuration string, body json.RawMessage) error
	Scenario(ctx context.Context, name string) (json.RawMessage, error)
	Scenarios(ctx context.Context) ([]ScenarioInfo, error)
}

// ScenarioInfo describes a stored hub-siting scenario.
type ScenarioInfo struct {
	Name          string    `json:"name"`
	Configuration string    `json:"configuration"`
	CreatedAt     time.Time `json:"created_at"`
}

// Errors a Store returns (wrapped), mapped to HTTP statuses in problem.go.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("version conflict")
	ErrInvalid  = errors.New("invalid")
)

// ConfigurationInfo describes a stored configuration.
type ConfigurationInfo struct {
	Name       string    `json:"name"`
	Title      string    `json:"title,omitempty"`
	Version    int       `json:"version"`
	UpdatedAt  time.Time `json:"updated_at"`
	Teams      int       `json:"teams"`
	Localities int       `json:"localities"`
}

// VersionInfo is who saved a version, when, and what it changed.
type VersionInfo struct {
	Version int             `json:"version"`
	Author  string          `json:"author"`
	Note    string          `json:"note,omitempty"`
	At      time.Time       `json:"at"`
	Changes json.RawMessage `json:"changes,omitempty"`
}
