package tabular

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func readAll(t *testing.T, src string, opts Options) []Row {
	t.Helper()
	r, err := NewReader(strings.NewReader(src), opts)
	if err != nil {
		t.Fatalf("NewReader: %v", err)
	}
	var rows []Row
	for {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			return rows
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		rows = append(rows, row)
	}
}

func TestHeaderBOMAndThousands(t *testing.T) {
	src := "\uFEFFLSOA code , Total \nE01000001,\"1,296\"\n\nE01000002 , 42 \n"
	r, err := NewReader(strings.NewReader(src), Options{Name: "pop.csv"})
	if err != nil {
		t.Fatal(err)
	}
	code, err := r.Resolve(Column{Name: "lsoa CODE"})
	if err != nil {
		t.Fatal(err)
	}
	total, err := r.Resolve(Column{Name: "total"})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		line  int
		code  string
		total int
	}{{2, "E01000001", 1296}, {4, "E01000002", 42}}
	for i, w := range want {
		row, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		n, err := row.Count(total)
		if err != nil {
			t.Fatal(err)
		}
		if row.Line != w.line || row.Text(code) != w.code || n != w.total {
			t.Errorf("row %d = line %d %q %d, want %+v", i, row.Line, row.Text(code), n, w)
		}
	}
	if _, err := r.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("want EOF, got %v", err)
	}
}

func TestValueErrors(t *testing.T) {
	tests := []struct {
		name    string
		cell    string
		read    func(Row) error
		wantErr error
		wantMsg string
	}{
		{"not a number", "abc", func(r Row) error { _, err := r.Count(1); return err }, ErrNotNumber,
			`tabular: f.csv: line 2: column "n": not a number: "abc"`},
		{"negative", "-5", func(r Row) error { _, err := r.Count(1); return err }, ErrNegative,
			`tabular: f.csv: line 2: column "n": negative count: "-5"`},
		{"missing", "", func(r Row) error { _, err := r.Count(1); return err }, ErrMissing,
			`tabular: f.csv: line 2: column "n": missing value`},
		{"fraction", "1.5", func(r Row) error { _, err := r.Proportion(1); return err }, ErrNotAFraction,
			`tabular: f.csv: line 2: column "n": not a proportion between 0 and 1: 1.5`},
		{"NaN", "NaN", func(r Row) error { _, err := r.Float(1); return err }, ErrNotNumber,
			`tabular: f.csv: line 2: column "n": not a number: "NaN"`},
		{"date", "2021-13-01", func(r Row) error { _, _, err := r.Date(1, "20060102"); return err }, ErrBadDate,
			`tabular: f.csv: line 2: column "n": not a date: "2021-13-01" (expected 20060102)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := readAll(t, "code,n\nX,\""+tt.cell+"\"\n", Options{Name: "f.csv"})
			err := tt.read(rows[0])
			if !errors.Is(err, tt.wantErr) || err.Error() != tt.wantMsg {
				t.Fatalf("got %v, want %q", err, tt.wantMsg)
			}
		})
	}
}

func TestParsesValues(t *testing.T) {
	rows := readAll(t, "a,b,c,d\n12.0,\" 0.25 \",01JAN2021,\n", Options{Name: "f.csv"})
	r := rows[0]
	if n, err := r.Count(0); err != nil || n != 12 {
		t.Errorf("Count = %d, %v", n, err)
	}
	if f, err := r.Proportion(1); err != nil || f != 0.25 {
		t.Errorf("Proportion = %g, %v", f, err)
	}
	d, ok, err := r.Date(2, "20060102", "02Jan2006")
	if err != nil || !ok || !d.Equal(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Date = %v %v %v", d, ok, err)
	}
	if _, ok, err := r.OptionalCount(3); ok || err != nil {
		t.Errorf("blank OptionalCount = %v, %v", ok, err)
	}
}

func TestHeaderAuto(t *testing.T) {
	isHeader := func(first []string) bool { return len(first) > 0 && strings.EqualFold(first[0], "code") }
	for _, src := range []string{"code,name\nA1,One\n", "A1,One\n"} {
		rows := readAll(t, src, Options{Name: "f.csv", Header: HeaderAuto, IsHeader: isHeader})
		if len(rows) != 1 || rows[0].Text(1) != "One" {
			t.Fatalf("%q: rows = %v", src, rows)
		}
	}
}

func TestResolveErrors(t *testing.T) {
	r, err := NewReader(strings.NewReader("a,b\n1,2\n"), Options{Name: "f.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Resolve(Column{Name: "c"}); !errors.Is(err, ErrNoColumn) ||
		err.Error() != `tabular: f.csv: line 1: column "c": no such column (header has a, b)` {
		t.Fatalf("Resolve = %v", err)
	}
	if _, err := NewReader(strings.NewReader(""), Options{Name: "e.csv"}); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty file: %v", err)
	}
	r, err = NewReader(strings.NewReader("a,b\n\"1,2\n"), Options{Name: "q.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); !errors.Is(err, ErrMalformed) {
		t.Fatalf("unterminated quote: %v", err)
	}
}

func TestMaxBytes(t *testing.T) {
	r, err := NewReader(strings.NewReader("a\n"+strings.Repeat("1\n", 100)), Options{Name: "big.csv", MaxBytes: 50})
	if err != nil {
		t.Fatal(err)
	}
	for {
		_, err = r.Next()
		if err != nil {
			break
		}
	}
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add("a,b\n1,\"1,296\"\n")
	f.Add("\uFEFFx\n\"unterminated\n")
	f.Add("code,n\nX,-1\n,,\n")
	f.Fuzz(func(t *testing.T, src string) {
		r, err := NewReader(strings.NewReader(src), Options{Name: "fuzz.csv", MaxBytes: 1 << 16})
		if err != nil {
			return
		}
		for i := 0; i < 1000; i++ {
			row, err := r.Next()
			if err != nil {
				return
			}
			for j := range row.Fields() {
				_, _ = row.Count(j)
				_, _ = row.Float(j)
				_, _, _ = row.Date(j, "20060102", "02Jan2006")
			}
		}
	})
}

func TestNumbersAreStrict(t *testing.T) {
	tests := []struct {
		cell string
		want int
		err  error
	}{
		{"1,296", 1296, nil},
		{"1,234,567", 1234567, nil},
		{"12.0", 12, nil},
		{"3,0", 0, ErrNotNumber},
		{"12,34", 0, ErrNotNumber},
		{"2.7e3", 0, ErrNotNumber},
		{"12.5", 0, ErrNotNumber},
		{",123", 0, ErrNotNumber},
	}
	for _, tt := range tests {
		rows := readAll(t, "n\n\""+tt.cell+"\"\n", Options{Name: "f.csv"})
		n, err := rows[0].Count(0)
		if n != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("Count(%q) = %d, %v; want %d, %v", tt.cell, n, err, tt.want, tt.err)
		}
	}
}

func TestFieldCountMustMatchHeader(t *testing.T) {
	r, err := NewReader(strings.NewReader("practice,area,patients,share\nP1,E08000901,2,700,0.9\n"), Options{Name: "reg.csv"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Next()
	if !errors.Is(err, ErrFieldCount) || err.Error() != "tabular: reg.csv: line 2: wrong number of fields: 5 fields, the header has 4 (an unquoted comma inside a value?)" {
		t.Fatalf("Next = %v", err)
	}
}

func TestDateKeepsCalendarDay(t *testing.T) {
	rows := readAll(t, "d\n2021-01-01T00:00:00+01:00\n", Options{Name: "f.csv"})
	d, ok, err := rows[0].Date(0, time.RFC3339)
	if err != nil || !ok || !d.Equal(time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Date = %v %v %v", d, ok, err)
	}
}
