package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/store"
)

func newDemoCommand() *cobra.Command {
	var dbPath string
	var seed int64
	var replace bool
	cmd := &cobra.Command{
		Use:   "demo --db FILE",
		Short: "Generate the deterministic demo city into a store",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := openStore(cmd.Context(), dbPath, false)
			if err != nil {
				return err
			}
			defer s.Close()
			has, err := s.HasDataset(cmd.Context())
			if err != nil {
				return err
			}
			if has && !replace {
				return fmt.Errorf("%s already holds a dataset; pass --replace to replace it (and its configurations)", redact(dbPath))
			}
			rep, err := loadDemo(cmd.Context(), s, seed)
			if err != nil {
				return err
			}
			if err := rep.WriteText(cmd.OutOrStdout()); err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "\nStored in %s.\n", dbPath)
			return err
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	cmd.Flags().Int64Var(&seed, "seed", 0, "generator seed (0 = the default demo city)")
	cmd.Flags().BoolVar(&replace, "replace", false, "replace the dataset already in the store")
	return cmd
}

// loadDemo generates the demo city and stores it through the same
// validation as a real import.
func loadDemo(ctx context.Context, s backend, seed int64) (*importer.Report, error) {
	start := time.Now()
	ds, baseline, err := demo.Generate(demo.Config{Seed: seed})
	if err != nil {
		return nil, err
	}
	rep := &importer.Report{
		Manifest:       "(generated demo city)",
		Summary:        ds.Summarize(),
		Warnings:       ds.Check(),
		Configurations: []string{baseline.Name},
		Duration:       time.Since(start).Round(time.Millisecond).String(),
	}
	body, err := json.Marshal(rep)
	if err != nil {
		return nil, err
	}
	record := store.ImportRecord{Manifest: rep.Manifest, ImportedAt: time.Now().UTC(), Report: body}
	if err := s.ReplaceDataset(ctx, ds, []*configuration.Configuration{baseline}, record); err != nil {
		return nil, err
	}
	return rep, nil
}
