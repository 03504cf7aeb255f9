// Package gpkg writes OGC GeoPackage 1.3 files (SQLite): the spatial
// reference systems, contents and geometry-column tables, and one feature
// table per layer whose attribute columns are typed from the values
// (INTEGER, REAL, BOOLEAN or TEXT), each with an R-tree spatial index
// (the gpkg_rtree_index extension) and, when the layer has a Style, a
// default QGIS style in layer_styles. Geometries are encoded by geo/gpkg.
package gpkg

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite"

	geogpkg "github.com/placeteam/placeteam/geo/gpkg"
)

// Geometry type names a layer may declare.
const (
	Point        = "POINT"
	MultiPolygon = "MULTIPOLYGON"
)

// Layer is one feature table.
type Layer struct {
	// Name is the table name (letters, digits and underscores).
	Name        string
	Title       string
	Description string
	// GeometryType is Point or MultiPolygon; polygons are written as
	// one-part multipolygons so every feature of a layer has one type.
	GeometryType string
	// IDField, when set, is the property written as the first attribute
	// column.
	IDField string
	// Columns, when set, declares columns by property name and type
	// (INTEGER, REAL, BOOLEAN or TEXT): each is written even when no
	// feature has a value (all NULL: an unknown figure keeps its column),
	// and its type wins over the one the values suggest.
	Columns  map[string]string
	Features []Feature
	// Style, when set, is the layer's default style in QGIS.
	Style *Style
}

// Feature is one row: its geometry (lon/lat, EPSG:4326) and properties.
type Feature struct {
	Geometry   orb.Geometry
	Properties map[string]any
}

// Column is an attribute column and its GeoPackage type.
type Column struct {
	Name string // the column name in the table
	Key  string // the property it holds
	Type string // INTEGER, REAL, BOOLEAN or TEXT
}

// ErrLayer is wrapped for a layer that cannot be written.
var ErrLayer = errors.New("gpkg: bad layer")

// reserved are the feature table's own columns.
var reserved = []string{"fid", "geom"}

// Columns are l's attribute columns: IDField first, then the other
// properties in name order, each typed from its non-null values: INTEGER
// when all are integers, REAL when all are numbers, BOOLEAN when all are
// booleans, TEXT otherwise (values that are not strings are written as
// JSON). A property named like a table column (fid, geom) gets a "prop_"
// prefix.
func Columns(l Layer) []Column {
	kinds := map[string]map[string]bool{}
	for _, f := range l.Features {
		for k, v := range f.Properties {
			if kinds[k] == nil {
				kinds[k] = map[string]bool{}
			}
			if kind := kindOf(v); kind != "" {
				kinds[k][kind] = true
			}
		}
	}
	for k := range l.Columns {
		if kinds[k] == nil {
			kinds[k] = map[string]bool{}
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range kinds {
			if !yield(k) {
				return
			}
		}
	})
	if i := slices.Index(keys, l.IDField); i > 0 {
		keys = append([]string{l.IDField}, slices.Delete(keys, i, i+1)...)
	}
	cols := make([]Column, 0, len(keys))
	for _, k := range keys {
		name := k
		if slices.Contains(reserved, strings.ToLower(k)) {
			name = "prop_" + k
		}
		typ := columnType(kinds[k])
		if declared, ok := l.Columns[k]; ok {
			typ = declared
		}
		cols = append(cols, Column{Name: name, Key: k, Type: typ})
	}
	return cols
}

func kindOf(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return "bool"
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return "int"
	case float32:
		return "float"
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return ""
		}
		return "float"
	case string:
		return "string"
	}
	return "other"
}

func columnType(kinds map[string]bool) string {
	switch {
	case len(kinds) == 0:
		return "TEXT"
	case len(kinds) == 1 && kinds["bool"]:
		return "BOOLEAN"
	case len(kinds) == 1 && kinds["int"]:
		return "INTEGER"
	case len(kinds) <= 2 && (kinds["int"] || kinds["float"]) && !kinds["bool"] && !kinds["string"] && !kinds["other"]:
		return "REAL"
	}
	return "TEXT"
}

// cell is v as the column of type typ stores it.
func cell(v any, typ string) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, nil
		}
	case bool:
		if typ == "BOOLEAN" {
			if x {
				return 1, nil
			}
			return 0, nil
		}
	}
	if typ != "TEXT" {
		return v, nil
	}
	if s, ok := v.(string); ok {
		return s, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// Write writes layers as a new GeoPackage at path, replacing any file
// there only once the whole file is written.
func Write(ctx context.Context, path string, layers []Layer) (err error) {
	for _, l := range layers {
		if !validName(l.Name) || strings.EqualFold(l.Name, stylesTable) {
			return fmt.Errorf("%w: table name %q", ErrLayer, l.Name)
		}
		if l.GeometryType != Point && l.GeometryType != MultiPolygon {
			return fmt.Errorf("%w: %s: geometry type %q", ErrLayer, l.Name, l.GeometryType)
		}
		if l.Style != nil {
			if err := l.Style.check(l.GeometryType); err != nil {
				return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
			}
		}
		for k, typ := range l.Columns {
			if !slices.Contains([]string{"INTEGER", "REAL", "BOOLEAN", "TEXT"}, typ) {
				return fmt.Errorf("%w: %s: column %s type %q", ErrLayer, l.Name, k, typ)
			}
		}
	}
	tmp := path + ".tmp"
	_ = os.Remove(tmp)
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	db, err := sql.Open("sqlite", tmp)
	if err != nil {
		return fmt.Errorf("gpkg: open %s: %w", tmp, err)
	}
	defer func() {
		if cerr := db.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("gpkg: close %s: %w", tmp, cerr)
		}
	}()
	db.SetMaxOpenConns(1)
	if err := write(ctx, db, layers); err != nil {
		return err
	}
	if err := db.Close(); err != nil {
		return fmt.Errorf("gpkg: close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	return nil
}

func validName(s string) bool {
	if s == "" || strings.HasPrefix(strings.ToLower(s), "gpkg_") || strings.HasPrefix(strings.ToLower(s), "sqlite_") {
		return false
	}
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// quote is an SQL identifier in double quotes.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// schema are the GeoPackage's required tables (OGC 12-128r18 §1.1, §2.1).
var schema = []string{
	`PRAGMA application_id = 1196444487`, // "GPKG"
	`PRAGMA user_version = 10300`,        // GeoPackage 1.3.0
	`CREATE TABLE gpkg_spatial_ref_sys (
		srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
		organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)`,
	`CREATE TABLE gpkg_contents (
		table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
		description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
		min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
		CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))`,
	`CREATE TABLE gpkg_geometry_columns (
		table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
		srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
		CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
		CONSTRAINT uk_gc_table_name UNIQUE (table_name),
		CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
		CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))`,
	extensionsTable,
	`INSERT INTO gpkg_spatial_ref_sys VALUES
		('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
		('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
		('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')`,
}

func write(ctx context.Context, db *sql.DB, layers []Layer) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("gpkg: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, stmt := range schema {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("gpkg: schema: %w", err)
		}
	}
	now := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	for _, l := range layers {
		if err := writeLayer(ctx, tx, l, now); err != nil {
			return fmt.Errorf("gpkg: layer %s: %w", l.Name, err)
		}
	}
	if err := writeStyles(ctx, tx, layers, now); err != nil {
		return fmt.Errorf("gpkg: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("gpkg: commit: %w", err)
	}
	return nil
}

func writeLayer(ctx context.Context, tx *sql.Tx, l Layer, now string) error {
	cols := Columns(l)
	defs := []string{`"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL`, `"geom" ` + l.GeometryType}
	names := []string{`"geom"`}
	marks := []string{"?"}
	for _, c := range cols {
		defs = append(defs, quote(c.Name)+" "+c.Type)
		names = append(names, quote(c.Name))
		marks = append(marks, "?")
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("CREATE TABLE %s (%s)", quote(l.Name), strings.Join(defs, ", "))); err != nil {
		return err
	}
	insert, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", quote(l.Name), strings.Join(names, ", "), strings.Join(marks, ", ")))
	if err != nil {
		return err
	}
	defer insert.Close()
	var extent orb.Bound
	seen := false
	envelopes := make([]envelope, 0, len(l.Features))
	for i, f := range l.Features {
		if err := ctx.Err(); err != nil {
			return err
		}
		g, err := fit(f.Geometry, l.GeometryType)
		if err != nil {
			return fmt.Errorf("feature %d: %w", i+1, err)
		}
		var blob []byte
		indexed := g != nil && !isEmptyBound(g)
		if g != nil {
			if blob, err = geogpkg.Encode(g, geogpkg.SRSWGS84); err != nil {
				return fmt.Errorf("feature %d: %w", i+1, err)
			}
			if b := g.Bound(); indexed {
				if !seen {
					extent, seen = b, true
				} else {
					extent = extent.Union(b)
				}
			}
		}
		args := []any{blob}
		for _, c := range cols {
			v, err := cell(f.Properties[c.Key], c.Type)
			if err != nil {
				return fmt.Errorf("feature %d: %s: %w", i+1, c.Key, err)
			}
			args = append(args, v)
		}
		res, err := insert.ExecContext(ctx, args...)
		if err != nil {
			return fmt.Errorf("feature %d: %w", i+1, err)
		}
		if indexed {
			fid, err := res.LastInsertId()
			if err != nil {
				return fmt.Errorf("feature %d: %w", i+1, err)
			}
			envelopes = append(envelopes, envelope{fid: fid, bound: g.Bound()})
		}
	}
	var minX, minY, maxX, maxY any
	if seen {
		minX, minY, maxX, maxY = extent.Min[0], extent.Min[1], extent.Max[0], extent.Max[1]
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, min_x, min_y, max_x, max_y, srs_id)
		VALUES (?, 'features', ?, ?, ?, ?, ?, ?, ?, ?)`, l.Name, cmpOr(l.Title, l.Name), l.Description, now, minX, minY, maxX, maxY, geogpkg.SRSWGS84); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', ?, ?, 0, 0)`, l.Name, l.GeometryType, geogpkg.SRSWGS84); err != nil {
		return err
	}
	return writeRTree(ctx, tx, l.Name, "geom", "fid", envelopes)
}

// fit is g as a geometry of the layer's type: polygons become one-part
// multipolygons; anything else of the wrong type is an error.
func fit(g orb.Geometry, typ string) (orb.Geometry, error) {
	switch x := g.(type) {
	case nil:
		return nil, nil
	case orb.Point:
		if typ == Point {
			return x, nil
		}
	case orb.Polygon:
		if typ == MultiPolygon {
			return orb.MultiPolygon{x}, nil
		}
	case orb.MultiPolygon:
		if typ == MultiPolygon {
			return x, nil
		}
	}
	return nil, fmt.Errorf("%w: a %s in a %s layer", ErrLayer, g.GeoJSONType(), typ)
}

func isEmptyBound(g orb.Geometry) bool {
	if mp, ok := g.(orb.MultiPolygon); ok {
		return len(mp) == 0
	}
	return false
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
