package importer

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
	"github.com/placeteam/placeteam/geo/validity"
)

// NormalizePostcode upper-cases a postcode and removes its spaces, so that
// "m13 9wl", "M13 9WL" and "M139WL" match.
func NormalizePostcode(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// readPostcodes reads postcode centroids (ONSPD). Postcodes with no grid
// reference (ONSPD writes lat 99.999999) are left out.
func (im *importer) readPostcodes(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	im.state.postcodes = make(map[string]orb.Point, 1<<17)
	return t.each(ctx, func(row tabular.Row) error {
		pc := NormalizePostcode(t.text(row, "postcode"))
		if pc == "" {
			return row.Err("postcode", tabular.ErrMissing)
		}
		lat, okLat, err := row.OptionalFloat(t.col["lat"])
		if err != nil {
			return err
		}
		lon, okLon, err := row.OptionalFloat(t.col["lon"])
		if err != nil {
			return err
		}
		if !okLat || !okLon || lat > 90 || lat < -90 {
			im.warn.add("postcode-no-location", "postcodes with no grid reference in the postcode file", pc)
			return nil
		}
		if err := validity.LonLat(orb.Point{lon, lat}); err != nil {
			return row.Err("", err)
		}
		im.state.postcodes[pc] = orb.Point{lon, lat}
		fr.Records++
		return nil
	})
}

var practiceStatus = map[string]dataset.PracticeStatus{
	"A": dataset.StatusActive, "ACTIVE": dataset.StatusActive,
	"C": dataset.StatusClosed, "CLOSED": dataset.StatusClosed,
	"D": dataset.StatusDormant, "DORMANT": dataset.StatusDormant,
	"P": dataset.StatusProposed, "PROPOSED": dataset.StatusProposed,
}

// readPractices reads GP practices from ODS epraccur (positional, with or
// without a header row) or from a CSV with a column mapping.
func (im *importer) readPractices(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	lines := firstLines{}
	dateLayouts := f.DateFormats
	if len(dateLayouts) == 0 {
		dateLayouts = defaultDateLayouts
	}
	return t.each(ctx, func(row tabular.Row) error {
		code, err := t.code(row, "code")
		if err != nil {
			return err
		}
		if err := lines.duplicate(row, "practice", code); err != nil {
			return err
		}
		p := practiceRow{Practice: dataset.Practice{
			Code: code, Name: t.text(row, "name"), Postcode: strings.ToUpper(t.text(row, "postcode")),
			Commissioner: upper(t.text(row, "commissioner")), Status: dataset.StatusActive, Source: f.ID,
		}}
		if t.has("status") {
			raw := upper(t.text(row, "status"))
			s, ok := practiceStatus[raw]
			if !ok {
				return row.Err("status", fmt.Errorf("unknown practice status %q (want A, C, D or P)", raw))
			}
			p.Status = s
		}
		if t.has("open_date") {
			if p.Opened, _, err = row.Date(t.col["open_date"], dateLayouts...); err != nil {
				return err
			}
		}
		if t.has("close_date") {
			if p.Closed, _, err = row.Date(t.col["close_date"], dateLayouts...); err != nil {
				return err
			}
		}
		if p.coords, p.hasCoords, err = t.point(row); err != nil {
			return err
		}
		im.state.practices = append(im.state.practices, p)
		fr.Records++
		return nil
	})
}

// readListSizes reads practice list sizes (NHS Digital practice totals).
func (im *importer) readListSizes(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	lines := firstLines{}
	return t.each(ctx, func(row tabular.Row) error {
		code, err := t.code(row, "practice")
		if err != nil {
			return err
		}
		n, err := row.Count(t.col["patients"])
		if err != nil {
			return err
		}
		d, err := t.date(row)
		if err != nil {
			return err
		}
		key := code + " on " + d.Format("2006-01-02")
		if err := lines.duplicate(row, "list size of practice", key); err != nil {
			return err
		}
		if first, ok := im.state.listSeen[key]; ok {
			return row.Err("", fmt.Errorf("list size of practice %s is also given by %s", key, first))
		}
		im.state.listSeen[key] = fmt.Sprintf("%s line %d", name, row.Line)
		im.ds.ListSizes = append(im.ds.ListSizes, dataset.ListSize{
			PracticeCode: code, Date: d, Patients: n, Commissioner: upper(t.text(row, "commissioner")), Source: f.ID,
		})
		fr.Records++
		return nil
	})
}

// readRegistrations reads a practice × area-of-residence table. When a sex
// column is mapped, rows for "ALL" are used as they are and MALE/FEMALE rows
// are summed for keys with no ALL row.
func (im *importer) readRegistrations(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	level := dataset.AreaLevel(f.Level)
	if f.Level == "district" {
		level = dataset.AreaDistrict
	}
	type key struct{ practice, area, date string }
	type agg struct {
		reg      dataset.Registration
		all      bool
		bySex    map[string]int
		firstRow int
	}
	sums := map[key]*agg{}
	var order []key
	err = t.each(ctx, func(row tabular.Row) error {
		practice, err := t.code(row, "practice")
		if err != nil {
			return err
		}
		area, err := t.code(row, "area")
		if err != nil {
			return err
		}
		n, err := row.Count(t.col["patients"])
		if err != nil {
			return err
		}
		d, err := t.date(row)
		if err != nil {
			return err
		}
		k := key{practice, area, d.Format("2006-01-02")}
		a := sums[k]
		sex := upper(t.text(row, "sex"))
		if a == nil {
			a = &agg{reg: dataset.Registration{PracticeCode: practice, AreaLevel: level, AreaCode: area, Date: d, Source: f.ID}, bySex: map[string]int{}, firstRow: row.Line}
			sums[k] = a
			order = append(order, k)
		}
		if _, dup := a.bySex[sex]; dup {
			return row.Err("", fmt.Errorf("duplicate registration count for practice %s, %s %s, %s (first at line %d)", practice, f.Level, area, k.date, a.firstRow))
		}
		a.bySex[sex] = n
		fr.Records++
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range order {
		a := sums[k]
		seenKey := k.practice + " " + f.Level + " " + k.area + " on " + k.date
		if first, ok := im.state.regSeen[seenKey]; ok {
			return fmt.Errorf("%s: line %d: registration count for practice %s is also given by %s", name, a.firstRow, seenKey, first)
		}
		im.state.regSeen[seenKey] = fmt.Sprintf("%s line %d", name, a.firstRow)
		if v, ok := a.bySex["ALL"]; ok {
			a.reg.Patients = v
		} else {
			for _, v := range a.bySex {
				a.reg.Patients += v
			}
		}
		im.ds.Registrations = append(im.ds.Registrations, a.reg)
	}
	return nil
}
