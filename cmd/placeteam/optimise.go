package main

import (
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/optimise"
	"github.com/placeteam/placeteam/profiles/planning"
)

func newOptimiseCommand() *cobra.Command {
	var flags engineFlags
	var configName, objective, saveAs, author string
	var seed uint64
	var moves int64
	var budget time.Duration
	var top int
	var tolerance float64
	var freeLocalities, quiet bool
	var frozen []string
	cmd := &cobra.Command{
		Use: "optimise --db FILE --config NAME --objective TERMS [--seed N] [--time 10s] [--moves N] [--top 3] [--save-as NAME]",
		Short: "Propose better team boundaries: the best few options under an objective (" + strings.Join(optimise.Terms, ", ") +
			", or a weighted sum such as min_local=1,catchment=0.5), keeping every team contiguous and within the resident tolerance, with their moves explained",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(flags.format, "table", "json"); err != nil {
				return err
			}
			ctx := cmd.Context()
			e, v, err := openEngineFor(ctx, &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			if saveAs != "" && author == "" {
				if u, err := user.Current(); err == nil {
					author = u.Username
				}
			}
			req := planning.OptimiseRequest{Objective: objective, Seed: seed, Moves: moves, TimeS: budget.Seconds(), Top: top,
				Tolerance: tolerance, FreeLocalities: freeLocalities, Frozen: frozen, SaveAs: saveAs, Author: author}
			var progress func(optimise.Progress)
			if !quiet {
				progress = func(p optimise.Progress) {
					best := "–"
					if p.Best != nil {
						best = fmt.Sprintf("%.4f", *p.Best)
					}
					fmt.Fprintf(os.Stderr, "\r%d/%d moves tried, best %s, %.1f s", p.MovesTried, p.Budget, best, p.ElapsedS)
				}
			}
			res, err := e.core.Optimise(ctx, v, req, progress)
			if progress != nil {
				fmt.Fprintln(os.Stderr)
			}
			if err != nil {
				return err
			}
			if flags.format == "json" {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			writeOptimised(cmd.OutOrStdout(), res)
			return nil
		},
	}
	flags.register(cmd, "table or json")
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().StringVar(&objective, "objective", "", "objective: "+strings.Join(optimise.Terms, ", ")+", or a weighted sum (term=weight,…)")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "random seed: the same seed and move budget give the same result")
	cmd.Flags().Int64Var(&moves, "moves", optimise.DefaultMoves, "candidate moves to evaluate")
	cmd.Flags().DurationVar(&budget, "time", 10*time.Second, "time ceiling (a run it cuts short says so and is not reproducible)")
	cmd.Flags().IntVar(&top, "top", optimise.DefaultTop, "distinct options to show")
	cmd.Flags().Float64Var(&tolerance, "tolerance", optimise.DefaultTolerance, "resident population tolerance around the mean (negative: none)")
	cmd.Flags().BoolVar(&freeLocalities, "free-localities", false, "let wards move to teams of another locality")
	cmd.Flags().StringSliceVar(&frozen, "frozen", nil, "ward codes that must not move (comma-separated or repeated)")
	cmd.Flags().StringVar(&saveAs, "save-as", "", "save the best option as a new configuration")
	cmd.Flags().StringVar(&author, "author", "", "author of the saved configuration (default: the user)")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "no progress on stderr")
	_ = cmd.MarkFlagRequired("config")
	_ = cmd.MarkFlagRequired("objective")
	return cmd
}

// writeOptimised prints the run, then each option: its objective against
// the start, its moves in words, its failing checks.
func writeOptimised(w io.Writer, res *planning.OptimiseResult) {
	r := res.Run
	fmt.Fprintf(w, "%s version %d, objective %s, seed %d: %d moves tried (%d accepted) in %.1f s, stopped by %s\n",
		res.Configuration, res.Version, r.Objective, r.Seed, r.MovesTried, r.MovesAccepted, r.ElapsedS, r.Stopped)
	star := ""
	if r.FlowsModelled {
		star = "*"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\n\tobjective\tmin local%s\tlocal%s\tcatchment\tmax resident dev\tPCN splits\tchecks\n", star, star)
	row := func(label string, s optimise.Score, failing []string) {
		checks := "–"
		if failing != nil {
			checks = "ok"
			if len(failing) > 0 {
				checks = "failing: " + strings.Join(failing, ", ")
			}
		}
		fmt.Fprintf(tw, "%s\t%.4f\t%.1f%% (%s)\t%.1f%%\t%.1f%%\t%.1f%%\t%d\t%s\n", label, s.Value, 100*s.Terms[optimise.MinLocal], s.MinLocalTeam,
			100*s.Terms[optimise.Local], 100*s.Terms[optimise.Catchment], 100*s.MaxResidentDeviation, s.SplitPCNs, checks)
	}
	row("start", r.Start, nil)
	for _, o := range res.Options {
		row(fmt.Sprintf("option %d", o.Rank), o.Score, o.Checks.Failing)
	}
	tw.Flush()
	for _, o := range res.Options {
		fmt.Fprintf(w, "\nOption %d (objective %+.4f against the start), %d wards moved:\n", o.Rank, o.ObjectiveChange, len(o.Moves))
		for _, m := range o.Moves {
			fmt.Fprintf(w, "  %s\n", m.Text)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintf(w, "\nNote: %s.\n", n)
	}
	if star != "" {
		fmt.Fprintln(w, "* rests on modelled flows.")
	}
	if res.Saved != nil {
		fmt.Fprintf(w, "\nSaved option 1 as %s version %d.\n", res.Saved.Name, res.Saved.Version)
	}
}
