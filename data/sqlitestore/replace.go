package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/placeteam/placeteam/data/store"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// ReplaceDataset stores d, with configs as the first version of each of its
// configurations, in place of whatever the store held, and appends record
// to the import history. d must pass Validate and every configuration must
// pass Validate against d's wards; otherwise, or on any other failure,
// nothing is written and the previous content is untouched. Configurations
// of the previous dataset are deleted with it; the import history is kept.
//
// Imported configurations get version 1 with author "import", the note
// "imported with dataset <name>" and record.ImportedAt as their time. A zero
// record.ImportedAt means now.
func (s *Store) ReplaceDataset(ctx context.Context, d *dataset.Dataset, configs []*configuration.Configuration, record store.ImportRecord) error {
	if err := store.CheckReplace(d, configs, &record); err != nil {
		return fmt.Errorf("sqlitestore: replace dataset: %w", err)
	}
	meta := store.VersionMeta{Author: "import", Note: "imported with dataset " + d.Name, At: record.ImportedAt}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := clearDataset(ctx, tx); err != nil {
			return err
		}
		if err := insertDataset(ctx, tx, d); err != nil {
			return err
		}
		for _, c := range configs {
			if _, err := insertVersion(ctx, tx, c, meta); err != nil {
				return fmt.Errorf("configuration %q: %w", c.Name, err)
			}
		}
		return insertImport(ctx, tx, record)
	})
	if err != nil {
		return fmt.Errorf("sqlitestore: replace dataset %q: %w", d.Name, err)
	}
	return nil
}

// clearDataset deletes the dataset and its configurations, children first.
func clearDataset(ctx context.Context, tx *sql.Tx) error {
	for _, table := range []string{
		"configuration_versions", "configurations",
		"practice_groups", "indicator_values", "indicators",
		"catchments", "hospital_sites", "trusts", "registrations", "list_sizes", "practices",
		"lsoa_deprivation", "lsoas", "msoas", "wards", "districts",
		"sources", "commissioners", "dataset",
	} {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
			return fmt.Errorf("clear %s: %w", table, err)
		}
	}
	return nil
}

// insertDataset writes every table of d (already validated).
func insertDataset(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO dataset (id, name, city_code, city_name) VALUES (1, ?, ?, ?)`,
		d.Name, d.City.Code, d.City.Name); err != nil {
		return fmt.Errorf("insert dataset: %w", err)
	}
	for _, t := range datasetTables(d) {
		if err := insertRows(ctx, tx, t.query, t.n, t.row); err != nil {
			return fmt.Errorf("insert %s: %w", t.name, err)
		}
	}
	return nil
}

// tableRows is one table's rows to insert: row(i) gives the query's
// arguments for row i of n.
type tableRows struct {
	name  string
	query string
	n     int
	row   func(i int) ([]any, error)
}

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
	return []tableRows{
		{"commissioners", `INSERT INTO commissioners (ord, code) VALUES (?, ?)`, len(d.Commissioners),
			func(i int) ([]any, error) { return []any{i, d.Commissioners[i]}, nil }},
		{"sources", `INSERT INTO sources (ord, id, role, path, format, title, attribution, licence, sha256, records, modelled)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(d.Sources),
			func(i int) ([]any, error) {
				x := d.Sources[i]
				return []any{i, x.ID, x.Role, x.Path, x.Format, x.Title, x.Attribution, x.Licence, x.SHA256, x.Records, x.Modelled}, nil
			}},
		{"districts", `INSERT INTO districts (ord, code, name, geometry, source) VALUES (?, ?, ?, ?, ?)`, len(d.Districts),
			func(i int) ([]any, error) {
				x := d.Districts[i]
				g, err := encodeGeometry(x.Geometry)
				return []any{i, x.Code, x.Name, g, nullIfEmpty(x.Source)}, err
			}},
		{"wards", `INSERT INTO wards (ord, code, name, geometry, source) VALUES (?, ?, ?, ?, ?)`, len(d.Wards),
			func(i int) ([]any, error) {
				x := d.Wards[i]
				g, err := encodeGeometry(x.Geometry)
				return []any{i, x.Code, x.Name, g, nullIfEmpty(x.Source)}, err
			}},
		{"msoas", `INSERT INTO msoas (ord, code, name, geometry, source) VALUES (?, ?, ?, ?, ?)`, len(d.MSOAs),
			func(i int) ([]any, error) {
				x := d.MSOAs[i]
				g, err := encodeGeometry(x.Geometry)
				return []any{i, x.Code, x.Name, g, nullIfEmpty(x.Source)}, err
			}},
		{"lsoas", `INSERT INTO lsoas (ord, code, name, msoa_code, district_code, ward_code, ward_method, geometry,
			population_year, population_total, population_age_0_15, population_age_16_59, population_age_60_plus,
			population_working_age, population_has_working_age, population_source, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(d.LSOAs),
			func(i int) ([]any, error) {
				x := d.LSOAs[i]
				g, err := encodeGeometry(x.Geometry)
				p := x.Population
				return []any{i, x.Code, x.Name, x.MSOACode, x.DistrictCode, nullIfEmpty(x.WardCode), string(x.WardMethod), g,
					p.Year, p.Total, p.Age0to15, p.Age16to59, p.Age60Plus, p.WorkingAge, p.HasWorkingAge, p.Source, nullIfEmpty(x.Source)}, err
			}},
		{"lsoa_deprivation", `INSERT INTO lsoa_deprivation (ord, lsoa_code, edition, score, has_score, imd_rank, decile, source)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, len(imds),
			func(i int) ([]any, error) {
				x := imds[i].imd
				return []any{i, imds[i].lsoa, x.Edition, encodeFloat(x.Score), x.HasScore, x.Rank, x.Decile, x.Source}, nil
			}},
		{"practices", `INSERT INTO practices (ord, code, name, postcode, status, opened, closed, commissioner,
			lon, lat, location_method, ward_code, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(d.Practices),
			func(i int) ([]any, error) {
				x := d.Practices[i]
				opened, err := encodeTime(x.Opened)
				if err != nil {
					return nil, fmt.Errorf("practice %s opened: %w", x.Code, err)
				}
				closed, err := encodeTime(x.Closed)
				if err != nil {
					return nil, fmt.Errorf("practice %s closed: %w", x.Code, err)
				}
				return []any{i, x.Code, x.Name, x.Postcode, string(x.Status), opened, closed, x.Commissioner,
					encodeFloat(x.Location.Lon()), encodeFloat(x.Location.Lat()), string(x.Located),
					nullIfEmpty(x.WardCode), nullIfEmpty(x.Source)}, nil
			}},
		{"list_sizes", `INSERT INTO list_sizes (ord, practice_code, date, patients, commissioner, source)
			VALUES (?, ?, ?, ?, ?, ?)`, len(d.ListSizes),
			func(i int) ([]any, error) {
				x := d.ListSizes[i]
				date, err := encodeTime(x.Date)
				return []any{i, x.PracticeCode, date, x.Patients, x.Commissioner, nullIfEmpty(x.Source)}, err
			}},
		{"registrations", `INSERT INTO registrations (ord, practice_code, area_level, area_code, date, patients, source)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, len(d.Registrations),
			func(i int) ([]any, error) {
				x := d.Registrations[i]
				date, err := encodeTime(x.Date)
				return []any{i, x.PracticeCode, string(x.AreaLevel), x.AreaCode, date, x.Patients, nullIfEmpty(x.Source)}, err
			}},
		{"trusts", `INSERT INTO trusts (ord, code, name, hq_lon, hq_lat, has_hq, source) VALUES (?, ?, ?, ?, ?, ?, ?)`, len(d.Trusts),
			func(i int) ([]any, error) {
				x := d.Trusts[i]
				return []any{i, x.Code, x.Name, encodeFloat(x.HQ.Lon()), encodeFloat(x.HQ.Lat()), x.HasHQ, nullIfEmpty(x.Source)}, nil
			}},
		{"hospital_sites", `INSERT INTO hospital_sites (ord, name, lon, lat, trust_code, source) VALUES (?, ?, ?, ?, ?, ?)`, len(d.HospitalSites),
			func(i int) ([]any, error) {
				x := d.HospitalSites[i]
				return []any{i, x.Name, encodeFloat(x.Location.Lon()), encodeFloat(x.Location.Lat()), x.TrustCode, nullIfEmpty(x.Source)}, nil
			}},
		{"catchments", `INSERT INTO catchments (ord, msoa_code, trust_code, year, proportion, source) VALUES (?, ?, ?, ?, ?, ?)`, len(d.Catchments),
			func(i int) ([]any, error) {
				x := d.Catchments[i]
				return []any{i, x.MSOACode, x.TrustCode, x.Year, x.Proportion, nullIfEmpty(x.Source)}, nil
			}},
		{"indicators", `INSERT INTO indicators (ord, id, name, domain, unit, polarity, level, period,
			characteristic, group_name, breakdown_of, measure, suppressed_below, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, len(d.Indicators),
			func(i int) ([]any, error) {
				x := d.Indicators[i]
				return []any{i, x.ID, x.Name, x.Domain, x.Unit, x.Polarity, x.Level, x.Period,
					x.Characteristic, x.Group, x.BreakdownOf, x.Measure, x.SuppressedBelow, nullIfEmpty(x.Source)}, nil
			}},
		{"indicator_values", `INSERT INTO indicator_values (ord, indicator, area_code, numerator, denominator, known) VALUES (?, ?, ?, ?, ?, ?)`, len(d.IndicatorValues),
			func(i int) ([]any, error) {
				x := d.IndicatorValues[i]
				return []any{i, x.Indicator, x.AreaCode, x.Numerator, x.Denominator, x.Known}, nil
			}},
		{"practice_groups", `INSERT INTO practice_groups (ord, practice_code, kind, code, name, source) VALUES (?, ?, ?, ?, ?, ?)`, len(d.PracticeGroups),
			func(i int) ([]any, error) {
				x := d.PracticeGroups[i]
				return []any{i, x.PracticeCode, x.Kind, x.Code, x.Name, nullIfEmpty(x.Source)}, nil
			}},
	}
}

// checkEvery is how many rows a bulk insert writes between checks of ctx.
const checkEvery = 256

// insertRows runs the prepared query once per row 0…n-1 with row(i) as its
// arguments. Each row runs under a context that cannot be cancelled (the
// driver would otherwise start a watcher per statement); ctx itself is
// checked every checkEvery rows, and the transaction watches it too.
func insertRows(ctx context.Context, tx *sql.Tx, query string, n int, row func(i int) ([]any, error)) error {
	if n == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, query)
	if err != nil {
		return err
	}
	defer stmt.Close()
	rowCtx := context.WithoutCancel(ctx)
	for i := 0; i < n; i++ {
		if i%checkEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		args, err := row(i)
		if err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
		if _, err := stmt.ExecContext(rowCtx, args...); err != nil {
			return fmt.Errorf("row %d: %w", i, err)
		}
	}
	return nil
}
