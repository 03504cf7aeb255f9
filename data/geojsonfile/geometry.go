package geojsonfile

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/reproject"
	"github.com/placeteam/placeteam/geo/validity"
)

// maxCollectionDepth bounds GeometryCollections inside GeometryCollections.
const maxCollectionDepth = 4

type rawGeometry struct {
	Type        string            `json:"type"`
	Coordinates json.RawMessage   `json:"coordinates"`
	Geometries  []json.RawMessage `json:"geometries"`
}

// decodeGeometry turns a GeoJSON geometry object into orb types, in the
// file's coordinate system. Polygon rings come back as orb.Ring.
func decodeGeometry(data json.RawMessage, depth int) (orb.Geometry, error) {
	var raw rawGeometry
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, wrapf(ErrInvalidGeoJSON, "geometry is not an object with a type: %w", err)
	}
	if raw.Type == "GeometryCollection" {
		if depth >= maxCollectionDepth {
			return nil, wrapf(ErrInvalidGeoJSON, "geometry collections nested more than %d deep", maxCollectionDepth)
		}
		if raw.Geometries == nil {
			return nil, wrapf(ErrInvalidGeoJSON, "GeometryCollection has no geometries member")
		}
		c := make(orb.Collection, 0, len(raw.Geometries))
		for i, member := range raw.Geometries {
			g, err := decodeGeometry(member, depth+1)
			if err != nil {
				return nil, fmt.Errorf("geometry %d: %w", i, err)
			}
			c = append(c, g)
		}
		return c, nil
	}
	if len(raw.Coordinates) == 0 || string(raw.Coordinates) == "null" {
		if raw.Type == "" {
			return nil, wrapf(ErrInvalidGeoJSON, "geometry has no type")
		}
		return nil, wrapf(ErrInvalidGeoJSON, "%s has no coordinates", raw.Type)
	}
	c := raw.Coordinates
	switch raw.Type {
	case "Point":
		return parseCoordinates(c, (*coordinates).position)
	case "MultiPoint":
		ps, err := parseCoordinates(c, (*coordinates).positions)
		return orb.MultiPoint(ps), err
	case "LineString":
		ps, err := parseCoordinates(c, (*coordinates).positions)
		if err == nil && len(ps) < 2 {
			err = wrapf(ErrInvalidGeoJSON, "LineString has %d position(s), need at least 2", len(ps))
		}
		return orb.LineString(ps), err
	case "MultiLineString":
		rs, err := parseCoordinates(c, (*coordinates).rings)
		mls := make(orb.MultiLineString, len(rs))
		for i, r := range rs {
			mls[i] = orb.LineString(r)
		}
		return mls, err
	case "Polygon":
		rs, err := parseCoordinates(c, (*coordinates).rings)
		return orb.Polygon(rs), err
	case "MultiPolygon":
		return parseCoordinates(c, (*coordinates).polygons)
	case "":
		return nil, wrapf(ErrInvalidGeoJSON, "geometry has no type")
	}
	return nil, wrapf(ErrGeometryType, "%q is not a GeoJSON geometry type", raw.Type)
}

// shape checks g against the layer's Want and normalises it: Polygon becomes
// MultiPolygon for polygon layers, a one-point MultiPoint becomes Point for
// point layers.
func shape(g orb.Geometry, want Want) (orb.Geometry, error) {
	switch want {
	case WantPolygons:
		switch g := g.(type) {
		case orb.Polygon:
			return orb.MultiPolygon{g}, nil
		case orb.MultiPolygon:
			return g, nil
		}
		return nil, wrapf(ErrGeometryType, "%s in a polygon layer (want Polygon or MultiPolygon)", g.GeoJSONType())
	case WantPoints:
		switch g := g.(type) {
		case orb.Point:
			return g, nil
		case orb.MultiPoint:
			if len(g) == 1 {
				return g[0], nil
			}
			return nil, wrapf(ErrGeometryType, "MultiPoint with %d points in a point layer (want Point)", len(g))
		}
		return nil, wrapf(ErrGeometryType, "%s in a point layer (want Point)", g.GeoJSONType())
	}
	return g, nil
}

// eachPoint calls f for every position of g until f returns false.
func eachPoint(g orb.Geometry, f func(orb.Point) bool) bool {
	switch g := g.(type) {
	case orb.Point:
		return f(g)
	case orb.MultiPoint:
		for _, p := range g {
			if !f(p) {
				return false
			}
		}
	case orb.LineString:
		return eachPoint(orb.MultiPoint(g), f)
	case orb.Ring:
		return eachPoint(orb.MultiPoint(g), f)
	case orb.MultiLineString:
		for _, ls := range g {
			if !eachPoint(orb.MultiPoint(ls), f) {
				return false
			}
		}
	case orb.Polygon:
		for _, r := range g {
			if !eachPoint(orb.MultiPoint(r), f) {
				return false
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			if !eachPoint(p, f) {
				return false
			}
		}
	case orb.Collection:
		for _, member := range g {
			if !eachPoint(member, f) {
				return false
			}
		}
	}
	return true
}

func inLonLatRange(p orb.Point) bool {
	return p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90
}

// exampleCRSMember is the crs member to suggest for British National Grid.
const exampleCRSMember = `"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}`

// checkCRS catches coordinates that cannot be in the file's CRS: projected
// metres in a lon/lat file, or lon/lat in a file that says British National
// Grid. declared is false when the file has no crs member.
func checkCRS(g orb.Geometry, crs reproject.CRS, declared bool) error {
	if crs.IsLonLat() {
		var bad orb.Point
		found := false
		eachPoint(g, func(p orb.Point) bool {
			if !inLonLatRange(p) {
				bad, found = p, true
				return false
			}
			return true
		})
		if !found {
			return nil
		}
		if !declared {
			return wrapf(ErrCRSMismatch, "position %s is outside lon/lat range: with no crs member the file must be RFC 7946 lon/lat, "+
				"but it looks projected (British National Grid eastings/northings?); add a crs member such as %s or export it as WGS84",
				formatPoint(bad), exampleCRSMember)
		}
		return wrapf(ErrCRSMismatch, "position %s is outside lon/lat range although the crs member says %s", formatPoint(bad), crs)
	}
	n := 0
	allLonLat := eachPoint(g, func(p orb.Point) bool {
		n++
		return inLonLatRange(p)
	})
	if n > 0 && allLonLat {
		return wrapf(ErrCRSMismatch, "every position is within lon/lat range although the crs member says %s (eastings and northings in metres)", crs)
	}
	return nil
}

func formatPoint(p orb.Point) string {
	return "(" + strconv.FormatFloat(p[0], 'f', -1, 64) + ", " + strconv.FormatFloat(p[1], 'f', -1, 64) + ")"
}

// validate checks a lon/lat geometry with geo/validity.
func validate(g orb.Geometry) error {
	switch g := g.(type) {
	case orb.Point:
		return validity.LonLat(g)
	case orb.MultiPoint, orb.LineString, orb.MultiLineString:
		var err error
		eachPoint(g, func(p orb.Point) bool {
			err = validity.LonLat(p)
			return err == nil
		})
		return err
	case orb.Polygon:
		return validity.Polygon(g)
	case orb.MultiPolygon:
		return validity.MultiPolygon(g)
	case orb.Collection:
		for i, member := range g {
			if err := validate(member); err != nil {
				return fmt.Errorf("geometry %d: %w", i, err)
			}
		}
		return nil
	}
	return wrapf(ErrGeometryType, "%T", g)
}
