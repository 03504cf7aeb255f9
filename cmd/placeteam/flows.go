package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

func newFlowsCommand() *cobra.Command {
	var flags engineFlags
	var configName, level string
	cmd := &cobra.Command{
		Use:   "flows --db FILE --config NAME",
		Short: "Residence-team × practice-team flows of registered patients, with outside-city row and column",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(flags.format, "table", "json", "csv"); err != nil {
				return err
			}
			ctx := cmd.Context()
			e, v, err := openEngineFor(ctx, &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			m, err := e.core.Flows(ctx, v, level)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch flags.format {
			case "json":
				return writeJSON(out, struct {
					*placeprofile.FlowMatrix
					Sources []dataset.Source `json:"sources"`
				}{m, e.attribution()})
			case "csv":
				return writeCSV(out, placeprofile.FlowCSVHeader, m.CSVRows())
			}
			fmt.Fprintf(out, "Registered patients by %s of residence (rows) and %s of practice (columns), %s\n", level, level, m.Date)
			if m.FlowModel.Modelled {
				fmt.Fprintf(out, "MODELLED: %s model, decay %.3f/km; only the outside row (patients living outside the city) comes straight from real practice × district counts.\n", m.FlowModel.Kind, m.FlowModel.Decay)
			}
			tw := tabwriter.NewWriter(out, 0, 0, 1, ' ', tabwriter.AlignRight)
			fmt.Fprint(tw, "\t")
			for _, id := range m.Units {
				fmt.Fprintf(tw, "%s\t", id)
			}
			fmt.Fprintln(tw, "TOTAL\t")
			for r, id := range m.Units {
				fmt.Fprintf(tw, "%s\t", id)
				total := 0.0
				for c := range m.Units {
					fmt.Fprintf(tw, "%s\t", round(m.Rows[r][c]))
					total += m.Rows[r][c]
				}
				fmt.Fprintf(tw, "%s\t\n", round(total))
			}
			_ = tw.Flush()
			writeAttribution(out, e.attribution())
			return nil
		},
	}
	flags.register(cmd, "table, json or csv")
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().StringVar(&level, "level", placeprofile.LevelTeam, "team or locality")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}
