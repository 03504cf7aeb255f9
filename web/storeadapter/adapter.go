// Package storeadapter adapts the SQLite store to the API's Store interface:
// it converts types and maps the store's sentinel errors to the API's.
package storeadapter

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/sqlitestore"
	"github.com/placeteam/placeteam/web/api"
)

// Adapter wraps a store.
type Adapter struct{ Store *sqlitestore.Store }

var _ api.Store = Adapter{}

// mapErr rewraps store errors so the API can classify them.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sqlitestore.ErrNotFound):
		return fmt.Errorf("%w: %w", api.ErrNotFound, err)
	case errors.Is(err, sqlitestore.ErrVersionConflict):
		return fmt.Errorf("%w: %w", api.ErrConflict, err)
	}
	return err
}

// Configurations lists stored configurations.
func (a Adapter) Configurations(ctx context.Context) ([]api.ConfigurationInfo, error) {
	infos, err := a.Store.Configurations(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]api.ConfigurationInfo, len(infos))
	for i, x := range infos {
		out[i] = api.ConfigurationInfo{Name: x.Name, Title: x.Title, Version: x.Version, UpdatedAt: x.UpdatedAt, Teams: x.Teams, Localities: x.Localities}
	}
	return out, nil
}

// Configuration returns the latest version.
func (a Adapter) Configuration(ctx context.Context, name string) (*configuration.Configuration, int, error) {
	c, v, err := a.Store.Configuration(ctx, name)
	return c, v, mapErr(err)
}

// ConfigurationVersion returns one version.
func (a Adapter) ConfigurationVersion(ctx context.Context, name string, version int) (*configuration.Configuration, api.VersionInfo, error) {
	c, meta, err := a.Store.ConfigurationVersion(ctx, name, version)
	if err != nil {
		return nil, api.VersionInfo{}, mapErr(err)
	}
	return c, api.VersionInfo{Version: version, Author: meta.Author, Note: meta.Note, At: meta.At, Changes: meta.Changes}, nil
}

// ConfigurationHistory lists versions, oldest first.
func (a Adapter) ConfigurationHistory(ctx context.Context, name string) ([]api.VersionInfo, error) {
	hist, err := a.Store.ConfigurationHistory(ctx, name)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]api.VersionInfo, len(hist))
	for i, h := range hist {
		out[i] = api.VersionInfo{Version: h.Version, Author: h.Author, Note: h.Note, At: h.At, Changes: h.Changes}
	}
	return out, nil
}

// SaveConfiguration saves a version if the latest is expect.
func (a Adapter) SaveConfiguration(ctx context.Context, c *configuration.Configuration, meta api.VersionInfo, expect int) (int, error) {
	v, err := a.Store.SaveConfigurationIf(ctx, c, sqlitestore.VersionMeta{Author: meta.Author, Note: meta.Note, At: meta.At, Changes: meta.Changes}, expect)
	return v, mapErr(err)
}

// DeleteConfiguration deletes every version if the latest is expect.
func (a Adapter) DeleteConfiguration(ctx context.Context, name string, expect int) error {
	return mapErr(a.Store.DeleteConfigurationIf(ctx, name, expect))
}

// SaveScenario stores a hub-siting scenario.
func (a Adapter) SaveScenario(ctx context.Context, name, configuration string, body json.RawMessage) error {
	return mapErr(a.Store.SaveScenario(ctx, name, configuration, body))
}

// Scenario returns a stored scenario.
func (a Adapter) Scenario(ctx context.Context, name string) (json.RawMessage, error) {
	b, err := a.Store.Scenario(ctx, name)
	return b, mapErr(err)
}

// Scenarios lists stored scenarios.
func (a Adapter) Scenarios(ctx context.Context) ([]api.ScenarioInfo, error) {
	list, err := a.Store.Scenarios(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]api.ScenarioInfo, len(list))
	for i, x := range list {
		out[i] = api.ScenarioInfo{Name: x.Name, Configuration: x.Configuration, CreatedAt: x.CreatedAt}
	}
	return out, nil
}
