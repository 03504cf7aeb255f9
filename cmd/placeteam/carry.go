package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/profiles/carry"
)

func newCarryCommand() *cobra.Command {
	var flags engineFlags
	var configName, out string
	var version int
	var wardFile carry.WardFile
	var lookupFile carry.LookupFile
	var opts carry.Options
	cmd := &cobra.Command{
		Use:   "carry --db FILE --config NAME [--version N] --to-wards FILE.geojson [--code-property P --name-property P] [--lookup FILE.csv] [--out FILE.yaml]",
		Short: "Carry a configuration to a new ward set: each new ward to the team holding most of its residents",
		Long: `Carries a configuration of the store's wards to another ward set (a GeoJSON
boundary file, e.g. Manchester's May 2018 wards). Each new ward goes to the old
team holding most of its residents, counted through the store's LSOA
populations: an LSOA's residents belong to the old team of its old ward and to
the new ward holding it; an LSOA straddling new wards (at least --min-piece of
its area in each of two or more) is split between them by area. With --lookup
(a best-fit LSOA → new ward CSV, such as the ONS LSOA to ward lookup) each
LSOA goes whole to the ward the lookup gives, and none is split. Prints each
new ward's team and the share of its residents that came from it, every split
ward with its shares by old team, and each team's residents on the old and new
wards side by side; --out writes the carried configuration (same localities
and teams, the new ward codes) as a configuration file, which "config add"
saves in a store of the new wards (see data/manifests/manchester-2018.yaml).
Nothing is written to the store. The API does the same: POST
/api/configurations/{name}/carry with the new wards' GeoJSON as the body.

--code-property and --name-property name the file's ward code and name
properties; without them the first of WDnnCD, area_code, code (and WDnnNM,
area_name, name) that every feature has is used. --lookup-lsoa-column and
--lookup-ward-column name the lookup's columns; without them the first
LSOAnnCD (or lsoa, lsoa_code) and WDnnCD (or ward, ward_code) column is used.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(flags.format, "table", "json"); err != nil {
				return err
			}
			wards, err := carry.ReadWards(wardFile)
			if err != nil {
				return fmt.Errorf("--to-wards: %w", err)
			}
			opts.Wards = wards
			if lookupFile.Path != "" {
				if opts.Lookup, err = carry.ReadLookup(lookupFile); err != nil {
					return fmt.Errorf("--lookup: %w", err)
				}
			}
			ctx := cmd.Context()
			e, v, err := openEngineAt(ctx, &flags, configName, version)
			if err != nil {
				return err
			}
			defer e.Close()
			r, err := e.core.Carry(ctx, v, opts)
			if err != nil {
				return err
			}
			if out != "" {
				var b bytes.Buffer
				if err := carry.WriteYAML(&b, r); err != nil {
					return err
				}
				if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
					return fmt.Errorf("--out: %w", err)
				}
			}
			w := cmd.OutOrStdout()
			if flags.format == "json" {
				return writeJSON(w, r)
			}
			from := fmt.Sprintf("%s version %d", v.Name, v.Number)
			writeCarry(w, r, from, wardFile.Path, len(e.core.Dataset().Wards))
			if out != "" {
				fmt.Fprintf(w, "\nWrote %s (configuration %s); save it in a store of the new wards with: placeteam config add %s --db STORE\n", out, r.Configuration.Name, out)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&flags.db, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&configName, "config", "", "configuration to carry (on the store's wards)")
	cmd.Flags().IntVar(&version, "version", 0, "version to carry (default: the latest)")
	cmd.Flags().StringVar(&wardFile.Path, "to-wards", "", "the new wards: a GeoJSON boundary file")
	cmd.Flags().StringVar(&wardFile.CodeProperty, "code-property", "", "property holding the new ward code (default: found in the file)")
	cmd.Flags().StringVar(&wardFile.NameProperty, "name-property", "", "property holding the new ward name (default: found in the file)")
	cmd.Flags().StringVar(&lookupFile.Path, "lookup", "", "a best-fit LSOA → new ward lookup (CSV) to use instead of the boundaries' overlap")
	cmd.Flags().StringVar(&lookupFile.LSOAColumn, "lookup-lsoa-column", "", "the lookup's LSOA code column (default: found in the header)")
	cmd.Flags().StringVar(&lookupFile.WardColumn, "lookup-ward-column", "", "the lookup's new ward code column (default: found in the header)")
	cmd.Flags().Float64Var(&opts.MinPiece, "min-piece", carry.DefaultMinPiece, "smallest share of an LSOA's area a new ward needs to get some of its residents")
	cmd.Flags().StringVar(&opts.Name, "name", "", "name of the carried configuration (default: NAME-carried)")
	cmd.Flags().StringVar(&out, "out", "", "write the carried configuration to this YAML file")
	cmd.Flags().StringVar(&flags.format, "format", "table", "output format: table or json")
	_ = cmd.MarkFlagRequired("config")
	_ = cmd.MarkFlagRequired("to-wards")
	return cmd
}

// writeCarry prints the new wards, the split wards and the teams side by side.
func writeCarry(w io.Writer, r *carry.Result, from, path string, oldWards int) {
	straddling := 0
	for _, l := range r.LSOAs {
		if l.Straddles {
			straddling++
		}
	}
	fmt.Fprintf(w, "Carry %s (%d wards) to the %d wards of %s as %s\n", from, oldWards, len(r.Wards), path, r.Configuration.Name)
	fmt.Fprintf(w, "Residents: %s on the old wards, %s on the new; %d of %d LSOAs straddle new wards (split by area; pieces under %.0f%% of an LSOA ignored)\n\n",
		round(r.ResidentsOld), round(r.ResidentsNew), straddling, len(r.LSOAs), 100*r.MinPiece)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "new ward\tname\tteam\tshare from team\tresidents\tchosen by\t")
	var split []carry.WardResult
	for _, wr := range r.Wards {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.1f%%\t%s\t%s\t\n", wr.Code, wr.Name, wr.Team, 100*wr.Share, round(wr.Residents), wr.Method)
		if wr.Split {
			split = append(split, wr)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\nSplit wards (residents from more than one old team): %d of %d\n", len(split), len(r.Wards))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, wr := range split {
		fmt.Fprintf(tw, "  %s\t%s\t→ %s\t%s\t\n", wr.Code, wr.Name, wr.Team, carry.FormatShares(wr.Shares))
	}
	tw.Flush()
	for _, rs := range r.Reassigned {
		fmt.Fprintf(w, "  %s had no ward by residents and was given %s (from %s)\n", rs.Team, rs.Ward, rs.FromTeam)
	}
	if len(r.Unplaced) > 0 {
		fmt.Fprintf(w, "  LSOAs in no new ward (their residents are not counted on the new wards): %v\n", r.Unplaced)
	}
	fmt.Fprintf(w, "\nTeam residents: %s on the old wards vs %s on the new (changes only where wards split)\n", r.From, r.Configuration.Name)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "team\told wards\tresidents\tnew wards\tresidents\tchange\tin\tout\t")
	for _, tp := range r.Teams {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%s\t%+.0f\t%s\t%s\t\n", tp.Team, len(tp.OldWards), round(tp.Old), len(tp.NewWards), round(tp.New), tp.New-tp.Old, round(tp.In), round(tp.Out))
	}
	tw.Flush()
}
