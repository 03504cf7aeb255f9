package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/indicatorprofile"
)

func newIndicatorsCommand() *cobra.Command {
	var flags engineFlags
	var configName, kind, against string
	cmd := &cobra.Command{Use: "indicators", Short: "List indicators, profile one per team with confidence intervals, count practice groups (PCNs) per team"}
	list := &cobra.Command{
		Use:   "list --db FILE",
		Short: "List the dataset's indicators",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := openEngine(cmd.Context(), &flags)
			if err != nil {
				return err
			}
			defer e.Close()
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tNAME\tDOMAIN\tUNIT\tPOLARITY\tLEVEL\tPERIOD\tSOURCE")
			for _, i := range e.dataset.Indicators {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i.ID, i.Name, i.Domain, i.Unit, i.Polarity, i.Level, i.Period, i.Source)
			}
			return tw.Flush()
		},
	}
	show := &cobra.Command{
		Use:   "show ID --db FILE --config NAME",
		Short: "An indicator per team, locality and city with 95% intervals, comparison with the city and the inequality gradient",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(flags.format, "table", "json"); err != nil {
				return err
			}
			e, cfg, err := openEngineFor(cmd.Context(), &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			r, err := indicatorprofile.Evaluate(e.dataset, cfg, args[0])
			if err != nil {
				return err
			}
			var changes []indicatorprofile.OptionChange
			if against != "" {
				other, err := e.configuration(cmd.Context(), against)
				if err != nil {
					return err
				}
				rb, err := indicatorprofile.Evaluate(e.dataset, other, args[0])
				if err != nil {
					return err
				}
				changes = indicatorprofile.CompareOptions(r, rb)
			}
			if flags.format == "json" {
				if changes != nil {
					return writeJSON(cmd.OutOrStdout(), map[string]any{"a": r, "against": against, "changes": changes})
				}
				return writeJSON(cmd.OutOrStdout(), r)
			}
			writeIndicator(cmd.OutOrStdout(), r)
			if changes != nil {
				fmt.Fprintf(cmd.OutOrStdout(), "\nAgainst %s (significant: the 95%% intervals do not overlap):\n", against)
				for _, c := range changes {
					fmt.Fprintf(cmd.OutOrStdout(), "  %s: %s → %s  change %s%s\n", c.Team, fmtValue(c.ValueA), fmtValue(c.ValueB), fmtValue(c.Change), map[bool]string{true: "  significant", false: ""}[c.Significant])
				}
			}
			return nil
		},
	}
	groups := &cobra.Command{
		Use:   "groups --db FILE --config NAME [--kind pcn]",
		Short: "Practice groups (e.g. primary care networks) per team, and how many each team splits",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, cfg, err := openEngineFor(cmd.Context(), &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			rows := indicatorprofile.Groups(e.dataset, cfg, kind)
			if flags.format == "json" {
				return writeJSON(cmd.OutOrStdout(), rows)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintf(tw, "TEAM\tPRACTICES IN A %s\t%sS\tSPLIT\tACTIVE PRACTICES WITHOUT ONE\n", kindLabel(kind), kindLabel(kind))
			for _, g := range rows {
				fmt.Fprintf(tw, "%s %s\t%d\t%d\t%d\t%d\n", g.Team, g.Name, g.Practices, len(g.Groups), len(g.Split), g.Ungrouped)
			}
			return tw.Flush()
		},
	}
	var prefix string
	show.Flags().StringVar(&against, "against", "", "compare with another configuration (option B)")
	breakdown := &cobra.Command{
		Use:   "breakdown --db FILE --config NAME --prefix ethnicity-",
		Short: "Counts of indicators that partition one denominator (e.g. ethnic groups) per team, with the residual",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, cfg, err := openEngineFor(cmd.Context(), &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			b, err := indicatorprofile.BreakdownByPrefix(e.dataset, cfg, prefix)
			if err != nil {
				return err
			}
			if flags.format == "json" {
				return writeJSON(cmd.OutOrStdout(), b)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 1, ' ', tabwriter.AlignRight)
			fmt.Fprint(tw, "UNIT\t")
			for _, id := range b.Indicators {
				fmt.Fprintf(tw, "%s\t", strings.TrimPrefix(id, prefix))
			}
			fmt.Fprintln(tw, "RESIDUAL\tTOTAL\t")
			for _, r := range b.Rows {
				fmt.Fprintf(tw, "%s\t", r.ID)
				for _, id := range b.Indicators {
					fmt.Fprintf(tw, "%.0f\t", r.Counts[id])
				}
				fmt.Fprintf(tw, "%.0f\t%.0f\t\n", r.Residual, r.Total)
			}
			return tw.Flush()
		},
	}
	breakdown.Flags().StringVar(&prefix, "prefix", "ethnicity-", "indicator id prefix of the groups")
	for _, c := range []*cobra.Command{list, show, groups, breakdown} {
		flags.register(c, "table or json")
	}
	for _, c := range []*cobra.Command{show, groups, breakdown} {
		c.Flags().StringVar(&configName, "config", "", "configuration name")
		_ = c.MarkFlagRequired("config")
	}
	groups.Flags().StringVar(&kind, "kind", "pcn", "group kind")
	cmd.AddCommand(list, show, groups, breakdown)
	return cmd
}

func fmtValue(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.4g", *v)
}

func kindLabel(kind string) string {
	if kind == "pcn" {
		return "PCN"
	}
	return kind
}

func writeIndicator(w io.Writer, r *indicatorprofile.Result) {
	ind := r.Indicator
	fmt.Fprintf(w, "%s (%s), %s, period %s, %s; %s lens\n", ind.Name, ind.ID, ind.Unit, ind.Period, ind.Polarity, r.Lens)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "UNIT\tNUMERATOR\tDENOMINATOR\tVALUE\t95% CI\tVS CITY\tAREAS\tSUPPRESSED\t")
	row := func(f indicatorprofile.Figure) {
		value, ci := "–", "–"
		if f.Value != nil {
			value = fmt.Sprintf("%.4g", *f.Value)
		}
		if f.Lower != nil {
			ci = fmt.Sprintf("%.4g–%.4g", *f.Lower, *f.Upper)
		}
		fmt.Fprintf(tw, "%s %s\t%.0f\t%.0f\t%s\t%s\t%s\t%d\t%d\t\n", f.ID, f.Name, f.Numerator, f.Denominator, value, ci, f.Comparison, f.Areas, f.Missing)
	}
	for _, f := range r.Teams {
		row(f)
	}
	for _, f := range r.Localities {
		row(f)
	}
	row(r.City)
	_ = tw.Flush()
	if len(r.City.ByIMDQuintile) > 0 {
		fmt.Fprintln(w, "\nCity by national IMD quintile (1 = most deprived fifth of England):")
		for _, f := range r.City.ByIMDQuintile {
			fmt.Fprintf(w, "  quintile %s: %s (%d areas, %s)\n", f.ID, fmtValue(f.Value), f.Areas, f.Comparison)
		}
	}
	if q := r.Inequality; q != nil && len(q.Ranks) > 0 {
		fmt.Fprintf(w, "\nSlope index of inequality %.4g (95%% CI %.4g to %.4g), relative index %.3g\n  %s\n", q.SII, q.SIILower, q.SIIUpper, q.RII, q.Method)
		for _, d := range q.Deciles {
			if d.Value != nil {
				fmt.Fprintf(w, "  decile %s: %.4g (%d LSOAs)\n", d.ID, *d.Value, d.Areas)
			}
		}
	}
}
