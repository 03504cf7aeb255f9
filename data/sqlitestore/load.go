package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"github.com/placeteam/placeteam/data/store"

	"github.com/paulmach/orb"
	"github.com/placeteam/placeteam/data/dataset"
)

// Dataset loads the stored dataset, every slice in the order it was given
// to ReplaceDataset. It returns an error wrapping store.ErrNoDataset when the
// store holds none.
func (s *Store) Dataset(ctx context.Context) (*dataset.Dataset, error) {
	var d *dataset.Dataset
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		d, err = loadDataset(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: load dataset: %w", err)
	}
	return d, nil
}

func loadDataset(ctx context.Context, tx *sql.Tx) (*dataset.Dataset, error) {
	d := &dataset.Dataset{}
	err := tx.QueryRowContext(ctx, `SELECT name, city_code, city_name FROM dataset`).Scan(&d.Name, &d.City.Code, &d.City.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, store.ErrNoDataset
	}
	if err != nil {
		return nil, err
	}
	loaders := []struct {
		table string
		load  func(context.Context, *sql.Tx, *dataset.Dataset) error
	}{
		{"commissioners", loadCommissioners},
		{"sources", loadSources},
		{"districts", loadDistricts},
		{"wards", loadWards},
		{"msoas", loadMSOAs},
		{"lsoas", loadLSOAs},
		{"lsoa_deprivation", loadDeprivation},
		{"practices", loadPractices},
		{"list_sizes", loadListSizes},
		{"registrations", loadRegistrations},
		{"trusts", loadTrusts},
		{"hospital_sites", loadHospitalSites},
		{"catchments", loadCatchments},
		{"indicators", loadIndicators},
		{"indicator_values", loadIndicatorValues},
		{"practice_groups", loadPracticeGroups},
	}
	for _, l := range loaders {
		if err := l.load(ctx, tx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", l.table, err)
		}
	}
	return d, nil
}

// each runs query and calls scan once per row.
func each(ctx context.Context, tx *sql.Tx, query string, scan func(*sql.Rows) error, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// count returns the number of rows of table, to size its slice.
func count(ctx context.Context, tx *sql.Tx, table string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n)
	return n, err
}

func loadCommissioners(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT code FROM commissioners ORDER BY ord`, func(r *sql.Rows) error {
		var c string
		if err := r.Scan(&c); err != nil {
			return err
		}
		d.Commissioners = append(d.Commissioners, c)
		return nil
	})
}

func loadSources(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT id, role, path, format, title, attribution, licence, sha256, records, modelled
		FROM sources ORDER BY ord`, func(r *sql.Rows) error {
		var x dataset.Source
		if err := r.Scan(&x.ID, &x.Role, &x.Path, &x.Format, &x.Title, &x.Attribution, &x.Licence, &x.SHA256, &x.Records, &x.Modelled); err != nil {
			return err
		}
		d.Sources = append(d.Sources, x)
		return nil
	})
}

// area is the shape districts, wards and MSOAs share on disk.
type area struct {
	code, name string
	geometry   orb.MultiPolygon
	source     string
}

func loadAreas(ctx context.Context, tx *sql.Tx, table string, add func(area)) error {
	return each(ctx, tx, `SELECT code, name, geometry, source FROM `+table+` ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x      area
			g      sql.RawBytes
			source sql.NullString
		)
		if err := r.Scan(&x.code, &x.name, &g, &source); err != nil {
			return err
		}
		var err error
		if x.geometry, err = decodeGeometry(g); err != nil {
			return fmt.Errorf("%s: %w", x.code, err)
		}
		x.source = source.String
		add(x)
		return nil
	})
}

func loadDistricts(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return loadAreas(ctx, tx, "districts", func(a area) {
		d.Districts = append(d.Districts, dataset.District{Code: a.code, Name: a.name, Geometry: a.geometry, Source: a.source})
	})
}

func loadWards(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return loadAreas(ctx, tx, "wards", func(a area) {
		d.Wards = append(d.Wards, dataset.Ward{Code: a.code, Name: a.name, Geometry: a.geometry, Source: a.source})
	})
}

func loadMSOAs(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return loadAreas(ctx, tx, "msoas", func(a area) {
		d.MSOAs = append(d.MSOAs, dataset.MSOA{Code: a.code, Name: a.name, Geometry: a.geometry, Source: a.source})
	})
}

func loadLSOAs(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	n, err := count(ctx, tx, "lsoas")
	if err != nil || n == 0 {
		return err
	}
	d.LSOAs = make([]dataset.LSOA, 0, n)
	return each(ctx, tx, `SELECT code, name, msoa_code, district_code, ward_code, ward_method, geometry,
		population_year, population_total, population_age_0_15, population_age_16_59, population_age_60_plus,
		population_working_age, population_has_working_age, population_source, source FROM lsoas ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x            dataset.LSOA
			ward, source sql.NullString
			method       string
			g            sql.RawBytes
			p            = &x.Population
		)
		if err := r.Scan(&x.Code, &x.Name, &x.MSOACode, &x.DistrictCode, &ward, &method, &g,
			&p.Year, &p.Total, &p.Age0to15, &p.Age16to59, &p.Age60Plus, &p.WorkingAge, &p.HasWorkingAge, &p.Source, &source); err != nil {
			return err
		}
		var err error
		if x.Geometry, err = decodeGeometry(g); err != nil {
			return fmt.Errorf("%s: %w", x.Code, err)
		}
		x.WardCode, x.WardMethod, x.Source = ward.String, dataset.WardMethod(method), source.String
		d.LSOAs = append(d.LSOAs, x)
		return nil
	})
}

// loadDeprivation attaches IMD editions to the LSOAs already loaded.
func loadDeprivation(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	index := make(map[string]int, len(d.LSOAs))
	for i, l := range d.LSOAs {
		index[l.Code] = i
	}
	return each(ctx, tx, `SELECT lsoa_code, edition, score, has_score, imd_rank, decile, source
		FROM lsoa_deprivation ORDER BY ord`, func(r *sql.Rows) error {
		var (
			code  string
			x     dataset.Deprivation
			score sql.NullFloat64
		)
		if err := r.Scan(&code, &x.Edition, &score, &x.HasScore, &x.Rank, &x.Decile, &x.Source); err != nil {
			return err
		}
		x.Score = decodeFloat(score)
		i, ok := index[code]
		if !ok {
			return fmt.Errorf("IMD %d of unknown LSOA %q", x.Edition, code)
		}
		d.LSOAs[i].Deprivation = append(d.LSOAs[i].Deprivation, x)
		return nil
	})
}

func loadPractices(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT code, name, postcode, status, opened, closed, commissioner,
		lon, lat, location_method, ward_code, source FROM practices ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x               dataset.Practice
			status, located string
			opened, closed  sql.NullString
			lon, lat        sql.NullFloat64
			ward, source    sql.NullString
		)
		if err := r.Scan(&x.Code, &x.Name, &x.Postcode, &status, &opened, &closed, &x.Commissioner,
			&lon, &lat, &located, &ward, &source); err != nil {
			return err
		}
		var err error
		if x.Opened, err = decodeTime(opened); err != nil {
			return fmt.Errorf("%s opened: %w", x.Code, err)
		}
		if x.Closed, err = decodeTime(closed); err != nil {
			return fmt.Errorf("%s closed: %w", x.Code, err)
		}
		x.Status, x.Located = dataset.PracticeStatus(status), dataset.LocationMethod(located)
		x.Location = orb.Point{decodeFloat(lon), decodeFloat(lat)}
		x.WardCode, x.Source = ward.String, source.String
		d.Practices = append(d.Practices, x)
		return nil
	})
}

func loadListSizes(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	n, err := count(ctx, tx, "list_sizes")
	if err != nil || n == 0 {
		return err
	}
	d.ListSizes = make([]dataset.ListSize, 0, n)
	var dates timeDecoder
	return each(ctx, tx, `SELECT practice_code, date, patients, commissioner, source FROM list_sizes ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x            dataset.ListSize
			date, source sql.NullString
		)
		if err := r.Scan(&x.PracticeCode, &date, &x.Patients, &x.Commissioner, &source); err != nil {
			return err
		}
		var err error
		if x.Date, err = dates.decode(date); err != nil {
			return fmt.Errorf("%s: %w", x.PracticeCode, err)
		}
		x.Source = source.String
		d.ListSizes = append(d.ListSizes, x)
		return nil
	})
}

func loadRegistrations(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	n, err := count(ctx, tx, "registrations")
	if err != nil || n == 0 {
		return err
	}
	d.Registrations = make([]dataset.Registration, 0, n)
	var (
		dates  timeDecoder
		codes  interner
		level  sql.RawBytes
		code   sql.RawBytes
		area   sql.RawBytes
		date   sql.RawBytes
		source sql.RawBytes
	)
	// A million rows name a few thousand practices and areas: scanning
	// into RawBytes and interning keeps one string per distinct code
	// instead of four allocations per row.
	return each(ctx, tx, `SELECT practice_code, area_level, area_code, date, patients, source
		FROM registrations ORDER BY ord`, func(r *sql.Rows) error {
		var x dataset.Registration
		if err := r.Scan(&code, &level, &area, &date, &x.Patients, &source); err != nil {
			return err
		}
		x.PracticeCode, x.AreaCode = codes.get(code), codes.get(area)
		x.AreaLevel, x.Source = dataset.AreaLevel(codes.get(level)), codes.get(source)
		var err error
		if date != nil {
			if x.Date, err = dates.decode(sql.NullString{String: codes.get(date), Valid: true}); err != nil {
				return fmt.Errorf("%s: %w", x.PracticeCode, err)
			}
		}
		d.Registrations = append(d.Registrations, x)
		return nil
	})
}

// interner hands out one string per distinct byte sequence.
type interner map[string]string

func (m *interner) get(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if *m == nil {
		*m = make(map[string]string)
	}
	if s, ok := (*m)[string(b)]; ok {
		return s
	}
	s := string(b)
	(*m)[s] = s
	return s
}

func loadTrusts(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT code, name, hq_lon, hq_lat, has_hq, source FROM trusts ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x        dataset.Trust
			lon, lat sql.NullFloat64
			source   sql.NullString
		)
		if err := r.Scan(&x.Code, &x.Name, &lon, &lat, &x.HasHQ, &source); err != nil {
			return err
		}
		x.HQ = orb.Point{decodeFloat(lon), decodeFloat(lat)}
		x.Source = source.String
		d.Trusts = append(d.Trusts, x)
		return nil
	})
}

func loadHospitalSites(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT name, lon, lat, trust_code, source FROM hospital_sites ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x        dataset.HospitalSite
			lon, lat sql.NullFloat64
			source   sql.NullString
		)
		if err := r.Scan(&x.Name, &lon, &lat, &x.TrustCode, &source); err != nil {
			return err
		}
		x.Location = orb.Point{decodeFloat(lon), decodeFloat(lat)}
		x.Source = source.String
		d.HospitalSites = append(d.HospitalSites, x)
		return nil
	})
}

func loadCatchments(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT msoa_code, trust_code, year, proportion, source FROM catchments ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x      dataset.CatchmentShare
			source sql.NullString
		)
		if err := r.Scan(&x.MSOACode, &x.TrustCode, &x.Year, &x.Proportion, &source); err != nil {
			return err
		}
		x.Source = source.String
		d.Catchments = append(d.Catchments, x)
		return nil
	})
}

func loadIndicators(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT id, name, domain, unit, polarity, level, period, characteristic, group_name, breakdown_of, measure, suppressed_below, source
		FROM indicators ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x      dataset.Indicator
			source sql.NullString
		)
		if err := r.Scan(&x.ID, &x.Name, &x.Domain, &x.Unit, &x.Polarity, &x.Level, &x.Period,
			&x.Characteristic, &x.Group, &x.BreakdownOf, &x.Measure, &x.SuppressedBelow, &source); err != nil {
			return err
		}
		x.Source = source.String
		d.Indicators = append(d.Indicators, x)
		return nil
	})
}

func loadIndicatorValues(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT indicator, area_code, numerator, denominator, known FROM indicator_values ORDER BY ord`, func(r *sql.Rows) error {
		var x dataset.IndicatorValue
		if err := r.Scan(&x.Indicator, &x.AreaCode, &x.Numerator, &x.Denominator, &x.Known); err != nil {
			return err
		}
		d.IndicatorValues = append(d.IndicatorValues, x)
		return nil
	})
}

func loadPracticeGroups(ctx context.Context, tx *sql.Tx, d *dataset.Dataset) error {
	return each(ctx, tx, `SELECT practice_code, kind, code, name, source FROM practice_groups ORDER BY ord`, func(r *sql.Rows) error {
		var (
			x      dataset.PracticeGroup
			source sql.NullString
		)
		if err := r.Scan(&x.PracticeCode, &x.Kind, &x.Code, &x.Name, &source); err != nil {
			return err
		}
		x.Source = source.String
		d.PracticeGroups = append(d.PracticeGroups, x)
		return nil
	})
}
