package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// errBrokenConfigurations is wrapped when import --replace would break
// stored configurations and --drop-configurations was not given.
var errBrokenConfigurations = errors.New("the new dataset would break stored configurations")

// configurationReader is what planning a replacement needs of the store.
type configurationReader interface {
	ConfigurationNames(ctx context.Context) ([]string, error)
	Latest(ctx context.Context, name string) (*configuration.Configuration, error)
}

// brokenConfiguration is a stored configuration the new dataset cannot hold.
type brokenConfiguration struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// replacePlan says what happens to the stored configurations when the
// dataset is replaced: kept ones are stored again (their latest version)
// beside the manifest's; broken ones are dropped only when allowed.
type replacePlan struct {
	Kept       []*configuration.Configuration
	Broken     []brokenConfiguration
	Superseded []string // stored names the manifest defines again
}

// planReplace checks each stored configuration's latest version against the
// new dataset's wards: it is kept when it is still valid (every ward still
// exists and every new ward is in a team), else reported as broken.
func planReplace(ctx context.Context, s configurationReader, d *dataset.Dataset, incoming []*configuration.Configuration) (*replacePlan, error) {
	names, err := s.ConfigurationNames(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: list stored configurations: %w", err)
	}
	wards := make(map[string]string, len(d.Wards))
	for _, w := range d.Wards {
		wards[w.Code] = w.Name
	}
	plan := &replacePlan{}
	for _, name := range names {
		if slices.ContainsFunc(incoming, func(c *configuration.Configuration) bool { return c.Name == name }) {
			plan.Superseded = append(plan.Superseded, name)
			continue
		}
		c, err := s.Latest(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("import: read stored configuration %q: %w", name, err)
		}
		if err := c.Validate(wards); err != nil {
			reason := err.Error()
			var ve *configuration.ValidationError
			if errors.As(err, &ve) {
				reason = strings.Join(ve.Problems, "; ")
			}
			plan.Broken = append(plan.Broken, brokenConfiguration{Name: name, Reason: reason})
			continue
		}
		plan.Kept = append(plan.Kept, c)
	}
	return plan, nil
}

// keptNames lists the kept configurations' names.
func (p *replacePlan) keptNames() []string {
	out := make([]string, len(p.Kept))
	for i, c := range p.Kept {
		out[i] = c.Name
	}
	return out
}

// droppedNames lists the broken configurations' names.
func (p *replacePlan) droppedNames() []string {
	out := make([]string, len(p.Broken))
	for i, b := range p.Broken {
		out[i] = b.Name
	}
	return out
}

// refusal is the error when broken configurations stop the import.
func (p *replacePlan) refusal() error {
	var b strings.Builder
	for _, c := range p.Broken {
		fmt.Fprintf(&b, "\n  %s: %s", c.Name, c.Reason)
	}
	return fmt.Errorf("import: %w (nothing was changed; fix them, or pass --drop-configurations to drop them):%s", errBrokenConfigurations, b.String())
}

// write reports the plan in the import's text output.
func (p *replacePlan) write(w io.Writer) error {
	line := func(what string, names []string) error {
		if len(names) == 0 {
			return nil
		}
		_, err := fmt.Fprintf(w, "%s: %s\n", what, strings.Join(names, ", "))
		return err
	}
	if err := line("Kept stored configurations (history restarts at version 1)", p.keptNames()); err != nil {
		return err
	}
	if err := line("Replaced by the manifest's configurations", p.Superseded); err != nil {
		return err
	}
	return line("Dropped configurations the new dataset breaks", p.droppedNames())
}

// storeConfigurations adapts the store to configurationReader.
type storeConfigurations struct{ s backend }

func (r storeConfigurations) ConfigurationNames(ctx context.Context) ([]string, error) {
	infos, err := r.s.Configurations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(infos))
	for i, c := range infos {
		out[i] = c.Name
	}
	return out, nil
}

func (r storeConfigurations) Latest(ctx context.Context, name string) (*configuration.Configuration, error) {
	c, _, err := r.s.Configuration(ctx, name)
	return c, err
}
