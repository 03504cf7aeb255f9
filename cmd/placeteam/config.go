package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
)

func newConfigCommand() *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{Use: "config", Short: "List, add and show team configurations"}
	cmd.PersistentFlags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	open := func(cmd *cobra.Command) (backend, error) { return openStore(cmd.Context(), dbPath, true) }
	var author, note string
	add := &cobra.Command{
		Use:   "add FILE.yaml",
		Short: "Add a configuration (or a new version of one) from a YAML file, checked against the store's wards",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := configuration.ReadFile(args[0])
			if err != nil {
				return err
			}
			s, err := open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			if author == "" {
				author = os.Getenv("USER")
			}
			v, err := s.SaveConfigurationIf(cmd.Context(), c, store.VersionMeta{Author: author, Note: note, At: time.Now().UTC()}, store.AnyVersion)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "saved %s version %d\n", c.Name, v)
			return err
		},
	}
	add.Flags().StringVar(&author, "author", "", "who made the change (default $USER)")
	add.Flags().StringVar(&note, "note", "", "what changed and why")
	list := &cobra.Command{
		Use:   "list",
		Short: "List configurations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			infos, err := s.Configurations(cmd.Context())
			if err != nil {
				return err
			}
			for _, c := range infos {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\tversion %d\t%d teams\t%d localities\t%s\n", c.Name, c.Version, c.Teams, c.Localities, c.Title)
			}
			return nil
		},
	}
	show := &cobra.Command{
		Use:   "show NAME",
		Short: "Print a configuration as YAML",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			c, _, err := s.Configuration(cmd.Context(), args[0])
			if err != nil {
				return fmt.Errorf("configuration %q: %w", args[0], err)
			}
			enc := yaml.NewEncoder(cmd.OutOrStdout())
			enc.SetIndent(2)
			return enc.Encode(c)
		},
	}
	cmd.AddCommand(add, list, show)
	return cmd
}
