package sqlitestore

import (
	"context"
	"path/filepath"

	"github.com/paulmach/orb"
	"testing"

	"github.com/placeteam/placeteam/data/store/storetest"
)

var (
	testDataset       = storetest.Dataset
	testConfiguration = storetest.Configuration
	testRecord        = storetest.Record
	deepEqual         = storetest.DeepEqual
	syntheticDataset  = storetest.SyntheticDataset
)

// openTemp opens a store in a fresh temporary directory and closes it when
// the test ends. It returns the store and its path, for reopening.
func openTemp(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "placeteam test?.db") // a space and a '?' must not confuse the DSN
	s := open(t, path)
	return s, path
}

func open(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Config{Path: path})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// square and reversed build the rings of the encoding tests.
func square(lon, lat, size float64) orb.Ring {
	return orb.Ring{{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}, {lon, lat}}
}

func reversed(r orb.Ring) orb.Ring {
	r.Reverse()
	return r
}
