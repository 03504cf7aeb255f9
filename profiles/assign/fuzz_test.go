package assign

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"testing"
)

// FuzzCSV: any input either fails as unreadable, writing nothing, or gives
// a CSV with one output row per input row, each as wide as the header.
func FuzzCSV(f *testing.F) {
	for _, name := range []string{"points.csv", "by_grid.csv", "by_postcode.csv"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("lon,lat\n\"1,2\n"))
	f.Add([]byte("easting,northing\n1e9,-1\n"))
	a := fixture(f)
	pcs := Postcodes{"M11AA": {-2.25, 53.45}}
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		sum, err := CSV(context.Background(), a, bytes.NewReader(in), &out, Options{Name: "fuzz", Postcodes: pcs})
		var ie *InputError
		if err != nil {
			if !errors.As(err, &ie) {
				t.Fatalf("error %v is not an *InputError", err)
			}
			if sum == nil && out.Len() != 0 {
				t.Fatalf("an unreadable header wrote %q", out.String())
			}
			return
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(out.Bytes(), utf8BOM)))
		r.FieldsPerRecord = 0 // every row as wide as the first
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("output is not rectangular CSV: %v\n%q", err, out.String())
		}
		if len(rows)-1 != sum.Rows {
			t.Fatalf("%d rows out, summary counts %d", len(rows)-1, sum.Rows)
		}
	})
}

// FuzzGeoJSON: any input either fails as unreadable or gives JSON.
func FuzzGeoJSON(f *testing.F) {
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[-2.25,53.45]},"properties":{}}]}`))
	f.Add([]byte(`{"features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1]},"properties":[]}],"type":"FeatureCollection"}`))
	a := fixture(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		_, err := GeoJSON(context.Background(), a, bytes.NewReader(in), &out, Options{Name: "fuzz"})
		var ie *InputError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *InputError", err)
		}
		if out.Len() > 0 && !json.Valid(out.Bytes()) {
			t.Fatalf("output is not JSON: %q", out.String())
		}
	})
}
