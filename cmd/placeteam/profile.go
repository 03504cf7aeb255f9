package main

import (
	"fmt"
	"io"
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
				body := struct {
					*placeprofile.Profile
					Sources []dataset.Source `json:"sources"`
				}{p, e.attribution()}
				if teamID != "" {
					body.Teams, body.Localities = nil, nil
					body.City = units[0]
				}
				return writeJSON(out, body)
			case "csv":
				return writeCSV(out, placeprofile.CSVHeader, placeprofile.CSVRows(units))
			}
			writeProfileTable(out, p, units)
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

func writeProfileTable(w io.Writer, p *placeprofile.Profile, units []placeprofile.Unit) {
	fmt.Fprintf(w, "Profile of %s (%s): registrations %s, lists from %s, population mid-%d\n",
		p.Configuration, p.Dataset, p.Dates.Registrations.Format("2006-01-02"), p.Dates.ListSource, p.Dates.PopulationYear)
	if p.FlowModel.Modelled {
		fmt.Fprintf(w, "Flows inside the city are MODELLED (%s, decay %.3f/km%s); figures marked * rest on that estimate.\n",
			p.FlowModel.Kind, p.FlowModel.Decay, map[bool]string{true: ", calibrated by maximum likelihood", false: ""}[p.FlowModel.Calibrated])
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "ID\tNAME\tWARDS\tRESIDENTS\tREGISTERED\tREG/RES\tPRACTICES\tLOCAL REG\tLISTS LOCAL\tOUT-OF-CITY\tOOC SHARE\tIMD Q1\tTRUST\tKM²\t")
	for _, u := range units {
		star := func(field, s string) string {
			for _, f := range u.ModelledFields {
				if f == field {
					return s + "*"
				}
			}
			return s
		}
		ooc := pct(u.OutOfCityShare)
		if u.OutOfCitySignificant {
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
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%.1f\t\n",
			u.ID, name, len(u.Wards), round(u.ResidentPopulation.Total), round(u.RegisteredPopulation), ratio, u.PracticeCount,
			star("local_registration_share", pct(u.LocalRegistrationShare)), star("practice_lists_resident_share", pct(u.PracticeListsResidentShare)),
			star("out_of_city_registered", round(u.OutOfCityRegistered)), star("out_of_city_share", ooc), q1, u.DominantTrust, u.AreaKm2)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "! out-of-city share above %.0f%%. LOCAL REG: residents registered in their own unit; LISTS LOCAL: practice lists living in the unit.\n", 100*p.OutOfCityThreshold)
}
