package assign

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/importer"
	"github.com/placeteam/placeteam/data/importer/importtest"
	"github.com/placeteam/placeteam/data/realdata"
)

// manchester imports the shared Manchester data (skips without them).
func manchester(tb testing.TB) (*dataset.Dataset, *configuration.Configuration) {
	tb.Helper()
	res := importtest.Manchester(tb)
	return res.Dataset, res.Configurations[0]
}

// TestManchesterPracticesLandInTheirWard writes every located practice's
// own point as a CSV row (lon/lat in Go's shortest round-trip form), and
// its postcode as another file, runs both through CSV, and checks that each
// lands in the ward the import placed it in — outside the city when the
// import found no ward — with its ward's team.
func TestManchesterPracticesLandInTheirWard(t *testing.T) {
	ds, cfg := manchester(t)
	a, err := New(ds, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wardTeam := cfg.WardTeams()
	var byPoint, byPostcode bytes.Buffer
	byPoint.WriteString("practice,name,lon,lat\n")
	byPostcode.WriteString("practice,postcode\n")
	want := map[string]string{} // practice -> ward ("" outside the city)
	inCity, postcoded := 0, 0
	for _, p := range ds.Practices {
		if !p.HasLocation() {
			continue
		}
		want[p.Code] = p.WardCode
		if p.WardCode != "" {
			inCity++
		}
		w := csv.NewWriter(&byPoint)
		_ = w.Write([]string{p.Code, p.Name, strconv.FormatFloat(p.Location[0], 'g', -1, 64), strconv.FormatFloat(p.Location[1], 'g', -1, 64)})
		w.Flush()
		if p.Located == dataset.LocatedByPostcode {
			postcoded++
			// Lower case and no space: normalised on lookup.
			byPostcode.WriteString(p.Code + "," + strings.ToLower(strings.ReplaceAll(p.Postcode, " ", "")) + "\n")
		}
	}
	if inCity < 80 || postcoded < 80 {
		t.Fatalf("only %d practices in the city, %d located by postcode", inCity, postcoded)
	}

	f, err := os.Open(realdata.File(t, "gp/onspd_2018-02_postcode_centroids_gm.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pcs, err := importer.ReadPostcodes(context.Background(), f, importer.PostcodeFile{Name: "onspd"})
	if err != nil {
		t.Fatal(err)
	}

	for _, run := range []struct {
		name string
		in   *bytes.Buffer
		opts Options
		rows int
	}{
		{"lon/lat", &byPoint, Options{Columns: Columns{Lon: "lon", Lat: "lat"}}, len(want)},
		{"postcode", &byPostcode, Options{Columns: Columns{Postcode: "postcode"}, Postcodes: pcs}, postcoded},
	} {
		t.Run(run.name, func(t *testing.T) {
			var out bytes.Buffer
			sum, err := CSV(context.Background(), a, run.in, &out, run.opts)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&out).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			if len(rows)-1 != run.rows || sum.Rows != run.rows {
				t.Fatalf("%d rows out, summary %s, want %d", len(rows)-1, sum, run.rows)
			}
			for _, row := range rows[1:] {
				code, ward, status := row[0], row[col["ward_code"]], Status(row[col["status"]])
				wantStatus := StatusPlaced
				if want[code] == "" {
					wantStatus = StatusOutsideCity
				}
				if ward != want[code] || status != wantStatus {
					t.Errorf("practice %s: ward %q (%s, %s), the dataset says %q", code, ward, status, row[col["reason"]], want[code])
					continue
				}
				if ward != "" && row[col["team_id"]] != wardTeam[ward] {
					t.Errorf("practice %s: team %q, ward %s is in %s", code, row[col["team_id"]], ward, wardTeam[ward])
				}
				if row[col["lsoa_code"]] == "" {
					t.Errorf("practice %s: in no LSOA", code)
				}
			}
			t.Logf("%s: %s", run.name, sum)
		})
	}
}
