package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
)

func newIndicatorsCommand() *cobra.Command {
	var flags engineFlags
	var configName, kind, against, lens string
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
			if flags.format == "json" {
				return writeJSON(cmd.OutOrStdout(), e.dataset().Indicators)
			}
			fmt.Fprintln(tw, "ID\tNAME\tDOMAIN\tUNIT\tMEASURE\tPOLARITY\tLEVEL\tBREAKDOWN\tPERIOD\tSOURCE")
			for _, i := range e.dataset().Indicators {
				measure := i.Measure
				if measure == "" {
					measure = dataset.MeasureCount
				}
				breakdown := "–"
				switch {
				case i.BreakdownOf != "":
					breakdown = fmt.Sprintf("%s %s of %s", i.Characteristic, i.Group, i.BreakdownOf)
				case i.Characteristic != "":
					breakdown = fmt.Sprintf("%s: %s", i.Characteristic, i.Group)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", i.ID, i.Name, i.Domain, i.Unit, measure, i.Polarity, i.Level, breakdown, i.Period, i.Source)
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
			ctx := cmd.Context()
			e, v, err := openEngineFor(ctx, &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			r, err := e.core.Indicator(ctx, v, args[0], lens)
			if err != nil {
				return err
			}
			var changes []indicatorprofile.OptionChange
			if against != "" {
				other, err := e.configuration(ctx, against)
				if err != nil {
					return err
				}
				if _, _, changes, err = e.core.CompareIndicator(ctx, v, other, args[0], lens); err != nil {
					return err
				}
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
					verdict := "  (no interval: not tested)"
					if c.Significant != nil {
						verdict = map[bool]string{true: "  significant", false: ""}[*c.Significant]
					}
					fmt.Fprintf(cmd.OutOrStdout(), "  %s: %s → %s  change %s%s\n", c.Team, fmtValue(c.ValueA), fmtValue(c.ValueB), fmtValue(c.Change), verdict)
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
			e, v, err := openEngineFor(cmd.Context(), &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			rows := e.core.PracticeGroups(cmd.Context(), v, kind)
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
	var prefix, by string
	show.Flags().StringVar(&against, "against", "", "compare with another configuration (option B)")
	show.Flags().StringVar(&lens, "lens", indicatorprofile.LensRegistered, "practice indicators: registered (practices in the team) or resident (the team's residents, through the practice × ward flows; modelled when they are)")
	breakdown := &cobra.Command{
		Use:   "breakdown --db FILE --config NAME [--by ethnic-group | --prefix ID-PREFIX]",
		Short: "Counts of indicators that partition one population (e.g. usual residents by ethnic group) per team, with the residual",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, v, err := openEngineFor(cmd.Context(), &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			var b *indicatorprofile.Breakdown
			if prefix != "" {
				b, err = indicatorprofile.BreakdownByPrefix(e.dataset(), v.Configuration, prefix)
			} else {
				b, err = e.core.Breakdown(cmd.Context(), v, by)
			}
			if err != nil {
				return err
			}
			heading := map[string]string{}
			for _, ind := range e.dataset().Indicators {
				heading[ind.ID] = strings.TrimPrefix(ind.ID, prefix)
				if prefix == "" && ind.Group != "" {
					heading[ind.ID] = ind.Group
				}
			}
			if flags.format == "json" {
				return writeJSON(cmd.OutOrStdout(), b)
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 1, ' ', tabwriter.AlignRight)
			fmt.Fprint(tw, "UNIT\t")
			for _, id := range b.Indicators {
				fmt.Fprintf(tw, "%s\t", heading[id])
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
	breakdown.Flags().StringVar(&by, "by", "ethnic-group", "the characteristic the indicators partition residents by")
	breakdown.Flags().StringVar(&prefix, "prefix", "", "instead of --by: the indicators whose ids start with this")
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

func fmtRange(lo, hi *float64) string {
	if lo == nil || hi == nil {
		return "–"
	}
	return fmt.Sprintf("%.4g–%.4g", *lo, *hi)
}

func fmtShare(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100**v)
}

func kindLabel(kind string) string {
	if kind == "pcn" {
		return "PCN"
	}
	return kind
}

func writeIndicator(w io.Writer, r *indicatorprofile.Result) {
	ind := r.Indicator
	fmt.Fprintf(w, "%s (%s), %s, period %s, %s\nlens: %s\n", ind.Name, ind.ID, ind.Unit, ind.Period, ind.Polarity, r.Lens)
	if r.Modelled {
		fmt.Fprintln(w, "MODELLED: these figures rest on estimated flows or apportioned values, not on counts for these areas.")
	}
	coverage := r.City.Coverage != nil
	suppressedRange := false
	for _, f := range append(append([]indicatorprofile.Figure{}, r.Teams...), r.City) {
		suppressedRange = suppressedRange || f.WithSuppressedLower != nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "UNIT\tNUMERATOR\tDENOMINATOR\tVALUE\t95% CI\tVS CITY\tAREAS\tSUPPRESSED\t")
	if suppressedRange {
		fmt.Fprintf(tw, "WITH SUPPRESSED AS 0-%d\t", ind.SuppressedBelow-1)
	}
	if coverage {
		fmt.Fprint(tw, "RESIDENTS COVERED\t")
	}
	fmt.Fprintln(tw)
	row := func(f indicatorprofile.Figure) {
		value, ci := "–", "–"
		if f.Value != nil {
			value = fmt.Sprintf("%.4g", *f.Value)
		}
		if f.Lower != nil {
			ci = fmt.Sprintf("%.4g–%.4g", *f.Lower, *f.Upper)
		}
		fmt.Fprintf(tw, "%s %s\t%.0f\t%.0f\t%s\t%s\t%s\t%d\t%d\t", f.ID, f.Name, f.Numerator, f.Denominator, value, ci, f.Comparison, f.Areas, f.Missing)
		if suppressedRange {
			fmt.Fprint(tw, fmtRange(f.WithSuppressedLower, f.WithSuppressedUpper), "\t")
		}
		if coverage {
			fmt.Fprint(tw, fmtShare(f.Coverage), "\t")
		}
		fmt.Fprintln(tw)
	}
	for _, f := range r.Teams {
		row(f)
	}
	for _, f := range r.Localities {
		row(f)
	}
	row(r.City)
	_ = tw.Flush()
	if len(r.City.ByGroup) > 0 {
		fmt.Fprintf(w, "\nBy %s (each compared with the unit's own value):\n", r.City.ByGroup[0].Level)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprint(tw, "UNIT\tALL\t")
		for _, g := range r.City.ByGroup {
			fmt.Fprintf(tw, "%s\t95%% CI\tVS UNIT\t", g.ID)
		}
		fmt.Fprintln(tw)
		for _, f := range append(append([]indicatorprofile.Figure{}, r.Teams...), r.City) {
			fmt.Fprintf(tw, "%s\t%s\t", f.ID, fmtValue(f.Value))
			for _, g := range f.ByGroup {
				ci := "–"
				if g.Lower != nil {
					ci = fmt.Sprintf("%.4g–%.4g", *g.Lower, *g.Upper)
				}
				value := fmtValue(g.Value)
				if g.WithSuppressedLower != nil {
					value += " [" + fmtRange(g.WithSuppressedLower, g.WithSuppressedUpper) + "]"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t", value, ci, g.Comparison)
			}
			fmt.Fprintln(tw)
		}
		_ = tw.Flush()
		fmt.Fprintln(w, "  [a–b]: the range with suppressed areas put back, their counts anywhere below the source's threshold.")
	}
	if len(r.City.ByIMDQuintile) > 0 {
		fmt.Fprintln(w, "\nCity by national IMD quintile (1 = most deprived fifth of England):")
		for _, f := range r.City.ByIMDQuintile {
			fmt.Fprintf(w, "  quintile %s: %s (%d areas, %s)\n", f.ID, fmtValue(f.Value), f.Areas, f.Comparison)
		}
	}
	if q := r.Inequality; q != nil && len(q.Ranks) > 0 {
		rii := "not defined for this measure"
		if q.RII != nil {
			rii = fmt.Sprintf("%.3g", *q.RII)
		}
		fmt.Fprintf(w, "\nSlope index of inequality %.4g (95%% CI %.4g to %.4g), relative index %s\n  %s\n", q.SII, q.SIILower, q.SIIUpper, rii, q.Method)
		for _, d := range q.Deciles {
			if d.Value != nil {
				fmt.Fprintf(w, "  decile %s: %.4g (%d LSOAs)\n", d.ID, *d.Value, d.Areas)
			}
		}
	}
}
