package main

import (
	"fmt"
	"io"
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
		Long: `Residence-team × practice-team flows of registered patients, with outside-city row and column.

Without registrations by area of residence on --date (only list sizes) the
flows are unknown, not zero: rows is null in JSON (with the reason under
"unknown"), counts are blank in CSV and – in tables, with a footnote.`,
		Args: cobra.NoArgs,
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
				return writeJSON(out, flowsJSON{FlowMatrix: m, Sources: e.attribution()})
			case "csv":
				return writeCSV(out, placeprofile.FlowCSVHeader, m.CSVRows())
			}
			writeFlowsTable(out, m, level, e.attribution())
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

// flowsJSON is the JSON of flows: the matrix (rows null when the flows
// are unknown, with why) and its sources.
type flowsJSON struct {
	*placeprofile.FlowMatrix
	Sources []dataset.Source `json:"sources"`
}

func writeFlowsTable(out io.Writer, m *placeprofile.FlowMatrix, level string, sources []dataset.Source) {
	unknown := m.Unknown
	date := "registrations by area of residence " + m.Date
	switch {
	case m.Date == "":
		date = "no list sizes and no registrations by area of residence"
	case unknown != "":
		date = m.Date + ", with no registrations by area of residence"
	}
	fmt.Fprintf(out, "Registered patients by %s of residence (rows) and %s of practice (columns), %s\n", level, level, date)
	fmt.Fprintln(out, flowsProvenance(m.FlowModel, sources))
	cell := func(v float64) string {
		if unknown != "" {
			return "–"
		}
		return round(v)
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
			v := 0.0
			if m.Known() {
				v = m.Rows[r][c]
			}
			fmt.Fprintf(tw, "%s\t", cell(v))
			total += v
		}
		fmt.Fprintf(tw, "%s\t\n", cell(total))
	}
	_ = tw.Flush()
	if unknown != "" {
		fmt.Fprintf(out, "– unknown: %s%s.\n", unknown, dateHint(unknown))
	}
}
