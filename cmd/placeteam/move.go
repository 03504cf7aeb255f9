package main

import (
	"fmt"
	"io"
	"math"
	"os/user"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/planning"
)

func newMoveCommand() *cobra.Command {
	var flags engineFlags
	var configName, note, author string
	var wards, teams []string
	var save bool
	cmd := &cobra.Command{
		Use:   "move --db FILE --config NAME --ward CODE --team ID [--ward CODE --team ID …] [--save] [--note TEXT]",
		Short: "What-if: move wards to other teams and see every metric of the touched teams, their localities and the city change, and the plan checks; --save keeps it as a new version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(flags.format, "table", "json"); err != nil {
				return err
			}
			if len(wards) == 0 || len(wards) != len(teams) {
				return fmt.Errorf("give --ward and --team in pairs (%d wards, %d teams)", len(wards), len(teams))
			}
			moves := make([]configuration.Move, len(wards))
			for i := range wards {
				moves[i] = configuration.Move{Ward: wards[i], Team: teams[i]}
			}
			ctx := cmd.Context()
			e, v, err := openEngineFor(ctx, &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			ev, err := e.core.Evaluate(ctx, v, moves, configuration.MoveOptions{}, placeprofile.Options{OutOfCityThreshold: flags.threshold})
			if err != nil {
				return err
			}
			saved := 0
			if save {
				if author == "" {
					if u, err := user.Current(); err == nil {
						author = u.Username
					}
				}
				res, err := e.core.Move(ctx, planning.MoveRequest{Name: v.Name, Expect: v.Number, Moves: moves,
					Meta: store.VersionMeta{Author: author, Note: note}})
				if err != nil {
					return err
				}
				saved = res.Saved.Number
			}
			out := cmd.OutOrStdout()
			if flags.format == "json" {
				return writeJSON(out, struct {
					Configuration string `json:"configuration"`
					Version       int    `json:"version"`
					*planning.Evaluation
					SavedVersion int `json:"saved_version,omitempty"`
				}{v.Name, v.Number, ev, saved})
			}
			writeMove(out, v, moves, ev)
			if saved > 0 {
				fmt.Fprintf(out, "Saved as %s version %d.\n", v.Name, saved)
			} else {
				fmt.Fprintln(out, "Not saved (add --save to keep it as a new version).")
			}
			return nil
		},
	}
	flags.register(cmd, "table or json")
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().StringArrayVar(&wards, "ward", nil, "ward code to move (repeat, each with a --team)")
	cmd.Flags().StringArrayVar(&teams, "team", nil, "team id the ward before it moves to")
	cmd.Flags().BoolVar(&save, "save", false, "save the result as the configuration's next version")
	cmd.Flags().StringVar(&note, "note", "", "note kept with the saved version")
	cmd.Flags().StringVar(&author, "author", "", "author kept with the saved version (default: the user)")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

// writeMove prints the moves, every metric that changes, and the checks
// before and after.
func writeMove(w io.Writer, v planning.Version, moves []configuration.Move, ev *planning.Evaluation) {
	wardTeam := v.Configuration.WardTeams()
	var list []string
	for _, m := range moves {
		list = append(list, fmt.Sprintf("%s %s → %s", m.Ward, wardTeam[m.Ward], m.Team))
	}
	fmt.Fprintf(w, "%s version %d: %s\n", v.Name, v.Number, strings.Join(list, ", "))
	modelled := map[string]bool{}
	for _, u := range ev.Profile.Teams {
		for _, f := range u.ModelledFields {
			modelled[f] = true
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, u := range ev.Changes {
		fmt.Fprintf(tw, "\n%s %s (%s)\t\t\t\t\n", u.Level, u.ID, u.Name)
		if len(u.Metrics) == 0 {
			fmt.Fprintln(tw, "  no change\t\t\t\t")
		}
		for _, m := range u.Metrics {
			star := ""
			if modelled[m.Metric] {
				star = "*"
			}
			if m.Metric == "wards" {
				fmt.Fprintf(tw, "  wards\t%s\t\t\t\n", wardChange(m.A, m.B))
				continue
			}
			delta := ""
			if m.Delta != nil {
				delta = "(" + readable(*m.Delta, true) + ")"
			}
			fmt.Fprintf(tw, "  %s%s\t%s\t→\t%s\t%s\n", m.Metric, star, readableField(m.A), readableField(m.B), delta)
		}
	}
	tw.Flush()
	if len(modelled) > 0 {
		fmt.Fprintln(w, "* rests on modelled flows.")
	}
	fmt.Fprintln(w, "\nChecks after the moves:")
	writeChecks(w, ev.Checks)
}

// wardChange shows the wards that leave and join a unit: "−A +B".
func wardChange(a, b string) string {
	before, after := strings.Fields(a), strings.Fields(b)
	var parts []string
	for _, w := range before {
		if !slices.Contains(after, w) {
			parts = append(parts, "−"+w)
		}
	}
	for _, w := range after {
		if !slices.Contains(before, w) {
			parts = append(parts, "+"+w)
		}
	}
	return strings.Join(parts, " ")
}

// readableField rounds a number for a table, leaving other text as it is.
func readableField(s string) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	return readable(v, false)
}

// readable rounds v: whole numbers from 100 up, four significant digits
// below.
func readable(v float64, signed bool) string {
	format := "%.4g"
	if math.Abs(v) >= 100 {
		format = "%.0f"
	}
	if signed {
		format = "%+" + format[1:]
	}
	return fmt.Sprintf(format, v)
}
