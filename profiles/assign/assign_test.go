package assign

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer"
)

// The fixture city, in lon/lat around central Manchester (so a real
// National Grid reference falls in it):
//
//	53.6 +-----------------------+
//	     |  north  E05000003     |
//	     |  LSOA   E01000003     |
//	53.5 +-----------+-----------+
//	     | west      | east      | neighbour LSOA E01000009
//	     | E05000002 | E05000001 | (not in the city)
//	     | E01000002 | E01000001 |
//	53.4 +-----------+-----------+-----------+
//	   -2.3        -2.2        -2.1        -2.0
//
// The east ward has the lower code, so the boundary rule (lowest code
// wins) visibly picks the ward to the right on the west|east edge.
// Teams: T1 (locality A) has east and north, T2 (locality B) west.
func fixture(t testing.TB) *Assigner {
	t.Helper()
	box := func(x0, y0, x1, y1 float64) orb.MultiPolygon {
		return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
	}
	ds := &dataset.Dataset{
		City: dataset.Area{Code: "E08999999", Name: "Testville"},
		Wards: []dataset.Ward{
			{Code: "E05000002", Name: "West", Geometry: box(-2.3, 53.4, -2.2, 53.5)},
			{Code: "E05000001", Name: "East", Geometry: box(-2.2, 53.4, -2.1, 53.5)},
			{Code: "E05000003", Name: "North", Geometry: box(-2.3, 53.5, -2.1, 53.6)},
		},
		LSOAs: []dataset.LSOA{
			{Code: "E01000002", WardCode: "E05000002", Geometry: box(-2.3, 53.4, -2.2, 53.5)},
			{Code: "E01000001", WardCode: "E05000001", Geometry: box(-2.2, 53.4, -2.1, 53.5)},
			{Code: "E01000003", WardCode: "E05000003", Geometry: box(-2.3, 53.5, -2.1, 53.6)},
			{Code: "E01000009", Geometry: box(-2.1, 53.4, -2.0, 53.5)},
		},
	}
	c := &configuration.Configuration{Name: "test", Localities: []configuration.Locality{
		{ID: "A", Name: "Locality A", Teams: []configuration.Team{{ID: "T1", Name: "Team one", Wards: []string{"E05000001", "E05000003"}}}},
		{ID: "B", Name: "Locality B", Teams: []configuration.Team{{ID: "T2", Name: "Team two", Wards: []string{"E05000002"}}}},
	}}
	a, err := New(ds, c)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// want is the expected placement of one output row.
type want struct {
	ward, lsoa, team, locality string
	status                     Status
	line                       int // in the reason; 0 when ok
}

var (
	west  = want{ward: "E05000002", lsoa: "E01000002", team: "T2", locality: "B", status: StatusPlaced}
	east  = want{ward: "E05000001", lsoa: "E01000001", team: "T1", locality: "A", status: StatusPlaced}
	north = want{ward: "E05000003", lsoa: "E01000003", team: "T1", locality: "A", status: StatusPlaced}
)

func problem(status Status, line int) want { return want{status: status, line: line} }

func runCSV(t *testing.T, file string, opts Options) (*Summary, [][]string, []byte) {
	t.Helper()
	in, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	opts.Name = file
	var out bytes.Buffer
	sum, err := CSV(context.Background(), fixture(t), bytes.NewReader(in), &out, opts)
	if err != nil {
		t.Fatal(err)
	}
	raw := out.Bytes()
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(raw, utf8BOM))).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, raw)
	}
	return sum, rows, raw
}

// checkRows compares output rows (after the header) with wants, by the
// first column (the input's id).
func checkRows(t *testing.T, header []string, rows [][]string, wants map[string]want) {
	t.Helper()
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	seen := 0
	for _, row := range rows {
		if len(row) != len(header) {
			t.Errorf("row %v has %d fields, the header %d", row, len(row), len(header))
			continue
		}
		w, ok := wants[row[0]]
		if !ok {
			t.Errorf("row %q: unexpected", row[0])
			continue
		}
		seen++
		got := want{ward: row[col["ward_code"]], lsoa: row[col["lsoa_code"]], team: row[col["team_id"]],
			locality: row[col["locality_id"]], status: Status(row[col["status"]])}
		reason := row[col["reason"]]
		if w.line != 0 {
			got.line = w.line
			if !strings.HasPrefix(reason, "line "+itoa(w.line)+": ") && !strings.HasPrefix(reason, "feature "+itoa(w.line)+": ") {
				t.Errorf("row %s: reason %q does not start with its line %d", row[0], reason, w.line)
			}
		} else if w.status == StatusPlaced && reason != "" {
			t.Errorf("row %s: placed with a reason %q", row[0], reason)
		}
		if got.status != StatusPlaced && got.status != StatusOutsideCity {
			got.ward, got.lsoa, got.team, got.locality = "", "", "", ""
		}
		if got != w {
			t.Errorf("row %s (%s): got %+v, want %+v (reason %q)", row[0], strings.Join(row[:min(len(row), 3)], ","), got, w, reason)
		}
	}
	if seen != len(wants) {
		t.Errorf("%d rows checked, want %d", seen, len(wants))
	}
}

func itoa(n int) string { return formatFloat(float64(n)) }

func TestCSVFixture(t *testing.T) {
	sum, rows, raw := runCSV(t, "points.csv", Options{Columns: Columns{Lon: "LON", Lat: " lat "}})
	if !bytes.HasPrefix(raw, utf8BOM) {
		t.Error("the input's byte-order mark is not kept")
	}
	header := rows[0]
	if header[0] != "id" { // the BOM must not stick to the first name
		t.Errorf("first header field %q, want id", header[0])
	}
	if got, want := strings.Join(header, ","), "id,name,lon,lat,note,"+strings.Join(OutputColumns, ","); got != want {
		t.Errorf("header %s, want %s", got, want)
	}
	outsideWithLSOA := want{lsoa: "E01000009", status: StatusOutsideCity, line: 9}
	wants := map[string]want{
		"1": west, "2": east,
		"3":  east,                                                                                    // west|east edge: E05000001 < E05000002, E01000001 < E01000002
		"4":  east,                                                                                    // west|east|north vertex: lowest ward and lowest LSOA
		"5":  {ward: "E05000002", lsoa: "E01000002", team: "T2", locality: "B", status: StatusPlaced}, // west|north edge: west is lower
		"6":  west,                                                                                    // the outer edge is inside
		"7":  east,                                                                                    // east|neighbour edge: in the city, LSOA E01000001 < E01000009
		"8":  outsideWithLSOA,                                                                         //
		"9":  {status: StatusOutsideCity, line: 10},
		"10": problem(StatusMissingLocation, 11),
		"11": problem(StatusBadCoordinates, 12),
		"12": problem(StatusBadCoordinates, 13),
		"13": problem(StatusBadCoordinates, 14),
		"14": problem(StatusBadCoordinates, 15),
		"15": problem(StatusWrongFieldCount, 16),
		"16": west, // quoted comma and a two-line field
		"17": problem(StatusWrongFieldCount, 19),
		"18": problem(StatusBadCoordinates, 20),
		"":   problem(StatusMalformedRow, 21), // its fields are blanked
		"20": north,
	}
	checkRows(t, header, rows[1:], wants)
	if sum.Rows != 20 || sum.Placed != 9 || sum.ByStatus[StatusOutsideCity] != 2 || sum.ByStatus[StatusBadCoordinates] != 5 {
		t.Errorf("summary %s", sum)
	}
	if len(sum.Problems) != 11 || sum.Problems[0].Line != 9 || sum.Problems[10].Line != 21 {
		t.Errorf("problems %+v", sum.Problems)
	}
}

func TestCSVPlacesTeamsAndNames(t *testing.T) {
	_, rows, _ := runCSV(t, "points.csv", Options{})
	row := rows[1] // row 1: the west ward
	if got := strings.Join(row[5:11], "|"); got != "E05000002|West|E01000002|T2|Team two|B" {
		t.Errorf("row 1 placed %s", got)
	}
}

func TestCSVByPostcode(t *testing.T) {
	f, err := os.Open("testdata/postcodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pcs, err := importer.ReadPostcodes(context.Background(), f, importer.PostcodeFile{Name: "postcodes.csv"})
	if err != nil {
		t.Fatal(err)
	}
	sum, rows, _ := runCSV(t, "by_postcode.csv", Options{Columns: Columns{Postcode: "postcode"}, Postcodes: pcs})
	checkRows(t, rows[0], rows[1:], map[string]want{
		"1": west,  // "m1 1aa": case and spaces normalised
		"2": north, // "M22BB" without its space
		"3": {lsoa: "E01000009", status: StatusOutsideCity, line: 4},
		"4": problem(StatusUnknownPostcode, 5),
		"5": problem(StatusMissingLocation, 6),
		"6": problem(StatusUnknownPostcode, 7), // no grid reference in ONSPD: left out of the table
	})
	if sum.Rows != 6 {
		t.Errorf("summary %s", sum)
	}
	// Found from the header when not named.
	_, rows, _ = runCSV(t, "by_postcode.csv", Options{Postcodes: pcs})
	if rows[1][len(rows[1])-2] != string(StatusPlaced) {
		t.Errorf("postcode column not found by default: %v", rows[1])
	}
}

func TestCSVByNationalGrid(t *testing.T) {
	// 384000, 398000 is central Manchester, (-2.2425, 53.4785)
	// (geo/reproject's TestManchesterPoints): in the west ward.
	_, rows, _ := runCSV(t, "by_grid.csv", Options{Columns: Columns{Easting: "easting", Northing: "northing"}})
	checkRows(t, rows[0], rows[1:], map[string]want{
		"1": west,
		"2": problem(StatusBadCoordinates, 3),
		"3": problem(StatusBadCoordinates, 4),
		"4": problem(StatusMissingLocation, 5),
	})
}

func TestCSVUnreadableInput(t *testing.T) {
	pcs := Postcodes{}
	tests := []struct {
		name string
		in   string
		cols Columns
		pcs  Postcodes
		is   error
		says string
	}{
		{"empty", "", Columns{}, nil, ErrEmpty, "empty"},
		{"missing column", "id,lon,latitude\n1,2,3\n", Columns{Lon: "lon", Lat: "lat"}, nil, ErrNoColumn, `line 1: no such column "lat" (header: id, lon, latitude)`},
		{"no location column", "id,x\n1,2\n", Columns{}, nil, ErrNoColumn, "line 1"},
		{"half a pair", "id,lon,lat\n", Columns{Lon: "lon"}, nil, ErrColumns, "lon and lat"},
		{"two modes", "id,lon,lat,postcode\n", Columns{Lon: "lon", Lat: "lat", Postcode: "postcode"}, pcs, ErrColumns, "one pair or the postcode"},
		{"postcodes without a table", "id,postcode\n", Columns{Postcode: "postcode"}, nil, ErrNoPostcodes, "postcode file"},
		{"header unparsable", "id,\"lon\n", Columns{}, nil, nil, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			_, err := CSV(context.Background(), fixture(t), strings.NewReader(tt.in), &out, Options{Name: "in.csv", Columns: tt.cols, Postcodes: tt.pcs})
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("error %v, want an *InputError", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %v does not wrap %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), "in.csv") || !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q lacks the file name or %q", err, tt.says)
			}
			if out.Len() != 0 {
				t.Errorf("wrote %q before failing", out.String())
			}
		})
	}
}

// failingReader gives data, then an error.
type failingReader struct {
	data []byte
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestCSVReadErrorEndsTheOutput(t *testing.T) {
	cut := errors.New("connection reset")
	in := &failingReader{data: []byte("id,lon,lat\n1,-2.25,53.45\n"), err: cut}
	var out bytes.Buffer
	sum, err := CSV(context.Background(), fixture(t), in, &out, Options{Name: "body"})
	if !errors.Is(err, cut) {
		t.Fatalf("error %v, want %v", err, cut)
	}
	rows, perr := csv.NewReader(&out).ReadAll()
	if perr != nil || len(rows) != 3 {
		t.Fatalf("output %q (%v), want header, a row and an error row", out.String(), perr)
	}
	last := rows[2]
	if last[len(last)-2] != string(StatusError) || !strings.Contains(last[len(last)-1], "connection reset") {
		t.Errorf("last row %v, want an error row", last)
	}
	if sum.Rows != 1 || sum.Placed != 1 {
		t.Errorf("summary %s", sum)
	}
}

func TestCSVStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := CSV(ctx, fixture(t), strings.NewReader("lon,lat\n1,2\n"), &bytes.Buffer{}, Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
}

func TestNewRejectsUnknownWard(t *testing.T) {
	ds := &dataset.Dataset{Wards: []dataset.Ward{{Code: "W1"}}}
	c := &configuration.Configuration{Localities: []configuration.Locality{{ID: "L", Teams: []configuration.Team{{ID: "T", Wards: []string{"W1", "W9"}}}}}}
	if _, err := New(ds, c); !errors.Is(err, ErrUnknownWard) || !strings.Contains(err.Error(), "W9") {
		t.Errorf("error %v, want ErrUnknownWard naming W9", err)
	}
}

// cancelAfter is a reader that cancels a context once n bytes are read.
type cancelAfter struct {
	r      io.Reader
	n      int
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.n -= n; c.n <= 0 {
		c.cancel()
	}
	return n, err
}

// TestCSVCutShortEndsWithAnErrorRow: a run cancelled part way writes only
// whole rows and ends with an error row saying it was cut short, so a
// reader of the output cannot take it for complete.
func TestCSVCutShortEndsWithAnErrorRow(t *testing.T) {
	var in strings.Builder
	in.WriteString("lon,lat\n")
	for range 200_000 {
		in.WriteString("0.5,50.5\n")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	_, err := CSV(ctx, fixture(t), &cancelAfter{r: strings.NewReader(in.String()), n: 300_000, cancel: cancel}, &out, Options{Name: "big.csv"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) < 3 || len(lines) > 190_000 {
		t.Fatalf("%d output lines", len(lines))
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, ","+string(StatusError)+",") || !strings.Contains(last, "cut short") {
		t.Errorf("last line %q is not an error row saying the output is cut short", last)
	}
	width := strings.Count(lines[0], ",")
	for i, l := range lines[1 : len(lines)-1] {
		if strings.Count(l, ",") != width {
			t.Fatalf("line %d %q has %d commas, the header %d: a row cut short", i+2, l, strings.Count(l, ","), width)
		}
	}
}

// TestCSVRefusesHugeRows: a header of too many columns is refused before
// anything is written, and a line past the length limit ends the output
// with an error row, so neither can take memory without bound.
func TestCSVRefusesHugeRows(t *testing.T) {
	wide := "lon,lat" + strings.Repeat(",x", maxColumns) + "\n0.5,50.5\n"
	var out bytes.Buffer
	_, err := CSV(context.Background(), fixture(t), strings.NewReader(wide), &out, Options{Name: "wide.csv"})
	var ie *InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "columns") || out.Len() != 0 {
		t.Errorf("wide header: error %v, %d bytes written", err, out.Len())
	}
	long := "lon,lat,note\n0.5,50.5,ok\n0.5,50.5," + strings.Repeat("x", maxLineBytes+1) + "\n"
	out.Reset()
	_, err = CSV(context.Background(), fixture(t), strings.NewReader(long), &out, Options{Name: "long.csv"})
	if !errors.As(err, &ie) || !errors.Is(err, errLineTooLong) {
		t.Errorf("long line: error %v, want an input error for the line", err)
	}
	if !strings.Contains(out.String(), ","+string(StatusError)+",") {
		t.Errorf("long line: the output does not end with an error row:\n%s", out.String())
	}
}
