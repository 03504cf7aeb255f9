// Package geojsonfile reads GeoJSON FeatureCollections from public boundary
// and point downloads (ONS Open Geography, NHS, OS) into orb geometry in
// WGS84 lon/lat.
//
// Files may be RFC 7946 (no crs member: lon/lat), carry the legacy crs member
// naming CRS84 or EPSG:4326 (read as lon/lat, the axis order GDAL writes), or
// EPSG:27700 British National Grid, which is reprojected. Rings are checked
// with geo/validity after reprojection. Every problem is reported as an
// *Error naming the file and, where it applies, the feature.
package geojsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/geo/reproject"
)

// DefaultMaxBytes is the size limit when Options.MaxBytes is 0.
const DefaultMaxBytes = 512 << 20

// Want says which geometries a layer holds.
type Want int

const (
	// WantAny accepts every GeoJSON geometry type and returns it as decoded
	// (Polygon as orb.Polygon, GeometryCollection as orb.Collection).
	WantAny Want = iota
	// WantPolygons accepts Polygon and MultiPolygon and always returns
	// orb.MultiPolygon, so area layers have a single geometry type.
	WantPolygons
	// WantPoints accepts Point (and a MultiPoint holding one point) and
	// returns orb.Point.
	WantPoints
)

// Options configure Read. The zero value reads any geometry with the
// default size limit.
type Options struct {
	Name     string // file name used in errors; "input" when empty
	MaxBytes int64  // largest input accepted; 0 or less means DefaultMaxBytes
	Want     Want
}

// Collection is a decoded FeatureCollection.
type Collection struct {
	// CRS is the coordinate reference system the file declared (CRS84 when
	// it had no crs member). Features are always WGS84 lon/lat.
	CRS      reproject.CRS
	Features []Feature
}

// Feature is one GeoJSON feature.
type Feature struct {
	Index      int            // position in the file's features array, from 0
	Properties map[string]any // as encoding/json decodes them: numbers are float64
	Geometry   orb.Geometry   // lon/lat; shaped by Options.Want
}

// ReadFile reads the GeoJSON file at path. Options.Name defaults to the
// file's base name.
func ReadFile(path string, opts Options) (*Collection, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("geojsonfile: %w", err)
	}
	defer f.Close()
	if opts.Name == "" {
		opts.Name = filepath.Base(path)
	}
	return Read(f, opts)
}

// Read decodes a GeoJSON FeatureCollection from r, reprojecting to lon/lat
// and validating every geometry. It stops at the first problem.
func Read(r io.Reader, opts Options) (*Collection, error) {
	name := opts.Name
	if name == "" {
		name = "input"
	}
	limit := opts.MaxBytes
	if limit <= 0 {
		limit = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("geojsonfile: %s: read: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, &Error{File: name, Feature: -1, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)}
	}
	d := &decoder{name: name, data: data, want: opts.Want}
	return d.decode()
}

// decoder walks the top level of the document with json.Decoder tokens, so
// each feature is decoded on its own and errors know the feature's index.
type decoder struct {
	name string
	data []byte // input after any byte order mark; offsets count from here
	want Want
	dec  *json.Decoder
}

// rawFeature is a feature before its geometry is decoded.
type rawFeature struct {
	Type       string          `json:"type"`
	Properties map[string]any  `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

// pendingFeature waits for the crs member, which may follow the features.
type pendingFeature struct {
	feature Feature
	offset  int64 // of the feature's opening brace, for error positions
}

func (d *decoder) decode() (*Collection, error) {
	d.data = bytes.TrimPrefix(d.data, []byte("\xef\xbb\xbf"))
	d.dec = json.NewDecoder(bytes.NewReader(d.data))

	tok, err := d.dec.Token()
	if err == io.EOF {
		return nil, d.fileError(wrapf(ErrMalformedJSON, "file is empty"))
	}
	if err != nil {
		return nil, d.jsonError(err, -1)
	}
	if tok != json.Delim('{') {
		return nil, d.fileError(wrapf(ErrNotFeatureCollection, "top level is %s, not an object", describeToken(tok)))
	}

	var (
		typ         string
		sawType     bool
		crsMember   json.RawMessage
		sawFeatures bool
		pending     []pendingFeature
	)
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return nil, d.jsonError(err, -1)
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			sawType = true
			if err := d.dec.Decode(&typ); err != nil {
				return nil, d.memberError(err, "type")
			}
		case "crs":
			if err := d.dec.Decode(&crsMember); err != nil {
				return nil, d.jsonError(err, -1)
			}
		case "features":
			sawFeatures = true
			if pending, err = d.features(); err != nil {
				return nil, err
			}
		default:
			var skip json.RawMessage
			if err := d.dec.Decode(&skip); err != nil {
				return nil, d.jsonError(err, -1)
			}
		}
	}
	if _, err := d.dec.Token(); err != nil { // the closing brace
		return nil, d.jsonError(err, -1)
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return nil, d.jsonError(err, -1) // data after the top-level object
	}

	switch {
	case !sawType:
		return nil, d.fileError(wrapf(ErrNotFeatureCollection, "top-level object has no type member"))
	case typ != "FeatureCollection":
		return nil, d.fileError(wrapf(ErrNotFeatureCollection, "type is %q", typ))
	case !sawFeatures:
		return nil, d.fileError(wrapf(ErrNotFeatureCollection, "no features member"))
	}

	crs, declared, err := parseCRSMember(crsMember)
	if err != nil {
		return nil, d.fileError(err)
	}
	c := &Collection{CRS: crs, Features: make([]Feature, 0, len(pending))}
	for _, p := range pending {
		f := p.feature
		if err := d.finish(&f, crs, declared); err != nil {
			return nil, d.featureError(err, f.Index, p.offset)
		}
		c.Features = append(c.Features, f)
	}
	return c, nil
}

// features reads the features array, decoding each geometry in the file's
// own coordinates.
func (d *decoder) features() ([]pendingFeature, error) {
	tok, err := d.dec.Token()
	if err != nil {
		return nil, d.jsonError(err, -1)
	}
	if tok != json.Delim('[') {
		return nil, d.fileError(wrapf(ErrNotFeatureCollection, "features is %s, not an array", describeToken(tok)))
	}
	var out []pendingFeature
	for index := 0; d.dec.More(); index++ {
		offset := d.valueStart()
		var raw rawFeature
		if err := d.dec.Decode(&raw); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				return nil, d.featureError(wrapf(ErrInvalidGeoJSON, "%s", describeTypeError(typeErr)), index, offset)
			}
			return nil, d.jsonError(err, index)
		}
		if raw.Type != "Feature" {
			return nil, d.featureError(wrapf(ErrInvalidGeoJSON, "type is %q, want \"Feature\"", raw.Type), index, offset)
		}
		if len(raw.Geometry) == 0 || string(raw.Geometry) == "null" {
			return nil, d.featureError(ErrNoGeometry, index, offset)
		}
		g, err := decodeGeometry(raw.Geometry, 0)
		if err != nil {
			return nil, d.featureError(err, index, offset)
		}
		out = append(out, pendingFeature{
			feature: Feature{Index: index, Properties: raw.Properties, Geometry: g},
			offset:  offset,
		})
	}
	if _, err := d.dec.Token(); err != nil { // the closing bracket
		return nil, d.jsonError(err, -1)
	}
	return out, nil
}

// finish shapes, reprojects and validates one feature's geometry.
func (d *decoder) finish(f *Feature, crs reproject.CRS, declared bool) error {
	g, err := shape(f.Geometry, d.want)
	if err != nil {
		return err
	}
	if err := checkCRS(g, crs, declared); err != nil {
		return err
	}
	if g, err = reproject.ToLonLat(g, crs); err != nil {
		return err
	}
	if err := validate(g); err != nil {
		return err
	}
	f.Geometry = g
	return nil
}

// valueStart is the offset of the next value in body: the decoder's offset
// sits before any space and comma that precede it.
func (d *decoder) valueStart() int64 {
	off := d.dec.InputOffset()
	for off < int64(len(d.data)) {
		switch d.data[off] {
		case ' ', '\t', '\n', '\r', ',':
			off++
			continue
		}
		break
	}
	return off
}

func (d *decoder) fileError(err error) *Error {
	return &Error{File: d.name, Feature: -1, Err: err}
}

func (d *decoder) featureError(err error, index int, offset int64) *Error {
	line, col := position(d.data, offset)
	return &Error{File: d.name, Line: line, Column: col, Feature: index, Err: err}
}

// jsonError reports an error from the streaming decoder. Its syntax error
// offsets count from the start of the value being decoded, not the file, so
// the whole input is scanned again for the exact position: this costs time
// only on the error path.
func (d *decoder) jsonError(err error, index int) *Error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return &Error{File: d.name, Feature: index, Err: wrapf(ErrNotFeatureCollection, "%s", describeTypeError(typeErr))}
	}
	var syntax *json.SyntaxError
	if !errors.As(json.Unmarshal(d.data, new(json.RawMessage)), &syntax) {
		return &Error{File: d.name, Feature: index, Err: wrapf(ErrMalformedJSON, "%w", err)}
	}
	// Offset counts the bytes read up to and including the bad one (the
	// last byte when the input ends too early).
	line, col := position(d.data, syntax.Offset-1)
	return &Error{File: d.name, Line: line, Column: col, Feature: index, Err: wrapf(ErrMalformedJSON, "%s", syntax.Error())}
}

func (d *decoder) memberError(err error, member string) *Error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return d.fileError(wrapf(ErrNotFeatureCollection, "%s member: got JSON %s, want a string", member, typeErr.Value))
	}
	return d.jsonError(err, -1)
}

func describeTypeError(e *json.UnmarshalTypeError) string {
	field := e.Field
	if field == "" {
		field = "feature"
	}
	return fmt.Sprintf("%s: got JSON %s, want %s", field, e.Value, jsonKind(e.Type.Kind().String()))
}

// jsonKind names a Go kind the way GeoJSON documentation would.
func jsonKind(kind string) string {
	switch kind {
	case "map", "struct":
		return "an object"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	}
	return kind
}

func describeToken(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '[' {
			return "an array"
		}
		return "an object"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", tok)
}
