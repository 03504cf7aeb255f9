package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
	"github.com/placeteam/placeteam/geo/validity"
)

// table reads one CSV file through its manifest column mapping.
type table struct {
	file  *manifest.File
	name  string
	r     *tabular.Reader
	col   map[string]int
	where map[int]func(string) bool
	stats *FileReport
}

func (im *importer) openTable(f *manifest.File, r io.Reader, name string, fr *FileReport) (*table, error) {
	opts := tabular.Options{Name: name}
	switch f.Header {
	case "absent":
		opts.Header = tabular.HeaderAbsent
	case "auto":
		opts.Header = tabular.HeaderAuto
		opts.IsHeader = headerDetector(f)
	}
	tr, err := tabular.NewReader(r, opts)
	if err != nil {
		return nil, err
	}
	t := &table{file: f, name: name, r: tr, col: map[string]int{}, where: map[int]func(string) bool{}, stats: fr}
	for logical, c := range f.EffectiveColumns() {
		i, err := tr.Resolve(tabular.Column{Name: c.Name, Position: c.Position})
		if err != nil {
			// Format defaults (epraccur positions) are only needed when used.
			if _, declared := f.Columns[logical]; !declared && !tr.HasHeader() {
				continue
			}
			return nil, err
		}
		t.col[logical] = i
	}
	for logical, cond := range f.Where {
		if logical == manifest.WhereInCity {
			continue // applied once practices are located (assemble)
		}
		i, ok := t.col[logical]
		if !ok {
			return nil, fmt.Errorf("%s: where names unmapped column %q", name, logical)
		}
		t.where[i] = cond.Matcher()
	}
	return t, nil
}

// headerDetector decides whether a positional file's first row is a header:
// it is when the cell where a code belongs does not look like one (the
// official epraccur has no header; copies often add one).
func headerDetector(f *manifest.File) func([]string) bool {
	return func(first []string) bool {
		if len(first) == 0 {
			return false
		}
		if f.Format == manifest.FormatEpraccur && len(first) >= 11 {
			open := strings.TrimSpace(first[10])
			return !isDigits(open) || len(open) != 8
		}
		cell := strings.ToLower(strings.TrimSpace(first[0]))
		return strings.Contains(cell, "code") || strings.Contains(cell, "name")
	}
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

func (t *table) has(logical string) bool { _, ok := t.col[logical]; return ok }

// each calls fn for every row kept by the file's where filter.
func (t *table) each(ctx context.Context, fn func(row tabular.Row) error) error {
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row, err := t.r.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		t.stats.Rows++
		if !t.keep(row) {
			t.stats.Skipped++
			continue
		}
		if err := fn(row); err != nil {
			return err
		}
	}
}

func (t *table) keep(row tabular.Row) bool {
	for i, match := range t.where {
		if !match(row.Text(i)) {
			return false
		}
	}
	return true
}

// code reads a required code, normalised to upper case.
func (t *table) code(row tabular.Row, logical string) (string, error) {
	s, err := row.Required(t.col[logical])
	return strings.ToUpper(s), err
}

func (t *table) text(row tabular.Row, logical string) string {
	i, ok := t.col[logical]
	if !ok {
		return ""
	}
	return row.Text(i)
}

// defaultDateLayouts are unambiguous layouts; day-first or month-first
// slashed dates ("04/01/2015") must be named in the manifest.
var defaultDateLayouts = []string{time.DateOnly, "20060102", "02Jan2006", time.RFC3339}

// date reads the row's date column, or the file's fixed date.
func (t *table) date(row tabular.Row) (time.Time, error) {
	if i, ok := t.col["date"]; ok {
		layouts := t.file.DateFormats
		if len(layouts) == 0 {
			layouts = defaultDateLayouts
		}
		d, ok, err := row.Date(i, layouts...)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			return d, nil
		}
		if t.file.Date == "" {
			return time.Time{}, row.Err("date", tabular.ErrMissing)
		}
	}
	d, err := time.Parse(time.DateOnly, t.file.Date)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: date %q: %w", t.name, t.file.Date, err)
	}
	return d, nil
}

// point reads the row's lat and lon columns: ok is false when the file
// maps none or either is blank; a position off the lon/lat range is an
// error naming the line.
func (t *table) point(row tabular.Row) (orb.Point, bool, error) {
	if !t.has("lat") || !t.has("lon") {
		return orb.Point{}, false, nil
	}
	lat, okLat, err := row.OptionalFloat(t.col["lat"])
	if err != nil {
		return orb.Point{}, false, err
	}
	lon, okLon, err := row.OptionalFloat(t.col["lon"])
	if err != nil {
		return orb.Point{}, false, err
	}
	if !okLat || !okLon {
		return orb.Point{}, false, nil
	}
	pt := orb.Point{lon, lat}
	if err := validity.LonLat(pt); err != nil {
		return orb.Point{}, false, row.Err("", err)
	}
	return pt, true, nil
}

// firstLines remembers where each key was first seen, to report duplicates.
type firstLines map[string]int

func (f firstLines) duplicate(row tabular.Row, kind, key string) error {
	if first, ok := f[key]; ok {
		return row.Err("", fmt.Errorf("duplicate %s %s (first at line %d)", kind, key, first))
	}
	f[key] = row.Line
	return nil
}
