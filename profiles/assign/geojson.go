package assign

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"
)

// ErrNotFeatureCollection is wrapped when a GeoJSON input is not a
// FeatureCollection.
var ErrNotFeatureCollection = errors.New("not a GeoJSON FeatureCollection")

// inFeature is one input feature; geometry and properties are kept as
// they came, apart from the properties assign adds.
type inFeature struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id,omitempty"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

type inGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

type outFeature struct {
	Type       string                     `json:"type"`
	ID         json.RawMessage            `json:"id,omitempty"`
	Geometry   json.RawMessage            `json:"geometry"`
	Properties map[string]json.RawMessage `json:"properties"`
}

// maxValueBytes bounds one feature or foreign member of a GeoJSON input.
const maxValueBytes = 8 << 20

// errValueTooLarge is the input error of a feature over maxValueBytes.
var errValueTooLarge = fmt.Errorf("a feature or member larger than %d bytes", maxValueBytes)

// valueLimit fails a read once more than max bytes have been read since
// the last mark (the start of the value being decoded, give or take the
// decoder's read-ahead).
type valueLimit struct {
	r    io.Reader
	max  int
	read int
}

func (l *valueLimit) mark() { l.read = 0 }

func (l *valueLimit) Read(p []byte) (int, error) {
	if l.read > l.max {
		return 0, errValueTooLarge
	}
	n, err := l.r.Read(p[:min(len(p), 64<<10)]) // small reads: the count stays close
	l.read += n
	if err == nil && l.read > l.max {
		err = errValueTooLarge
	}
	return n, err
}

// GeoJSON reads a FeatureCollection of points (RFC 7946: lon/lat) from r
// and writes it to w, one feature at a time, with OutputColumns added to
// every feature's properties (null where empty) and a "summary" member
// (Summary) after the features. Line numbers are feature numbers (1-based).
// Nothing is written before the "features" array is reached, so input that
// is not a FeatureCollection leaves w untouched; a syntax error part-way
// through ends the output with an "error" member and is returned. Only
// opts.Name and opts.MaxProblems are used.
func GeoJSON(ctx context.Context, a *Assigner, r io.Reader, w io.Writer, opts Options) (*Summary, error) {
	// A feature (or foreign member) is decoded whole: none may be longer
	// than maxValueBytes, so one value cannot take the memory a body cap
	// allows.
	lim := &valueLimit{r: bufio.NewReaderSize(r, 64<<10), max: maxValueBytes}
	dec := json.NewDecoder(lim)
	inputErr := func(err error) *InputError {
		where := ""
		var se *json.SyntaxError
		if errors.As(err, &se) {
			where = "byte " + strconv.FormatInt(se.Offset, 10)
		} else if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			err = fmt.Errorf("%w: the input ends early", ErrNotFeatureCollection)
		}
		return &InputError{Name: opts.Name, Where: where, Err: err}
	}
	if tok, err := dec.Token(); err != nil {
		return nil, inputErr(err)
	} else if tok != json.Delim('{') {
		return nil, &InputError{Name: opts.Name, Err: ErrNotFeatureCollection}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	sum := newSummary(opts.MaxProblems)
	started, sawFeatures := false, false
	// fatal ends a started output with an error member.
	fatal := func(err error) (*Summary, error) {
		if started {
			msg, _ := json.Marshal(err.Error())
			fmt.Fprintf(bw, `],"error":%s}`+"\n", msg)
			_ = bw.Flush()
		}
		return sum, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fatal(inputErr(err))
		}
		key, _ := tok.(string)
		switch key {
		case "type":
			var t string
			if err := dec.Decode(&t); err != nil || t != "FeatureCollection" {
				return fatal(&InputError{Name: opts.Name, Err: fmt.Errorf("%w (type %q)", ErrNotFeatureCollection, t)})
			}
		case "features":
			if sawFeatures {
				return fatal(&InputError{Name: opts.Name, Err: fmt.Errorf("%w: two features members", ErrNotFeatureCollection)})
			}
			sawFeatures = true
			if tok, err := dec.Token(); err != nil {
				return fatal(inputErr(err))
			} else if tok != json.Delim('[') {
				return fatal(&InputError{Name: opts.Name, Err: fmt.Errorf("%w: features is not an array", ErrNotFeatureCollection)})
			}
			started = true
			bw.WriteString(`{"type":"FeatureCollection","features":[`)
			for n := 1; dec.More(); n++ {
				if n%checkEvery == 0 {
					if err := ctx.Err(); err != nil {
						return fatal(err)
					}
				}
				var f inFeature
				lim.mark()
				if err := dec.Decode(&f); err != nil {
					var te *json.UnmarshalTypeError
					if !errors.As(err, &te) {
						return fatal(inputErr(err))
					}
					f = inFeature{} // a value of the wrong type: reported as malformed
				}
				out := a.placeFeature(&f, n, sum)
				if n > 1 {
					bw.WriteByte(',')
				}
				b, err := json.Marshal(out)
				if err != nil {
					return fatal(err)
				}
				if _, err := bw.Write(b); err != nil {
					return sum, err
				}
			}
			if _, err := dec.Token(); err != nil { // ]
				return fatal(inputErr(err))
			}
		default:
			var skip json.RawMessage // foreign members (bbox, name, …) are dropped
			lim.mark()
			if err := dec.Decode(&skip); err != nil {
				return fatal(inputErr(err))
			}
		}
	}
	if _, err := dec.Token(); err != nil { // }
		return fatal(inputErr(err))
	}
	if !sawFeatures {
		return sum, &InputError{Name: opts.Name, Err: fmt.Errorf("%w: no features member", ErrNotFeatureCollection)}
	}
	s, err := json.Marshal(sum)
	if err != nil {
		return sum, err
	}
	fmt.Fprintf(bw, `],"summary":%s}`+"\n", s)
	return sum, bw.Flush()
}

// placeFeature places one feature and records it in sum.
func (a *Assigner) placeFeature(f *inFeature, n int, sum *Summary) outFeature {
	var pl Placement
	reason := ""
	if f.Type != "Feature" {
		pl.Status, reason = StatusMalformedRow, "not a GeoJSON Feature"
	} else {
		p, status, why := featurePoint(f.Geometry)
		if status != StatusPlaced {
			pl.Status, reason = status, why
		} else if pl = a.Place(p); pl.Status == StatusOutsideCity {
			reason = a.outsideReason()
		}
	}
	if reason != "" {
		reason = "feature " + strconv.Itoa(n) + ": " + reason
	}
	sum.add(n, pl.Status, reason)
	props := f.Properties
	if props == nil {
		props = make(map[string]json.RawMessage, len(OutputColumns))
	}
	for i, v := range [...]string{pl.WardCode, pl.WardName, pl.LSOACode, pl.TeamID, pl.TeamName, pl.LocalityID, string(pl.Status), reason} {
		props[OutputColumns[i]] = jsonString(v)
	}
	geometry := f.Geometry
	if len(geometry) == 0 {
		geometry = json.RawMessage("null")
	}
	return outFeature{Type: "Feature", ID: f.ID, Geometry: geometry, Properties: props}
}

// featurePoint reads a Point geometry's position.
func featurePoint(raw json.RawMessage) (orb.Point, Status, string) {
	if len(raw) == 0 || string(raw) == "null" {
		return orb.Point{}, StatusMissingLocation, "the feature has no geometry"
	}
	var g inGeometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return orb.Point{}, StatusNotAPoint, "the geometry is not a GeoJSON object"
	}
	if g.Type != "Point" {
		return orb.Point{}, StatusNotAPoint, fmt.Sprintf("the geometry is a %q, not a Point", g.Type)
	}
	var pos []float64
	if err := json.Unmarshal(g.Coordinates, &pos); err != nil || len(pos) < 2 {
		return orb.Point{}, StatusBadCoordinates, "the Point's coordinates are not a position [lon, lat]"
	}
	if math.IsNaN(pos[0]) || math.IsNaN(pos[1]) || math.IsInf(pos[0], 0) || math.IsInf(pos[1], 0) {
		return orb.Point{}, StatusBadCoordinates, "the Point's coordinates are not finite"
	}
	return lonLat(pos[0], pos[1], "longitude", "latitude")
}

var jsonNull = json.RawMessage("null")

func jsonString(s string) json.RawMessage {
	if s == "" {
		return jsonNull
	}
	b, _ := json.Marshal(s)
	return b
}
