package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newExportCommand() *cobra.Command {
	var flags engineFlags
	var configName, out string
	var version int
	cmd := &cobra.Command{
		Use:   "export --db FILE --config NAME [--version N] --format gpkg --out FILE.gpkg",
		Short: "Write a configuration as a GeoPackage (wards, teams, localities, practices, LSOAs) for QGIS",
		Long: `Write a configuration as an OGC GeoPackage 1.3 (EPSG:4326) that QGIS and GDAL open.

Layers: wards (with their team and locality and the ward figures), teams and
localities (dissolved from their wards, with their profile figures, indicators
and checks), practices and lsoas (with their figures). The attributes are the
OGC API collections' properties, typed INTEGER, REAL, BOOLEAN or TEXT from the
values; an unknown figure is NULL. modelled_fields and ind_modelled name the
figures that are modelled; practices also carry their list_size.

Every layer has an R-tree spatial index (the gpkg_rtree_index extension) and
a default QGIS style in layer_styles, which QGIS applies on opening: teams
filled in the map's team colours, localities as thick outlines, wards as thin
outlines labelled with their names, practices sized by list size, LSOAs
shaded by IMD decile. The same file is served by
GET /api/configurations/NAME/export?format=gpkg.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFormat(flags.format, "gpkg"); err != nil {
				return err
			}
			if out == "" {
				return fmt.Errorf("--out FILE.gpkg is required")
			}
			ctx := cmd.Context()
			e, v, err := openEngineAt(ctx, &flags, configName, version)
			if err != nil {
				return err
			}
			defer e.Close()
			layers, err := e.core.WriteGeoPackage(ctx, v, out)
			if err != nil {
				return err
			}
			counts := make([]string, 0, len(layers))
			for _, l := range layers {
				counts = append(counts, fmt.Sprintf("%s %d", l.Name, len(l.Features)))
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Wrote %s: %s version %d as a GeoPackage (%s)\n", out, v.Name, v.Number, strings.Join(counts, ", "))
			return nil
		},
	}
	flags.register(cmd, "gpkg")
	// The only format (so far) is the default.
	format := cmd.Flags().Lookup("format")
	format.DefValue = "gpkg"
	_ = format.Value.Set("gpkg")
	cmd.Flags().StringVar(&configName, "config", "", "configuration name")
	cmd.Flags().IntVar(&version, "version", 0, "version to export (default: the latest)")
	cmd.Flags().StringVar(&out, "out", "", "the GeoPackage file to write")
	_ = cmd.MarkFlagRequired("config")
	return cmd
}
