package pgstore

import (
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/ewkb"
	"github.com/paulmach/orb/encoding/wkb"
)

// Column encodings shared by every table. Each encode has a decode that
// gives back an identical Go value. Writes go through pgx (COPY or query
// arguments); reads decode the raw binary values of each row (see record),
// which keeps loading a large dataset free of per-value reflection and lets
// repeated strings be shared.

// srid is the spatial reference of every geometry: WGS84 lon/lat.
const srid = 4326

// encodeTime stores t as timestamptz; a zero time is NULL. pgx truncates to
// microseconds, PostgreSQL's precision.
func encodeTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// encodeGeometry stores mp as EWKB with SRID 4326, what a geometry column's
// binary input takes; an empty geometry is NULL.
func encodeGeometry(mp orb.MultiPolygon) (any, error) {
	if len(mp) == 0 {
		return nil, nil
	}
	b, err := ewkb.Marshal(mp, srid)
	if err != nil {
		return nil, fmt.Errorf("geometry: %w", err)
	}
	return b, nil
}

// encodeFloat stores NaN as NULL (decodeFloat gives it back as NaN).
func encodeFloat(f float64) any {
	if math.IsNaN(f) {
		return nil
	}
	return f
}

// nullIfEmpty stores an optional reference ("" = none) as NULL so that a
// foreign key can check it; record.text reads NULL as "".
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// postgresEpoch is 2000-01-01 UTC, the zero of binary timestamptz, in Unix
// microseconds.
const postgresEpoch = 946_684_800_000_000

// record decodes the columns of the current row from their raw values, in
// binary format (text columns in either). The first problem is kept in err
// and later calls return zero values, so a loader reads a whole row and
// checks once.
type record struct {
	fields []pgconn.FieldDescription
	values [][]byte
	err    error
	// interned shares the strings of columns whose values repeat (codes
	// that other rows name, sources, levels) across the whole load; last
	// holds each column's previous shared value, which the next row often
	// repeats (a source, an area level), to skip the map.
	interned map[string]string
	last     []string
}

func (r *record) fail(i int, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("column %s: %s", r.fields[i].Name, fmt.Sprintf(format, args...))
	}
}

// binaryValue returns column i's raw value when it is of type oid in binary
// format; nil for NULL.
func (r *record) binaryValue(i int, oid uint32, size int) []byte {
	f := &r.fields[i]
	if f.DataTypeOID != oid || f.Format != pgtype.BinaryFormatCode {
		r.fail(i, "type %d in format %d, want type %d in binary", f.DataTypeOID, f.Format, oid)
		return nil
	}
	v := r.values[i]
	if v != nil && size > 0 && len(v) != size {
		r.fail(i, "%d bytes, want %d", len(v), size)
		return nil
	}
	return v
}

// textValue returns column i's raw text; nil for NULL.
func (r *record) textValue(i int) []byte {
	switch r.fields[i].DataTypeOID {
	case pgtype.TextOID, pgtype.VarcharOID, pgtype.BPCharOID, pgtype.NameOID:
		return r.values[i] // text's binary format is its text
	}
	r.fail(i, "type %d, want text", r.fields[i].DataTypeOID)
	return nil
}

// text reads a text column; NULL is "".
func (r *record) text(i int) string { return string(r.textValue(i)) }

// shared reads a text column whose values repeat, sharing one string per
// value.
func (r *record) shared(i int) string {
	b := r.textValue(i)
	if len(b) == 0 {
		return ""
	}
	if last := r.last[i]; last == string(b) { // no allocation for comparisons and lookups
		return last
	}
	s, ok := r.interned[string(b)]
	if !ok {
		s = string(b)
		r.interned[s] = s
	}
	r.last[i] = s
	return s
}

// integer reads a bigint or integer column; NULL is a problem.
func (r *record) integer(i int) int {
	switch r.fields[i].DataTypeOID {
	case pgtype.Int4OID:
		if v := r.binaryValue(i, pgtype.Int4OID, 4); v != nil {
			return int(int32(binary.BigEndian.Uint32(v)))
		}
	default:
		if v := r.binaryValue(i, pgtype.Int8OID, 8); v != nil {
			return int(int64(binary.BigEndian.Uint64(v)))
		}
	}
	if r.values[i] == nil {
		r.fail(i, "NULL integer")
	}
	return 0
}

// float reads a double precision column; NULL is NaN.
func (r *record) float(i int) float64 {
	v := r.binaryValue(i, pgtype.Float8OID, 8)
	if v == nil {
		return math.NaN()
	}
	return math.Float64frombits(binary.BigEndian.Uint64(v))
}

// boolean reads a boolean column; NULL is a problem.
func (r *record) boolean(i int) bool {
	v := r.binaryValue(i, pgtype.BoolOID, 1)
	if v == nil {
		if r.values[i] == nil {
			r.fail(i, "NULL boolean")
		}
		return false
	}
	return v[0] != 0
}

// time reads a timestamptz column in UTC; NULL is the zero time.
func (r *record) time(i int) time.Time {
	v := r.binaryValue(i, pgtype.TimestamptzOID, 8)
	if v == nil {
		return time.Time{}
	}
	micros := int64(binary.BigEndian.Uint64(v))
	if micros == math.MaxInt64 || micros == math.MinInt64 {
		r.fail(i, "infinite time")
		return time.Time{}
	}
	return time.UnixMicro(micros + postgresEpoch).UTC()
}

// geometry reads a bytea column of WKB (ST_AsBinary of a MultiPolygon
// column); NULL is a nil geometry.
func (r *record) geometry(i int) orb.MultiPolygon {
	v := r.binaryValue(i, pgtype.ByteaOID, 0)
	if v == nil {
		return nil
	}
	g, err := wkb.Unmarshal(v)
	if err != nil {
		if r.err == nil {
			r.err = fmt.Errorf("column %s: geometry: %w", r.fields[i].Name, err)
		}
		return nil
	}
	mp, ok := g.(orb.MultiPolygon)
	if !ok {
		r.fail(i, "geometry: stored %s, want MultiPolygon", g.GeoJSONType())
		return nil
	}
	return mp
}
