package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
	var replace, dropConfigurations, noBackup bool
	cmd := &cobra.Command{
		Use:   "import --db FILE --manifest MANIFEST [--data-root DIR]",
		Short: "Import a city's data files, described by a manifest, into a store",
		Long: `Import reads every file the manifest names (paths relative to --data-root),
checks them, and stores the dataset and the manifest's configurations in one
transaction: on any error nothing is stored. It prints an import report.

Manifest paths must stay inside --data-root: absolute paths, ".." and
symlinks that lead out are refused.

With --replace, stored configurations the new dataset can still hold (every
ward still exists, every ward in a team) are kept (their latest version);
if any would break, the import is refused before anything changes, unless
--drop-configurations drops them. An SQLite store is first backed up beside
itself (FILE.bak-YYYYMMDDTHHMMSS; --no-backup skips it); a PostgreSQL
store's backups are the operator's (pg_dump).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(reportFormat, "text", "json"); err != nil {
				return err
			}
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
				return fmt.Errorf("%s already holds a dataset; pass --replace to replace it", redact(dbPath))
			}
			configs := res.Configurations
			detail := planning.ImportDetail{Replace: replace}
			notes := cmd.OutOrStdout()
			if reportFormat == "json" {
				notes = cmd.ErrOrStderr()
			}
			var plan *replacePlan
			if has {
				plan, err = planReplace(cmd.Context(), storeConfigurations{s}, res.Dataset, res.Configurations)
				if err != nil {
					return err
				}
				if len(plan.Broken) > 0 && !dropConfigurations {
					return plan.refusal()
				}
				configs = append(slices.Clone(configs), plan.Kept...)
				detail.Kept, detail.Dropped = plan.keptNames(), plan.droppedNames()
				backup, err := backupBeforeReplace(cmd.Context(), s, dbPath, noBackup, time.Now())
				if err != nil {
					return err
				}
				detail.Backup = backup
				switch {
				case backup != "":
					fmt.Fprintf(notes, "Backed up the old store to %s.\n", backup)
				case isPostgres(dbPath):
					fmt.Fprintln(notes, "No backup made: a PostgreSQL store's backups are the operator's (pg_dump).")
				default:
					fmt.Fprintln(notes, "No backup made (--no-backup).")
				}
			}
			reportJSON, err := json.Marshal(res.Report)
			if err != nil {
				return err
			}
			record := store.ImportRecord{Manifest: manifestPath, ImportedAt: time.Now().UTC(), Report: reportJSON}
			if err := s.ReplaceDataset(cmd.Context(), res.Dataset, configs, record); err != nil {
				return err
			}
			who, _ := planning.ActorFrom(cliActor(cmd.Context()))
			if err := planning.RecordImportDetail(cmd.Context(), s, who.Name, manifestPath, detail); err != nil {
				return fmt.Errorf("the dataset was imported but the audit trail could not record it: %w", err)
			}
			if plan != nil {
				if err := plan.write(notes); err != nil {
					return err
				}
			}
			return writeReport(cmd.OutOrStdout(), res.Report, reportFormat, dbPath)
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&manifestPath, "manifest", "", "dataset manifest (YAML)")
	cmd.Flags().StringVar(&dataRoot, "data-root", "", "folder the manifest's file paths are relative to (default: the manifest's folder)")
	cmd.Flags().StringVar(&reportFormat, "format", "text", "report format: text or json")
	cmd.Flags().BoolVar(&replace, "replace", false, "replace the dataset already in the store (keeping the configurations it can still hold)")
	cmd.Flags().BoolVar(&dropConfigurations, "drop-configurations", false, "with --replace, drop stored configurations the new dataset breaks instead of refusing")
	cmd.Flags().BoolVar(&noBackup, "no-backup", false, "with --replace, do not back up an SQLite store first")
	_ = cmd.MarkFlagRequired("manifest")
	return cmd
}

// backupBeforeReplace writes an SQLite store's backup beside it and
// returns its path; "" for --no-backup or a PostgreSQL store.
func backupBeforeReplace(ctx context.Context, s backend, dbPath string, noBackup bool, now time.Time) (string, error) {
	b, ok := s.(interface {
		BackupTo(ctx context.Context, dest string) error
	})
	if noBackup || !ok || isPostgres(dbPath) {
		return "", nil
	}
	dest := dbPath + ".bak-" + now.UTC().Format("20060102T150405")
	if err := b.BackupTo(ctx, dest); err != nil {
		return "", fmt.Errorf("import: back up before replacing (nothing was changed; --no-backup skips it): %w", err)
	}
	return dest, nil
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
