package main

import (
	"encoding/json"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/manifest"
)

func newManifestCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "Work with dataset manifests (see docs/manifest.md)",
	}
	cmd.AddCommand(newManifestCheckCommand())
	return cmd
}

// manifestCheck is the JSON answer of `manifest check`.
type manifestCheck struct {
	Manifest string            `json:"manifest"`
	DataRoot string            `json:"data_root"`
	Report   *importer.Report  `json:"report"`
	Answers  []importer.Answer `json:"answers"`
}

func newManifestCheckCommand() *cobra.Command {
	var dataRoot, format string
	cmd := &cobra.Command{
		Use:   "check FILE [--data-root DIR]",
		Short: "Validate a manifest and its files, and say what the dataset will and will not answer, without storing anything",
		Long: `Check reads the manifest and every file it names (paths relative to
--data-root, default the manifest's folder) exactly as import does — column
mappings, where filters, joins, configurations — but stores nothing. It prints
the import report, what the dataset will and will not answer, and exits
non-zero on the first error, naming the file and line.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			path := args[0]
			m, err := manifest.ReadFile(path)
			if err != nil {
				return err
			}
			if dataRoot == "" {
				dataRoot = filepath.Dir(path)
			}
			res, err := importer.Run(cmd.Context(), importer.Options{Manifest: m, DataRoot: dataRoot})
			if err != nil {
				return err
			}
			answers := importer.Answers(res.Report.Gaps)
			out := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(out)
				enc.SetIndent("", "  ")
				return enc.Encode(manifestCheck{Manifest: path, DataRoot: dataRoot, Report: res.Report, Answers: answers})
			}
			if err := res.Report.WriteCheckText(out); err != nil {
				return err
			}
			importer.WriteAnswers(out, answers)
			return nil
		},
	}
	cmd.Flags().StringVar(&dataRoot, "data-root", "", "folder the manifest's file paths are relative to (default: the manifest's folder)")
	cmd.Flags().StringVar(&format, "format", "text", "text or json")
	return cmd
}
