package gpkg

import (
	"fmt"
	"strconv"
	"strings"
)

// qmlVersion is the QGIS version the QML is written for; QGIS reads
// styles of older versions.
const qmlVersion = "3.28.0-Firenze"

// QML is l's Style as a QGIS layer style document (QML): a single-symbol,
// categorised or graduated renderer of fill or marker symbols, with a
// data-defined size for points sized by a property, and simple labels.
func QML(l Layer) (string, error) {
	s := l.Style
	if s == nil {
		return "", fmt.Errorf("%w: %s: no style", ErrLayer, l.Name)
	}
	if err := s.check(l.GeometryType); err != nil { // colours and fields, before they are read
		return "", fmt.Errorf("%s: %w", l.Name, err)
	}
	symbolType, geometryType := "fill", "2"
	if l.GeometryType == Point {
		symbolType, geometryType = "marker", "0"
	}
	symbol := func(name string, sym Symbol) node {
		return qmlSymbol(symbolType, name, sym, s)
	}
	var renderer node
	switch {
	case len(s.Categories) > 0:
		var cats, syms []node
		for i, c := range s.Categories {
			id := strconv.Itoa(i)
			cats = append(cats, el("category", attrs("value", c.Value, "label", c.Label, "symbol", id, "render", "true")))
			syms = append(syms, symbol(id, c.Symbol))
		}
		renderer = el("renderer-v2", attrs("type", "categorizedSymbol", "attr", s.Field, "forceraster", "0", "symbollevels", "0", "enableorderby", "0"),
			el("categories", nil, cats...), el("symbols", nil, syms...), el("source-symbol", nil, symbol("0", s.Symbol)))
	case len(s.Classes) > 0:
		var ranges, syms []node
		for i, c := range s.Classes {
			id := strconv.Itoa(i)
			ranges = append(ranges, el("range", attrs("lower", number(c.Lower), "upper", number(c.Upper), "label", c.Label, "symbol", id, "render", "true")))
			syms = append(syms, symbol(id, c.Symbol))
		}
		renderer = el("renderer-v2", attrs("type", "graduatedSymbol", "attr", s.Field, "graduatedMethod", "GraduatedColor", "forceraster", "0", "symbollevels", "0", "enableorderby", "0"),
			el("ranges", nil, ranges...), el("symbols", nil, syms...), el("source-symbol", nil, symbol("0", s.Symbol)),
			el("classificationMethod", attrs("id", "Custom")))
	default:
		renderer = el("renderer-v2", attrs("type", "singleSymbol", "forceraster", "0", "symbollevels", "0", "enableorderby", "0"),
			el("symbols", nil, symbol("0", s.Symbol)))
	}
	labelsEnabled := "0"
	children := []node{renderer}
	if s.Label != "" {
		labelsEnabled = "1"
		placement := "1" // over the polygon's centroid
		if l.GeometryType == Point {
			placement = "0" // around the point
		}
		children = append(children, el("labeling", attrs("type", "simple"),
			el("settings", attrs("calloutType", "simple"),
				el("text-style", attrs("fieldName", s.Label, "isExpression", "0", "fontSize", "8", "fontSizeUnit", "Point", "textColor", "50,50,50,255", "textOpacity", "1"),
					el("text-buffer", attrs("bufferDraw", "1", "bufferSize", "0.7", "bufferSizeUnits", "MM", "bufferColor", "255,255,255,255", "bufferOpacity", "0.8"))),
				el("placement", attrs("placement", placement)))))
	}
	children = append(children, text("layerGeometryType", geometryType))
	root := el("qgis", attrs("version", qmlVersion, "styleCategories", "Symbology|Labeling", "labelsEnabled", labelsEnabled), children...)
	return document("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n", root)
}

// qmlSymbol is a QGIS symbol of one simple fill or simple marker layer.
func qmlSymbol(symbolType, name string, sym Symbol, s *Style) node {
	opts := []node{
		qmlOption("color", qmlColour(sym.Fill, sym.FillOpacity)),
		qmlOption("outline_color", qmlColour(sym.Stroke, 1)),
		qmlOption("outline_style", solidOrNo(sym.Stroke)),
		qmlOption("outline_width", number(sym.StrokeWidth)),
		qmlOption("outline_width_unit", "MM"),
	}
	class := "SimpleFill"
	if symbolType == "marker" {
		class = "SimpleMarker"
		opts = append(opts, qmlOption("name", "circle"), qmlOption("size", number(sym.Size)), qmlOption("size_unit", "MM"),
			qmlOption("scale_method", "diameter"))
	} else {
		opts = append(opts, qmlOption("style", solidOrNo(sym.Fill)), qmlOption("joinstyle", "bevel"))
	}
	layer := []node{el("Option", attrs("type", "Map"), opts...)}
	if symbolType == "marker" && s.SizeField != "" {
		// Area in proportion to the value, never under a quarter of Size.
		expr := fmt.Sprintf(`coalesce(max(%[1]s, %[2]s * sqrt(%[3]s / %[4]s)), %[1]s)`,
			number(sym.Size/4), number(sym.Size), qmlField(s.SizeField), number(s.SizeMax))
		layer = append(layer, el("data_defined_properties", nil, el("Option", attrs("type", "Map"),
			qmlOption("name", ""),
			el("Option", attrs("name", "properties", "type", "Map"),
				el("Option", attrs("name", "size", "type", "Map"),
					el("Option", attrs("name", "active", "type", "bool", "value", "true")),
					qmlOption("expression", expr),
					el("Option", attrs("name", "type", "type", "int", "value", "3")))), // an expression
			qmlOption("type", "collection"))))
	}
	return el("symbol", attrs("type", symbolType, "name", name, "alpha", "1", "clip_to_extent", "1", "force_rhr", "0"),
		el("layer", attrs("class", class, "pass", "0", "locked", "0", "enabled", "1"), layer...))
}

func qmlOption(name, value string) node {
	return el("Option", attrs("name", name, "type", "QString", "value", value))
}

// qmlColour is "#rrggbb" at opacity as QGIS writes colours: "r,g,b,a";
// no colour is transparent.
func qmlColour(hex string, opacity float64) string {
	if hex == "" {
		return "0,0,0,0"
	}
	if opacity == 0 {
		opacity = 1
	}
	r, _ := strconv.ParseUint(hex[1:3], 16, 8)
	g, _ := strconv.ParseUint(hex[3:5], 16, 8)
	b, _ := strconv.ParseUint(hex[5:7], 16, 8)
	return fmt.Sprintf("%d,%d,%d,%d", r, g, b, int(opacity*255+0.5))
}

func solidOrNo(colour string) string {
	if colour == "" {
		return "no"
	}
	return "solid"
}

// qmlField is a field reference in a QGIS expression.
func qmlField(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
