package gpkg

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"regexp"
)

// Style is a layer's default look in QGIS, written to the layer_styles
// table (QGIS's convention for styles kept in a GeoPackage) as QML, which
// QGIS applies when the layer is opened, and as SLD for other tools.
//
// Every feature is drawn with Symbol, unless Categories or Classes are
// set: then each feature is drawn with the symbol of its Field's value
// (a category's value, or a class's range). A point layer's symbols may be
// sized by a property (SizeField).
type Style struct {
	// Name is the style's name (default: the layer's name).
	Name        string
	Description string
	Symbol      Symbol
	// Field is the property Categories or Classes read.
	Field      string
	Categories []Category
	Classes    []Class
	// SizeField, when set on a point layer, scales each point's area with
	// the property: a value of SizeMax draws Symbol.Size; smaller values
	// draw smaller, down to a quarter of Symbol.Size, which is also the
	// size of a point without a value.
	SizeField string
	SizeMax   float64
	// Label, when set, is the property written beside each feature.
	Label string
}

// Symbol is how a feature is drawn: a polygon's fill and outline, or a
// point's circle (its fill, outline and diameter).
type Symbol struct {
	// Fill is the fill colour, "#rrggbb"; empty draws no fill.
	Fill string
	// FillOpacity is the fill's opacity from 0 to 1; 0 is read as 1
	// (opaque), so that an opaque fill needs no figure.
	FillOpacity float64
	// Stroke is the outline colour, "#rrggbb"; empty draws no outline.
	Stroke string
	// StrokeWidth is the outline's width in millimetres.
	StrokeWidth float64
	// Size is a point's diameter in millimetres.
	Size float64
}

// Category is the symbol of the features whose Field is Value.
type Category struct {
	Value  string
	Label  string
	Symbol Symbol
}

// Class is the symbol of the features whose Field is above Lower and at
// most Upper (QGIS's ranges; the first class also holds Lower itself).
type Class struct {
	Lower, Upper float64
	Label        string
	Symbol       Symbol
}

// stylesTable is QGIS's table of layer styles.
const stylesTable = "layer_styles"

// stylesSchema is layer_styles as QGIS creates it in a GeoPackage (an
// attributes table, registered in gpkg_contents).
const stylesSchema = `CREATE TABLE layer_styles (
		id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
		f_table_catalog TEXT, f_table_schema TEXT, f_table_name TEXT, f_geometry_column TEXT,
		styleName TEXT, styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT,
		owner TEXT, ui TEXT, update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))`

var colourPattern = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// check reports what makes s unwritable for a layer of geometry type typ.
func (s *Style) check(typ string) error {
	if len(s.Categories) > 0 && len(s.Classes) > 0 {
		return fmt.Errorf("%w: style has both categories and classes", ErrLayer)
	}
	if (len(s.Categories) > 0 || len(s.Classes) > 0) && s.Field == "" {
		return fmt.Errorf("%w: style has categories or classes but no field", ErrLayer)
	}
	if s.SizeField != "" && (typ != Point || !(s.SizeMax > 0) || math.IsInf(s.SizeMax, 0)) {
		return fmt.Errorf("%w: style sizes by %s: a point layer and a positive SizeMax are needed", ErrLayer, s.SizeField)
	}
	symbols := []Symbol{s.Symbol}
	for _, c := range s.Categories {
		symbols = append(symbols, c.Symbol)
	}
	for _, c := range s.Classes {
		symbols = append(symbols, c.Symbol)
	}
	for _, sym := range symbols {
		for _, colour := range []string{sym.Fill, sym.Stroke} {
			if colour != "" && !colourPattern.MatchString(colour) {
				return fmt.Errorf("%w: style colour %q: want #rrggbb", ErrLayer, colour)
			}
		}
		if sym.FillOpacity < 0 || sym.FillOpacity > 1 {
			return fmt.Errorf("%w: style fill opacity %g: want 0 to 1", ErrLayer, sym.FillOpacity)
		}
	}
	return nil
}

// writeStyles writes layer_styles with each styled layer's default style;
// no table when no layer has a style.
func writeStyles(ctx context.Context, tx *sql.Tx, layers []Layer, now string) error {
	created := false
	for _, l := range layers {
		if l.Style == nil {
			continue
		}
		if !created {
			if _, err := tx.ExecContext(ctx, stylesSchema); err != nil {
				return fmt.Errorf("styles: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
				VALUES (?, 'attributes', ?, 'QGIS layer styles', ?)`, stylesTable, stylesTable, now); err != nil {
				return fmt.Errorf("styles: %w", err)
			}
			created = true
		}
		qml, err := QML(l)
		if err != nil {
			return err
		}
		sld, err := SLD(l)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column,
			styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) VALUES ('', '', ?, 'geom', ?, ?, ?, 1, ?, '', NULL, ?)`,
			l.Name, cmpOr(l.Style.Name, l.Name), qml, sld, l.Style.Description, now); err != nil {
			return fmt.Errorf("styles: layer %s: %w", l.Name, err)
		}
	}
	return nil
}
