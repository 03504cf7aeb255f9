package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/importer"
)

func newInfoCommand() *cobra.Command {
	var dbPath, format string
	cmd := &cobra.Command{
		Use:   "info --db FILE",
		Short: "Show what a store holds: counts, dates, sources and configurations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			s, err := openStore(cmd.Context(), dbPath, true)
			if err != nil {
				return err
			}
			defer s.Close()
			has, err := s.HasDataset(cmd.Context())
			if err != nil {
				return err
			}
			if !has {
				return fmt.Errorf("%s holds no dataset: run `placeteam demo` or `placeteam import`", dbPath)
			}
			ds, err := s.Dataset(cmd.Context())
			if err != nil {
				return err
			}
			configs, err := s.Configurations(cmd.Context())
			if err != nil {
				return err
			}
			summary := ds.Summarize()
			report, err := lastImportReport(cmd.Context(), s)
			if err != nil {
				return err
			}
			// Gaps come from the stored dataset, not the report, so a store
			// imported before reports listed them is described too.
			gaps := importer.Gaps(ds)
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"summary": summary, "configurations": configs, "warnings": report.Warnings,
					"fallbacks": report.Fallbacks, "gaps": gaps})
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
			importer.WriteFallbacks(out, report.Fallbacks)
			importer.WriteGaps(out, gaps)
			importer.WriteWarnings(out, report.Warnings)
			return nil
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}

// lastImportReport returns the report of the import that made the store's
// dataset (import-time warnings such as unknown postcodes, and fallbacks,
// cannot be recomputed from the stored dataset); an empty report when the
// store records no import (the demo).
func lastImportReport(ctx context.Context, s backend) (*importer.Report, error) {
	imports, err := s.Imports(ctx)
	if err != nil || len(imports) == 0 {
		return &importer.Report{}, err
	}
	var rep importer.Report
	if err := json.Unmarshal(imports[len(imports)-1].Report, &rep); err != nil {
		return nil, fmt.Errorf("read the import report: %w", err)
	}
	return &rep, nil
}
