package main

import (
	"context"
	"fmt"
	"os/user"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/planning"
)

// cliActor is who the command line acts as: the OS user, an admin (who
// can open the store can write it anyway).
func cliActor(ctx context.Context) context.Context {
	name := "cli"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	return planning.WithActor(ctx, planning.Actor{Name: name, Role: store.RoleAdmin, From: "cli"})
}

// parseLifetime reads 90d, 12h, 30m… (days are 24 h).
func parseLifetime(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > 36500 {
			return 0, fmt.Errorf("--expires %q: want e.g. 90d, 12h", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--expires %q: want e.g. 90d, 12h", s)
	}
	return d, nil
}

func newTokenCommand() *cobra.Command {
	var db string
	cmd := &cobra.Command{Use: "token", Short: "API tokens: create (the secret is shown once), list, revoke"}
	cmd.PersistentFlags().StringVar(&db, "db", dbDefault(), dbUsage)
	var name, role, expires string
	create := &cobra.Command{
		Use:   "create --name NAME --role viewer|editor|admin [--expires 90d]",
		Short: "Create a token and print its secret (once: the store keeps only its hash)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ttl, err := parseLifetime(expires)
			if err != nil {
				return err
			}
			ctx := cliActor(cmd.Context())
			core, st, err := openCore(ctx, db, planning.Config{})
			if err != nil {
				return err
			}
			defer st.Close()
			defer core.Close()
			secret, t, err := core.CreateToken(ctx, name, role, ttl)
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), secret)
			exp := "never"
			if t.ExpiresAt != nil {
				exp = t.ExpiresAt.Format(time.RFC3339)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "token %q (%s, expires %s): the line above is its secret, shown only now. Use it as Authorization: Bearer <secret>.\n", t.Name, t.Role, exp)
			return nil
		},
	}
	create.Flags().StringVar(&name, "name", "", "token name (who or what uses it)")
	create.Flags().StringVar(&role, "role", "", "viewer (read), editor (configurations, moves, scenarios, optimiser), admin (also delete, tokens, audit)")
	create.Flags().StringVar(&expires, "expires", "", "lifetime, e.g. 90d or 12h (default: none)")
	_ = create.MarkFlagRequired("name")
	_ = create.MarkFlagRequired("role")
	list := &cobra.Command{
		Use: "list", Short: "List tokens (never their secrets)", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := openStore(cmd.Context(), db, true)
			if err != nil {
				return err
			}
			defer st.Close()
			tokens, err := st.Tokens(cmd.Context())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "name\trole\tcreated\tby\texpires\tstate")
			now := time.Now()
			for _, t := range tokens {
				exp, state := "–", "active"
				if t.ExpiresAt != nil {
					exp = t.ExpiresAt.Format(time.RFC3339)
				}
				switch {
				case t.RevokedAt != nil:
					state = "revoked " + t.RevokedAt.Format(time.RFC3339)
				case !t.Active(now):
					state = "expired"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.Role, t.CreatedAt.Format(time.RFC3339), t.CreatedBy, exp, state)
			}
			return tw.Flush()
		},
	}
	revoke := &cobra.Command{
		Use: "revoke NAME", Short: "Revoke a token: refused from then on", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cliActor(cmd.Context())
			core, st, err := openCore(ctx, db, planning.Config{})
			if err != nil {
				return err
			}
			defer st.Close()
			defer core.Close()
			return core.RevokeToken(ctx, args[0])
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

func newAuditCommand() *cobra.Command {
	var db, target string
	var limit int
	cmd := &cobra.Command{
		Use: "audit --db FILE [--target NAME] [--limit 100]", Short: "The audit trail: every write with who, when, what and from where, newest first", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := openStore(cmd.Context(), db, true)
			if err != nil {
				return err
			}
			defer st.Close()
			list, err := st.Audit(cmd.Context(), store.AuditQuery{Limit: limit, Target: target})
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "id\tat\twho\trole\tfrom\taction\ttarget")
			for _, e := range list {
				fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.Format(time.RFC3339), e.Who, e.Role, e.From, e.Action, e.Target)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&db, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&target, "target", "", "only entries about this configuration, scenario or token")
	cmd.Flags().IntVar(&limit, "limit", 100, "most entries to show")
	return cmd
}
