package sqlitestore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
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
	if d == nil {
		return fmt.Errorf("sqlitestore: replace dataset: %w", store.CheckReplace(d, configs, &record))
	}
	// The checks need no database and take about a second at England
	// scale, so they run on another core while the transaction fills. The
	// transaction goes on to the configurations, the import record and
	// commit only once they passed, and their error wins over any other:
	// a refused dataset still leaves nothing written.
	checked := make(chan error, 1)
	go func() { checked <- store.CheckReplace(d, configs, &record) }()
	check := sync.OnceValue(func() error { return <-checked })
	tables := datasetTables(d)
	err := s.write(ctx, func(tx *sql.Tx) error {
		indexes, err := dropIndexes(ctx, tx, tables)
		if err != nil {
			return err
		}
		if err := clearDataset(ctx, tx); err != nil {
			return err
		}
		if err := insertDataset(ctx, tx, d, tables); err != nil {
			return err
		}
		if err := createIndexes(ctx, tx, indexes); err != nil {
			return err
		}
		if err := check(); err != nil {
			return err
		}
		meta := store.VersionMeta{Author: "import", Note: "imported with dataset " + d.Name, At: record.ImportedAt}
		for _, c := range configs {
			if _, err := insertVersion(ctx, tx, c, meta); err != nil {
				return fmt.Errorf("configuration %q: %w", c.Name, err)
			}
		}
		return insertImport(ctx, tx, record)
	})
	if err := check(); err != nil {
		return fmt.Errorf("sqlitestore: replace dataset: %w", err)
	}
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

// index is a secondary index as the schema defines it.
type index struct {
	name, sql string
}

// dropIndexes drops the secondary indexes of tables and returns them for
// createIndexes. Filling a table and then indexing it (one sort per index)
// is much faster than keeping its indexes up to date row by row, whose
// random inserts touch pages all over the file. The definitions come from
// the schema itself, so the migrations stay their only source. Indexes
// that back a UNIQUE or PRIMARY KEY constraint have no SQL of their own
// and stay.
func dropIndexes(ctx context.Context, tx *sql.Tx, tables []tableRows) ([]index, error) {
	written := make(map[string]bool, len(tables))
	for _, t := range tables {
		written[t.name] = true
	}
	var indexes []index
	err := each(ctx, tx, `SELECT name, tbl_name, sql FROM sqlite_schema
		WHERE type = 'index' AND sql IS NOT NULL ORDER BY name`, func(r *sql.Rows) error {
		var x index
		var table string
		if err := r.Scan(&x.name, &table, &x.sql); err != nil {
			return err
		}
		if written[table] {
			indexes = append(indexes, x)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	for _, x := range indexes {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(x.name, `"`, `""`)+`"`); err != nil {
			return nil, fmt.Errorf("drop index %s: %w", x.name, err)
		}
	}
	return indexes, nil
}

// createIndexes creates again the indexes dropIndexes dropped.
func createIndexes(ctx context.Context, tx *sql.Tx, indexes []index) error {
	for _, x := range indexes {
		if _, err := tx.ExecContext(ctx, x.sql); err != nil {
			return fmt.Errorf("create index %s: %w", x.name, err)
		}
	}
	return nil
}

// insertDataset writes every table of d; tables are datasetTables(d). d's
// checks may still be running: nothing here needs them to have passed.
func insertDataset(ctx context.Context, tx *sql.Tx, d *dataset.Dataset, tables []tableRows) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO dataset (id, name, city_code, city_name) VALUES (1, ?, ?, ?)`,
		d.Name, d.City.Code, d.City.Name); err != nil {
		return fmt.Errorf("insert dataset: %w", err)
	}
	for _, t := range tables {
		if err := insertRows(ctx, tx, t); err != nil {
			return fmt.Errorf("insert %s: %w", t.name, err)
		}
	}
	return nil
}

// tableRows is one table's rows to insert: row appends the values of row
// i, one per column in the order of columns, to args. Every table also
// has ord, the row's index, which insertRows writes.
type tableRows struct {
	name    string
	columns []string
	n       int
	row     func(args []any, i int) ([]any, error)
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
	var listSizeDates, registrationDates timeEncoder
	return []tableRows{
		{"commissioners", []string{"code"}, len(d.Commissioners),
			func(args []any, i int) ([]any, error) { return append(args, d.Commissioners[i]), nil }},
		{"sources", []string{"id", "role", "path", "format", "title", "attribution", "licence", "sha256", "records", "modelled"}, len(d.Sources),
			func(args []any, i int) ([]any, error) {
				x := d.Sources[i]
				return append(args, x.ID, x.Role, x.Path, x.Format, x.Title, x.Attribution, x.Licence, x.SHA256, x.Records, x.Modelled), nil
			}},
		{"districts", areaColumns, len(d.Districts),
			func(args []any, i int) ([]any, error) {
				x := d.Districts[i]
				return appendArea(args, x.Code, x.Name, x.Geometry, x.Source)
			}},
		{"wards", areaColumns, len(d.Wards),
			func(args []any, i int) ([]any, error) {
				x := d.Wards[i]
				return appendArea(args, x.Code, x.Name, x.Geometry, x.Source)
			}},
		{"msoas", areaColumns, len(d.MSOAs),
			func(args []any, i int) ([]any, error) {
				x := d.MSOAs[i]
				return appendArea(args, x.Code, x.Name, x.Geometry, x.Source)
			}},
		{"lsoas", []string{"code", "name", "msoa_code", "district_code", "ward_code", "ward_method", "geometry",
			"population_year", "population_total", "population_age_0_15", "population_age_16_59", "population_age_60_plus",
			"population_working_age", "population_has_working_age", "population_source", "source"}, len(d.LSOAs),
			func(args []any, i int) ([]any, error) {
				x := d.LSOAs[i]
				g, err := encodeGeometry(x.Geometry)
				p := x.Population
				return append(args, x.Code, x.Name, x.MSOACode, x.DistrictCode, nullIfEmpty(x.WardCode), string(x.WardMethod), g,
					p.Year, p.Total, p.Age0to15, p.Age16to59, p.Age60Plus, p.WorkingAge, p.HasWorkingAge, p.Source, nullIfEmpty(x.Source)), err
			}},
		{"lsoa_deprivation", []string{"lsoa_code", "edition", "score", "has_score", "imd_rank", "decile", "source"}, len(imds),
			func(args []any, i int) ([]any, error) {
				x := imds[i].imd
				return append(args, imds[i].lsoa, x.Edition, encodeFloat(x.Score), x.HasScore, x.Rank, x.Decile, x.Source), nil
			}},
		{"practices", []string{"code", "name", "postcode", "status", "opened", "closed", "commissioner",
			"lon", "lat", "location_method", "ward_code", "source"}, len(d.Practices),
			func(args []any, i int) ([]any, error) {
				x := d.Practices[i]
				opened, err := encodeTime(x.Opened)
				if err != nil {
					return nil, fmt.Errorf("practice %s opened: %w", x.Code, err)
				}
				closed, err := encodeTime(x.Closed)
				if err != nil {
					return nil, fmt.Errorf("practice %s closed: %w", x.Code, err)
				}
				return append(args, x.Code, x.Name, x.Postcode, string(x.Status), opened, closed, x.Commissioner,
					encodeFloat(x.Location.Lon()), encodeFloat(x.Location.Lat()), string(x.Located),
					nullIfEmpty(x.WardCode), nullIfEmpty(x.Source)), nil
			}},
		{"list_sizes", []string{"practice_code", "date", "patients", "commissioner", "source"}, len(d.ListSizes),
			func(args []any, i int) ([]any, error) {
				x := d.ListSizes[i]
				date, err := listSizeDates.encode(x.Date)
				return append(args, x.PracticeCode, date, x.Patients, x.Commissioner, nullIfEmpty(x.Source)), err
			}},
		{"registrations", []string{"practice_code", "area_level", "area_code", "date", "patients", "source"}, len(d.Registrations),
			func(args []any, i int) ([]any, error) {
				x := d.Registrations[i]
				date, err := registrationDates.encode(x.Date)
				return append(args, x.PracticeCode, string(x.AreaLevel), x.AreaCode, date, x.Patients, nullIfEmpty(x.Source)), err
			}},
		{"trusts", []string{"code", "name", "hq_lon", "hq_lat", "has_hq", "source"}, len(d.Trusts),
			func(args []any, i int) ([]any, error) {
				x := d.Trusts[i]
				return append(args, x.Code, x.Name, encodeFloat(x.HQ.Lon()), encodeFloat(x.HQ.Lat()), x.HasHQ, nullIfEmpty(x.Source)), nil
			}},
		{"hospital_sites", []string{"name", "lon", "lat", "trust_code", "source"}, len(d.HospitalSites),
			func(args []any, i int) ([]any, error) {
				x := d.HospitalSites[i]
				return append(args, x.Name, encodeFloat(x.Location.Lon()), encodeFloat(x.Location.Lat()), x.TrustCode, nullIfEmpty(x.Source)), nil
			}},
		{"catchments", []string{"msoa_code", "trust_code", "year", "proportion", "source"}, len(d.Catchments),
			func(args []any, i int) ([]any, error) {
				x := d.Catchments[i]
				return append(args, x.MSOACode, x.TrustCode, x.Year, x.Proportion, nullIfEmpty(x.Source)), nil
			}},
		{"indicators", []string{"id", "name", "domain", "unit", "polarity", "level", "period",
			"characteristic", "group_name", "breakdown_of", "measure", "suppressed_below", "source"}, len(d.Indicators),
			func(args []any, i int) ([]any, error) {
				x := d.Indicators[i]
				return append(args, x.ID, x.Name, x.Domain, x.Unit, x.Polarity, x.Level, x.Period,
					x.Characteristic, x.Group, x.BreakdownOf, x.Measure, x.SuppressedBelow, nullIfEmpty(x.Source)), nil
			}},
		{"indicator_values", []string{"indicator", "area_code", "numerator", "denominator", "known"}, len(d.IndicatorValues),
			func(args []any, i int) ([]any, error) {
				x := d.IndicatorValues[i]
				return append(args, x.Indicator, x.AreaCode, x.Numerator, x.Denominator, x.Known), nil
			}},
		{"practice_groups", []string{"practice_code", "kind", "code", "name", "source"}, len(d.PracticeGroups),
			func(args []any, i int) ([]any, error) {
				x := d.PracticeGroups[i]
				return append(args, x.PracticeCode, x.Kind, x.Code, x.Name, nullIfEmpty(x.Source)), nil
			}},
	}
}

// areaColumns are the columns districts, wards and MSOAs share.
var areaColumns = []string{"code", "name", "geometry", "source"}

func appendArea(args []any, code, name string, geometry orb.MultiPolygon, source string) ([]any, error) {
	g, err := encodeGeometry(geometry)
	return append(args, code, name, g, nullIfEmpty(source)), err
}

// maxInsertParams bounds the parameters of one INSERT statement, well under
// SQLite's limit (SQLITE_MAX_VARIABLE_NUMBER, 32,766 since 3.32). Beyond a
// few hundred parameters a longer statement gains nothing.
const maxInsertParams = 4096

// insertRows writes rows 0…n-1 of t into its table, which must be empty,
// each with ord = its index.
//
// Only row 0 names its ord. Every later row leaves it out and so takes the
// next rowid, one more than the largest (SQLite's documented choice for a
// table without AUTOINCREMENT): its index again, without the uniqueness
// seek that naming it costs per row. The largest ord is checked at the end.
//
// The rows go as many to an INSERT statement as maxInsertParams allows: one
// statement per row spends most of its time in database/sql and the driver
// rather than in SQLite. Statements run under a context that cannot be
// cancelled (the driver would otherwise start a watcher per statement);
// ctx itself is checked between statements, and the transaction watches it
// too.
func insertRows(ctx context.Context, tx *sql.Tx, t tableRows) error {
	if t.n == 0 {
		return nil
	}
	width := len(t.columns)
	perInsert := max(1, maxInsertParams/width)
	execCtx := context.WithoutCancel(ctx)
	args := make([]any, 0, min(perInsert, t.n)*width)
	// bind sets args to the values of rows first…last-1.
	bind := func(first, last int) error {
		args = args[:0]
		for i := first; i < last; i++ {
			var err error
			if args, err = t.row(args, i); err != nil {
				return fmt.Errorf("row %d: %w", i, err)
			}
			if len(args) != (i-first+1)*width {
				return fmt.Errorf("row %d: %d values for %d columns", i, len(args)-(i-first)*width, width)
			}
		}
		return nil
	}

	if err := bind(0, 1); err != nil {
		return err
	}
	withOrd := "INSERT INTO " + t.name + " (ord, " + strings.Join(t.columns, ", ") + ") VALUES (0" + strings.Repeat(", ?", width) + ")"
	if _, err := tx.ExecContext(execCtx, withOrd, args...); err != nil {
		return fmt.Errorf("row 0: %w", err)
	}

	var stmt *sql.Stmt // inserts stmtRows rows
	stmtRows := 0
	defer func() {
		if stmt != nil {
			stmt.Close()
		}
	}()
	for first := 1; first < t.n; first += perInsert {
		if err := ctx.Err(); err != nil {
			return err
		}
		last := min(first+perInsert, t.n)
		if err := bind(first, last); err != nil {
			return err
		}
		if last-first != stmtRows { // the first statement, or a shorter last one
			if stmt != nil {
				stmt.Close()
			}
			var err error
			if stmt, err = tx.PrepareContext(ctx, insertQuery(t.name, t.columns, last-first)); err != nil {
				stmt = nil
				return err
			}
			stmtRows = last - first
		}
		if _, err := stmt.ExecContext(execCtx, args...); err != nil {
			return fmt.Errorf("rows %d-%d: %w", first, last-1, err)
		}
	}

	var lastOrd int
	if err := tx.QueryRowContext(ctx, "SELECT max(ord) FROM "+t.name).Scan(&lastOrd); err != nil {
		return err
	}
	if lastOrd != t.n-1 {
		return fmt.Errorf("%d rows written up to ord %d: the table was not empty", t.n, lastOrd)
	}
	return nil
}

// insertQuery is INSERT INTO table (columns) VALUES (?, …), … with rows
// rows of placeholders.
func insertQuery(table string, columns []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES ")
	row := "(?" + strings.Repeat(", ?", len(columns)-1) + ")"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
