package storetest

import (
	"encoding/json"
	"fmt"
	"github.com/placeteam/placeteam/data/store"
	"math"
	"time"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// square is a closed counter-clockwise ring of side size with its south-west
// corner at (lon, lat).
func square(lon, lat, size float64) orb.Ring {
	return orb.Ring{{lon, lat}, {lon + size, lat}, {lon + size, lat + size}, {lon, lat + size}, {lon, lat}}
}

// reversed reverses r in place (a hole winds the other way) and returns it.
func reversed(r orb.Ring) orb.Ring {
	r.Reverse()
	return r
}

// Dataset is a small valid dataset that uses every field: three wards
// (one with a hole, one of two polygons), LSOAs inside and outside the city
// with two IMD editions, open and closed practices, two list-size dates,
// registrations at LSOA and district level, trusts with and without a
// headquarters point, and catchments.
func Dataset() *dataset.Dataset {
	day := dataset.Day
	return &dataset.Dataset{
		Name:          "testcity",
		City:          dataset.Area{Code: "E08000003", Name: "Manchester"},
		Commissioners: []string{"14L", "00W"},
		Sources: []dataset.Source{
			{ID: "boundaries", Role: "geography", Path: "data/boundaries.geojson", Format: "geojson",
				Title: "Ward and LSOA boundaries", Attribution: "ONS", Licence: "OGL-UK-3.0", SHA256: "ab12", Records: 9},
			{ID: "population", Role: "population", Path: "pop.csv", Format: "csv", Attribution: "ONS", Licence: "OGL-UK-3.0", Records: 3},
			{ID: "imd", Role: "deprivation", Path: "imd.csv", Format: "csv", Attribution: "MHCLG", Licence: "OGL-UK-3.0", Records: 5},
			{ID: "practices", Role: "practices", Path: "epraccur.csv", Format: "csv", Attribution: "NHS Digital", Licence: "OGL-UK-3.0", Records: 3},
			{ID: "registrations", Role: "registrations", Path: "regs.csv", Format: "csv", Attribution: "placeteam",
				Licence: "CC0", Records: 5, Modelled: true},
			{ID: "trusts", Role: "trusts", Path: "etr.csv", Format: "csv", Attribution: "NHS Digital", Licence: "OGL-UK-3.0", Records: 2},
		},
		Districts: []dataset.District{
			{Code: "E08000003", Name: "Manchester", Geometry: orb.MultiPolygon{{square(-2.4, 53.3, 0.3)}}, Source: "boundaries"},
			{Code: "E08000007", Name: "Stockport"}, // name only: no geometry, no source
		},
		Wards: []dataset.Ward{
			{Code: "E05011359", Name: "Ancoats & Beswick", Geometry: orb.MultiPolygon{{square(-2.3, 53.4, 0.1)}}, Source: "boundaries"},
			{Code: "E05011360", Name: "Ardwick", Source: "boundaries", Geometry: orb.MultiPolygon{{
				square(-2.2, 53.4, 0.1), reversed(square(-2.18, 53.42, 0.02)),
			}}},
			{Code: "E05011361", Name: "Baguley", Source: "boundaries", Geometry: orb.MultiPolygon{
				{square(-2.3, 53.3, 0.05)}, {square(-2.2, 53.3, 0.05)},
			}},
		},
		MSOAs: []dataset.MSOA{
			{Code: "E02001045", Name: "Manchester 001", Geometry: orb.MultiPolygon{{square(-2.3, 53.4, 0.2)}}, Source: "boundaries"},
			{Code: "E02001046", Name: "Manchester 002"},
		},
		LSOAs: []dataset.LSOA{
			{Code: "E01005061", Name: "Manchester 001A", MSOACode: "E02001045", DistrictCode: "E08000003",
				WardCode: "E05011359", WardMethod: dataset.WardByLookup, Geometry: orb.MultiPolygon{{square(-2.3, 53.4, 0.05)}},
				Population: dataset.Population{Year: 2015, Total: 1600, Age0to15: 300, Age16to59: 1000, Age60Plus: 300,
					WorkingAge: 990, HasWorkingAge: true, Source: "population"},
				Deprivation: []dataset.Deprivation{
					{Edition: 2015, Score: 45.123456789012345, HasScore: true, Rank: 1234, Decile: 1, Source: "imd"},
					{Edition: 2019, Rank: 2345, Decile: 1, Source: "imd"},
				},
				Source: "boundaries"},
			{Code: "E01005062", Name: "Manchester 001B", MSOACode: "E02001045", DistrictCode: "E08000003",
				WardCode: "E05011360", WardMethod: dataset.WardByInteriorPoint, Geometry: orb.MultiPolygon{{square(-2.2, 53.4, 0.05)}},
				// A working-age figure of zero is known, not missing.
				Population: dataset.Population{Year: 2015, Total: 1400, Age0to15: 200, Age16to59: 900, Age60Plus: 300,
					HasWorkingAge: true, Source: "population"},
				Deprivation: []dataset.Deprivation{
					// Editions in non-sorted order: the store keeps the given order.
					{Edition: 2019, Rank: 30000, Decile: 10, Source: "imd"},
					{Edition: 2015, Score: 1.0 / 3.0, HasScore: true, Rank: 31000, Decile: 10, Source: "imd"},
				},
				Source: "boundaries"},
			{Code: "E01005063", Name: "Manchester 002A", MSOACode: "E02001046", DistrictCode: "E08000003",
				WardCode: "E05011361", WardMethod: dataset.WardByLookup, Geometry: orb.MultiPolygon{{square(-2.3, 53.3, 0.05)}},
				Population:  dataset.Population{Year: 2015, Total: 1000, Age0to15: 100, Age16to59: 600, Age60Plus: 300, Source: "population"},
				Deprivation: []dataset.Deprivation{{Edition: 2019, Rank: 15000, Decile: 5, Source: "imd"}},
				Source:      "boundaries"},
			{Code: "E01005999", Name: "Stockport 001A", DistrictCode: "E08000007",
				Geometry: orb.MultiPolygon{{square(-2.1, 53.3, 0.05)}}, Source: "boundaries"}, // outside the city, no population, no IMD
		},
		Practices: []dataset.Practice{
			{Code: "P84001", Name: "Ancoats Primary Care", Postcode: "M4 6DE", Status: dataset.StatusActive,
				Opened: day(1974, time.April, 1), Commissioner: "14L", Location: orb.Point{-2.2264395, 53.4838174},
				Located: dataset.LocatedByCoordinates, WardCode: "E05011359", Source: "practices"},
			{Code: "P84002", Name: "Ardwick Surgery", Postcode: "M12 4AH", Status: dataset.StatusClosed,
				Opened: day(1990, time.January, 1), Closed: day(2017, time.March, 31), Commissioner: "00W",
				Location: orb.Point{-2.2100001, 53.4611111}, Located: dataset.LocatedByPostcode, WardCode: "E05011360", Source: "practices"},
			{Code: "Y02999", Name: "Unlocated Practice", Postcode: "ZZ99 9ZZ", Status: dataset.StatusDormant,
				Commissioner: "14L", Source: "practices"},
		},
		ListSizes: []dataset.ListSize{
			{PracticeCode: "P84001", Date: day(2015, time.April, 1), Patients: 9876, Commissioner: "00W", Source: "practices"},
			{PracticeCode: "P84002", Date: day(2015, time.April, 1), Patients: 4321, Commissioner: "00W", Source: "practices"},
			{PracticeCode: "P84001", Date: day(2019, time.October, 1), Patients: 10234, Commissioner: "14L", Source: "practices"},
		},
		Registrations: []dataset.Registration{
			{PracticeCode: "P84001", AreaLevel: dataset.AreaLSOA, AreaCode: "E01005061", Date: day(2019, time.October, 1), Patients: 812, Source: "registrations"},
			{PracticeCode: "P84001", AreaLevel: dataset.AreaLSOA, AreaCode: "E01005062", Date: day(2019, time.October, 1), Patients: 95, Source: "registrations"},
			{PracticeCode: "P84001", AreaLevel: dataset.AreaDistrict, AreaCode: "E08000003", Date: day(2015, time.April, 1), Patients: 9000, Source: "registrations"},
			{PracticeCode: "P84002", AreaLevel: dataset.AreaDistrict, AreaCode: "E08000007", Date: day(2015, time.April, 1), Patients: 321, Source: "registrations"},
			// A time of day with nanoseconds must survive too.
			{PracticeCode: "P84001", AreaLevel: dataset.AreaLSOA, AreaCode: "E01005063",
				Date: time.Date(2019, time.October, 2, 0, 0, 0, 0, time.UTC), Patients: 7, Source: "registrations"},
		},
		Trusts: []dataset.Trust{
			{Code: "R0A", Name: "Manchester University NHS Foundation Trust", HQ: orb.Point{-2.2301, 53.4612}, HasHQ: true, Source: "trusts"},
			{Code: "RWJ", Name: "Stockport NHS Foundation Trust", Source: "trusts"},
		},
		HospitalSites: []dataset.HospitalSite{
			{Name: "Manchester Royal Infirmary", Location: orb.Point{-2.2263, 53.4625}, TrustCode: "R0A", Source: "trusts"},
			{Name: "Unknown Hospital", Location: orb.Point{-2.15, 53.41}},
		},
		Catchments: []dataset.CatchmentShare{
			{MSOACode: "E02001045", TrustCode: "R0A", Year: 2020, Proportion: 0.7312345678901234, Source: "trusts"},
			{MSOACode: "E02001045", TrustCode: "RWJ", Year: 2020, Proportion: 0.1 + 0.2, Source: "trusts"}, // not exactly 0.3
			{MSOACode: "E02001046", TrustCode: "R0A", Year: 2020, Proportion: 1},
		},
		Indicators: []dataset.Indicator{
			{ID: "dm", Name: "Diabetes prevalence", Domain: "population-health", Unit: "proportion", Polarity: "higher-is-worse", Level: "practice", Period: "2019-20", Source: "population"},
			{ID: "income", Name: "Income deprivation", Domain: "determinants", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa", Period: "2015-16", Source: "imd", SuppressedBelow: 10},
			{ID: "idaci", Name: "Income deprivation affecting children", Domain: "determinants", Unit: "proportion", Polarity: "higher-is-worse", Level: "lsoa", Period: "2015-16", Source: "imd",
				Characteristic: "age", Group: "0-15", BreakdownOf: "income"},
			{ID: "eth-indian", Name: "Ethnic group: Indian", Domain: "person", Unit: "proportion", Polarity: "no-judgement", Level: "lsoa", Period: "2011", Source: "imd",
				Characteristic: "ethnic-group", Group: "Indian"},
			{ID: "mood", Name: "Mood and anxiety disorders", Domain: "population-health", Unit: "score", Polarity: "higher-is-worse", Level: "msoa", Period: "2019", Source: "imd", Measure: dataset.MeasureMean},
		},
		IndicatorValues: []dataset.IndicatorValue{
			{Indicator: "dm", AreaCode: "P84001", Numerator: 812, Denominator: 9120, Known: true},
			{Indicator: "dm", AreaCode: "P84002", Denominator: 4000},
			{Indicator: "idaci", AreaCode: "E01005061", Numerator: 95, Denominator: 300, Known: true},
			{Indicator: "mood", AreaCode: "E02001045", Numerator: -0.1234567890123 * 3000, Denominator: 3000, Known: true},
		},
		PracticeGroups: []dataset.PracticeGroup{{PracticeCode: "P84001", Kind: "pcn", Code: "U1", Name: "North PCN", Source: "population"}},
	}
}

// Configuration puts the three wards of Dataset in two localities.
func Configuration(name string) *configuration.Configuration {
	return &configuration.Configuration{
		Name:  name,
		Title: "Test " + name,
		City:  configuration.Unit{ID: "manchester", Name: "Manchester"},
		Localities: []configuration.Locality{
			{ID: "north", Name: "North", Teams: []configuration.Team{
				{ID: "n1", Name: "North 1", Wards: []string{"E05011359"}},
				{ID: "n2", Name: "North 2", Wards: []string{"E05011360"}},
			}},
			{ID: "south", Name: "South", Teams: []configuration.Team{
				{ID: "s1", Name: "South 1", Wards: []string{"E05011361"}},
			}},
		},
	}
}

// Record is an import record with a small JSON report.
func Record(manifest string, at time.Time) store.ImportRecord {
	return store.ImportRecord{Manifest: manifest, ImportedAt: at, Report: json.RawMessage(`{"warnings":[{"kind":"x","count":2}]}`)}
}

// SyntheticDataset is a city-sized dataset for benchmarks: lsoas LSOAs with
// circular polygons of vertices points, grouped 5 to an MSOA and 40 to a
// ward, 100 practices and about registrations registrations.
func SyntheticDataset(lsoas, vertices, registrations int) *dataset.Dataset {
	day := dataset.Day
	circle := func(lon, lat, r float64) orb.MultiPolygon {
		ring := make(orb.Ring, 0, vertices+1)
		for i := 0; i < vertices; i++ {
			a := 2 * math.Pi * float64(i) / float64(vertices)
			ring = append(ring, orb.Point{lon + r*math.Cos(a), lat + r*math.Sin(a)})
		}
		ring = append(ring, ring[0])
		return orb.MultiPolygon{{ring}}
	}
	grid := func(i int) (float64, float64) { return -2.5 + float64(i%40)*0.01, 53.2 + float64(i/40)*0.01 }
	d := &dataset.Dataset{
		Name:          "synthetic",
		City:          dataset.Area{Code: "E08000003", Name: "Synthetic"},
		Commissioners: []string{"14L"},
		Sources:       []dataset.Source{{ID: "s", Role: "all", Path: "s.csv", Format: "csv", Attribution: "test", Licence: "CC0"}},
		Districts:     []dataset.District{{Code: "E08000003", Name: "Synthetic", Source: "s"}},
	}
	nWards := (lsoas + 39) / 40
	for w := 0; w < nWards; w++ {
		lon, lat := grid(w * 40)
		d.Wards = append(d.Wards, dataset.Ward{Code: fmt.Sprintf("W%04d", w), Name: fmt.Sprintf("Ward %d", w),
			Geometry: circle(lon, lat, 0.05), Source: "s"})
	}
	for m := 0; m < (lsoas+4)/5; m++ {
		lon, lat := grid(m * 5)
		d.MSOAs = append(d.MSOAs, dataset.MSOA{Code: fmt.Sprintf("M%04d", m), Name: fmt.Sprintf("MSOA %d", m),
			Geometry: circle(lon, lat, 0.02), Source: "s"})
		d.Catchments = append(d.Catchments, dataset.CatchmentShare{MSOACode: fmt.Sprintf("M%04d", m), TrustCode: "T1",
			Year: 2020, Proportion: 0.9, Source: "s"})
	}
	for i := 0; i < lsoas; i++ {
		lon, lat := grid(i)
		d.LSOAs = append(d.LSOAs, dataset.LSOA{
			Code: fmt.Sprintf("L%05d", i), Name: fmt.Sprintf("LSOA %d", i), MSOACode: fmt.Sprintf("M%04d", i/5),
			DistrictCode: "E08000003", WardCode: fmt.Sprintf("W%04d", i/40), WardMethod: dataset.WardByLookup,
			Geometry:   circle(lon, lat, 0.004),
			Population: dataset.Population{Year: 2015, Total: 1500, Age0to15: 300, Age16to59: 900, Age60Plus: 300, Source: "s"},
			Deprivation: []dataset.Deprivation{
				{Edition: 2015, Score: float64(i) / 7, HasScore: true, Rank: i + 1, Decile: i%10 + 1, Source: "s"},
				{Edition: 2019, Rank: i + 1, Decile: i%10 + 1, Source: "s"},
			},
			Source: "s",
		})
	}
	const practices = 100
	for p := 0; p < practices; p++ {
		lon, lat := grid(p * 13 % lsoas)
		d.Practices = append(d.Practices, dataset.Practice{Code: fmt.Sprintf("P%05d", p), Name: fmt.Sprintf("Practice %d", p),
			Status: dataset.StatusActive, Opened: day(1990, time.January, 1), Commissioner: "14L",
			Location: orb.Point{lon, lat}, Located: dataset.LocatedByCoordinates, Source: "s"})
		for _, date := range []time.Time{day(2015, time.April, 1), day(2019, time.October, 1)} {
			d.ListSizes = append(d.ListSizes, dataset.ListSize{PracticeCode: fmt.Sprintf("P%05d", p), Date: date,
				Patients: 8000 + p, Commissioner: "14L", Source: "s"})
		}
	}
	for r := 0; r < registrations; r++ {
		d.Registrations = append(d.Registrations, dataset.Registration{
			PracticeCode: fmt.Sprintf("P%05d", r%practices), AreaLevel: dataset.AreaLSOA,
			AreaCode: fmt.Sprintf("L%05d", (r/practices*37+r%practices*13)%lsoas), Date: day(2019, time.October, 1),
			Patients: 10 + r%50, Source: "s"})
	}
	d.Trusts = []dataset.Trust{{Code: "T1", Name: "Trust 1", HQ: orb.Point{-2.23, 53.46}, HasHQ: true, Source: "s"}}
	d.HospitalSites = []dataset.HospitalSite{{Name: "Site 1", Location: orb.Point{-2.23, 53.46}, TrustCode: "T1", Source: "s"}}
	return d
}
