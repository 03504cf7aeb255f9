package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

func newProfileCommand() *cobra.Command {
	var flags engineFlags
	var configName, teamID string
	cmd := &cobra.Command{
		Use:   "profile --db FILE --config NAME [--team ID]",
		Short: "Place profile of every team, locality and the city for a configuration",
		Long: `Place profile of every team, locality and the city for a configuration.

A figure whose inputs are missing is unknown, never 0: null in JSON (with its
reason under "unknown"), blank in CSV, – in tables with a footnote. Without
registrations by area of residence on --date (only list sizes), every flow
figure is unknown.`,
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
			p, err := e.core.Profile(ctx, v, placeprofile.Options{OutOfCityThreshold: flags.threshold})
			if err != nil {
				return err
			}
			units := append(append(append([]placeprofile.Unit{}, p.Teams...), p.Localities...), p.City)
			if teamID != "" {
				var found []placeprofile.Unit
				for _, u := range units {
					if u.ID == teamID {
						found = append(found, u)
					}
				}
				if len(found) == 0 {
					return fmt.Errorf("configuration %q has no team or locality %q", configName, teamID)
				}
				units = found
			}
			out := cmd.OutOrStdout()
			switch flags.format {
			case "json":
				body := newProfileJSON(p, e.attribution())
				if teamID != "" {
					body.selectOne(units[0])
				}
				return writeJSON(out, body)
			case "csv":
				return writeCSV(out, placeprofile.CSVHeader, placeprofile.CSVRows(units))
			}
			writeProfileTable(out, p, units, e.attribution())
			writeAttribution(out, e.attribution())
			return nil
		},
	}
	flags.register(cmd, "table, json or csv")
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().StringVar(&teamID, "team", "", "show one team (or locality) only")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

// profileJSON is the JSON of profile: the profile (unknown figures null,
// why under unknown) with the two kinds of practice dates named apart as
// the sources say, its sources and, with --team, what was selected.
type profileJSON struct {
	*placeprofile.Profile
	DataDates  dataDates           `json:"data_dates"`
	Selection  *profileSelection   `json:"selection,omitempty"`
	Teams      []placeprofile.Unit `json:"teams"`
	Localities []placeprofile.Unit `json:"localities"`
	Sources    []dataset.Source    `json:"sources"`
}

func newProfileJSON(p *placeprofile.Profile, sources []dataset.Source) *profileJSON {
	return &profileJSON{Profile: p, DataDates: newDataDates(p, sources), Sources: sources,
		Teams: slices.Clone(p.Teams), Localities: slices.Clone(p.Localities)}
}

// profileSelection says which unit --team picked and what the other units
// in the answer are there for.
type profileSelection struct {
	ID    string `json:"id"`
	Level string `json:"level"`
	Note  string `json:"note"`
}

// selectOne keeps the shape of the full profile for one unit: a team under
// teams with its locality under localities, or a locality under
// localities with no teams; city stays the whole city, for context.
func (b *profileJSON) selectOne(u placeprofile.Unit) {
	locality := u.ID
	if u.Level == placeprofile.LevelTeam {
		locality = u.Locality
	}
	b.Teams = slices.DeleteFunc(b.Teams, func(t placeprofile.Unit) bool { return t.ID != u.ID })
	b.Localities = slices.DeleteFunc(b.Localities, func(l placeprofile.Unit) bool { return l.ID != locality })
	note := map[string]string{
		placeprofile.LevelTeam:     "teams holds the selected team; localities its locality and city the whole city, for context",
		placeprofile.LevelLocality: "localities holds the selected locality (teams is empty); city is the whole city, for context",
		placeprofile.LevelCity:     "city is the selected city; teams and localities are empty",
	}[u.Level]
	b.Selection = &profileSelection{ID: u.ID, Level: u.Level, Note: note}
}

// writeProfileTable writes units as a table: an unknown figure is –, with
// a footnote per reason.
func writeProfileTable(w io.Writer, p *placeprofile.Profile, units []placeprofile.Unit, sources []dataset.Source) {
	fmt.Fprintf(w, "Profile of %s (%s): %s, population mid-%d\n",
		p.Configuration, p.Dataset, newDataDates(p, sources).header(), p.Dates.PopulationYear)
	fmt.Fprintln(w, flowsProvenance(p.FlowModel, sources))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ID\tNAME\tWARDS\tRESIDENTS\tREGISTERED\tREG/RES\tPRACTICES\tLOCAL REG\tLISTS LOCAL\tOUT-OF-CITY\tOOC SHARE\tIMD Q1\tTRUST\tKM²\t")
	for _, u := range units {
		star := func(field, s string) string {
			if !u.Known(field) {
				return "–"
			}
			for _, f := range u.ModelledFields {
				if f == field {
					return s + "*"
				}
			}
			return s
		}
		ooc := pct(u.OutOfCityShare)
		if u.OutOfCitySignificant != nil && *u.OutOfCitySignificant {
			ooc += " !"
		}
		q1 := "–"
		if u.ResidentPopulation.Total > 0 {
			q1 = fmt.Sprintf("%.0f%%", 100*u.IMDQuintilePopulation[0]/u.ResidentPopulation.Total)
		}
		ratio := "–"
		if u.RegisteredToResidentRatio != nil {
			ratio = fmt.Sprintf("%.2f", *u.RegisteredToResidentRatio)
		}
		name := u.Name
		if r := []rune(name); len(r) > 34 {
			name = string(r[:33]) + "…"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t\n",
			u.ID, name, len(u.Wards), round(u.ResidentPopulation.Total),
			star(placeprofile.FieldRegisteredPopulation, round(u.RegisteredPopulation)), ratio, star(placeprofile.FieldPracticeCount, fmt.Sprint(u.PracticeCount)),
			star("local_registration_share", pct(u.LocalRegistrationShare)), star("practice_lists_resident_share", pct(u.PracticeListsResidentShare)),
			star("out_of_city_registered", optRound(u.OutOfCityRegistered)), star("out_of_city_share", ooc), q1, star(placeprofile.FieldDominantTrust, u.DominantTrust), u.AreaKm2)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "! out-of-city share above %.0f%%. LOCAL REG: residents registered in their own unit; LISTS LOCAL: practice lists living in the unit.\n", 100*p.OutOfCityThreshold)
	var reasons []string
	for _, u := range units {
		for _, f := range u.UnknownFields() {
			if r := u.Unknown[f]; !slices.Contains(reasons, r) {
				reasons = append(reasons, r)
			}
		}
	}
	for _, r := range reasons {
		fmt.Fprintf(w, "– unknown: %s%s.\n", r, dateHint(r))
	}
}
