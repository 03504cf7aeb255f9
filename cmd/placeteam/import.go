package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

func newImportCommand() *cobra.Command {
	var dbPath, manifestPath, dataRoot, reportFormat string
	var replace bool
	cmd := &cobra.Command{
		Use:   "import --db FILE --manifest MANIFEST [--data-root DIR]",
		Short: "Import a city's data files, described by a manifest, into a store",
		Long: `Import reads every file the manifest names (paths relative to --data-root),
checks them, and stores the dataset and the manifest's configurations in one
transaction: on any error nothing is stored. It prints an import report.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			m, err := manifest.ReadFile(manifestPath)
			if err != nil {
				return err
			}
			if dataRoot == "" {
				dataRoot = filepath.Dir(manifestPath)
			}
			opts := importer.Options{Manifest: m, DataRoot: dataRoot}
			var bar *progressbar.ProgressBar
			if f, ok := cmd.ErrOrStderr().(*os.File); ok && term.IsTerminal(int(f.Fd())) {
				bar = progressbar.NewOptions(len(m.Files)+2, progressbar.OptionSetWriter(f),
					progressbar.OptionSetDescription("importing"), progressbar.OptionClearOnFinish(),
					progressbar.OptionShowCount())
				opts.Progress = func(step string, done, total int) {
					bar.Describe(step)
					_ = bar.Set(done)
				}
			}
			res, err := importer.Run(cmd.Context(), opts)
			if bar != nil {
				_ = bar.Finish()
			}
			if err != nil {
				return err
			}
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
			reportJSON, err := json.Marshal(res.Report)
			if err != nil {
				return err
			}
			record := store.ImportRecord{Manifest: manifestPath, ImportedAt: time.Now().UTC(), Report: reportJSON}
			if err := s.ReplaceDataset(cmd.Context(), res.Dataset, res.Configurations, record); err != nil {
				return err
			}
			who, _ := planning.ActorFrom(cliActor(cmd.Context()))
			if err := planning.RecordImport(cmd.Context(), s, who.Name, manifestPath, replace); err != nil {
				return fmt.Errorf("the dataset was imported but the audit trail could not record it: %w", err)
			}
			return writeReport(cmd.OutOrStdout(), res.Report, reportFormat, dbPath)
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&manifestPath, "manifest", "", "dataset manifest (YAML)")
	cmd.Flags().StringVar(&dataRoot, "data-root", "", "folder the manifest's file paths are relative to (default: the manifest's folder)")
	cmd.Flags().StringVar(&reportFormat, "format", "text", "report format: text or json")
	cmd.Flags().BoolVar(&replace, "replace", false, "replace the dataset already in the store")
	_ = cmd.MarkFlagRequired("manifest")
	return cmd
}

func writeReport(w io.Writer, r *importer.Report, format, dbPath string) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	case "text":
		if err := r.WriteText(w); err != nil {
			return err
		}
		_, err := fmt.Fprintf(w, "\nStored in %s.\n", dbPath)
		return err
	}
	return fmt.Errorf("unknown format %q (want text or json)", format)
}
