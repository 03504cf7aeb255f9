package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/configuration"
)

// insertTeams writes the teams of version of c to configuration_teams, one
// row per team in the configuration's order, each with its wards dissolved
// (ST_Union of the ward geometries, made a MultiPolygon) by PostGIS in the
// transaction that stores the version: the layers QGIS opens. A team whose
// wards have no geometry, or whose union fails even on made-valid wards,
// gets a NULL geometry instead of failing the save (see dissolve in
// migration 0002).
func insertTeams(ctx context.Context, tx pgx.Tx, c *configuration.Configuration, version int) error {
	var (
		localityIDs, localityNames, teamIDs, teamNames []string
		wardTeams                                      []int64 // 1-based team of each ward below
		wardCodes                                      []string
	)
	for _, l := range c.Localities {
		for _, t := range l.Teams {
			localityIDs, localityNames = append(localityIDs, l.ID), append(localityNames, l.Name)
			teamIDs, teamNames = append(teamIDs, t.ID), append(teamNames, t.Name)
			for _, w := range t.Wards {
				wardTeams, wardCodes = append(wardTeams, int64(len(teamIDs))), append(wardCodes, w)
			}
		}
	}
	if len(teamIDs) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO configuration_teams
			(name, version, ord, locality_id, locality_name, team_id, team_name, wards, geom)
		SELECT $1, $2, t.ord - 1, t.locality_id, t.locality_name, t.team_id, t.team_name,
			coalesce(string_agg(tw.ward, ',' ORDER BY tw.ord), ''),
			dissolve(array_agg(w.geometry ORDER BY tw.ord) FILTER (WHERE w.geometry IS NOT NULL))
		FROM unnest($3::text[], $4::text[], $5::text[], $6::text[])
				WITH ORDINALITY AS t (locality_id, locality_name, team_id, team_name, ord)
			LEFT JOIN unnest($7::bigint[], $8::text[]) WITH ORDINALITY AS tw (team, ward, ord) ON tw.team = t.ord
			LEFT JOIN wards w ON w.code = tw.ward
		GROUP BY t.ord, t.locality_id, t.locality_name, t.team_id, t.team_name`,
		c.Name, version, localityIDs, localityNames, teamIDs, teamNames, wardTeams, wardCodes)
	if err != nil {
		return fmt.Errorf("dissolve teams: %w", err)
	}
	return nil
}
