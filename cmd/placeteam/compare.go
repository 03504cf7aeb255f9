package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

func newCompareCommand() *cobra.Command {
	var flags engineFlags
	cmd := &cobra.Command{
		Use:   "compare --db FILE A B",
		Short: "Compare two configurations: per-team deltas, wards moved, balance",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(flags.format, "table", "json", "csv"); err != nil {
				return err
			}
			ctx := cmd.Context()
			e, err := openEngine(ctx, &flags)
			if err != nil {
				return err
			}
			defer e.Close()
			va, err := e.configuration(ctx, args[0])
			if err != nil {
				return err
			}
			vb, err := e.configuration(ctx, args[1])
			if err != nil {
				return err
			}
			r, err := e.core.Compare(ctx, va, vb, placeprofile.Options{OutOfCityThreshold: flags.threshold})
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch flags.format {
			case "json":
				return writeJSON(out, r)
			case "csv":
				return writeCSV(out, compare.CSVHeader, r.CSVRows())
			}
			fmt.Fprintf(out, "%s → %s: %d ward(s) moved\n", r.A, r.B, len(r.WardsMoved))
			for _, m := range r.WardsMoved {
				fmt.Fprintf(out, "  %s: %s → %s\n", m.Ward, m.FromA, m.ToB)
			}
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "\nTEAM\tRESIDENTS A\tB\tΔ\tREGISTERED A\tB\tΔ\tLOCAL REG A\tB\tΔ (pts)\t")
			for _, d := range r.Teams {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", d.ID,
					optRound(d.ResidentA), optRound(d.ResidentB), optRound(d.ResidentDelta),
					optRound(d.RegisteredA), optRound(d.RegisteredB), optRound(d.RegisteredDelta),
					pct(d.LocalShareA), pct(d.LocalShareB), optPts(d.LocalShareDelta))
			}
			_ = tw.Flush()
			tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "\nSUMMARY\tA\tB\t")
			for _, row := range []struct {
				label string
				a, b  string
			}{
				{"local registration min", pct(r.SummaryA.LocalShareMin), pct(r.SummaryB.LocalShareMin)},
				{"local registration max", pct(r.SummaryA.LocalShareMax), pct(r.SummaryB.LocalShareMax)},
				{"local registration spread (pts)", optPts(r.SummaryA.LocalShareSpread), optPts(r.SummaryB.LocalShareSpread)},
				{"resident population max/min", optRatio(r.SummaryA.ResidentMaxMinRatio), optRatio(r.SummaryB.ResidentMaxMinRatio)},
				{"resident population CV", optRatio(r.SummaryA.ResidentCV), optRatio(r.SummaryB.ResidentCV)},
				{"registered population max/min", optRatio(r.SummaryA.RegisteredMaxMinRatio), optRatio(r.SummaryB.RegisteredMaxMinRatio)},
				{"registered population CV", optRatio(r.SummaryA.RegisteredCV), optRatio(r.SummaryB.RegisteredCV)},
			} {
				fmt.Fprintf(tw, "%s\t%s\t%s\t\n", row.label, row.a, row.b)
			}
			_ = tw.Flush()
			if len(r.ModelledFields) > 0 {
				fmt.Fprintf(out, "\nModelled figures (gravity estimate): %s\n", strings.Join(r.ModelledFields, ", "))
			}
			return nil
		},
	}
	flags.register(cmd, "table, json or csv")
	return cmd
}

func optRound(v *float64) string {
	if v == nil {
		return "–"
	}
	return round(*v)
}

func optPts(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%+.1f", 100**v)
}

func optRatio(v *float64) string {
	if v == nil {
		return "–"
	}
	return fmt.Sprintf("%.3f", *v)
}
