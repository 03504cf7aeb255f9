package pgstore

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
)

// ReplaceDataset stores d, with configs as the first version of each of its
// configurations, in place of whatever the store held, and appends record
// to the import history, in one transaction. d must pass Validate and every
// configuration must pass Validate against d's wards; otherwise, or on any
// other failure, nothing is written and the previous content is untouched.
// Configurations of the previous dataset are deleted with it; the import
// history, scenarios and the version numbering of names are kept. Readers
// keep reading the previous dataset until the replacement commits; writers
// of configurations wait for it.
//
// Imported configurations get version 1 (or the next number of a name
// used before) with author "import", the note "imported with dataset
// <name>" and record.ImportedAt as their time. A zero record.ImportedAt
// means now. The big tables are written with COPY.
func (s *Store) ReplaceDataset(ctx context.Context, d *dataset.Dataset, configs []*configuration.Configuration, record store.ImportRecord) error {
	if err := store.CheckReplace(d, configs, &record); err != nil {
		return fmt.Errorf("pgstore: replace dataset: %w", err)
	}
	meta := store.VersionMeta{Author: "import", Note: "imported with dataset " + d.Name, At: record.ImportedAt}
	err := s.write(ctx, func(tx pgx.Tx) error {
		// The upsert locks the dataset row first: configuration writers
		// (which share-lock it) finish before, and wait until commit.
		if _, err := tx.Exec(ctx, `INSERT INTO dataset (id, name, city_code, city_name) VALUES (1, $1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET name = excluded.name, city_code = excluded.city_code, city_name = excluded.city_name`,
			d.Name, d.City.Code, d.City.Name); err != nil {
			return fmt.Errorf("write dataset: %w", err)
		}
		if err := clearDataset(ctx, tx); err != nil {
			return err
		}
		for _, t := range datasetTables(d) {
			if err := copyTable(ctx, tx, t); err != nil {
				return fmt.Errorf("insert %s: %w", t.name, err)
			}
		}
		for _, c := range configs {
			last, latest, err := lockName(ctx, tx, c.Name)
			if err != nil {
				return fmt.Errorf("configuration %q: %w", c.Name, err)
			}
			if err := insertVersion(ctx, tx, c, meta, max(last, latest)+1); err != nil {
				return fmt.Errorf("configuration %q: %w", c.Name, err)
			}
		}
		if err := insertImport(ctx, tx, record); err != nil {
			return err
		}
		// Fresh statistics for the planner and for Dataset's slice sizes.
		if _, err := tx.Exec(ctx, `ANALYZE `+analysedTables); err != nil {
			return fmt.Errorf("analyse: %w", err)
		}
		return notify(ctx, tx, "", 0)
	})
	if err != nil {
		return fmt.Errorf("pgstore: replace dataset %q: %w", d.Name, err)
	}
	return nil
}

// clearedTables are deleted by ReplaceDataset, children first (the dataset
// row itself is overwritten, never deleted, so that it stays locked).
var clearedTables = []string{
	"configuration_versions", "configurations", // with configuration_teams, by cascade
	"practice_groups", "indicator_values", "indicators",
	"catchments", "hospital_sites", "trusts", "registrations", "list_sizes", "practices",
	"lsoa_deprivation", "lsoas", "msoas", "wards", "districts",
	"sources", "commissioners",
}

// analysedTables are the tables ReplaceDataset fills.
const analysedTables = `commissioners, sources, districts, wards, msoas, lsoas, lsoa_deprivation, practices,
	list_sizes, registrations, trusts, hospital_sites, catchments, indicators, indicator_values, practice_groups,
	configurations, configuration_versions, configuration_teams`

// clearDataset deletes the dataset's records and its configurations.
// DELETE rather than TRUNCATE: readers keep their snapshot of the old rows.
func clearDataset(ctx context.Context, tx pgx.Tx) error {
	for _, table := range clearedTables {
		if _, err := tx.Exec(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// tableRows is one table's rows to copy: row(i, values) fills values (one
// per column) for row i of n.
type tableRows struct {
	name    string
	columns []string
	n       int
	row     func(i int, v []any) error
}

// checkEvery is how many rows a COPY writes between checks of ctx.
const checkEvery = 4096

// copyTable writes t's rows with COPY (binary).
func copyTable(ctx context.Context, tx pgx.Tx, t tableRows) error {
	if t.n == 0 {
		return nil
	}
	src := &copySource{ctx: ctx, table: t, values: make([]any, len(t.columns))}
	n, err := tx.CopyFrom(ctx, pgx.Identifier{schema, t.name}, t.columns, src)
	if err != nil {
		return err
	}
	if n != int64(t.n) {
		return fmt.Errorf("copied %d rows of %d", n, t.n)
	}
	return nil
}

// copySource feeds one table's rows to CopyFrom, reusing one value slice
// (pgx encodes each row before it asks for the next).
type copySource struct {
	ctx    context.Context
	table  tableRows
	i      int
	values []any
	err    error
}

func (c *copySource) Next() bool {
	if c.err != nil || c.i >= c.table.n {
		return false
	}
	if c.i%checkEvery == 0 {
		if c.err = c.ctx.Err(); c.err != nil {
			return false
		}
	}
	if err := c.table.row(c.i, c.values); err != nil {
		c.err = fmt.Errorf("row %d: %w", c.i, err)
		return false
	}
	c.i++
	return true
}

func (c *copySource) Values() ([]any, error) { return c.values, nil }

func (c *copySource) Err() error { return c.err }

// datasetTables lists the tables of d in an order foreign keys accept
// (referenced tables first).
func datasetTables(d *dataset.Dataset) []tableRows {
	type lsoaIMD struct {
		lsoa string
		imd  dataset.Deprivation
	}
	var imds []lsoaIMD
	for _, l := range d.LSOAs {
		for _, x := range l.Deprivation {
			imds = append(imds, lsoaIMD{l.Code, x})
		}
	}
	area := func(code, name string, g any, source string, v []any) {
		v[1], v[2], v[3], v[4] = code, name, g, nullIfEmpty(source)
	}
	areaColumns := []string{"ord", "code", "name", "geometry", "source"}
	return []tableRows{
		{"commissioners", []string{"ord", "code"}, len(d.Commissioners), func(i int, v []any) error {
			v[0], v[1] = i, d.Commissioners[i]
			return nil
		}},
		{"sources", []string{"ord", "id", "role", "path", "format", "title", "attribution", "licence", "sha256", "records", "modelled"},
			len(d.Sources), func(i int, v []any) error {
				x := d.Sources[i]
				v[0], v[1], v[2], v[3], v[4], v[5] = i, x.ID, x.Role, x.Path, x.Format, x.Title
				v[6], v[7], v[8], v[9], v[10] = x.Attribution, x.Licence, x.SHA256, x.Records, x.Modelled
				return nil
			}},
		{"districts", areaColumns, len(d.Districts), func(i int, v []any) error {
			x := d.Districts[i]
			g, err := encodeGeometry(x.Geometry)
			v[0] = i
			area(x.Code, x.Name, g, x.Source, v)
			return err
		}},
		{"wards", areaColumns, len(d.Wards), func(i int, v []any) error {
			x := d.Wards[i]
			g, err := encodeGeometry(x.Geometry)
			v[0] = i
			area(x.Code, x.Name, g, x.Source, v)
			return err
		}},
		{"msoas", areaColumns, len(d.MSOAs), func(i int, v []any) error {
			x := d.MSOAs[i]
			g, err := encodeGeometry(x.Geometry)
			v[0] = i
			area(x.Code, x.Name, g, x.Source, v)
			return err
		}},
		{"lsoas", []string{"ord", "code", "name", "msoa_code", "district_code", "ward_code", "ward_method", "geometry",
			"population_year", "population_total", "population_age_0_15", "population_age_16_59", "population_age_60_plus",
			"population_working_age", "population_has_working_age", "population_source", "source"},
			len(d.LSOAs), func(i int, v []any) error {
				x := d.LSOAs[i]
				g, err := encodeGeometry(x.Geometry)
				p := x.Population
				v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = i, x.Code, x.Name, x.MSOACode, x.DistrictCode,
					nullIfEmpty(x.WardCode), string(x.WardMethod), g
				v[8], v[9], v[10], v[11], v[12] = p.Year, p.Total, p.Age0to15, p.Age16to59, p.Age60Plus
				v[13], v[14], v[15], v[16] = p.WorkingAge, p.HasWorkingAge, p.Source, nullIfEmpty(x.Source)
				return err
			}},
		{"lsoa_deprivation", []string{"ord", "lsoa_code", "edition", "score", "has_score", "imd_rank", "decile", "source"},
			len(imds), func(i int, v []any) error {
				x := imds[i].imd
				v[0], v[1], v[2], v[3] = i, imds[i].lsoa, x.Edition, encodeFloat(x.Score)
				v[4], v[5], v[6], v[7] = x.HasScore, x.Rank, x.Decile, x.Source
				return nil
			}},
		{"practices", []string{"ord", "code", "name", "postcode", "status", "opened", "closed", "commissioner",
			"lon", "lat", "location_method", "ward_code", "source"},
			len(d.Practices), func(i int, v []any) error {
				x := d.Practices[i]
				v[0], v[1], v[2], v[3], v[4] = i, x.Code, x.Name, x.Postcode, string(x.Status)
				v[5], v[6], v[7] = encodeTime(x.Opened), encodeTime(x.Closed), x.Commissioner
				v[8], v[9], v[10] = encodeFloat(x.Location.Lon()), encodeFloat(x.Location.Lat()), string(x.Located)
				v[11], v[12] = nullIfEmpty(x.WardCode), nullIfEmpty(x.Source)
				return nil
			}},
		{"list_sizes", []string{"ord", "practice_code", "date", "patients", "commissioner", "source"},
			len(d.ListSizes), func(i int, v []any) error {
				x := d.ListSizes[i]
				v[0], v[1], v[2], v[3], v[4], v[5] = i, x.PracticeCode, encodeTime(x.Date), x.Patients, x.Commissioner, nullIfEmpty(x.Source)
				return nil
			}},
		{"registrations", []string{"ord", "practice_code", "area_level", "area_code", "date", "patients", "source"},
			len(d.Registrations), func(i int, v []any) error {
				x := d.Registrations[i]
				v[0], v[1], v[2], v[3] = i, x.PracticeCode, string(x.AreaLevel), x.AreaCode
				v[4], v[5], v[6] = encodeTime(x.Date), x.Patients, nullIfEmpty(x.Source)
				return nil
			}},
		{"trusts", []string{"ord", "code", "name", "hq_lon", "hq_lat", "has_hq", "source"},
			len(d.Trusts), func(i int, v []any) error {
				x := d.Trusts[i]
				v[0], v[1], v[2], v[3] = i, x.Code, x.Name, encodeFloat(x.HQ.Lon())
				v[4], v[5], v[6] = encodeFloat(x.HQ.Lat()), x.HasHQ, nullIfEmpty(x.Source)
				return nil
			}},
		{"hospital_sites", []string{"ord", "name", "lon", "lat", "trust_code", "source"},
			len(d.HospitalSites), func(i int, v []any) error {
				x := d.HospitalSites[i]
				v[0], v[1], v[2], v[3] = i, x.Name, encodeFloat(x.Location.Lon()), encodeFloat(x.Location.Lat())
				v[4], v[5] = x.TrustCode, nullIfEmpty(x.Source)
				return nil
			}},
		{"catchments", []string{"ord", "msoa_code", "trust_code", "year", "proportion", "source"},
			len(d.Catchments), func(i int, v []any) error {
				x := d.Catchments[i]
				v[0], v[1], v[2], v[3], v[4], v[5] = i, x.MSOACode, x.TrustCode, x.Year, x.Proportion, nullIfEmpty(x.Source)
				return nil
			}},
		{"indicators", []string{"ord", "id", "name", "domain", "unit", "polarity", "level", "period",
			"characteristic", "group_name", "breakdown_of", "measure", "suppressed_below", "source"},
			len(d.Indicators), func(i int, v []any) error {
				x := d.Indicators[i]
				v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = i, x.ID, x.Name, x.Domain, x.Unit, x.Polarity, x.Level, x.Period
				v[8], v[9], v[10], v[11], v[12], v[13] = x.Characteristic, x.Group, x.BreakdownOf, x.Measure, x.SuppressedBelow, nullIfEmpty(x.Source)
				return nil
			}},
		{"indicator_values", []string{"ord", "indicator", "area_code", "numerator", "denominator", "known"},
			len(d.IndicatorValues), func(i int, v []any) error {
				x := d.IndicatorValues[i]
				v[0], v[1], v[2], v[3], v[4], v[5] = i, x.Indicator, x.AreaCode, x.Numerator, x.Denominator, x.Known
				return nil
			}},
		{"practice_groups", []string{"ord", "practice_code", "kind", "code", "name", "source"},
			len(d.PracticeGroups), func(i int, v []any) error {
				x := d.PracticeGroups[i]
				v[0], v[1], v[2], v[3], v[4], v[5] = i, x.PracticeCode, x.Kind, x.Code, x.Name, nullIfEmpty(x.Source)
				return nil
			}},
	}
}
