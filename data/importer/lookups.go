package importer

import (
	"context"
	"io"

	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
)

// readWardLookup reads a best-fit LSOA → ward lookup (ONS convention).
func (im *importer) readWardLookup(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	lines := firstLines{}
	return t.each(ctx, func(row tabular.Row) error {
		lsoa, err := t.code(row, "lsoa")
		if err != nil {
			return err
		}
		ward, err := t.code(row, "ward")
		if err != nil {
			return err
		}
		if err := lines.duplicate(row, "LSOA", lsoa); err != nil {
			return err
		}
		im.state.wardLookup[lsoa] = wardLookupRow{ward: ward, district: upper(t.text(row, "district"))}
		fr.Records++
		return nil
	})
}

// readAreaLookup reads an OA/LSOA/MSOA/LAD lookup. OA-level files repeat each
// LSOA once per output area: repeats must agree.
func (im *importer) readAreaLookup(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	return t.each(ctx, func(row tabular.Row) error {
		lsoa, err := t.code(row, "lsoa")
		if err != nil {
			return err
		}
		rec := areaLookupRow{
			lsoaName: t.text(row, "lsoa_name"), msoa: upper(t.text(row, "msoa")), msoaName: t.text(row, "msoa_name"),
			district: upper(t.text(row, "district")), districtName: t.text(row, "district_name"),
		}
		if prev, ok := im.state.areaLookup[lsoa]; ok {
			if prev.msoa != rec.msoa || prev.district != rec.district {
				return row.Err("", errorf("LSOA %s is placed in MSOA %s / district %s here but in MSOA %s / district %s on an earlier line",
					lsoa, rec.msoa, rec.district, prev.msoa, prev.district))
			}
			return nil
		}
		im.state.areaLookup[lsoa] = rec
		fr.Records++
		return nil
	})
}
