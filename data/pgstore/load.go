package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/store"
)

// Dataset loads the stored dataset, every slice in the order it was given
// to ReplaceDataset, from one snapshot. It returns an error wrapping
// store.ErrNoDataset when the store holds none.
func (s *Store) Dataset(ctx context.Context) (*dataset.Dataset, error) {
	var d *dataset.Dataset
	err := s.read(ctx, func(tx pgx.Tx) error {
		var err error
		d, err = loadDataset(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pgstore: load dataset: %w", err)
	}
	return d, nil
}

// loader reads the tables of one dataset.
type loader struct {
	tx pgx.Tx
	d  *dataset.Dataset
	// sizes are the planner's row estimates by table, to size slices.
	sizes map[string]int
	// interned is shared by every table: codes and sources repeat across
	// them.
	interned map[string]string
}

func loadDataset(ctx context.Context, tx pgx.Tx) (*dataset.Dataset, error) {
	d := &dataset.Dataset{}
	err := tx.QueryRow(ctx, `SELECT name, city_code, city_name FROM dataset`).Scan(&d.Name, &d.City.Code, &d.City.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, store.ErrNoDataset
	}
	if err != nil {
		return nil, err
	}
	sizes, err := tableSizes(ctx, tx)
	if err != nil {
		return nil, err
	}
	l := &loader{tx: tx, d: d, sizes: sizes, interned: map[string]string{}}
	loads := []struct {
		table string
		load  func(context.Context) error
	}{
		{"commissioners", l.commissioners},
		{"sources", l.sources},
		{"districts", l.districts},
		{"wards", l.wards},
		{"msoas", l.msoas},
		{"lsoas", l.lsoas},
		{"lsoa_deprivation", l.deprivation},
		{"practices", l.practices},
		{"list_sizes", l.listSizes},
		{"registrations", l.registrations},
		{"trusts", l.trusts},
		{"hospital_sites", l.hospitalSites},
		{"catchments", l.catchments},
		{"indicators", l.indicators},
		{"indicator_values", l.indicatorValues},
		{"practice_groups", l.practiceGroups},
	}
	for _, x := range loads {
		if err := x.load(ctx); err != nil {
			return nil, fmt.Errorf("%s: %w", x.table, err)
		}
	}
	return d, nil
}

// maxSizeHint caps a row estimate used as a slice capacity.
const maxSizeHint = 1 << 24

// tableSizes reads the planner's row estimates of the schema's tables
// (ReplaceDataset analyses what it wrote, so they are exact after it).
func tableSizes(ctx context.Context, tx pgx.Tx) (map[string]int, error) {
	rows, err := tx.Query(ctx, `SELECT relname::text, reltuples::bigint FROM pg_class
		WHERE relnamespace = $1::regnamespace AND relkind = 'r'`, schema)
	if err != nil {
		return nil, fmt.Errorf("table sizes: %w", err)
	}
	sizes := map[string]int{}
	var (
		name string
		n    int64
	)
	_, err = pgx.ForEachRow(rows, []any{&name, &n}, func() error {
		sizes[name] = int(min(max(n, 0), maxSizeHint))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("table sizes: %w", err)
	}
	return sizes, nil
}

// each runs query and calls row once per row with its record. Queries
// describe their results (binary, whatever the URL's query mode), without
// a prepared statement per connection.
func (l *loader) each(ctx context.Context, query string, row func(r *record) error) error {
	rows, err := l.tx.Query(ctx, query, pgx.QueryExecModeCacheDescribe)
	if err != nil {
		return err
	}
	defer rows.Close()
	fields := rows.FieldDescriptions()
	r := &record{fields: fields, interned: l.interned, last: make([]string, len(fields))}
	for rows.Next() {
		r.values = rows.RawValues()
		if err := row(r); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
	}
	return rows.Err()
}

// grow gives s its capacity on the first row (so a table without rows
// leaves the slice nil).
func grow[T any](s []T, hint int) []T {
	if s == nil {
		return make([]T, 0, max(hint, 1))
	}
	return s
}

func (l *loader) commissioners(ctx context.Context) error {
	return l.each(ctx, `SELECT code FROM commissioners ORDER BY ord`, func(r *record) error {
		l.d.Commissioners = append(l.d.Commissioners, r.text(0))
		return nil
	})
}

func (l *loader) sources(ctx context.Context) error {
	return l.each(ctx, `SELECT id, role, path, format, title, attribution, licence, sha256, records, modelled
		FROM sources ORDER BY ord`, func(r *record) error {
		l.d.Sources = append(l.d.Sources, dataset.Source{ID: r.shared(0), Role: r.text(1), Path: r.text(2), Format: r.text(3),
			Title: r.text(4), Attribution: r.text(5), Licence: r.text(6), SHA256: r.text(7), Records: r.integer(8), Modelled: r.boolean(9)})
		return nil
	})
}

// areas loads the shape districts, wards and MSOAs share.
func (l *loader) areas(ctx context.Context, table string, add func(code, name string, geometry orb.MultiPolygon, source string)) error {
	return l.each(ctx, `SELECT code, name, ST_AsBinary(geometry), source FROM `+table+` ORDER BY ord`, func(r *record) error {
		add(r.shared(0), r.text(1), r.geometry(2), r.shared(3))
		return nil
	})
}

func (l *loader) districts(ctx context.Context) error {
	return l.areas(ctx, "districts", func(code, name string, g orb.MultiPolygon, source string) {
		l.d.Districts = append(l.d.Districts, dataset.District{Code: code, Name: name, Geometry: g, Source: source})
	})
}

func (l *loader) wards(ctx context.Context) error {
	return l.areas(ctx, "wards", func(code, name string, g orb.MultiPolygon, source string) {
		l.d.Wards = grow(l.d.Wards, l.sizes["wards"])
		l.d.Wards = append(l.d.Wards, dataset.Ward{Code: code, Name: name, Geometry: g, Source: source})
	})
}

func (l *loader) msoas(ctx context.Context) error {
	return l.areas(ctx, "msoas", func(code, name string, g orb.MultiPolygon, source string) {
		l.d.MSOAs = grow(l.d.MSOAs, l.sizes["msoas"])
		l.d.MSOAs = append(l.d.MSOAs, dataset.MSOA{Code: code, Name: name, Geometry: g, Source: source})
	})
}

func (l *loader) lsoas(ctx context.Context) error {
	return l.each(ctx, `SELECT code, name, msoa_code, district_code, ward_code, ward_method, ST_AsBinary(geometry),
		population_year, population_total, population_age_0_15, population_age_16_59, population_age_60_plus,
		population_working_age, population_has_working_age, population_source, source FROM lsoas ORDER BY ord`, func(r *record) error {
		l.d.LSOAs = grow(l.d.LSOAs, l.sizes["lsoas"])
		l.d.LSOAs = append(l.d.LSOAs, dataset.LSOA{
			Code: r.shared(0), Name: r.text(1), MSOACode: r.shared(2), DistrictCode: r.shared(3),
			WardCode: r.shared(4), WardMethod: dataset.WardMethod(r.shared(5)), Geometry: r.geometry(6),
			Population: dataset.Population{Year: r.integer(7), Total: r.integer(8), Age0to15: r.integer(9),
				Age16to59: r.integer(10), Age60Plus: r.integer(11), WorkingAge: r.integer(12), HasWorkingAge: r.boolean(13),
				Source: r.shared(14)},
			Source: r.shared(15),
		})
		return nil
	})
}

// deprivation attaches IMD editions to the LSOAs already loaded.
func (l *loader) deprivation(ctx context.Context) error {
	index := make(map[string]int, len(l.d.LSOAs))
	for i, x := range l.d.LSOAs {
		index[x.Code] = i
	}
	return l.each(ctx, `SELECT lsoa_code, edition, score, has_score, imd_rank, decile, source
		FROM lsoa_deprivation ORDER BY ord`, func(r *record) error {
		x := dataset.Deprivation{Edition: r.integer(1), Score: r.float(2), HasScore: r.boolean(3), Rank: r.integer(4),
			Decile: r.integer(5), Source: r.shared(6)}
		code := r.textValue(0)
		i, ok := index[string(code)]
		if !ok {
			return fmt.Errorf("IMD %d of unknown LSOA %q", x.Edition, code)
		}
		l.d.LSOAs[i].Deprivation = append(l.d.LSOAs[i].Deprivation, x)
		return nil
	})
}

func (l *loader) practices(ctx context.Context) error {
	return l.each(ctx, `SELECT code, name, postcode, status, opened, closed, commissioner,
		lon, lat, location_method, ward_code, source FROM practices ORDER BY ord`, func(r *record) error {
		l.d.Practices = grow(l.d.Practices, l.sizes["practices"])
		l.d.Practices = append(l.d.Practices, dataset.Practice{
			Code: r.shared(0), Name: r.text(1), Postcode: r.text(2), Status: dataset.PracticeStatus(r.shared(3)),
			Opened: r.time(4), Closed: r.time(5), Commissioner: r.shared(6),
			Location: orb.Point{r.float(7), r.float(8)}, Located: dataset.LocationMethod(r.shared(9)),
			WardCode: r.shared(10), Source: r.shared(11),
		})
		return nil
	})
}

func (l *loader) listSizes(ctx context.Context) error {
	return l.each(ctx, `SELECT practice_code, date, patients, commissioner, source FROM list_sizes ORDER BY ord`, func(r *record) error {
		l.d.ListSizes = grow(l.d.ListSizes, l.sizes["list_sizes"])
		l.d.ListSizes = append(l.d.ListSizes, dataset.ListSize{PracticeCode: r.shared(0), Date: r.time(1), Patients: r.integer(2),
			Commissioner: r.shared(3), Source: r.shared(4)})
		return nil
	})
}

func (l *loader) registrations(ctx context.Context) error {
	return l.each(ctx, `SELECT practice_code, area_level, area_code, date, patients, source
		FROM registrations ORDER BY ord`, func(r *record) error {
		l.d.Registrations = grow(l.d.Registrations, l.sizes["registrations"])
		l.d.Registrations = append(l.d.Registrations, dataset.Registration{PracticeCode: r.shared(0),
			AreaLevel: dataset.AreaLevel(r.shared(1)), AreaCode: r.shared(2), Date: r.time(3), Patients: r.integer(4), Source: r.shared(5)})
		return nil
	})
}

func (l *loader) trusts(ctx context.Context) error {
	return l.each(ctx, `SELECT code, name, hq_lon, hq_lat, has_hq, source FROM trusts ORDER BY ord`, func(r *record) error {
		l.d.Trusts = append(l.d.Trusts, dataset.Trust{Code: r.shared(0), Name: r.text(1), HQ: orb.Point{r.float(2), r.float(3)},
			HasHQ: r.boolean(4), Source: r.shared(5)})
		return nil
	})
}

func (l *loader) hospitalSites(ctx context.Context) error {
	return l.each(ctx, `SELECT name, lon, lat, trust_code, source FROM hospital_sites ORDER BY ord`, func(r *record) error {
		l.d.HospitalSites = append(l.d.HospitalSites, dataset.HospitalSite{Name: r.text(0), Location: orb.Point{r.float(1), r.float(2)},
			TrustCode: r.shared(3), Source: r.shared(4)})
		return nil
	})
}

func (l *loader) catchments(ctx context.Context) error {
	return l.each(ctx, `SELECT msoa_code, trust_code, year, proportion, source FROM catchments ORDER BY ord`, func(r *record) error {
		l.d.Catchments = grow(l.d.Catchments, l.sizes["catchments"])
		l.d.Catchments = append(l.d.Catchments, dataset.CatchmentShare{MSOACode: r.shared(0), TrustCode: r.shared(1), Year: r.integer(2),
			Proportion: r.float(3), Source: r.shared(4)})
		return nil
	})
}

func (l *loader) indicators(ctx context.Context) error {
	return l.each(ctx, `SELECT id, name, domain, unit, polarity, level, period, characteristic, group_name, breakdown_of,
		measure, suppressed_below, source FROM indicators ORDER BY ord`, func(r *record) error {
		l.d.Indicators = append(l.d.Indicators, dataset.Indicator{ID: r.shared(0), Name: r.text(1), Domain: r.shared(2), Unit: r.shared(3),
			Polarity: r.shared(4), Level: r.shared(5), Period: r.shared(6), Characteristic: r.shared(7), Group: r.text(8),
			BreakdownOf: r.shared(9), Measure: r.shared(10), SuppressedBelow: r.integer(11), Source: r.shared(12)})
		return nil
	})
}

func (l *loader) indicatorValues(ctx context.Context) error {
	return l.each(ctx, `SELECT indicator, area_code, numerator, denominator, known FROM indicator_values ORDER BY ord`, func(r *record) error {
		l.d.IndicatorValues = grow(l.d.IndicatorValues, l.sizes["indicator_values"])
		l.d.IndicatorValues = append(l.d.IndicatorValues, dataset.IndicatorValue{Indicator: r.shared(0), AreaCode: r.shared(1),
			Numerator: r.float(2), Denominator: r.float(3), Known: r.boolean(4)})
		return nil
	})
}

func (l *loader) practiceGroups(ctx context.Context) error {
	return l.each(ctx, `SELECT practice_code, kind, code, name, source FROM practice_groups ORDER BY ord`, func(r *record) error {
		l.d.PracticeGroups = grow(l.d.PracticeGroups, l.sizes["practice_groups"])
		l.d.PracticeGroups = append(l.d.PracticeGroups, dataset.PracticeGroup{PracticeCode: r.shared(0), Kind: r.shared(1),
			Code: r.shared(2), Name: r.shared(3), Source: r.shared(4)})
		return nil
	})
}
