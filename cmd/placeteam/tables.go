package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/planning"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// engineFlags are the flags shared by flows, profile and compare.
type engineFlags struct {
	db        string
	date      string
	decay     float64
	threshold float64
	format    string
}

func (f *engineFlags) register(cmd *cobra.Command, formats string) {
	cmd.Flags().StringVar(&f.db, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&f.date, "date", "", "date of registrations and lists, YYYY-MM-DD (default: the latest with registrations)")
	cmd.Flags().Float64Var(&f.decay, "decay", 0, "gravity-model distance decay per km (default: calibrated by maximum likelihood)")
	cmd.Flags().Float64Var(&f.threshold, "out-of-city-threshold", 0, "flag teams whose practices' out-of-city share exceeds this (default 0.10)")
	cmd.Flags().StringVar(&f.format, "format", "table", "output format: "+formats)
}

// engine is the service core over an open store.
type engine struct {
	store backend
	core  *planning.Service
}

func openEngine(ctx context.Context, f *engineFlags) (*engine, error) {
	var date time.Time
	if f.date != "" {
		d, err := time.Parse(time.DateOnly, f.date)
		if err != nil {
			return nil, fmt.Errorf("--date %q is not YYYY-MM-DD", f.date)
		}
		date = d
	}
	if f.decay < 0 {
		return nil, fmt.Errorf("--decay must be positive (per km), not %g", f.decay)
	}
	core, s, err := openCore(ctx, f.db, planning.Config{Tables: wardtables.Options{Date: date, Decay: f.decay}})
	if err != nil {
		return nil, err
	}
	return &engine{store: s, core: core}, nil
}

func (e *engine) Close() error {
	e.core.Close()
	return e.store.Close()
}

func (e *engine) dataset() *dataset.Dataset { return e.core.Dataset() }

func (e *engine) configuration(ctx context.Context, name string) (planning.Version, error) {
	v, err := e.core.Latest(ctx, name)
	if err != nil {
		return planning.Version{}, fmt.Errorf("configuration %q: %w", name, err)
	}
	return v, nil
}

// attribution lists the sources behind the output.
func (e *engine) attribution() []dataset.Source { return e.core.Sources() }

// openEngineFor opens the engine and loads the named configuration.
func openEngineFor(ctx context.Context, f *engineFlags, name string) (*engine, planning.Version, error) {
	return openEngineAt(ctx, f, name, 0)
}

// openEngineAt opens the engine and loads version of the named
// configuration (0: the latest; --version flags start at 1).
func openEngineAt(ctx context.Context, f *engineFlags, name string, version int) (*engine, planning.Version, error) {
	if version < 0 {
		return nil, planning.Version{}, fmt.Errorf("--version %d: versions start at 1", version)
	}
	e, err := openEngine(ctx, f)
	if err != nil {
		return nil, planning.Version{}, err
	}
	v, err := e.core.At(ctx, name, version)
	if err != nil {
		e.Close()
		return nil, planning.Version{}, fmt.Errorf("configuration %q: %w", name, err)
	}
	return e, v, nil
}
