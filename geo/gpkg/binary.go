// Package gpkg encodes geometries as GeoPackage binary (OGC 12-128r18,
// §2.1.3): a "GP" header with the SRS id and the envelope, then the
// geometry as ISO WKB (orb's codec). It is the geometry half of a
// GeoPackage; writing the SQLite file is data/gpkg's.
package gpkg

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// SRSWGS84 is the GeoPackage SRS id of EPSG:4326 (lon/lat, WGS 84).
const SRSWGS84 = 4326

// Header flag bits (the header's fourth byte).
const (
	flagLittleEndian = 0x01
	envelopeXY       = 0x01 << 1 // envelope [minx, maxx, miny, maxy]
	flagEmpty        = 0x01 << 4
	envelopeMask     = 0x07 << 1
)

// ErrNotGeoPackage is wrapped when bytes are not GeoPackage binary.
var ErrNotGeoPackage = errors.New("gpkg: not GeoPackage binary")

// Encode is g as GeoPackage binary in SRS srsID, little-endian, with its
// XY envelope (none for an empty geometry, which is flagged empty).
func Encode(g orb.Geometry, srsID int32) ([]byte, error) {
	if g == nil {
		return nil, fmt.Errorf("gpkg: encode: nil geometry")
	}
	body, err := wkb.Marshal(g, binary.LittleEndian)
	if err != nil {
		return nil, fmt.Errorf("gpkg: encode: %w", err)
	}
	empty := isEmpty(g)
	flags := byte(flagLittleEndian)
	size := 8
	if empty {
		flags |= flagEmpty
	} else {
		flags |= envelopeXY
		size += 32
	}
	out := make([]byte, size, size+len(body))
	out[0], out[1], out[2], out[3] = 'G', 'P', 0, flags
	binary.LittleEndian.PutUint32(out[4:], uint32(srsID))
	if !empty {
		b := g.Bound()
		for i, v := range []float64{b.Min[0], b.Max[0], b.Min[1], b.Max[1]} {
			binary.LittleEndian.PutUint64(out[8+8*i:], math.Float64bits(v))
		}
	}
	return append(out, body...), nil
}

// Decode reads GeoPackage binary: the geometry and its SRS id.
func Decode(data []byte) (orb.Geometry, int32, error) {
	if len(data) < 8 || data[0] != 'G' || data[1] != 'P' {
		return nil, 0, ErrNotGeoPackage
	}
	if data[2] != 0 {
		return nil, 0, fmt.Errorf("%w: version %d", ErrNotGeoPackage, data[2])
	}
	flags := data[3]
	var order binary.ByteOrder = binary.BigEndian
	if flags&flagLittleEndian != 0 {
		order = binary.LittleEndian
	}
	srs := int32(order.Uint32(data[4:8]))
	envelope := map[byte]int{0: 0, 1: 32, 2: 48, 3: 48, 4: 64}[(flags&envelopeMask)>>1]
	if (flags&envelopeMask)>>1 > 4 {
		return nil, 0, fmt.Errorf("%w: envelope code %d", ErrNotGeoPackage, (flags&envelopeMask)>>1)
	}
	if len(data) < 8+envelope {
		return nil, 0, fmt.Errorf("%w: short header", ErrNotGeoPackage)
	}
	g, err := wkb.Unmarshal(data[8+envelope:])
	if err != nil {
		return nil, 0, fmt.Errorf("gpkg: decode: %w", err)
	}
	return g, srs, nil
}

func isEmpty(g orb.Geometry) bool {
	switch x := g.(type) {
	case orb.Point:
		return false
	case orb.MultiPoint:
		return len(x) == 0
	case orb.LineString:
		return len(x) == 0
	case orb.MultiLineString:
		return len(x) == 0
	case orb.Ring:
		return len(x) == 0
	case orb.Polygon:
		return len(x) == 0
	case orb.MultiPolygon:
		return len(x) == 0
	case orb.Collection:
		return len(x) == 0
	case orb.Bound:
		return false
	}
	return false
}

// TypeName is g's GeoPackage geometry type name (POINT, MULTIPOLYGON, …).
func TypeName(g orb.Geometry) string {
	switch g.(type) {
	case orb.Point:
		return "POINT"
	case orb.MultiPoint:
		return "MULTIPOINT"
	case orb.LineString:
		return "LINESTRING"
	case orb.MultiLineString:
		return "MULTILINESTRING"
	case orb.Polygon, orb.Ring, orb.Bound:
		return "POLYGON"
	case orb.MultiPolygon:
		return "MULTIPOLYGON"
	}
	return "GEOMETRY"
}
