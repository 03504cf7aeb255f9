package importer

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
	"github.com/placeteam/placeteam/geo/reproject"
	"github.com/placeteam/placeteam/geo/validity"
)

// fixture copies testdata/city to a temporary folder, applies edits (file
// name → new content; "" deletes) and returns the manifest path.
func fixture(t *testing.T, edits map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	entries, err := os.ReadDir("testdata/city")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata/city", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, content := range edits {
		path := filepath.Join(dir, name)
		if content == "" {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "manifest.yaml")
}

func runFixture(t *testing.T, edits map[string]string) (*Result, error) {
	t.Helper()
	path := fixture(t, edits)
	m, err := manifest.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Run(context.Background(), Options{Manifest: m, DataRoot: filepath.Dir(path)})
}

func TestImportFixture(t *testing.T) {
	res, err := runFixture(t, nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	ds := res.Dataset
	if len(ds.Wards) != 2 || len(ds.LSOAs) != 5 || len(ds.MSOAs) != 3 || len(ds.Districts) != 2 {
		t.Fatalf("counts: %d wards, %d LSOAs, %d MSOAs, %d districts", len(ds.Wards), len(ds.LSOAs), len(ds.MSOAs), len(ds.Districts))
	}
	lsoa := map[string]dataset.LSOA{}
	for _, l := range ds.LSOAs {
		lsoa[l.Code] = l
	}
	if l := lsoa["E01000003"]; l.WardCode != "E05000002" || l.WardMethod != dataset.WardByLookup || l.MSOACode != "E02000002" || l.DistrictCode != "E08000901" {
		t.Errorf("E01000003 = %+v", l)
	}
	if l := lsoa["E01000005"]; l.WardCode != "" || l.WardMethod != dataset.WardNone || l.DistrictCode != "E08000902" {
		t.Errorf("outside LSOA E01000005 = ward %q method %q district %q", l.WardCode, l.WardMethod, l.DistrictCode)
	}
	if p := lsoa["E01000002"].Population; p.Total != 1600 || p.Age16to59 != 1000 || p.Year != 2015 {
		t.Errorf("population (thousands separators) = %+v", p)
	}
	d15, ok15 := lsoa["E01000001"].DeprivationEdition(2015)
	d19, ok19 := lsoa["E01000001"].DeprivationEdition(2019)
	if !ok15 || !d15.HasScore || d15.Score != 55.5 || !ok19 || d19.HasScore || d19.Rank != 1234 || d19.Decile != 1 {
		t.Errorf("deprivation = %+v %+v", d15, d19)
	}

	practices := map[string]dataset.Practice{}
	for _, p := range ds.Practices {
		practices[p.Code] = p
	}
	if len(practices) != 4 {
		t.Errorf("practices = %d, want 4 (prescribing setting 4 only)", len(practices))
	}
	if p := practices["T00001"]; p.WardCode != "E05000001" || p.Located != dataset.LocatedByPostcode || p.Status != dataset.StatusActive {
		t.Errorf("T00001 = %+v", p)
	}
	if p := practices["T00002"]; p.Status != dataset.StatusClosed || p.Closed != dataset.Day(2014, 3, 31) || p.WardCode != "E05000002" {
		t.Errorf("closed practice T00002 = %+v", p)
	}
	if p := practices["T00003"]; p.WardCode != "" || !p.HasLocation() {
		t.Errorf("T00003 should be located outside the city: %+v", p)
	}
	if p := practices["T00004"]; p.HasLocation() {
		t.Errorf("T00004 has an unknown postcode but was located: %+v", p)
	}

	s := res.Report.Summary
	if len(s.ListSizes) != 1 || s.ListSizes[0].Patients != 5700 || s.ListSizes[0].ByCommissioner["99X"] != 3200 || s.ListSizes[0].Date != "2021-01-01" {
		t.Errorf("list sizes = %+v", s.ListSizes)
	}
	if len(s.Registrations) != 1 || s.Registrations[0].Patients != 5500 || s.Registrations[0].CityPatients != 3000 || s.Registrations[0].CityPractices != 1 || s.Registrations[0].NotOpenPatients != 500 {
		t.Errorf("registrations = %+v", s.Registrations)
	}
	if len(ds.Catchments) != 6 {
		t.Errorf("catchments = %d, want 6 (the unknown MSOA dropped)", len(ds.Catchments))
	}
	wantWarnings := map[string]int{
		"practice-postcode-unknown":      1,
		"lookup-lsoa-unknown":            1,
		"catchment-msoa-unknown":         1,
		"postcode-no-location":           1,
		"practice-not-located":           1,
		"practice-outside-city":          1,
		"list-size-unknown-practice":     1,
		"list-size-practice-not-open":    1,
		"registration-practice-not-open": 1,
		"catchment-trust-not-located":    1,
	}
	got := map[string]int{}
	for _, w := range res.Report.Warnings {
		got[w.Kind] = w.Count
	}
	for kind, n := range wantWarnings {
		if got[kind] != n {
			t.Errorf("warning %s: count %d, want %d (all: %v)", kind, got[kind], n, got)
		}
	}
	if len(res.Configurations) != 1 || res.Configurations[0].Name != "testcity-baseline" {
		t.Errorf("configurations = %v", res.Configurations)
	}
	for _, src := range ds.Sources {
		if src.ID == "wards" && src.Attribution != "Ward fixture" {
			t.Errorf("ward attribution = %q", src.Attribution)
		}
		if src.ID == "population" && (src.Attribution != "Test fixture, synthetic" || src.Licence != "CC0-1.0" || src.Records != 5 || len(src.SHA256) != 64) {
			t.Errorf("population source = %+v", src)
		}
	}
}

func TestImportErrors(t *testing.T) {
	const header = "LSOA code (2011),Total population: mid 2015,0-15,16-59,60+\n"
	tests := []struct {
		name    string
		edits   map[string]string
		wantErr error
		want    string // substring of the error text
	}{
		{"malformed GeoJSON", map[string]string{"wards.geojson": `{"type":"FeatureCollection","features":[`}, geojsonfile.ErrMalformedJSON,
			"geojsonfile: wards.geojson:1:40: malformed JSON: unexpected end of JSON input"},
		{"unknown CRS", map[string]string{"wards.geojson": `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:3857"}},"features":[]}`}, reproject.ErrUnknownCRS,
			`geojsonfile: wards.geojson: unknown or unsupported coordinate reference system: crs "EPSG:3857"`},
		{"unclosed ring", map[string]string{"wards.geojson": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WD_CODE":"E05000001","WD_NAME":"Alpha"},"geometry":{"type":"Polygon","coordinates":[[[-2.3,53.4],[-2.25,53.4],[-2.25,53.45],[-2.3,53.45]]]}}]}`}, validity.ErrUnclosedRing,
			"geojsonfile: wards.geojson:1:41: feature 0: exterior ring: ring is not closed"},
		{"degenerate ring", map[string]string{"wards.geojson": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WD_CODE":"E05000001","WD_NAME":"Alpha"},"geometry":{"type":"Polygon","coordinates":[[[-2.3,53.4],[-2.25,53.4],[-2.3,53.4]]]}}]}`}, validity.ErrDegenerateRing,
			"geojsonfile: wards.geojson:1:41: feature 0: exterior ring: ring is degenerate"},
		{"point where polygons belong", map[string]string{"lsoas.geojson": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"E01000001"},"geometry":{"type":"Point","coordinates":[-2.3,53.4]}}]}`}, geojsonfile.ErrGeometryType,
			"lsoas.geojson"},
		{"polygon where points belong", map[string]string{"trusts.geojson": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"RAA"},"geometry":{"type":"Polygon","coordinates":[[[-2.3,53.4],[-2.25,53.4],[-2.25,53.45],[-2.3,53.4]]]}}]}`}, geojsonfile.ErrGeometryType,
			"trusts.geojson"},
		{"duplicate trust", map[string]string{"trusts.geojson": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"RAA"},"geometry":{"type":"Point","coordinates":[-2.3,53.4]}},{"type":"Feature","properties":{"code":"raa "},"geometry":{"type":"Point","coordinates":[-2.3,53.4]}}]}`}, nil,
			"trusts.geojson: feature 1: duplicate trust code RAA (first at feature 0)"},
		{"hospital without name", map[string]string{"hospitals.geojson": `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":" "},"geometry":{"type":"Point","coordinates":[-2.3,53.4]}}]}`}, nil,
			`hospitals.geojson: feature 0: no "name" property (the site name)`},
		{"unquoted thousands separator", map[string]string{"registrations.csv": "year,practice_code,lad23cd,patients,share\n2015,T00001,E08000901,2,700,0.9\n"}, tabular.ErrFieldCount,
			"registrations.csv: line 2: wrong number of fields: 6 fields, the header has 5"},
		{"negative registration", map[string]string{"registrations.csv": "year,practice_code,lad23cd,patients,share\n2015,T00001,E08000901,-7,0.9\n"}, tabular.ErrNegative,
			`registrations.csv: line 2: column "patients": negative count: "-7"`},
		{"duplicate registration", map[string]string{"registrations.csv": "year,practice_code,lad23cd,patients,share\n2015,T00001,E08000901,7,0.9\n2015,t00001,E08000901,8,0.9\n"}, nil,
			"registrations.csv: line 3: duplicate registration count for practice T00001, district E08000901, 2015-04-01 (first at line 2)"},
		{"postcode latitude not a number", map[string]string{"postcodes.csv": "postcode,lat,long\nTC1 1AA,north,-2.28\n"}, tabular.ErrNotNumber,
			`postcodes.csv: line 2: column "lat": not a number: "north"`},
		{"postcode out of range", map[string]string{"postcodes.csv": "postcode,lat,long\nTC1 1AA,53.42,-200\n"}, nil,
			"postcodes.csv: line 2: coordinate is not a finite lon/lat: (-200, 53.42)"},
		{"lookup without ward", map[string]string{"ward_lookup.csv": "LSOA11CD,LSOA11NM,WD15CD,WD15NM,LAD15CD\nE01000001,x,,Alpha,E08000901\n"}, tabular.ErrMissing,
			`ward_lookup.csv: line 2: column "wd15cd": missing value`},
		{"lookup duplicate", map[string]string{"ward_lookup.csv": "LSOA11CD,LSOA11NM,WD15CD,WD15NM,LAD15CD\nE01000001,x,E05000001,Alpha,E08000901\nE01000001,x,E05000002,Beta,E08000901\n"}, nil,
			"ward_lookup.csv: line 3: duplicate LSOA E01000001 (first at line 2)"},
		{"area lookup disagrees", map[string]string{"area_lookup.csv": "oa11cd,lsoa11cd,msoa11cd,lad11cd,lad11nm\nE00000001,E01000001,E02000001,E08000901,Testcity\nE00000002,E01000001,E02000002,E08000901,Testcity\n"}, nil,
			"area_lookup.csv: line 3: LSOA E01000001 is placed in MSOA E02000002 / district E08000901 here but in MSOA E02000001"},
		{"duplicate ward code", map[string]string{"wards.geojson": strings.Replace(mustRead(t, "wards.geojson"), `"E05000002"`, `"E05000001"`, 1)}, nil,
			"wards.geojson: feature 1: duplicate code E05000001 (first at feature 0)"},
		{"non-numeric count", map[string]string{"population.csv": header + "E01000001,lots,300,1000,200\n"}, tabular.ErrNotNumber,
			`population.csv: line 2: column "total population: mid 2015": not a number: "lots"`},
		{"negative count", map[string]string{"population.csv": header + "E01000001,1500,300,-1,200\n"}, tabular.ErrNegative,
			`population.csv: line 2: column "16-59": negative count: "-1"`},
		{"bands do not sum", map[string]string{"population.csv": header + "E01000001,1500,300,1001,200\n"}, nil,
			"population.csv: line 2: LSOA E01000001: age bands sum to 1501 but the total is 1500"},
		{"duplicate LSOA", map[string]string{"population.csv": header + "E01000001,1500,300,1000,200\nE01000001,1500,300,1000,200\n"}, nil,
			"population.csv: line 3: duplicate LSOA E01000001 (first at line 2)"},
		{"negative list size", map[string]string{"list_sizes.csv": "EXTRACT_DATE,CCG_CODE,CODE,SEX,AGE,NUMBER_OF_PATIENTS\n01JAN2021,99X,T00001,ALL,ALL,-3\n"}, tabular.ErrNegative,
			`list_sizes.csv: line 2: column "number_of_patients": negative count: "-3"`},
		{"bad date", map[string]string{"list_sizes.csv": "EXTRACT_DATE,CCG_CODE,CODE,SEX,AGE,NUMBER_OF_PATIENTS\n2021-01-01,99X,T00001,ALL,ALL,3\n"}, tabular.ErrBadDate,
			`list_sizes.csv: line 2: column "extract_date": not a date: "2021-01-01"`},
		{"proportion over 1", map[string]string{"catchments.csv": "msoa_code,trust_code,proportion\nE02000001,RAA,1.2\n"}, tabular.ErrNotAFraction,
			`catchments.csv: line 2: column "proportion": not a proportion between 0 and 1: 1.2`},
		{"decile out of range", map[string]string{"imd2019.csv": "LSOA code (2011),IMD Rank,IMD Decile\nE01000001,5,11\n"}, nil,
			`imd2019.csv: line 2: column "decile": decile is not between 1 and 10: 11`},
		{"unknown practice status", map[string]string{"epraccur.csv": "T00001,ALPHA,Y62,Q83,1 HIGH ST,,,TESTCITY,,TC1 1AA,19740401,,Z,B,99X,20130401,,,,,,0,,P,,4,\n"}, nil,
			`epraccur.csv: line 1: column "status": unknown practice status "Z"`},
		{"missing file", map[string]string{"postcodes.csv": ""}, ErrMissingFile, "postcodes (postcodes): input file not found"},
		{"config unknown ward", map[string]string{"config.yaml": "name: c\ncity: {id: TC, name: T}\nlocalities:\n  - id: L\n    name: L\n    teams:\n      - {id: T1, name: A, wards: [E05000001, E05000002, E05000777]}\n"},
			configuration.ErrInvalid, `team "T1" names unknown ward "E05000777"`},
		{"config ward in two teams", map[string]string{"config.yaml": "name: c\ncity: {id: TC, name: T}\nlocalities:\n  - id: L\n    name: L\n    teams:\n      - {id: T1, name: A, wards: [E05000001, E05000002]}\n      - {id: T2, name: B, wards: [E05000002]}\n"},
			configuration.ErrInvalid, `ward E05000002 (Beta) is in two teams: "T1" and "T2"`},
		{"config missing ward", map[string]string{"config.yaml": "name: c\ncity: {id: TC, name: T}\nlocalities:\n  - id: L\n    name: L\n    teams:\n      - {id: T1, name: A, wards: [E05000001]}\n"},
			configuration.ErrInvalid, "ward(s) in no team: E05000002 (Beta)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := runFixture(t, tt.edits)
			if err == nil {
				t.Fatalf("Run succeeded (%d wards); want error containing %q", len(res.Dataset.Wards), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q\nwant it to contain %q", err, tt.want)
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q does not wrap %v", err, tt.wantErr)
			}
		})
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata/city", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestEpraccurWithHeader: the shared copy of epraccur has a header row; the
// official file has none. Both must read the same.
func TestEpraccurWithHeader(t *testing.T) {
	header := "organisation_code,name,national_grouping,high_level_health_geography,address_line_1,address_line_2,address_line_3,address_line_4,address_line_5,postcode,open_date,close_date,status_code,organisation_sub_type_code,commissioner,join_provider_purchaser_date,left_provider_purchaser_date,contact_telephone_number,null_19,null_20,null_21,amended_record_indicator,null_23,provider_purchaser,null_25,prescribing_setting,null_27\n"
	plain, err := runFixture(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	withHeader, err := runFixture(t, map[string]string{"epraccur.csv": header + mustRead(t, "epraccur.csv")})
	if err != nil {
		t.Fatal(err)
	}
	if len(plain.Dataset.Practices) != 4 || len(withHeader.Dataset.Practices) != len(plain.Dataset.Practices) {
		t.Fatalf("practices: %d without header, %d with", len(plain.Dataset.Practices), len(withHeader.Dataset.Practices))
	}
	for i := range plain.Dataset.Practices {
		a, b := plain.Dataset.Practices[i], withHeader.Dataset.Practices[i]
		b.Source = a.Source
		if a != b {
			t.Errorf("practice %d differs: %+v vs %+v", i, a, b)
		}
	}
}

// TestBritishNationalGrid: boundary files in EPSG:27700 are reprojected.
func TestBritishNationalGrid(t *testing.T) {
	sq := func(e0, e1, n0, n1 float64) string {
		return "[[[" + ftoa(e0) + "," + ftoa(n0) + "],[" + ftoa(e1) + "," + ftoa(n0) + "],[" + ftoa(e1) + "," + ftoa(n1) + "],[" + ftoa(e0) + "," + ftoa(n1) + "],[" + ftoa(e0) + "," + ftoa(n0) + "]]]"
	}
	feat := func(props, rings string) string {
		return `{"type":"Feature","properties":` + props + `,"geometry":{"type":"Polygon","coordinates":` + rings + `}}`
	}
	fc := func(feats ...string) string {
		return `{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::27700"}},"features":[` + strings.Join(feats, ",") + `]}`
	}
	wards := fc(feat(`{"WD_CODE":"E05000001","WD_NAME":"Alpha"}`, sq(380000, 383000, 395000, 398000)),
		feat(`{"WD_CODE":"E05000002","WD_NAME":"Beta"}`, sq(383000, 386000, 395000, 398000)))
	lsoas := fc(feat(`{"code":"E01000001"}`, sq(380000, 381500, 395000, 398000)),
		feat(`{"code":"E01000002"}`, sq(381500, 383000, 395000, 398000)),
		feat(`{"code":"E01000003"}`, sq(383000, 384500, 395000, 398000)),
		feat(`{"code":"E01000004"}`, sq(384500, 386000, 395000, 398000)),
		feat(`{"code":"E01000005"}`, sq(386000, 389000, 395000, 398000)))
	res, err := runFixture(t, map[string]string{"wards.geojson": wards, "lsoas.geojson": lsoas})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	b := res.Dataset.Wards[0].Geometry.Bound()
	// E 380000 N 395000 is about 2.30 W, 53.45 N.
	if math.Abs(b.Min[0]-(-2.3016)) > 0.002 || math.Abs(b.Min[1]-53.4497) > 0.002 {
		t.Errorf("reprojected ward bound min = %v, want about (-2.3016, 53.4497)", b.Min)
	}
	if res.Report.Files[1].CRS == "" {
		t.Errorf("report does not record the CRS: %+v", res.Report.Files[1])
	}
}

func ftoa(f float64) string { return strings.TrimRight(strings.TrimRight(strconvF(f), "0"), ".") }

// TestLSOARegistrationsNHSFormat reads NHS Digital's "patients registered at
// a GP practice" LSOA file: rows per sex, ALL rows taking precedence.
func TestLSOARegistrationsNHSFormat(t *testing.T) {
	const regs = "PUBLICATION,EXTRACT_DATE,PRACTICE_CODE,PRACTICE_NAME,LSOA_CODE,SEX,NUMBER_OF_PATIENTS\n" +
		"GP_REG_PAT_LSOA,01APR2015,T00001,ALPHA,E01000001,MALE,100\n" +
		"GP_REG_PAT_LSOA,01APR2015,T00001,ALPHA,E01000001,FEMALE,120\n" +
		"GP_REG_PAT_LSOA,01APR2015,T00001,ALPHA,E01000002,ALL,50\n" +
		"GP_REG_PAT_LSOA,01APR2015,T00001,ALPHA,E01000003,MALE,10\n" +
		"GP_REG_PAT_LSOA,01APR2015,T00001,ALPHA,E01000003,ALL,30\n" +
		"GP_REG_PAT_LSOA,01APR2015,T00001,ALPHA,E01000003,FEMALE,20\n" +
		"GP_REG_PAT_LSOA,01APR2015,T00003,OTHERTON,E01000005,ALL,\"1,200\"\n"
	manifestText := mustRead(t, "manifest.yaml") +
		"  - {id: lsoa-registrations, role: registrations, level: lsoa, path: lsoa_regs.csv, date_formats: [\"02Jan2006\"],\n" +
		"     columns: {practice: PRACTICE_CODE, area: LSOA_CODE, patients: NUMBER_OF_PATIENTS, date: EXTRACT_DATE, sex: SEX}}\n"
	res, err := runFixture(t, map[string]string{"lsoa_regs.csv": regs, "manifest.yaml": manifestText})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, r := range res.Dataset.Registrations {
		if r.AreaLevel == dataset.AreaLSOA {
			if !r.Date.Equal(dataset.Day(2015, 4, 1)) || r.Source != "lsoa-registrations" {
				t.Errorf("registration %+v", r)
			}
			got[r.PracticeCode+" "+r.AreaCode] = r.Patients
		}
	}
	want := map[string]int{"T00001 E01000001": 220, "T00001 E01000002": 50, "T00001 E01000003": 30, "T00003 E01000005": 1200}
	if len(got) != len(want) {
		t.Fatalf("LSOA registrations = %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %d, want %d", k, got[k], v)
		}
	}
}

// TestIndicatorFiles: a wide LSOA file with a population denominator and a
// suppressed (blank) value, and a long practice file filtered per indicator.
func TestIndicatorFiles(t *testing.T) {
	wide := "lsoa11_code,income_num\nE01000001,300\nE01000002,\nE01000099,5\n"
	long := "PRACTICE_CODE,GROUP_CODE,REGISTER,PATIENT_LIST_SIZE\nT00001,DM,\"1,200\",\"20,000\"\nT00001,HYP,3000,20000\nT00003,DM,40,2000\n"
	groups := "PRACTICE_CODE,PCN_ODS_CODE,PCN_NAME\nT00001,U1,North PCN\nT00003,U1,North PCN\n"
	manifestText := mustRead(t, "manifest.yaml") + `
  - id: income
    role: indicators
    level: lsoa
    path: wide.csv
    period: 2015-16
    columns: {area: lsoa11_code}
    indicators:
      - {id: income, name: Income deprivation, domain: determinants, unit: proportion, polarity: higher-is-worse, numerator: income_num, denominator_from: population}
  - id: qof
    role: indicators
    level: practice
    path: long.csv
    period: 2019-20
    columns: {area: PRACTICE_CODE}
    indicators:
      - {id: dm, name: Diabetes, domain: population-health, unit: proportion, polarity: higher-is-worse, numerator: REGISTER, denominator: PATIENT_LIST_SIZE, where: {GROUP_CODE: DM}}
  - {id: pcn, role: practice-groups, kind: pcn, path: groups.csv, columns: {practice: PRACTICE_CODE, code: PCN_ODS_CODE, name: PCN_NAME}}
`
	res, err := runFixture(t, map[string]string{"manifest.yaml": manifestText, "wide.csv": wide, "long.csv": long, "groups.csv": groups})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]dataset.IndicatorValue{}
	for _, v := range res.Dataset.IndicatorValues {
		got[v.Indicator+" "+v.AreaCode] = v
	}
	want := map[string]dataset.IndicatorValue{
		"income E01000001": {Indicator: "income", AreaCode: "E01000001", Numerator: 300, Denominator: 1500, Known: true},
		"income E01000002": {Indicator: "income", AreaCode: "E01000002", Denominator: 1600, Known: false},
		"dm T00001":        {Indicator: "dm", AreaCode: "T00001", Numerator: 1200, Denominator: 20000, Known: true},
		"dm T00003":        {Indicator: "dm", AreaCode: "T00003", Numerator: 40, Denominator: 2000, Known: true},
	}
	if len(got) != len(want) {
		t.Errorf("values = %v", got)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %+v, want %+v", k, got[k], w)
		}
	}
	if len(res.Dataset.PracticeGroups) != 2 || len(res.Dataset.Indicators) != 2 {
		t.Errorf("groups %v, indicators %v", res.Dataset.PracticeGroups, res.Dataset.Indicators)
	}
	kinds := map[string]int{}
	for _, w := range res.Report.Warnings {
		kinds[w.Kind] = w.Count
	}
	if kinds["indicator-suppressed"] != 1 || kinds["indicator-area-unknown"] != 1 {
		t.Errorf("warnings = %v", kinds)
	}
	// A negative count is an error naming the line.
	_, err = runFixture(t, map[string]string{"manifest.yaml": manifestText, "wide.csv": "lsoa11_code,income_num\nE01000001,-3\n", "long.csv": long, "groups.csv": groups})
	if err == nil || !strings.Contains(err.Error(), "wide.csv: line 2") {
		t.Errorf("negative count: %v", err)
	}
}
