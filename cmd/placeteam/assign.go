package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/profiles/assign"
	"github.com/placeteam/placeteam/profiles/planning"
)

func newAssignCommand() *cobra.Command {
	var dbPath, configName, in, out, postcodesFile, format string
	var version int
	var cols assign.Columns
	cmd := &cobra.Command{
		Use:   "assign --db FILE --config NAME --in FILE.csv [--lon COL --lat COL | --easting COL --northing COL | --postcode COL --postcodes ONSPD.csv] [--out FILE]",
		Short: "Add ward, LSOA, team and locality to every row of a CSV (or GeoJSON) file of points",
		Long: `Adds ward_code, ward_name, lsoa_code, team_id, team_name, locality_id, status
and reason to every row of a CSV file (or every feature of a GeoJSON
FeatureCollection of points, --in FILE.geojson) and writes it to --out or
standard output, one row at a time: memory stays the same for ten rows or
ten million.

Points come from --lon/--lat (WGS84), --easting/--northing (British National
Grid, reprojected) or --postcode (looked up in --postcodes, an ONS Postcode
Directory CSV; case and spaces do not matter). With none given, the header
is searched for lon/lat, then easting/northing, then postcode.

A row that cannot be placed is reported, not fatal: its status says why
(outside-city, missing-location, bad-coordinates, unknown-postcode,
wrong-field-count, malformed-row) and its reason names its line; a summary
goes to standard error. Points on an edge two wards share go to the ward
with the lowest code (boundaries count as inside); LSOAs likewise. The exit
status is 0 unless the input cannot be read at all (no header, a missing
column).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format == "" {
				format = "csv"
				if ext := strings.ToLower(filepath.Ext(in)); ext == ".geojson" || ext == ".json" {
					format = "geojson"
				}
			}
			if err := checkFormat(format, "csv", "geojson"); err != nil {
				return err
			}
			if version < 0 {
				return fmt.Errorf("--version %d: versions start at 1", version)
			}
			ctx := cmd.Context()
			opts := assign.Options{Name: in, Columns: cols}
			if in == "-" {
				opts.Name = "standard input"
			}
			if postcodesFile != "" {
				pcs, err := readPostcodeFile(ctx, postcodesFile)
				if err != nil {
					return err
				}
				opts.Postcodes = pcs
			}
			input, err := openInput(cmd, in)
			if err != nil {
				return err
			}
			defer input.Close()

			core, st, err := openCore(ctx, dbPath, planning.Config{})
			if err != nil {
				return err
			}
			defer st.Close()
			defer core.Close()
			v, err := core.At(ctx, configName, version)
			if err != nil {
				return fmt.Errorf("configuration %q: %w", configName, err)
			}
			a, err := core.Assigner(ctx, v)
			if err != nil {
				return err
			}
			start := time.Now()
			sum, err := writeAssigned(ctx, cmd, a, input, out, format, opts)
			if sum != nil {
				reportAssigned(cmd.ErrOrStderr(), opts.Name, v, sum, time.Since(start))
			}
			return err
		},
	}
	cmd.Flags().StringVar(&dbPath, "db", dbDefault(), dbUsage)
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().IntVar(&version, "version", 0, "configuration version (default: the latest)")
	cmd.Flags().StringVar(&in, "in", "", "input CSV with a header row, or GeoJSON FeatureCollection of points (.geojson); - for standard input")
	cmd.Flags().StringVar(&out, "out", "", "output file (default: standard output)")
	cmd.Flags().StringVar(&format, "format", "", "input and output format: csv or geojson (default: from --in's extension)")
	cmd.Flags().StringVar(&cols.Lon, "lon", "", "column holding the longitude (WGS84)")
	cmd.Flags().StringVar(&cols.Lat, "lat", "", "column holding the latitude (WGS84)")
	cmd.Flags().StringVar(&cols.Easting, "easting", "", "column holding the British National Grid easting (m)")
	cmd.Flags().StringVar(&cols.Northing, "northing", "", "column holding the British National Grid northing (m)")
	cmd.Flags().StringVar(&cols.Postcode, "postcode", "", "column holding the postcode (needs --postcodes)")
	cmd.Flags().StringVar(&postcodesFile, "postcodes", "", "postcode centroids, ONS Postcode Directory CSV (pcds or pcd, lat, long)")
	_ = cmd.MarkFlagRequired("config")
	_ = cmd.MarkFlagRequired("in")
	return cmd
}

func openInput(cmd *cobra.Command, in string) (io.ReadCloser, error) {
	if in == "-" {
		return io.NopCloser(cmd.InOrStdin()), nil
	}
	return os.Open(in)
}

func readPostcodeFile(ctx context.Context, path string) (assign.Postcodes, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--postcodes: %w", err)
	}
	defer f.Close()
	pcs, err := importer.ReadPostcodes(ctx, f, importer.PostcodeFile{Name: path})
	if err != nil {
		return nil, fmt.Errorf("--postcodes: %w", err)
	}
	return pcs, nil
}

// writeAssigned streams the input to --out (through a temporary file
// renamed at the end, so a failed run leaves no half file) or stdout.
func writeAssigned(ctx context.Context, cmd *cobra.Command, a *assign.Assigner, input io.Reader, out, format string, opts assign.Options) (*assign.Summary, error) {
	run := assign.CSV
	if format == "geojson" {
		run = assign.GeoJSON
	}
	if out == "" {
		return run(ctx, a, input, cmd.OutOrStdout(), opts)
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".*")
	if err != nil {
		return nil, err
	}
	sum, err := run(ctx, a, input, tmp, opts)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), out)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return sum, err
}

// reportAssigned writes the summary and the first rows not placed.
func reportAssigned(w io.Writer, name string, v planning.Version, sum *assign.Summary, took time.Duration) {
	fmt.Fprintf(w, "assign: %s, %s version %d: %s (%.3f s)\n", name, v.Name, v.Number, sum, took.Seconds())
	for _, p := range sum.Problems {
		fmt.Fprintf(w, "  %s: %s\n", p.Status, p.Reason)
	}
	if more := sum.NotPlaced() - len(sum.Problems); more > 0 {
		fmt.Fprintf(w, "  … and %d more rows not placed (see the status and reason columns)\n", more)
	}
}
