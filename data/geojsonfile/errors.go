package geojsonfile

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentinel errors, wrapped in an *Error that says where the problem is.
// Ring problems wrap the geo/validity sentinels (validity.ErrUnclosedRing,
// validity.ErrDegenerateRing, validity.ErrEmpty), non-finite or out-of-range
// positions wrap validity.ErrBadCoordinate, and an unknown crs wraps
// reproject.ErrUnknownCRS.
var (
	ErrTooLarge             = errors.New("file is too large")
	ErrMalformedJSON        = errors.New("malformed JSON")
	ErrNotFeatureCollection = errors.New("not a GeoJSON FeatureCollection")
	ErrInvalidGeoJSON       = errors.New("invalid GeoJSON")
	ErrNoGeometry           = errors.New("feature has no geometry")
	ErrGeometryType         = errors.New("unsupported geometry type")
	ErrCRSMismatch          = errors.New("coordinates do not fit the coordinate reference system")
)

// Error locates a problem in the input. Every error Read returns for bad
// input is an *Error; errors.Is sees the sentinel it wraps.
type Error struct {
	File string // Options.Name
	// Line and Column (1-based; the column counts characters, after any byte
	// order mark) locate JSON syntax errors and the start of the feature at
	// fault; 0 when unknown.
	Line, Column int
	Feature      int // index in the features array, -1 for file-level problems
	Err          error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("geojsonfile: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line) + ":" + strconv.Itoa(e.Column))
	}
	if e.Feature >= 0 {
		b.WriteString(": feature " + strconv.Itoa(e.Feature))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// position converts a byte offset in data to a 1-based line and column.
func position(data []byte, offset int64) (line, column int) {
	off := int(min(max(offset, 0), int64(len(data))))
	before := data[:off]
	line = 1
	lineStart := 0
	for i, c := range before {
		if c == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

// wrapf builds an error that wraps sentinel with detail.
func wrapf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
