package gpkg_test

import (
	"context"
	"database/sql"
	"encoding/xml"
	"errors"
	"path/filepath"
	"testing"

	"github.com/placeteam/placeteam/data/gpkg"
)

// qmlDoc is what the tests read of a QML style.
type qmlDoc struct {
	XMLName  xml.Name `xml:"qgis"`
	Labels   string   `xml:"labelsEnabled,attr"`
	Renderer struct {
		Type       string `xml:"type,attr"`
		Attr       string `xml:"attr,attr"`
		Categories []struct {
			Value string `xml:"value,attr"`
		} `xml:"categories>category"`
		Ranges []struct {
			Lower float64 `xml:"lower,attr"`
			Upper float64 `xml:"upper,attr"`
		} `xml:"ranges>range"`
		Symbols []struct {
			Type string `xml:"type,attr"`
		} `xml:"symbols>symbol"`
	} `xml:"renderer-v2"`
	TextStyle struct {
		Field string `xml:"fieldName,attr"`
	} `xml:"labeling>settings>text-style"`
}

// sldDoc is what the tests read of an SLD style.
type sldDoc struct {
	XMLName xml.Name `xml:"StyledLayerDescriptor"`
	Rules   []struct {
		Name string `xml:"Name"`
	} `xml:"NamedLayer>UserStyle>FeatureTypeStyle>Rule"`
}

func styledLayers() []gpkg.Layer {
	layers := sampleLayers()
	layers[0].Style = &gpkg.Style{Field: "id", Label: "id", Categories: []gpkg.Category{
		{Value: "A", Label: "A & co", Symbol: gpkg.Symbol{Fill: "#CC6677", FillOpacity: 0.5, Stroke: "#333333", StrokeWidth: 0.3}},
		{Value: "B", Label: "B <b>", Symbol: gpkg.Symbol{Fill: "#332288", Stroke: "#333333", StrokeWidth: 0.3}},
	}}
	layers[1].Style = &gpkg.Style{Symbol: gpkg.Symbol{Fill: "#2166ac", Stroke: "#ffffff", StrokeWidth: 0.2, Size: 4}, SizeField: "count", SizeMax: 10}
	return layers
}

// TestStyles: layer_styles holds one default style per styled layer whose
// QML and SLD parse with the renderer, symbols and rules the style asks
// for; the table is registered as attributes.
func TestStyles(t *testing.T) {
	layers := styledLayers()
	layers = append(layers, gpkg.Layer{Name: "graded", GeometryType: gpkg.MultiPolygon, Style: &gpkg.Style{Field: "decile", Classes: []gpkg.Class{
		{Lower: 0, Upper: 5, Label: "1–5", Symbol: gpkg.Symbol{Fill: "#b2182b"}}, {Lower: 5, Upper: 10, Label: "6–10", Symbol: gpkg.Symbol{Fill: "#92c5de"}}}}})
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := gpkg.Write(context.Background(), path, layers); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var kind string
	if err := db.QueryRow(`SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'`).Scan(&kind); err != nil || kind != "attributes" {
		t.Errorf("layer_styles in gpkg_contents: %q (%v)", kind, err)
	}
	for _, l := range layers {
		var qml, sld string
		var n int
		if err := db.QueryRow(`SELECT count(*), max(styleQML), max(styleSLD) FROM layer_styles WHERE f_table_catalog = '' AND f_table_schema = ''
			AND f_table_name = ? AND f_geometry_column = 'geom' AND useAsDefault = 1 AND styleName = ?`, l.Name, l.Name).Scan(&n, &qml, &sld); err != nil || n != 1 {
			t.Fatalf("%s: %d default styles (%v)", l.Name, n, err)
		}
		var q qmlDoc
		if err := xml.Unmarshal([]byte(qml), &q); err != nil {
			t.Fatalf("%s: QML: %v\n%s", l.Name, err, qml)
		}
		var s sldDoc
		if err := xml.Unmarshal([]byte(sld), &s); err != nil {
			t.Fatalf("%s: SLD: %v\n%s", l.Name, err, sld)
		}
		wantType, wantSymbols := "singleSymbol", 1
		switch {
		case len(l.Style.Categories) > 0:
			wantType, wantSymbols = "categorizedSymbol", len(l.Style.Categories)
			for i, c := range q.Renderer.Categories {
				if c.Value != l.Style.Categories[i].Value {
					t.Errorf("%s: category %d value %q, want %q", l.Name, i, c.Value, l.Style.Categories[i].Value)
				}
			}
		case len(l.Style.Classes) > 0:
			wantType, wantSymbols = "graduatedSymbol", len(l.Style.Classes)
			for i, r := range q.Renderer.Ranges {
				if c := l.Style.Classes[i]; r.Lower != c.Lower || r.Upper != c.Upper {
					t.Errorf("%s: range %d %v–%v, want %v–%v", l.Name, i, r.Lower, r.Upper, c.Lower, c.Upper)
				}
			}
		}
		if q.Renderer.Type != wantType || q.Renderer.Attr != l.Style.Field || len(q.Renderer.Symbols) != wantSymbols {
			t.Errorf("%s: renderer %s on %q with %d symbols, want %s on %q with %d", l.Name, q.Renderer.Type, q.Renderer.Attr, len(q.Renderer.Symbols), wantType, l.Style.Field, wantSymbols)
		}
		symbolType := "fill"
		if l.GeometryType == gpkg.Point {
			symbolType = "marker"
		}
		for _, sym := range q.Renderer.Symbols {
			if sym.Type != symbolType {
				t.Errorf("%s: a %s symbol, want %s", l.Name, sym.Type, symbolType)
			}
		}
		if (l.Style.Label != "") != (q.Labels == "1") || q.TextStyle.Field != l.Style.Label {
			t.Errorf("%s: labels %q on %q, want %q", l.Name, q.Labels, q.TextStyle.Field, l.Style.Label)
		}
		wantRules := wantSymbols
		if l.Style.Label != "" {
			wantRules++
		}
		if len(s.Rules) != wantRules {
			t.Errorf("%s: %d SLD rules, want %d", l.Name, len(s.Rules), wantRules)
		}
	}
}

// TestNoStyles: without styles there is no layer_styles table.
func TestNoStyles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.gpkg")
	if err := gpkg.Write(context.Background(), path, sampleLayers()); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'layer_styles'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("layer_styles exists without styles (%v)", err)
	}
}

func TestStyleRejects(t *testing.T) {
	for name, style := range map[string]gpkg.Style{
		"bad colour":        {Symbol: gpkg.Symbol{Fill: "red"}},
		"bad opacity":       {Symbol: gpkg.Symbol{Fill: "#ff0000", FillOpacity: 2}},
		"no field":          {Categories: []gpkg.Category{{Value: "A"}}},
		"both":              {Field: "id", Categories: []gpkg.Category{{Value: "A"}}, Classes: []gpkg.Class{{Upper: 1}}},
		"size on a polygon": {SizeField: "count", SizeMax: 1},
	} {
		layers := sampleLayers()
		layers[0].Style = &style
		if err := gpkg.Write(context.Background(), filepath.Join(t.TempDir(), "x.gpkg"), layers); !errors.Is(err, gpkg.ErrLayer) {
			t.Errorf("%s: %v, want ErrLayer", name, err)
		}
	}
}

// TestStyleDocumentsCheckTheirStyle: QML and SLD refuse a style Write would
// refuse (a colour that is not #rrggbb) instead of failing on it.
func TestStyleDocumentsCheckTheirStyle(t *testing.T) {
	l := gpkg.Layer{Name: "teams", GeometryType: gpkg.MultiPolygon, Style: &gpkg.Style{Name: "bad", Symbol: gpkg.Symbol{Fill: "red"}}}
	if _, err := gpkg.QML(l); err == nil || !errors.Is(err, gpkg.ErrLayer) {
		t.Errorf("QML of a bad colour: %v, want gpkg.ErrLayer", err)
	}
	if _, err := gpkg.SLD(l); err == nil || !errors.Is(err, gpkg.ErrLayer) {
		t.Errorf("SLD of a bad colour: %v, want gpkg.ErrLayer", err)
	}
}
