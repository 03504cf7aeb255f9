package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/plancheck"
)

func newCheckCommand() *cobra.Command {
	var flags engineFlags
	var configName string
	var version int
	var opts plancheck.Options
	cmd := &cobra.Command{
		Use:   "check --db FILE --config NAME [--version N]",
		Short: "Plan checks of a configuration: assignment, team count, contiguity, population balance, compactness, catchment coherence, deprivation mix, PCN splits",
		Long: `Checks report, they do not refuse: a failing check is a finding, and the command
exits 0 whatever the checks say (it fails only when it cannot check).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(flags.format, "table", "json"); err != nil {
				return err
			}
			if opts.Teams < 0 || opts.Tolerance < 0 || opts.Tolerance >= 1 {
				return fmt.Errorf("--teams must be positive and --tolerance between 0 and 1")
			}
			ctx := cmd.Context()
			e, v, err := openEngineAt(ctx, &flags, configName, version)
			if err != nil {
				return err
			}
			defer e.Close()
			r, err := e.core.Checks(ctx, v, opts)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if flags.format == "json" {
				return writeJSON(out, r)
			}
			fmt.Fprintf(out, "Checks of %s version %d\n", v.Name, v.Number)
			writeChecks(out, r)
			return nil
		},
	}
	flags.register(cmd, "table or json")
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().IntVar(&version, "version", 0, "version to check (default: the latest)")
	cmd.Flags().IntVar(&opts.Teams, "teams", plancheck.DefaultTeams, "number of teams a plan should have")
	cmd.Flags().Float64Var(&opts.Tolerance, "tolerance", plancheck.DefaultTolerance, "population balance tolerance, a fraction of the target")
	cmd.Flags().Float64Var(&opts.TargetResident, "target-resident", 0, "resident population each team should have (default: the mean)")
	cmd.Flags().Float64Var(&opts.TargetRegistered, "target-registered", 0, "registered population each team should have (default: the mean)")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

func mark(ok bool) string {
	if ok {
		return "ok"
	}
	return "FAILS"
}

// writeChecks prints a report: the pass/fail checks, then a row per team.
func writeChecks(w io.Writer, r *plancheck.Report) {
	a := r.Assignment
	fmt.Fprintf(w, "  %-22s %-5s", "every ward in one team", mark(a.OK))
	for _, x := range []struct {
		what  string
		codes []string
	}{{"unassigned", a.Unassigned}, {"in several teams", a.Repeated}, {"unknown", a.Unknown}} {
		if len(x.codes) > 0 {
			fmt.Fprintf(w, "  %s: %s", x.what, strings.Join(x.codes, " "))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  %-22s %-5s  %d teams (want %d)\n", "team count", mark(r.TeamCount.OK), r.TeamCount.Got, r.TeamCount.Want)
	fmt.Fprintf(w, "  %-22s %-5s", "contiguity", mark(r.Contiguity.OK))
	for _, p := range append(append([]plancheck.Pieces{}, r.Contiguity.Teams...), r.Contiguity.Localities...) {
		var pieces []string
		for _, piece := range p.Pieces {
			pieces = append(pieces, strings.Join(piece, " "))
		}
		fmt.Fprintf(w, "  %s in %d pieces: [%s]", p.ID, len(p.Pieces), strings.Join(pieces, "] ["))
	}
	fmt.Fprintln(w)
	for _, b := range []struct {
		what string
		c    plancheck.BalanceCheck
	}{{"resident balance", r.Resident}, {"registered balance", r.Registered}} {
		if b.c.Unknown != "" {
			fmt.Fprintf(w, "  %-22s %-5s  not checked: %s\n", b.what, "–", b.c.Unknown)
			continue
		}
		fmt.Fprintf(w, "  %-22s %-5s  target %s ±%.0f%%, range %s–%s, max deviation %.1f%%",
			b.what, mark(b.c.OK), round(b.c.Target), 100*b.c.Tolerance, round(b.c.Min), round(b.c.Max), 100*b.c.MaxDeviation)
		if len(b.c.Outside) > 0 {
			fmt.Fprintf(w, ", outside: %s", strings.Join(b.c.Outside, " "))
		}
		fmt.Fprintln(w)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "team\tpieces\tresident ±\tregistered ±\tkm²\tPolsby–Popper\thull ratio\tcatchment\tIMD Q1\tsplit PCNs\t")
	for _, t := range r.Teams {
		coherence := "–"
		if t.CatchmentCoherence != nil {
			coherence = fmt.Sprintf("%s %.0f%%", t.CatchmentTrust, 100**t.CatchmentCoherence)
		}
		registered := "–"
		if t.RegisteredDeviation != nil {
			registered = fmt.Sprintf("%+.1f%%", 100**t.RegisteredDeviation)
		}
		fmt.Fprintf(tw, "%s\t%d\t%+.1f%%\t%s\t%.1f\t%.2f\t%.2f\t%s\t%.0f%%\t%d\t\n", t.ID, t.Pieces,
			100*t.ResidentDeviation, registered, t.AreaKm2, t.PolsbyPopper, t.HullRatio, coherence,
			100*t.IMDQuintileShares[0], len(t.SplitPCNs))
	}
	tw.Flush()
	if len(r.PCNSplits) > 0 {
		var splits []string
		for _, s := range r.PCNSplits {
			splits = append(splits, s.PCN+" ("+strings.Join(s.Teams, ", ")+")")
		}
		fmt.Fprintf(w, "PCNs split across teams: %s\n", strings.Join(splits, "; "))
	}
	fmt.Fprintf(w, "%s.\n", r.Notes["contiguity"])
	if r.OK {
		fmt.Fprintln(w, "Every check passes.")
	} else {
		fmt.Fprintf(w, "Failing: %s (findings, not errors).\n", strings.Join(r.Failing, ", "))
	}
}
