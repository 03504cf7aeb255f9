package assign

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/geo/reproject"
	"github.com/placeteam/placeteam/geo/validity"
)

// Columns names the input columns a row's point comes from: Lon and Lat,
// or Easting and Northing, or Postcode. All empty: found from the header
// (see the package documentation).
type Columns struct {
	Lon, Lat          string
	Easting, Northing string
	Postcode          string
}

// Mode is how points are read.
type Mode int

const (
	ModeLonLat Mode = iota + 1
	ModeNationalGrid
	ModePostcode
)

// ErrColumns is wrapped when Columns mixes modes or names half a pair.
var ErrColumns = errors.New("name the lon and lat columns, or easting and northing, or postcode: one pair or the postcode")

// mode checks that the columns name exactly one way to read points; 0 when
// none is named.
func (c Columns) mode() (Mode, error) {
	var modes []Mode
	pair := func(a, b string, m Mode) error {
		switch {
		case a != "" && b != "":
			modes = append(modes, m)
		case a != "" || b != "":
			return ErrColumns
		}
		return nil
	}
	if err := pair(c.Lon, c.Lat, ModeLonLat); err != nil {
		return 0, err
	}
	if err := pair(c.Easting, c.Northing, ModeNationalGrid); err != nil {
		return 0, err
	}
	if c.Postcode != "" {
		modes = append(modes, ModePostcode)
	}
	switch len(modes) {
	case 0:
		return 0, nil
	case 1:
		return modes[0], nil
	}
	return 0, ErrColumns
}

// Header names tried, in order, when no column is named.
var (
	lonNames      = []string{"lon", "longitude", "long", "lng"}
	latNames      = []string{"lat", "latitude"}
	eastingNames  = []string{"easting", "eastings", "x_easting", "oseast1m"}
	northingNames = []string{"northing", "northings", "y_northing", "osnrth1m"}
	postcodeNames = []string{"postcode", "post_code", "pcds", "pcd"}
)

// Postcodes maps normalised postcodes (importer.NormalizePostcode: upper
// case, no spaces) to their centroids (lon/lat).
type Postcodes map[string]orb.Point

// Lookup finds a postcode written any way ("m13 9wl", "M139WL").
func (p Postcodes) Lookup(postcode string) (orb.Point, bool) {
	pt, ok := p[importer.NormalizePostcode(postcode)]
	return pt, ok
}

// British National Grid extents (metres): the grid's true origin is south
// west of the Scilly Isles; it covers 700 km east and 1,300 km north.
const (
	maxEasting  = 700_000
	maxNorthing = 1_300_000
)

// locator turns a row's cells into a point.
type locator struct {
	mode      Mode
	a, b      int // columns: lon/lat, easting/northing, or postcode (a)
	postcodes Postcodes
	toLonLat  orb.Projection
	names     [2]string // column names, for reasons
}

// newLocator resolves the columns against header (lower-cased, trimmed
// names; index of the first of each name). It fails with ErrNoColumn.
func newLocator(cols Columns, index map[string]int, postcodes Postcodes) (*locator, error) {
	mode, err := cols.mode()
	if err != nil {
		return nil, err
	}
	find := func(name string) (int, error) {
		if i, ok := index[strings.ToLower(strings.TrimSpace(name))]; ok {
			return i, nil
		}
		return 0, fmt.Errorf("%w %q", ErrNoColumn, name)
	}
	first := func(names []string) (string, bool) {
		for _, n := range names {
			if _, ok := index[n]; ok {
				return n, true
			}
		}
		return "", false
	}
	if mode == 0 {
		lon, okLon := first(lonNames)
		lat, okLat := first(latNames)
		east, okE := first(eastingNames)
		north, okN := first(northingNames)
		pc, okP := first(postcodeNames)
		switch {
		case okLon && okLat:
			cols, mode = Columns{Lon: lon, Lat: lat}, ModeLonLat
		case okE && okN:
			cols, mode = Columns{Easting: east, Northing: north}, ModeNationalGrid
		case okP:
			cols, mode = Columns{Postcode: pc}, ModePostcode
		default:
			return nil, fmt.Errorf("%w: name the location columns (no lon/lat, easting/northing or postcode column found)", ErrNoColumn)
		}
	}
	l := &locator{mode: mode, postcodes: postcodes}
	var aName, bName string
	switch mode {
	case ModeLonLat:
		aName, bName = cols.Lon, cols.Lat
	case ModeNationalGrid:
		aName, bName = cols.Easting, cols.Northing
		if l.toLonLat, err = reproject.LonLatProjection(reproject.BritishNationalGrid); err != nil {
			return nil, err
		}
	case ModePostcode:
		if postcodes == nil {
			return nil, ErrNoPostcodes
		}
		aName = cols.Postcode
	}
	if l.a, err = find(aName); err != nil {
		return nil, err
	}
	l.names[0] = aName
	if bName != "" {
		if l.b, err = find(bName); err != nil {
			return nil, err
		}
		l.names[1] = bName
	}
	return l, nil
}

// ErrNoColumn is wrapped when the header lacks a column.
var ErrNoColumn = errors.New("no such column")

// ErrNoPostcodes is wrapped when rows are placed by postcode without a
// postcode table.
var ErrNoPostcodes = errors.New("placing by postcode needs a postcode file (ONSPD centroids)")

// width is the number of cells the locator reads past: a row shorter than
// this cannot be located.
func (l *locator) width() int { return max(l.a, l.b) + 1 }

// point reads the row's point. On failure it returns the status and a
// reason (without the line).
func (l *locator) point(row []string) (orb.Point, Status, string) {
	switch l.mode {
	case ModePostcode:
		pc := strings.TrimSpace(row[l.a])
		if pc == "" {
			return orb.Point{}, StatusMissingLocation, fmt.Sprintf("%s is blank", l.names[0])
		}
		p, ok := l.postcodes.Lookup(pc)
		if !ok {
			return orb.Point{}, StatusUnknownPostcode, fmt.Sprintf("postcode %q is not in the postcode file", pc)
		}
		return p, StatusPlaced, ""
	}
	x, status, reason := l.number(row, 0)
	if status != StatusPlaced {
		return orb.Point{}, status, reason
	}
	y, status, reason := l.number(row, 1)
	if status != StatusPlaced {
		return orb.Point{}, status, reason
	}
	if l.mode == ModeNationalGrid {
		if x < 0 || x > maxEasting || y < 0 || y > maxNorthing {
			return orb.Point{}, StatusBadCoordinates, fmt.Sprintf("(%s, %s) is outside the British National Grid (easting 0–700000, northing 0–1300000)", formatFloat(x), formatFloat(y))
		}
		p := l.toLonLat(orb.Point{x, y})
		if err := validity.LonLat(p); err != nil {
			return orb.Point{}, StatusBadCoordinates, fmt.Sprintf("(%s, %s) does not reproject to lon/lat", formatFloat(x), formatFloat(y))
		}
		return p, StatusPlaced, ""
	}
	return lonLat(x, y, l.names[0], l.names[1])
}

// lonLat checks a longitude and latitude (finite already) for range.
func lonLat(x, y float64, lonName, latName string) (orb.Point, Status, string) {
	if x < -180 || x > 180 {
		return orb.Point{}, StatusBadCoordinates, fmt.Sprintf("%s %s is outside [-180, 180]", lonName, formatFloat(x))
	}
	if y < -90 || y > 90 {
		return orb.Point{}, StatusBadCoordinates, fmt.Sprintf("%s %s is outside [-90, 90]", latName, formatFloat(y))
	}
	return orb.Point{x, y}, StatusPlaced, ""
}

// number parses cell i (0: a, 1: b) as a finite float.
func (l *locator) number(row []string, i int) (float64, Status, string) {
	col := l.a
	if i == 1 {
		col = l.b
	}
	s := strings.TrimSpace(row[col])
	if s == "" {
		return 0, StatusMissingLocation, fmt.Sprintf("%s is blank", l.names[i])
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, StatusBadCoordinates, fmt.Sprintf("%s %q is not a finite number", l.names[i], s)
	}
	return v, StatusPlaced, ""
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
