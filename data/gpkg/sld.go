package gpkg

import (
	"fmt"
	"math"
)

// sldPixel is the millimetres of SLD's standardised rendering pixel
// (OGC 05-077r4 §10.2): SLD sizes are in pixels, a Style's in millimetres.
const sldPixel = 0.28

// SLD is l's Style as an OGC Styled Layer Descriptor 1.1 (Symbology
// Encoding): one rule per category or class (filtered on Field) or one
// rule for the single symbol, an interpolated size for points sized by a
// property, and a text rule for labels.
func SLD(l Layer) (string, error) {
	s := l.Style
	if s == nil {
		return "", fmt.Errorf("%w: %s: no style", ErrLayer, l.Name)
	}
	if err := s.check(l.GeometryType); err != nil { // colours and fields, before they are read
		return "", fmt.Errorf("%s: %w", l.Name, err)
	}
	prop := func(name string) node { return text("ogc:PropertyName", name) }
	literal := func(v string) node { return text("ogc:Literal", v) }
	var rules []node
	rule := func(name, title string, filter []node, sym Symbol) {
		children := []node{text("se:Name", name), el("se:Description", nil, text("se:Title", title))}
		if len(filter) > 0 {
			children = append(children, el("ogc:Filter", nil, filter...))
		}
		rules = append(rules, el("se:Rule", nil, append(children, sldSymbolizer(l.GeometryType, sym, s))...))
	}
	switch {
	case len(s.Categories) > 0:
		for _, c := range s.Categories {
			rule(c.Value, c.Label, []node{el("ogc:PropertyIsEqualTo", nil, prop(s.Field), literal(c.Value))}, c.Symbol)
		}
	case len(s.Classes) > 0:
		for i, c := range s.Classes {
			lower := "ogc:PropertyIsGreaterThan"
			if i == 0 {
				lower = "ogc:PropertyIsGreaterThanOrEqualTo"
			}
			rule(c.Label, c.Label, []node{el("ogc:And", nil,
				el(lower, nil, prop(s.Field), literal(number(c.Lower))),
				el("ogc:PropertyIsLessThanOrEqualTo", nil, prop(s.Field), literal(number(c.Upper))))}, c.Symbol)
		}
	default:
		rule(cmpOr(s.Name, l.Name), cmpOr(l.Title, l.Name), nil, s.Symbol)
	}
	if s.Label != "" {
		rules = append(rules, el("se:Rule", nil, text("se:Name", "labels"),
			el("se:TextSymbolizer", nil,
				el("se:Label", nil, prop(s.Label)),
				el("se:Font", nil, text("se:SvgParameter", "11", "name", "font-size")),
				el("se:Halo", nil, text("se:Radius", "2"), el("se:Fill", nil, text("se:SvgParameter", "#ffffff", "name", "fill"))),
				el("se:Fill", nil, text("se:SvgParameter", "#323232", "name", "fill")))))
	}
	root := el("StyledLayerDescriptor", attrs("version", "1.1.0",
		"xmlns", "http://www.opengis.net/sld", "xmlns:ogc", "http://www.opengis.net/ogc", "xmlns:se", "http://www.opengis.net/se",
		"xmlns:xlink", "http://www.w3.org/1999/xlink", "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance",
		"xsi:schemaLocation", "http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"),
		el("NamedLayer", nil, text("se:Name", l.Name),
			el("UserStyle", nil, text("se:Name", cmpOr(s.Name, l.Name)),
				el("se:FeatureTypeStyle", nil, rules...))))
	return document(`<?xml version="1.0" encoding="UTF-8"?>`+"\n", root)
}

// sldSymbolizer draws sym: a polygon symbolizer, or a point symbolizer of
// a circle mark.
func sldSymbolizer(geometryType string, sym Symbol, s *Style) node {
	var parts []node
	if sym.Fill != "" {
		opacity := sym.FillOpacity
		if opacity == 0 {
			opacity = 1
		}
		parts = append(parts, el("se:Fill", nil, text("se:SvgParameter", sym.Fill, "name", "fill"),
			text("se:SvgParameter", number(opacity), "name", "fill-opacity")))
	}
	if sym.Stroke != "" {
		parts = append(parts, el("se:Stroke", nil, text("se:SvgParameter", sym.Stroke, "name", "stroke"),
			text("se:SvgParameter", pixels(sym.StrokeWidth), "name", "stroke-width")))
	}
	if geometryType != Point {
		return el("se:PolygonSymbolizer", nil, parts...)
	}
	size := text("se:Size", pixels(sym.Size))
	if s.SizeField != "" {
		// The QML's square root, as a piecewise-linear interpolation:
		// the value SizeMax·(k/4)² draws Size·k/4, never under Size/4.
		points := []node{el("se:LookupValue", nil, text("ogc:PropertyName", s.SizeField))}
		for k := 0; k <= 4; k++ {
			f := float64(k) / 4
			points = append(points, el("se:InterpolationPoint", nil, text("se:Data", number(s.SizeMax*f*f)),
				text("se:Value", pixels(sym.Size*math.Max(f, 0.25)))))
		}
		size = el("se:Size", nil, el("se:Interpolate", attrs("fallbackValue", pixels(sym.Size/4), "mode", "linear", "method", "numeric"), points...))
	}
	return el("se:PointSymbolizer", nil, el("se:Graphic", nil,
		el("se:Mark", nil, append([]node{text("se:WellKnownName", "circle")}, parts...)...), size))
}

// pixels is mm in SLD pixels, to two decimals.
func pixels(mm float64) string { return number(math.Round(mm/sldPixel*100) / 100) }
