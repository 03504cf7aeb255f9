// Package reproject converts coordinates from the coordinate reference
// systems found in public UK boundary downloads to WGS84 longitude/latitude,
// the only coordinate system used inside the service.
//
// Supported: OGC CRS84 and EPSG:4326 (both read as lon/lat, the axis order
// RFC 7946 and GDAL use) and EPSG:27700, OSGB36 / British National Grid.
package reproject

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// CRS names a supported coordinate reference system by its canonical
// identifier. Use [ParseCRS] to turn the many spellings found in files into
// one of the constants below.
type CRS string

// Supported coordinate reference systems.
const (
	// CRS84 is WGS84 longitude/latitude in that axis order: the RFC 7946
	// GeoJSON default.
	CRS84 CRS = "OGC:CRS84"
	// EPSG4326 is WGS84. The EPSG definition orders axes lat/lon, but GeoJSON
	// writers (GDAL among them) put lon first, so it is read as lon/lat.
	EPSG4326 CRS = "EPSG:4326"
	// BritishNationalGrid is OSGB36 / British National Grid: eastings and
	// northings in metres.
	BritishNationalGrid CRS = "EPSG:27700"
)

// ErrUnknownCRS reports a coordinate reference system name that is not
// recognised or not supported.
var ErrUnknownCRS = errors.New("unknown or unsupported coordinate reference system")

// IsLonLat reports whether coordinates in c are already WGS84 lon/lat.
func (c CRS) IsLonLat() bool {
	return c == CRS84 || c == EPSG4326
}

// ParseCRS maps a CRS name as written in GeoJSON "crs" members, WKT
// authority strings or OGC URLs to a supported CRS. Matching ignores case
// and surrounding space and accepts, among others:
//
//	CRS84, OGC:CRS84, urn:ogc:def:crs:OGC:1.3:CRS84, urn:ogc:def:crs:OGC::CRS84,
//	http://www.opengis.net/def/crs/OGC/1.3/CRS84,
//	EPSG:4326, urn:ogc:def:crs:EPSG::4326, urn:ogc:def:crs:EPSG:6.6:4326,
//	http://www.opengis.net/def/crs/EPSG/0/4326,
//	http://www.opengis.net/gml/srs/epsg.xml#4326,
//	and the same forms for 27700.
//
// Any other name returns an error wrapping [ErrUnknownCRS].
func ParseCRS(name string) (CRS, error) {
	s := strings.ToLower(strings.TrimSpace(name))
	if isCRS84(s) {
		return CRS84, nil
	}
	if code, ok := epsgCode(s); ok {
		switch code {
		case 4326:
			return EPSG4326, nil
		case 27700:
			return BritishNationalGrid, nil
		}
	}
	return "", fmt.Errorf("reproject: %w: %q", ErrUnknownCRS, name)
}

// isCRS84 matches lower-cased spellings of OGC CRS84.
func isCRS84(s string) bool {
	switch s {
	case "crs84", "ogc:crs84":
		return true
	}
	if rest, ok := strings.CutPrefix(s, "urn:ogc:def:crs:ogc:"); ok {
		return versioned(rest) == "crs84"
	}
	if rest, ok := cutOpenGISPrefix(s, "ogc/"); ok {
		return versioned(rest) == "crs84"
	}
	return false
}

// epsgCode extracts the numeric code from lower-cased EPSG spellings.
func epsgCode(s string) (int, bool) {
	var digits string
	switch {
	case strings.HasPrefix(s, "epsg:"):
		digits = s[len("epsg:"):]
	case strings.HasPrefix(s, "urn:ogc:def:crs:epsg:"):
		digits = versioned(s[len("urn:ogc:def:crs:epsg:"):])
	case strings.HasPrefix(s, "urn:x-ogc:def:crs:epsg:"):
		digits = versioned(s[len("urn:x-ogc:def:crs:epsg:"):])
	case strings.HasPrefix(s, "http://www.opengis.net/gml/srs/epsg.xml#"):
		digits = s[len("http://www.opengis.net/gml/srs/epsg.xml#"):]
	default:
		rest, ok := cutOpenGISPrefix(s, "epsg/")
		if !ok {
			return 0, false
		}
		digits = versioned(rest)
	}
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	code, err := strconv.Atoi(digits)
	if err != nil {
		return 0, false
	}
	return code, true
}

// cutOpenGISPrefix strips "http(s)://www.opengis.net/def/crs/" plus the
// authority path segment.
func cutOpenGISPrefix(s, authority string) (string, bool) {
	for _, scheme := range []string{"http://", "https://"} {
		if rest, ok := strings.CutPrefix(s, scheme+"www.opengis.net/def/crs/"+authority); ok {
			return rest, true
		}
	}
	return "", false
}

// versioned drops the version segment from "<version>:<code>" (URN) or
// "<version>/<code>" (URL); the version may be empty.
func versioned(rest string) string {
	if i := strings.LastIndexAny(rest, ":/"); i >= 0 {
		return rest[i+1:]
	}
	return rest
}
