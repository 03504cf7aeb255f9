package tiles

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"
)

func TestEncodedETag(t *testing.T) {
	a := NewEncoded([]byte("tile bytes"))
	b := NewEncoded([]byte("tile bytes")) // same bytes, different slice
	c := NewEncoded([]byte("tile bytez"))
	if a.ETag() != b.ETag() {
		t.Errorf("identical bytes: ETags %s and %s differ", a.ETag(), b.ETag())
	}
	if a.ETag() == c.ETag() {
		t.Errorf("different bytes share ETag %s", a.ETag())
	}
	// The first 16 bytes of sha256("tile bytes"): pinned, so ETags stay the
	// same across releases and replicas unless the scheme changes on purpose.
	if want := `"64317aee63519f55efc882b8fa765735"`; a.ETag() != want {
		t.Errorf("ETag %s, want %s", a.ETag(), want)
	}
	if a.GzipETag() == a.ETag() || !strings.HasSuffix(a.GzipETag(), `-gzip"`) {
		t.Errorf("gzip ETag %s must differ from %s", a.GzipETag(), a.ETag())
	}
}

func TestEncodedGzipped(t *testing.T) {
	body := bytes.Repeat([]byte("wards teams localities "), 100)
	e := NewEncoded(body)
	gz, err := e.Gzipped()
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := e.Gzipped(); &again[0] != &gz[0] {
		t.Error("second Gzipped call compressed again")
	}
	r, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(plain, body) {
		t.Errorf("gunzipped %d bytes (%v), want the %d-byte body", len(plain), err, len(body))
	}
}

func TestCacheLRU(t *testing.T) {
	tile := func(n int) *Encoded { return NewEncoded(bytes.Repeat([]byte{1}, n)) }
	key := func(x int) Key { return Key{Version: "v1", Z: 14, X: x, Y: 0} }
	size := int64(1000 + len("v1") + entryOverhead)
	c := NewCache(CacheConfig{MaxBytes: 3 * size}) // room for three 1000-byte tiles

	for x := range 3 {
		c.Put(key(x), tile(1000))
	}
	if _, ok := c.Get(key(0)); !ok { // 0 becomes most recently used; 1 is now the oldest
		t.Fatal("tile 0 missing before the cache is full")
	}
	c.Put(key(3), tile(1000))

	if c.Len() != 3 {
		t.Errorf("Len %d, want 3", c.Len())
	}
	for x, want := range []bool{true, false, true, true} {
		if _, ok := c.Get(key(x)); ok != want {
			t.Errorf("tile %d cached %v, want %v", x, ok, want)
		}
	}
	st := c.Stats()
	if st.Hits != 4 || st.Misses != 1 || st.Evictions != 1 {
		t.Errorf("stats %+v, want 4 hits, 1 miss, 1 eviction", st)
	}

	c.Put(key(0), tile(2000)) // replacing an entry re-counts its size
	if c.Len() != 2 {
		t.Errorf("after growing tile 0, Len %d, want 2", c.Len())
	}
	c.Put(key(9), tile(10000)) // larger than the whole cache: not kept
	if _, ok := c.Get(key(9)); ok {
		t.Error("oversized tile kept")
	}
}

func TestCacheEmptyTilesCount(t *testing.T) {
	c := NewCache(CacheConfig{MaxBytes: 10 * entryOverhead})
	for x := range 100 {
		c.Put(Key{Version: "v", Z: 10, X: x}, NewEncoded(nil))
	}
	if c.Len() >= 10 {
		t.Errorf("%d empty tiles cached in room for fewer than 10", c.Len())
	}
}

func TestCacheOff(t *testing.T) {
	c := NewCache(CacheConfig{Off: true})
	key := Key{Version: "v1", Z: 10, X: 1, Y: 2}
	c.Put(key, NewEncoded([]byte("tile")))
	if _, ok := c.Get(key); ok {
		t.Error("a cache that is off returned a tile")
	}
	if n := c.Len(); n != 0 {
		t.Errorf("a cache that is off holds %d tiles", n)
	}
	if st := c.Stats(); st.Misses != 1 || st.Hits != 0 {
		t.Errorf("stats %+v, want one miss", st)
	}
}

// TestGzipPooled checks that writers reused from the pool give complete,
// independent streams, whatever was compressed before.
func TestGzipPooled(t *testing.T) {
	inputs := [][]byte{bytes.Repeat([]byte("a"), 100000), []byte("short"), {}, bytes.Repeat([]byte("tile "), 3000)}
	for round := range 3 {
		for i, in := range inputs {
			gz, err := Gzip(in)
			if err != nil {
				t.Fatal(err)
			}
			r, err := gzip.NewReader(bytes.NewReader(gz)) // the standard library reads it
			if err != nil {
				t.Fatalf("round %d input %d: %v", round, i, err)
			}
			out, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(out, in) {
				t.Fatalf("round %d input %d: got %d bytes (err %v), want %d", round, i, len(out), err, len(in))
			}
		}
	}
}
