package assign

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Options configure a run.
type Options struct {
	// Name is the input's name in errors ("visits.csv", "request body").
	Name      string
	Columns   Columns
	Postcodes Postcodes
	// MaxProblems is how many problem rows the Summary keeps (default
	// DefaultMaxProblems).
	MaxProblems int
}

// InputError is input that cannot be read at all, or no further.
type InputError struct {
	Name  string
	Where string // "line 1", "feature 3", "byte 120"; empty for the whole input
	Err   error
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("assign: ")
	b.WriteString(e.Name)
	if e.Where != "" {
		b.WriteString(": ")
		b.WriteString(e.Where)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *InputError) Unwrap() error { return e.Err }

// ErrEmpty is wrapped when the input has no header row.
var ErrEmpty = errors.New("the input is empty (no header row)")

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// checkEvery is how many rows pass between checks of the context.
const checkEvery = 4096

// CSV reads a CSV file with a header row from r and writes it to w with
// OutputColumns appended to the header and to every row, one row at a
// time. The header is read and the columns resolved before anything is
// written, so an unreadable header leaves w untouched. A UTF-8 byte-order
// mark on the input is skipped and written again at the start of the
// output. Row problems are statuses, not errors (see the package
// documentation); the error is an *InputError, ctx's error or w's.
func CSV(ctx context.Context, a *Assigner, r io.Reader, w io.Writer, opts Options) (*Summary, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(len(utf8BOM))
	hasBOM := bytes.Equal(head, utf8BOM)
	if hasBOM {
		_, _ = br.Discard(len(utf8BOM))
	}
	// A record is held whole by the CSV reader: no line may be longer than
	// maxLineBytes, so one row cannot take the memory a body cap allows.
	cr := csv.NewReader(&lineLimit{r: br, max: maxLineBytes})
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &InputError{Name: opts.Name, Err: ErrEmpty}
	}
	if err != nil {
		return nil, readError(opts.Name, err)
	}
	header = append([]string(nil), header...) // ReuseRecord: keep our own copy
	if len(header) > maxColumns {
		return nil, &InputError{Name: opts.Name, Where: "line 1", Err: fmt.Errorf("%d columns; at most %d", len(header), maxColumns)}
	}
	index := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := index[h]; !dup {
			index[h] = i
		}
	}
	loc, err := newLocator(opts.Columns, index, opts.Postcodes)
	if err != nil {
		return nil, &InputError{Name: opts.Name, Where: "line 1", Err: fmt.Errorf("%w (header: %s)", err, strings.Join(header, ", "))}
	}

	bw := bufio.NewWriterSize(w, 64<<10)
	if hasBOM {
		_, _ = bw.Write(utf8BOM)
	}
	width := len(header)
	var row []byte // one output row, reused
	row = appendRecord(row[:0], header)
	row = append(row, ',')
	row = appendRecord(row, OutputColumns)
	row = append(row, '\n')
	if _, err := bw.Write(row); err != nil {
		return nil, err
	}
	p := &csvPipeline{cr: cr, loc: loc, a: a, name: opts.Name, width: width, outsideWhy: a.outsideReason()}
	sum := newSummary(opts.MaxProblems)
	if err := p.run(ctx, bw, sum); err != nil {
		return sum, err
	}
	return sum, bw.Flush()
}

// The pipeline: one goroutine reads and splits rows into batches, workers
// (one per processor) place each batch's rows and encode them, and the
// caller writes the batches in input order. At most pipelineDepth batches
// are in flight, so memory stays bounded.
const (
	batchRows     = 1024
	batchFields   = 64 << 10 // a batch of wide rows has fewer rows
	pipelineDepth = 8
	maxColumns    = 1024
	maxLineBytes  = 1 << 20
)

// errLineTooLong is the input error of a line over maxLineBytes.
var errLineTooLong = fmt.Errorf("a line longer than %d bytes", maxLineBytes)

// lineLimit fails a read once a line grows past max bytes.
type lineLimit struct {
	r    io.Reader
	max  int
	line int // bytes since the last newline
}

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, c := range p[:n] {
		if c == '\n' {
			l.line = 0
		} else if l.line++; l.line > l.max {
			return 0, errLineTooLong
		}
	}
	return n, err
}

type csvPipeline struct {
	cr         *csv.Reader
	loc        *locator
	a          *Assigner
	name       string
	width      int
	outsideWhy string
}

// csvRow is one input row of a batch.
type csvRow struct {
	line   int
	status Status // set by the reader for a row it cannot use, else by a worker
	why    string // the reason, without its line
}

// csvBatch is rows travelling together: their fields (width each, padded
// or cut), then their encoded output.
type csvBatch struct {
	fields []string
	rows   []csvRow
	out    []byte
	done   chan struct{} // closed when out is ready
	err    error         // the input ends with this error after the rows
}

func (p *csvPipeline) run(ctx context.Context, bw *bufio.Writer, sum *Summary) error {
	workers := runtime.GOMAXPROCS(0)
	ordered := make(chan *csvBatch, pipelineDepth)
	work := make(chan *csvBatch, pipelineDepth)
	free := make(chan *csvBatch, pipelineDepth+workers+2)
	stop := make(chan struct{})
	go p.read(ctx, ordered, work, free, stop)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				p.place(b)
			}
		}()
	}
	// finish stops the reader and waits until no goroutine holds a batch
	// (or reads the input, unless a read is stalled in the input itself).
	finish := func() {
		close(stop)
		for range ordered {
		}
		wg.Wait()
	}
	for b := range ordered {
		<-b.done
		for _, r := range b.rows {
			reason := ""
			if r.status != StatusPlaced && sum.wants() {
				reason = "line " + strconv.Itoa(r.line) + ": " + r.why
			}
			sum.add(r.line, r.status, reason)
		}
		if _, err := bw.Write(b.out); err != nil {
			finish()
			return err
		}
		if b.err != nil {
			// The input failed (a truncated upload, a body over its limit)
			// or the run was cut short (cancelled, past a deadline): say
			// so in the output's last row, so that a reader of a cut
			// output knows it is cut, and stop.
			why := b.err.Error()
			if ie := (*InputError)(nil); !errors.As(b.err, &ie) {
				why = "assign: cut short: " + why
			}
			row := appendRecord(b.out[:0], make([]string, p.width))
			row = appendRecord(append(row, ','), []string{"", "", "", "", "", "", string(StatusError), why})
			_, _ = bw.Write(append(row, '\n'))
			_ = bw.Flush()
			finish()
			return b.err
		}
		select {
		case free <- b:
		default:
		}
	}
	wg.Wait()
	return nil
}

// read splits the input into batches and hands each to the writer (in
// order) and to a worker, until the input ends, ctx is done or stop closes.
func (p *csvPipeline) read(ctx context.Context, ordered, work, free chan *csvBatch, stop chan struct{}) {
	defer close(ordered)
	defer close(work)
	blank := make([]string, p.width)
	rows := max(1, min(batchRows, batchFields/max(p.width, 1)))
	for {
		var b *csvBatch
		select {
		case b = <-free:
			b.fields, b.rows, b.out, b.err = b.fields[:0], b.rows[:0], b.out[:0], nil
		default:
			b = &csvBatch{fields: make([]string, 0, rows*p.width), rows: make([]csvRow, 0, rows)}
		}
		b.done = make(chan struct{})
		end := false
		for len(b.rows) < rows && !end {
			rec, err := p.cr.Read()
			var pe *csv.ParseError
			switch {
			case errors.Is(err, io.EOF):
				end = true
			case errors.As(err, &pe):
				b.rows = append(b.rows, csvRow{line: pe.StartLine, status: StatusMalformedRow, why: "malformed CSV: " + pe.Err.Error()})
				b.fields = append(b.fields, blank...) // its fields are unknown
			case err != nil:
				b.err, end = readError(p.name, err), true
			default:
				r := csvRow{}
				r.line, _ = p.cr.FieldPos(0)
				if len(rec) != p.width {
					r.status = StatusWrongFieldCount
					r.why = fmt.Sprintf("%d fields, the header has %d (an unquoted comma inside a value?)", len(rec), p.width)
				}
				b.rows = append(b.rows, r)
				b.fields = append(b.fields, rec[:min(len(rec), p.width)]...)
				b.fields = append(b.fields, blank[min(len(rec), p.width):]...)
			}
		}
		if err := ctx.Err(); err != nil && b.err == nil {
			b.err, end = err, true
		}
		select {
		case ordered <- b:
		case <-stop:
			return
		}
		select {
		case work <- b:
		case <-stop:
			close(b.done)
			return
		}
		if end {
			return
		}
	}
}

// place locates a batch's rows and encodes them.
func (p *csvPipeline) place(b *csvBatch) {
	for i := range b.rows {
		r := &b.rows[i]
		rec := b.fields[i*p.width : (i+1)*p.width]
		var pl Placement
		if r.status == "" {
			pt, status, why := p.loc.point(rec)
			if status != StatusPlaced {
				r.status, r.why = status, why
			} else {
				pl = p.a.Place(pt)
				r.status = pl.Status
				if pl.Status == StatusOutsideCity {
					r.why = p.outsideWhy
				}
			}
		}
		pl.Status = r.status
		b.out = appendRow(b.out, rec, pl, r.line, r.why)
	}
	close(b.done)
}

// appendRow appends one output row: the input's fields, the placement, the
// status and the reason ("line N: why", unless placed).
func appendRow(row []byte, rec []string, pl Placement, line int, why string) []byte {
	row = appendRecord(row, rec)
	for _, f := range [...]string{pl.WardCode, pl.WardName, pl.LSOACode, pl.TeamID, pl.TeamName, pl.LocalityID, string(pl.Status)} {
		row = appendField(append(row, ','), f)
	}
	row = append(row, ',')
	if pl.Status != StatusPlaced {
		start := len(row)
		row = append(row, "line "...)
		row = strconv.AppendInt(row, int64(line), 10)
		row = append(row, ": "...)
		row = append(row, why...)
		if fieldNeedsQuotes(row[start:]) { // rare: the reason quotes a value
			row = appendField(row[:start], string(row[start:]))
		}
	}
	return append(row, '\n')
}

// appendRecord appends fields as CSV (no line end).
func appendRecord(b []byte, fields []string) []byte {
	for i, f := range fields {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendField(b, f)
	}
	return b
}

// appendField appends one CSV field, quoted when encoding/csv's Writer
// would quote it.
func appendField(b []byte, f string) []byte {
	if !fieldNeedsQuotes(f) {
		return append(b, f...)
	}
	b = append(b, '"')
	for i := 0; i < len(f); i++ {
		if f[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, f[i])
	}
	return append(b, '"')
}

// fieldNeedsQuotes is encoding/csv's rule for a comma delimiter: a
// delimiter, quote or line break inside, a leading space, or \. alone.
func fieldNeedsQuotes[S string | []byte](f S) bool {
	if len(f) == 0 {
		return false
	}
	if string(f) == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(string(f[:min(len(f), utf8.UTFMax)]))
	return unicode.IsSpace(r)
}

// readError wraps a failed read of the input.
func readError(name string, err error) *InputError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{Name: name, Where: "line " + strconv.Itoa(pe.StartLine), Err: fmt.Errorf("malformed CSV: %w", pe.Err)}
	}
	return &InputError{Name: name, Err: err}
}
