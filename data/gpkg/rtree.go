package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/paulmach/orb"
)

// The R-tree spatial index extension (OGC 12-128r18 Annex F.3,
// "gpkg_rtree_index"): per feature table a virtual table
// rtree_<table>_<column> (SQLite's R*Tree module) holding each non-empty
// geometry's envelope under its feature id, the triggers that keep it in
// step with later edits, and a gpkg_extensions row.
const (
	rtreeExtension  = "gpkg_rtree_index"
	rtreeDefinition = "http://www.geopackage.org/spec120/#extension_rtree"
	rtreeScope      = "write-only"
)

// extensionsTable is gpkg_extensions (OGC 12-128r18 §2.5.2.1.1).
const extensionsTable = `CREATE TABLE gpkg_extensions (
		table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
		definition TEXT NOT NULL, scope TEXT NOT NULL,
		CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))`

// RTreeTable is the name of the spatial index of table's geometry column.
func RTreeTable(table, column string) string { return "rtree_" + table + "_" + column }

// envelope is one indexed feature: its id and bounds.
type envelope struct {
	fid   int64
	bound orb.Bound
}

// rtreeTriggers keep the index in step with inserts, updates and deletes
// made later (by QGIS or GDAL, which provide the ST_ functions they call;
// SQLite alone does not, which is why the index is filled before they
// exist). They are the spec's, with <t>, <c> and <i> standing for the
// table, the geometry column and the primary key: the GeoPackage 1.3 set
// (with 1.2.1's corrected update3), as the file declares version 1.3.0.
// 1.4 later split update1 into update6 and update7 and renamed update3 to
// update5; GDAL before 3.8 checks for the 1.3 names.
var rtreeTriggers = []string{
	`CREATE TRIGGER rtree_<t>_<c>_insert AFTER INSERT ON <t>
  WHEN (new.<c> NOT NULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  INSERT OR REPLACE INTO rtree_<t>_<c> VALUES (
    NEW.<i>,
    ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>),
    ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)
  );
END`,
	`CREATE TRIGGER rtree_<t>_<c>_update1 AFTER UPDATE OF <c> ON <t>
  WHEN OLD.<i> = NEW.<i> AND
       (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  INSERT OR REPLACE INTO rtree_<t>_<c> VALUES (
    NEW.<i>,
    ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>),
    ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)
  );
END`,
	`CREATE TRIGGER rtree_<t>_<c>_update2 AFTER UPDATE OF <c> ON <t>
  WHEN OLD.<i> = NEW.<i> AND
       (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM rtree_<t>_<c> WHERE id = OLD.<i>;
END`,
	`CREATE TRIGGER rtree_<t>_<c>_update3 AFTER UPDATE ON <t>
  WHEN OLD.<i> != NEW.<i> AND
       (NEW.<c> NOTNULL AND NOT ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM rtree_<t>_<c> WHERE id = OLD.<i>;
  INSERT OR REPLACE INTO rtree_<t>_<c> VALUES (
    NEW.<i>,
    ST_MinX(NEW.<c>), ST_MaxX(NEW.<c>),
    ST_MinY(NEW.<c>), ST_MaxY(NEW.<c>)
  );
END`,
	`CREATE TRIGGER rtree_<t>_<c>_update4 AFTER UPDATE ON <t>
  WHEN OLD.<i> != NEW.<i> AND
       (NEW.<c> ISNULL OR ST_IsEmpty(NEW.<c>))
BEGIN
  DELETE FROM rtree_<t>_<c> WHERE id IN (OLD.<i>, NEW.<i>);
END`,
	`CREATE TRIGGER rtree_<t>_<c>_delete AFTER DELETE ON <t>
  WHEN old.<c> NOT NULL
BEGIN
  DELETE FROM rtree_<t>_<c> WHERE id = OLD.<i>;
END`,
}

// writeRTree indexes table's geometry column by the features' envelopes.
// Table and column names are validName's, so they need no quoting inside
// the triggers (the spec's templates quote nothing).
func writeRTree(ctx context.Context, tx *sql.Tx, table, column, pk string, envelopes []envelope) error {
	rtree := RTreeTable(table, column)
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE VIRTUAL TABLE %s USING rtree(id, minx, maxx, miny, maxy)", quote(rtree))); err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s VALUES (?, ?, ?, ?, ?)", quote(rtree)))
	if err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	defer insert.Close()
	for _, e := range envelopes {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := insert.ExecContext(ctx, e.fid, e.bound.Min[0], e.bound.Max[0], e.bound.Min[1], e.bound.Max[1]); err != nil {
			return fmt.Errorf("spatial index: feature %d: %w", e.fid, err)
		}
	}
	fill := strings.NewReplacer("<t>", table, "<c>", column, "<i>", pk)
	for _, t := range rtreeTriggers {
		if _, err := tx.ExecContext(ctx, fill.Replace(t)); err != nil {
			return fmt.Errorf("spatial index trigger: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_extensions VALUES (?, ?, ?, ?, ?)`,
		table, column, rtreeExtension, rtreeDefinition, rtreeScope); err != nil {
		return fmt.Errorf("spatial index: %w", err)
	}
	return nil
}
