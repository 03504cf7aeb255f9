package tiles

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// ErrInvalidLayer is wrapped by NewTileset when a layer or feature cannot be
// encoded as a vector tile.
var ErrInvalidLayer = errors.New("tiles: invalid layer")

// Feature is one feature of a layer.
type Feature struct {
	// ID becomes the MVT feature id (MapLibre feature-state and promoteId use
	// it). Zero means "no id": the feature is encoded without one.
	ID uint64

	// Geometry is in lon/lat: Point, MultiPoint, LineString, MultiLineString,
	// Polygon or MultiPolygon. Polygon rings may wind either way; tiles are
	// written with the winding MVT 2 requires.
	Geometry orb.Geometry

	// Properties become MVT attributes. Values must be string, bool, an
	// integer type or a float type; omit a key rather than storing nil.
	Properties map[string]any
}

// Layer is a named set of features, shown from MinZoom to MaxZoom inclusive.
type Layer struct {
	Name     string
	Features []Feature

	// MinZoom is the lowest zoom the layer appears at (0: from the start).
	MinZoom int
	// MaxZoom is the highest zoom the layer appears at; 0 means the
	// tileset's Options.MaxZoom. Beyond it MapLibre overzooms the tile.
	MaxZoom int

	// Indexed, when set, is the layer's features already validated and
	// indexed (IndexLayer), shared with other tilesets; Features is then
	// ignored.
	Indexed *IndexedLayer
}

// Field types reported by Tileset.LayerFields, as tippecanoe writes them in
// TileJSON vector_layers.
const (
	FieldNumber  = "Number"
	FieldString  = "String"
	FieldBoolean = "Boolean"
	FieldMixed   = "Mixed" // the field holds values of more than one type
)

// validateFeature reports why f cannot be encoded, or nil.
func validateFeature(f Feature) error {
	switch f.Geometry.(type) {
	case orb.Point, orb.MultiPoint, orb.LineString, orb.MultiLineString, orb.Polygon, orb.MultiPolygon:
	case nil:
		return errors.New("no geometry")
	default:
		return fmt.Errorf("geometry type %T is not supported", f.Geometry)
	}
	if err := validateCoordinates(f.Geometry); err != nil {
		return err
	}
	for key, value := range f.Properties {
		if key == "" {
			return errors.New("property with an empty name")
		}
		if fieldType(value) == "" {
			return fmt.Errorf("property %q: value of type %T is not supported", key, value)
		}
	}
	return nil
}

// validateCoordinates rejects empty geometry and points that are not lon/lat
// (a common slip is passing British National Grid metres).
func validateCoordinates(g orb.Geometry) error {
	var points []orb.Point
	switch g := g.(type) {
	case orb.Point:
		points = []orb.Point{g}
	case orb.MultiPoint:
		points = g
	case orb.LineString:
		points = g
	case orb.MultiLineString:
		for _, ls := range g {
			points = append(points, ls...)
		}
	case orb.Polygon:
		for _, r := range g {
			points = append(points, r...)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			for _, r := range p {
				points = append(points, r...)
			}
		}
	}
	if len(points) == 0 {
		return errors.New("empty geometry")
	}
	for _, p := range points {
		lon, lat := p[0], p[1]
		if math.IsNaN(lon) || math.IsNaN(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			return fmt.Errorf("point %v is not lon/lat", p)
		}
	}
	return nil
}

// fieldType is the TileJSON type of a property value, or "" when the value
// cannot be encoded.
func fieldType(v any) string {
	switch v.(type) {
	case string:
		return FieldString
	case bool:
		return FieldBoolean
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return FieldNumber
	}
	return ""
}

// mergeFieldType combines the type seen so far for a field with another.
func mergeFieldType(seen, next string) string {
	if seen == "" || seen == next {
		return next
	}
	return FieldMixed
}
