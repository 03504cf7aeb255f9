package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/sqlitestore"
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
	cmd.Flags().StringVar(&f.db, "db", defaultDB, "store file")
	cmd.Flags().StringVar(&f.date, "date", "", "date of registrations and lists, YYYY-MM-DD (default: the latest with registrations)")
	cmd.Flags().Float64Var(&f.decay, "decay", 0, "gravity-model distance decay per km (default: calibrated by maximum likelihood)")
	cmd.Flags().Float64Var(&f.threshold, "out-of-city-threshold", 0, "flag teams whose practices' out-of-city share exceeds this (default 0.10)")
	cmd.Flags().StringVar(&f.format, "format", "table", "output format: "+formats)
}

// engine is a loaded dataset with its ward tables.
type engine struct {
	store   *sqlitestore.Store
	dataset *dataset.Dataset
	tables  *wardtables.Tables
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
	store, err := sqlitestore.Open(ctx, sqlitestore.Config{Path: f.db, MustExist: true})
	if err != nil {
		return nil, err
	}
	ds, err := store.Dataset(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	t, err := wardtables.Build(ctx, ds, wardtables.Options{Date: date, Decay: f.decay})
	if err != nil {
		store.Close()
		return nil, err
	}
	return &engine{store: store, dataset: ds, tables: t}, nil
}

func (e *engine) Close() error { return e.store.Close() }

func (e *engine) configuration(ctx context.Context, name string) (*configuration.Configuration, error) {
	c, _, err := e.store.Configuration(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("configuration %q: %w", name, err)
	}
	return c, nil
}

// attribution lists the sources behind the output.
func (e *engine) attribution() []dataset.Source { return e.dataset.Sources }

// openEngineFor opens the engine and loads the named configuration.
func openEngineFor(ctx context.Context, f *engineFlags, name string) (*engine, *configuration.Configuration, error) {
	e, err := openEngine(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := e.configuration(ctx, name)
	if err != nil {
		e.Close()
		return nil, nil, err
	}
	return e, cfg, nil
}
