package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/paulmach/orb"
	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/hubplan"
	"github.com/placeteam/placeteam/profiles/siting"
)

func newSiteCommand() *cobra.Command {
	var flags engineFlags
	var configName, model, weight, sitesFile, fixed, save, travelTimes string
	var onePerTeam, noHospitals bool
	var k int
	var threshold float64
	cmd := &cobra.Command{
		Use:   "site --db FILE --config NAME [--one-per-team] [--k N] [--model p-median|max-coverage|p-centre]",
		Short: "Choose hub sites (health and care centres) and connect every practice to one",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(flags.format, "table", "json", "csv", "geojson"); err != nil {
				return err
			}
			ctx := cmd.Context()
			e, v, err := openEngineFor(ctx, &flags, configName)
			if err != nil {
				return err
			}
			defer e.Close()
			opts := hubplan.Options{Model: siting.Model(model), OnePerTeam: onePerTeam, K: k, Threshold: threshold, Weight: weight, NoHospitals: noHospitals}
			if fixed != "" {
				opts.Fixed = strings.Split(fixed, ",")
			}
			if travelTimes != "" {
				if opts.TravelTimes, err = os.ReadFile(travelTimes); err != nil {
					return err
				}
				opts.TravelTimesName = travelTimes
			}
			if sitesFile != "" {
				if opts.Sites, err = readSites(sitesFile); err != nil {
					return err
				}
			}
			plan, err := e.core.SiteHubs(ctx, v, opts, save)
			var unknown *hubplan.UnknownFixedError
			if errors.As(err, &unknown) {
				return fmt.Errorf("%w\n(each team's practices, with their codes, are in: placeteam profile --db %s --config %s --team TEAM --format json)", err, flags.db, configName)
			}
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			switch flags.format {
			case "json":
				return writeJSON(out, plan)
			case "geojson":
				return writeJSON(out, plan.GeoJSON())
			case "csv":
				return writeCSV(out, hubplan.SpokeCSVHeader, plan.SpokeCSVRows())
			}
			writePlan(out, plan)
			if save != "" {
				fmt.Fprintf(out, "\nSaved as scenario %q.\n", save)
			}
			return nil
		},
	}
	flags.register(cmd, "table, json, csv (spokes) or geojson")
	cmd.Flags().StringVar(&configName, "config", "", "team configuration (teams for one-per-team and for the equity breakdown)")
	cmd.Flags().StringVar(&model, "model", string(siting.PMedian), "p-median, max-coverage or p-centre")
	cmd.Flags().BoolVar(&onePerTeam, "one-per-team", false, "one hub in every team (plus --k extra anywhere)")
	cmd.Flags().IntVar(&k, "k", 0, "hubs city-wide, or extra hubs with --one-per-team")
	cmd.Flags().Float64Var(&threshold, "threshold", 1.5, "coverage radius in km")
	cmd.Flags().StringVar(&weight, "weight", hubplan.WeightPopulation, "demand weighting: population, imd or 60plus")
	cmd.Flags().StringVar(&sitesFile, "sites", "", "extra candidate sites: CSV id,name,lon,lat")
	cmd.Flags().StringVar(&fixed, "fixed", "", "comma-separated candidate ids that must be hubs: practice:CODE (an open practice in a city ward), hospital:N, site:ID (from --sites)")
	cmd.Flags().BoolVar(&noHospitals, "no-hospitals", false, "leave hospital sites out of the candidates")
	cmd.Flags().StringVar(&save, "save", "", "store the plan as a named scenario")
	cmd.Flags().StringVar(&travelTimes, "travel-times", "", "CSV origin,destination,minutes (LSOA code × candidate id) instead of great-circle km; --threshold is then minutes")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}

// readSites reads candidate sites from a CSV id,name,lon,lat.
func readSites(path string) ([]hubplan.Site, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 4
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if strings.Join(header, ",") != "id,name,lon,lat" {
		return nil, fmt.Errorf("%s: line 1: header must be id,name,lon,lat", path)
	}
	var out []hubplan.Site
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		lon, err1 := strconv.ParseFloat(strings.TrimSpace(rec[2]), 64)
		lat, err2 := strconv.ParseFloat(strings.TrimSpace(rec[3]), 64)
		if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return nil, fmt.Errorf("%s: line %d: lon %q, lat %q are not a lon/lat position", path, line, rec[2], rec[3])
		}
		out = append(out, hubplan.Site{ID: strings.TrimSpace(rec[0]), Name: strings.TrimSpace(rec[1]), Point: orb.Point{lon, lat}})
	}
}

func writePlan(w io.Writer, p *hubplan.Plan) {
	fmt.Fprintf(w, "%s hubs for %s (%s, %d candidates, %d LSOA demand points weighted by %s; practices open on %s)\n",
		p.Options.Model, p.Configuration, map[bool]string{true: "one per team", false: "city-wide"}[p.Options.OnePerTeam],
		p.Candidates, p.DemandPoints, p.Options.Weight, p.Date)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HUB\tNAME\tKIND\tTEAM\tDEMAND SERVED")
	for _, h := range p.Hubs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%.0f\n", h.ID, h.Name, h.Kind, h.Team, h.Served)
	}
	_ = tw.Flush()
	unit := "km"
	if p.Options.TravelTimesName != "" {
		unit = "min"
	}
	fmt.Fprintf(w, "\nCoverage (share of weighted demand within each distance) and distance to the nearest hub, %s:\n", unit)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, t := range p.Report.Thresholds {
		fmt.Fprintf(tw, "≤%g%s\t", t, unit)
	}
	fmt.Fprintln(tw, "MEAN\tP95\tMAX\t")
	row := func(label string, s siting.Summary) {
		fmt.Fprintf(tw, "%s\t", label)
		for _, c := range s.Coverage {
			fmt.Fprintf(tw, "%.1f%%\t", 100*c.Share)
		}
		fmt.Fprintf(tw, "%.2f\t%.2f\t%.2f\t\n", s.MeanDistance, s.P95Distance, s.MaxDistance)
	}
	row("hubs: all residents", p.Report.Overall)
	for q := 1; q <= 5; q++ {
		if s, ok := p.Report.ByQuintile[q]; ok {
			row(fmt.Sprintf("  IMD quintile %d", q), s)
		}
	}
	teams := make([]string, 0, len(p.Report.ByTeam))
	for t := range p.Report.ByTeam {
		teams = append(teams, t)
	}
	sort.Strings(teams)
	for _, t := range teams {
		row("  team "+t, p.Report.ByTeam[t])
	}
	row("current practices: all", p.Current.Overall)
	_ = tw.Flush()
	fmt.Fprintln(w, "IMD quintile 1 is the most deprived fifth nationally (IMD decile 1-2).")
}
