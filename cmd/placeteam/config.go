package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"go.yaml.in/yaml/v3"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

func newConfigCommand() *cobra.Command {
	var dbPath string
	cmd := &cobra.Command{Use: "config", Short: "List, add, show, delete and restore team configurations"}
	cmd.PersistentFlags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	open := func(cmd *cobra.Command) (backend, error) { return openStore(cmd.Context(), dbPath, true) }
	var note string
	add := &cobra.Command{
		Use:   "add FILE.yaml",
		Short: "Add a configuration (or a new version of one) from a YAML file, checked against the store's wards (audited; written as the OS user)",
		Long: `Add reads a configuration from a YAML file, checks it against the store's
wards and saves it as a new configuration, or as the next version of the
one of that name. A file that says what the latest version already says
(the order of a team's wards aside) saves nothing. The version's author is
the OS user running the command, and the save is in the audit trail.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := configuration.ReadFile(args[0])
			if err != nil {
				return err
			}
			ctx := cliActor(cmd.Context())
			core, st, err := openCore(ctx, dbPath, planning.Config{})
			if err != nil {
				return err
			}
			defer st.Close()
			defer core.Close()
			latest, err := core.LatestStored(ctx, c.Name)
			switch {
			case err == nil && latest.Configuration.Same(c):
				_, err = fmt.Fprintf(cmd.OutOrStdout(), "%s is unchanged from version %d: nothing saved\n", c.Name, latest.Number)
				return err
			case err != nil && !errors.Is(err, store.ErrNotFound):
				return fmt.Errorf("%s: %w", args[0], err)
			}
			v, err := core.Save(ctx, c, store.VersionMeta{Note: note, At: time.Now().UTC()}, store.AnyVersion)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "saved %s version %d\n", c.Name, v.Number)
			return err
		},
	}
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
	var ifVersion int
	del := &cobra.Command{
		Use:   "delete NAME [--version N]",
		Short: "Delete a configuration (kept, with every version, until restored; audited)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cliActor(cmd.Context())
			core, st, err := openCore(ctx, dbPath, planning.Config{})
			if err != nil {
				return err
			}
			defer st.Close()
			defer core.Close()
			expect := store.AnyVersion
			if ifVersion > 0 {
				expect = ifVersion
			}
			if err := core.Delete(ctx, args[0], expect); err != nil {
				return fmt.Errorf("configuration %q: %w", args[0], err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "deleted %s (placeteam config restore %s brings it back)\n", args[0], args[0])
			return err
		},
	}
	del.Flags().IntVar(&ifVersion, "version", 0, "delete only if this is still the latest version")
	deleted := &cobra.Command{
		Use:   "deleted",
		Short: "List deleted configurations kept for restoring, most recently deleted first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s, err := open(cmd)
			if err != nil {
				return err
			}
			defer s.Close()
			list, err := s.DeletedConfigurations(cmd.Context())
			if err != nil {
				return err
			}
			for _, d := range list {
				fmt.Fprintf(cmd.OutOrStdout(), "%s\tversion %d\t%d versions\tdeleted %s by %s\n", d.Name, d.Latest, d.Versions, d.DeletedAt.Format(time.RFC3339), d.DeletedBy)
			}
			return nil
		},
	}
	restore := &cobra.Command{
		Use:   "restore NAME",
		Short: "Restore the most recently deleted configuration of that name, every version as it was (audited)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cliActor(cmd.Context())
			core, st, err := openCore(ctx, dbPath, planning.Config{})
			if err != nil {
				return err
			}
			defer st.Close()
			defer core.Close()
			v, err := core.Restore(ctx, args[0])
			if err != nil {
				return fmt.Errorf("restore %q: %w", args[0], err)
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "restored %s at version %d\n", args[0], v)
			return err
		},
	}
	cmd.AddCommand(add, list, show, del, deleted, restore)
	return cmd
}
