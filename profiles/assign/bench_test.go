package assign

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
)

// randomPointsCSV is n points uniform in the bound of the city's wards
// from PCG(seed, seed), x then y — the generator of scripts/pipbench and
// geo/areaindex's million test — as CSV id,lon,lat.
func randomPointsCSV(wards []dataset.Ward, n int, seed uint64) []byte {
	b := wards[0].Geometry.Bound()
	for _, w := range wards[1:] {
		b = b.Union(w.Geometry.Bound())
	}
	rng := rand.New(rand.NewPCG(seed, seed))
	width, height := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	buf := make([]byte, 0, n*40)
	buf = append(buf, "id,lon,lat\n"...)
	for i := range n {
		p := orb.Point{b.Min[0] + rng.Float64()*width, b.Min[1] + rng.Float64()*height}
		buf = strconv.AppendInt(buf, int64(i), 10)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, p[0], 'g', -1, 64)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, p[1], 'g', -1, 64)
		buf = append(buf, '\n')
	}
	return buf
}

// BenchmarkAssign1M runs one million CSV rows (random points over the
// Manchester wards, about 60% inside) end to end through CSV: parse, place
// in a ward and an LSOA, write, into an in-memory buffer. Target: under 2 s.
func BenchmarkAssign1M(b *testing.B) {
	ds, cfg := manchester(b)
	a, err := New(ds, cfg)
	if err != nil {
		b.Fatal(err)
	}
	in := randomPointsCSV(ds.Wards, 1_000_000, 1)
	var out bytes.Buffer
	out.Grow(4 * len(in))
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	var sum *Summary
	for b.Loop() {
		out.Reset()
		if sum, err = CSV(context.Background(), a, bytes.NewReader(in), &out, Options{Name: "points"}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(sum.Rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.Logf("%s; %d bytes in, %d out", sum, len(in), out.Len())
}

// BenchmarkNewManchester builds an Assigner: the cost of not caching one.
func BenchmarkNewManchester(b *testing.B) {
	ds, cfg := manchester(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(ds, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// generatedRows is an endless-looking CSV input made on the fly: a header,
// then n rows, none of it held in memory.
type generatedRows struct {
	n, i int
	buf  []byte
}

func (g *generatedRows) Read(p []byte) (int, error) {
	for len(g.buf) < len(p) && g.i <= g.n {
		if g.i == 0 {
			g.buf = append(g.buf, "id,lon,lat,note\n"...)
		} else {
			g.buf = strconv.AppendInt(g.buf, int64(g.i), 10)
			g.buf = append(g.buf, ",-2.25,53.45,a note to make the row longer\n"...)
		}
		g.i++
	}
	if len(g.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.buf)
	g.buf = g.buf[:copy(g.buf, g.buf[n:])]
	return n, nil
}

// heapWatcher discards what is written and records the largest live heap
// seen every so often.
type heapWatcher struct {
	writes int
	peak   uint64
}

func (h *heapWatcher) Write(p []byte) (int, error) {
	h.writes++
	if h.writes%8 == 0 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		h.peak = max(h.peak, m.HeapAlloc)
	}
	return len(p), nil
}

// TestCSVMemoryIsBounded streams 300,000 rows (about 16 MB in and 30 MB
// out) and checks that the live heap never grows past a few MB: nothing
// is kept per row.
func TestCSVMemoryIsBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 300,000 rows")
	}
	a := fixture(t)
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	w := &heapWatcher{}
	sum, err := CSV(context.Background(), a, &generatedRows{n: 300_000}, w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 300_000 || sum.Placed != 300_000 {
		t.Fatalf("summary %s", sum)
	}
	if grown := int64(w.peak) - int64(before.HeapAlloc); grown > 8<<20 {
		t.Errorf("live heap grew by %d bytes while streaming", grown)
	}
	t.Logf("live heap: %d bytes before, at most %d while streaming (%d samples)", before.HeapAlloc, w.peak, w.writes/8)
}
