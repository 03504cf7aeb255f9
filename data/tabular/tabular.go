// Package tabular reads the CSV files public bodies publish: UTF-8 byte-order
// marks, header rows present or absent, quoted numbers with thousands
// separators ("1,296"), trailing spaces, and columns chosen by name or
// position. Every error names the file, the line and the column.
package tabular

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors wrapped by ParseError.
var (
	ErrNotNumber     = errors.New("not a number")
	ErrNegative      = errors.New("negative count")
	ErrMissing       = errors.New("missing value")
	ErrBadDate       = errors.New("not a date")
	ErrNoColumn      = errors.New("no such column")
	ErrMalformed     = errors.New("malformed CSV")
	ErrEmpty         = errors.New("file is empty")
	ErrTooLarge      = errors.New("file is too large")
	ErrOutOfRange    = errors.New("value out of range")
	ErrNotAFraction  = errors.New("not a proportion between 0 and 1")
	ErrFieldCount    = errors.New("wrong number of fields")
	errHeaderUnknown = errors.New("header unknown")
)

// ParseError locates a problem in a file.
type ParseError struct {
	File   string
	Line   int    // 1-based; 0 when not tied to a line
	Column string // column name or "column N"
	Err    error
}

func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("tabular: ")
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ": line %d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ": column %q", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *ParseError) Unwrap() error { return e.Err }

// HeaderMode says whether the first row holds column names.
type HeaderMode int

const (
	// HeaderPresent: the first row names the columns (the zero value).
	HeaderPresent HeaderMode = iota
	// HeaderAbsent: every row is data; columns are chosen by position.
	HeaderAbsent
	// HeaderAuto: Options.IsHeader decides from the first row.
	HeaderAuto
)

// Options configure a Reader.
type Options struct {
	// Name is the file name used in errors.
	Name   string
	Header HeaderMode
	// IsHeader decides, for HeaderAuto, whether the first row is a header.
	IsHeader func(first []string) bool
	// Comma is the field delimiter; zero means ','.
	Comma rune
	// MaxBytes limits how much is read; zero means 1 GiB.
	MaxBytes int64
}

// Column picks a column by header name (matched case-insensitively, spaces
// trimmed) or by 1-based position.
type Column struct {
	Name     string
	Position int
}

func (c Column) String() string {
	if c.Name != "" {
		return c.Name
	}
	return fmt.Sprintf("column %d", c.Position)
}

// IsZero reports whether the column is unset.
func (c Column) IsZero() bool { return c.Name == "" && c.Position == 0 }

// Reader reads rows.
type Reader struct {
	name    string
	csv     *csv.Reader
	header  []string
	index   map[string]int
	pending []string // first data row read while detecting a header
	pendLn  int
	limited *io.LimitedReader
	max     int64
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// NewReader starts reading r. It reads the header row when there is one.
func NewReader(r io.Reader, opts Options) (*Reader, error) {
	max := opts.MaxBytes
	if max <= 0 {
		max = 1 << 30
	}
	limited := &io.LimitedReader{R: r, N: max + 1}
	br := bufio.NewReaderSize(limited, 64<<10)
	if head, err := br.Peek(3); err == nil && bytes.Equal(head, bom) {
		_, _ = br.Discard(3)
	}
	c := csv.NewReader(br)
	if opts.Comma != 0 {
		c.Comma = opts.Comma
	}
	c.FieldsPerRecord = -1
	c.ReuseRecord = false
	rd := &Reader{name: opts.Name, csv: c, limited: limited, max: max}
	first, err := c.Read()
	if errors.Is(err, io.EOF) {
		return nil, &ParseError{File: opts.Name, Err: ErrEmpty}
	}
	if err != nil {
		return nil, rd.wrapCSV(err)
	}
	header := opts.Header == HeaderPresent
	if opts.Header == HeaderAuto {
		if opts.IsHeader == nil {
			return nil, &ParseError{File: opts.Name, Err: errHeaderUnknown}
		}
		header = opts.IsHeader(first)
	}
	if header {
		rd.header = make([]string, len(first))
		rd.index = make(map[string]int, len(first))
		for i, h := range first {
			h = strings.ToLower(strings.TrimSpace(h))
			rd.header[i] = h
			if _, dup := rd.index[h]; !dup {
				rd.index[h] = i
			}
		}
	} else {
		rd.pending = first
		rd.pendLn, _ = c.FieldPos(0)
	}
	return rd, nil
}

func (r *Reader) wrapCSV(err error) error {
	if r.limited.N <= 0 {
		return &ParseError{File: r.name, Err: fmt.Errorf("%w: over %d bytes", ErrTooLarge, r.max)}
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: r.name, Line: pe.Line, Err: fmt.Errorf("%w: %w", ErrMalformed, pe.Err)}
	}
	return &ParseError{File: r.name, Err: err}
}

// HasHeader reports whether the file had a header row.
func (r *Reader) HasHeader() bool { return r.header != nil }

// Header is the header row's column names (nil without a header).
func (r *Reader) Header() []string { return slices.Clone(r.header) }

// Name is the file name used in errors.
func (r *Reader) Name() string { return r.name }

// Resolve finds a column's 0-based index.
func (r *Reader) Resolve(c Column) (int, error) {
	if c.Name != "" && r.header != nil {
		if i, ok := r.index[strings.ToLower(strings.TrimSpace(c.Name))]; ok {
			return i, nil
		}
		return 0, &ParseError{File: r.name, Line: 1, Column: c.Name, Err: fmt.Errorf("%w (header has %s)", ErrNoColumn, strings.Join(r.header, ", "))}
	}
	if c.Position > 0 {
		return c.Position - 1, nil
	}
	if c.Name != "" {
		return 0, &ParseError{File: r.name, Column: c.Name, Err: fmt.Errorf("%w: the file has no header row; give a position", ErrNoColumn)}
	}
	return 0, &ParseError{File: r.name, Err: fmt.Errorf("%w: column not specified", ErrNoColumn)}
}

// Next returns the next data row, or io.EOF after the last.
func (r *Reader) Next() (Row, error) {
	if r.pending != nil {
		row := Row{Line: r.pendLn, fields: r.pending, reader: r}
		r.pending = nil
		return row, nil
	}
	for {
		rec, err := r.csv.Read()
		if errors.Is(err, io.EOF) {
			if r.limited.N <= 0 {
				return Row{}, &ParseError{File: r.name, Err: fmt.Errorf("%w: over %d bytes", ErrTooLarge, r.max)}
			}
			return Row{}, io.EOF
		}
		if err != nil {
			return Row{}, r.wrapCSV(err)
		}
		line, _ := r.csv.FieldPos(0)
		if blank(rec) {
			continue
		}
		if r.header != nil && len(rec) != len(r.header) {
			// An unquoted "2,700" splits one value into two fields and
			// shifts every column after it: never read such a row.
			return Row{}, &ParseError{File: r.name, Line: line, Err: fmt.Errorf("%w: %d fields, the header has %d (an unquoted comma inside a value?)", ErrFieldCount, len(rec), len(r.header))}
		}
		return Row{Line: line, fields: rec, reader: r}, nil
	}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// Row is one data row.
type Row struct {
	Line   int
	fields []string
	reader *Reader
}

// Fields returns the raw fields.
func (row Row) Fields() []string { return row.fields }

// Err builds a ParseError for this row.
func (row Row) Err(column string, err error) error {
	return &ParseError{File: row.reader.name, Line: row.Line, Column: column, Err: err}
}

func (row Row) columnName(i int) string {
	if row.reader.header != nil && i < len(row.reader.header) {
		return row.reader.header[i]
	}
	return fmt.Sprintf("column %d", i+1)
}

// Text returns the trimmed field at index i ("" when the row is short).
func (row Row) Text(i int) string {
	if i < 0 || i >= len(row.fields) {
		return ""
	}
	return strings.TrimSpace(row.fields[i])
}

// Required returns the trimmed field, or an error when it is blank.
func (row Row) Required(i int) (string, error) {
	s := row.Text(i)
	if s == "" {
		return "", row.Err(row.columnName(i), ErrMissing)
	}
	return s, nil
}

// cleanNumber removes thousands separators ("1,296" → "1296") and
// surrounding spaces. Commas anywhere else ("3,0", "12,34") make the value
// invalid rather than silently different.
func cleanNumber(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, ",") {
		return s
	}
	if !thousands.MatchString(s) {
		return "invalid"
	}
	return strings.ReplaceAll(s, ",", "")
}

var thousands = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)

// wholeNumber matches integers written with a zero fraction ("12.0").
var wholeNumber = regexp.MustCompile(`^[+-]?\d+\.0+$`)

// Count reads a non-negative integer. Blank is ErrMissing, so suppressed
// values are never read as zero; use OptionalCount to allow them.
func (row Row) Count(i int) (int, error) {
	n, ok, err := row.OptionalCount(i)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, row.Err(row.columnName(i), ErrMissing)
	}
	return n, nil
}

// OptionalCount reads a non-negative integer; ok is false when blank.
func (row Row) OptionalCount(i int) (n int, ok bool, err error) {
	raw := row.Text(i)
	if raw == "" {
		return 0, false, nil
	}
	s := cleanNumber(raw)
	if wholeNumber.MatchString(s) {
		// "12.0" style integers written by spreadsheets.
		s = s[:strings.IndexByte(s, '.')]
	}
	v, perr := strconv.ParseInt(s, 10, 64)
	if perr != nil {
		return 0, false, row.Err(row.columnName(i), fmt.Errorf("%w: %q", ErrNotNumber, raw))
	}
	if v < 0 {
		return 0, false, row.Err(row.columnName(i), fmt.Errorf("%w: %q", ErrNegative, raw))
	}
	if v > math.MaxInt32*64 {
		return 0, false, row.Err(row.columnName(i), fmt.Errorf("%w: %q", ErrOutOfRange, raw))
	}
	return int(v), true, nil
}

// Float reads a finite number. Blank is ErrMissing.
func (row Row) Float(i int) (float64, error) {
	f, ok, err := row.OptionalFloat(i)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, row.Err(row.columnName(i), ErrMissing)
	}
	return f, nil
}

// OptionalFloat reads a finite number; ok is false when blank or "NA".
func (row Row) OptionalFloat(i int) (f float64, ok bool, err error) {
	raw := row.Text(i)
	if raw == "" || strings.EqualFold(raw, "NA") {
		return 0, false, nil
	}
	f, perr := strconv.ParseFloat(cleanNumber(raw), 64)
	if perr != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false, row.Err(row.columnName(i), fmt.Errorf("%w: %q", ErrNotNumber, raw))
	}
	return f, true, nil
}

// Proportion reads a number between 0 and 1.
func (row Row) Proportion(i int) (float64, error) {
	f, err := row.Float(i)
	if err != nil {
		return 0, err
	}
	if f < 0 || f > 1 {
		return 0, row.Err(row.columnName(i), fmt.Errorf("%w: %g", ErrNotAFraction, f))
	}
	return f, nil
}

// Date reads a date in any of the layouts; ok is false when blank.
func (row Row) Date(i int, layouts ...string) (t time.Time, ok bool, err error) {
	raw := row.Text(i)
	if raw == "" {
		return time.Time{}, false, nil
	}
	for _, l := range layouts {
		if t, perr := time.Parse(l, raw); perr == nil {
			return calendarDay(t), true, nil
		}
		// Month names in upper case ("01JAN2021").
		if t, perr := time.Parse(l, titleMonth(raw)); perr == nil {
			return calendarDay(t), true, nil
		}
	}
	return time.Time{}, false, row.Err(row.columnName(i), fmt.Errorf("%w: %q (expected %s)", ErrBadDate, raw, strings.Join(layouts, " or ")))
}

// calendarDay keeps the date as written, in the value's own time zone, as
// midnight UTC: "2021-01-01T00:00:00+01:00" is 1 January, not 31 December.
func calendarDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// titleMonth turns "01JAN2021" into "01Jan2021" so time.Parse accepts it.
func titleMonth(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if isUpper(b[i]) && isUpper(b[i+1]) && isUpper(b[i+2]) {
			b[i+1] += 'a' - 'A'
			b[i+2] += 'a' - 'A'
			i += 2
		}
	}
	return string(b)
}

func isUpper(c byte) bool { return c >= 'A' && c <= 'Z' }
