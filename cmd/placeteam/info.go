package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

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
			store, err := sqlitestore.Open(cmd.Context(), sqlitestore.Config{Path: dbPath})
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
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(map[string]any{"summary": summary, "configurations": configs, "warnings": ds.Check()})
			}
			fmt.Fprintf(out, "Store %s: dataset %s\n", dbPath, summary.Name)
			importer.WriteSummary(out, summary)
			fmt.Fprintln(out, "\nSources:")
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			for _, s := range summary.Sources {
				modelled := ""
				if s.Modelled {
					modelled = " [modelled]"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%d records\t%s\t%s%s\n", s.ID, s.Role, s.Records, s.Licence, s.Path, modelled)
			}
			_ = tw.Flush()
			fmt.Fprintln(out, "\nConfigurations:")
			if len(configs) == 0 {
				fmt.Fprintln(out, "  (none)")
			}
			for _, c := range configs {
				fmt.Fprintf(out, "  %s (version %d): %d teams in %d localities — %s\n", c.Name, c.Version, c.Teams, c.Localities, c.Title)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", defaultDB, "store file")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}
