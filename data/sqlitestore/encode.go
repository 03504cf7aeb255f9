package sqlitestore

import (
	"database/sql"
	"fmt"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Column encodings shared by every table. Each encode has a decode that
// gives back an identical Go value.

// encodeTime stores t as RFC 3339 text in UTC with nanoseconds; a zero time
// is NULL.
func encodeTime(t time.Time) (any, error) {
	if t.IsZero() {
		return nil, nil
	}
	b, err := t.UTC().MarshalText()
	if err != nil {
		return nil, fmt.Errorf("time %v: %w", t, err)
	}
	return string(b), nil
}

// timeEncoder is encodeTime for a column whose values repeat (a million
// registrations share a few extract dates): it keeps the last time and its
// encoding, so a repeat costs neither formatting nor allocation.
type timeEncoder struct {
	last    time.Time
	encoded any
	valid   bool
}

func (e *timeEncoder) encode(t time.Time) (any, error) {
	if e.valid && t.Equal(e.last) {
		return e.encoded, nil
	}
	encoded, err := encodeTime(t)
	if err != nil {
		return nil, err
	}
	e.last, e.encoded, e.valid = t, encoded, true
	return encoded, nil
}

// decodeTime reads what encodeTime wrote, in UTC.
func decodeTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// timeDecoder is decodeTime for a column whose values repeat: it keeps the
// last text and its time, so a repeat is not parsed again.
type timeDecoder struct {
	last    sql.NullString
	decoded time.Time
	valid   bool
}

func (d *timeDecoder) decode(s sql.NullString) (time.Time, error) {
	if d.valid && s == d.last {
		return d.decoded, nil
	}
	t, err := decodeTime(s)
	if err != nil {
		return time.Time{}, err
	}
	d.last, d.decoded, d.valid = s, t, true
	return t, nil
}

// encodeGeometry stores mp as WKB (little-endian); an empty geometry is NULL.
func encodeGeometry(mp orb.MultiPolygon) (any, error) {
	if len(mp) == 0 {
		return nil, nil
	}
	b, err := wkb.Marshal(mp)
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	return b, nil
}

// decodeGeometry reads what encodeGeometry wrote; NULL is a nil geometry.
// b may be sql.RawBytes: nothing of it is kept.
func decodeGeometry(b []byte) (orb.MultiPolygon, error) {
	if b == nil {
		return nil, nil
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	mp, ok := g.(orb.MultiPolygon)
	if !ok {
		return nil, fmt.Errorf("geometry: stored %s, want MultiPolygon", g.GeoJSONType())
	}
	return mp, nil
}

// encodeFloat stores NaN as NULL explicitly (SQLite would anyway).
func encodeFloat(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

// decodeFloat reads what encodeFloat wrote: NULL is NaN.
func decodeFloat(f sql.NullFloat64) float64 {
	if !f.Valid {
		return math.NaN()
	}
	return f.Float64
}

// nullIfEmpty stores an optional reference ("" = none) as NULL so that a
// foreign key can check it; decode with sql.NullString's String field.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
