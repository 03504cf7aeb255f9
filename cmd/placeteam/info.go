package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/sqlitestore"
)

func newInfoCommand() *cobra.Command {
	var dbPath, format string
	cmd := &cobra.Command{
		Use:   "info --db FILE",
		Short: "Show what a store holds: counts, dates, sources and configurations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			store, err := sqlitestore.Open(cmd.Context(), sqlitestore.Config{Path: dbPath, MustExist: true})
			if err != nil {
				return err
			}
			defer store.Close()
			has, err := store.HasDataset(cmd.Context())
			if err != nil {
				return err
			}
			if !has {
				return fmt.Errorf("%s holds no dataset: run `placeteam demo` or `placeteam import`", dbPath)
			}
			ds, err := store.Dataset(cmd.Context())
			if err != nil {
				return err
			}
			configs, err := store.Configurations(cmd.Context())
			if err != nil {
				return err
			}
			summary := ds.Summarize()
			warnings, err := lastImportWarnings(cmd.Context(), store)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"summary": summary, "configurations": configs, "warnings": warnings})
			}
			fmt.Fprintf(out, "Store %s: dataset %s\n", dbPath, summary.Name)
			importer.WriteSummary(out, summary)
			importer.WriteSources(out, summary.Sources)
			fmt.Fprintln(out, "\nConfigurations:")
			if len(configs) == 0 {
				fmt.Fprintln(out, "  (none)")
			}
			for _, c := range configs {
				fmt.Fprintf(out, "  %s (version %d): %d teams in %d localities — %s\n", c.Name, c.Version, c.Teams, c.Localities, c.Title)
			}
			importer.WriteWarnings(out, warnings)
			return nil
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", defaultDB, "store file")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// lastImportWarnings returns the warnings of the import that made the
// store's dataset (import-time warnings such as unknown postcodes cannot be
// recomputed from the stored dataset).
func lastImportWarnings(ctx context.Context, store *sqlitestore.Store) ([]dataset.Warning, error) {
	imports, err := store.Imports(ctx)
	if err != nil || len(imports) == 0 {
		return nil, err
	}
	var rep importer.Report
	if err := json.Unmarshal(imports[len(imports)-1].Report, &rep); err != nil {
		return nil, fmt.Errorf("read the import report: %w", err)
	}
	return rep.Warnings, nil
}
