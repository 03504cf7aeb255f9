package importer

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/data/tabular"
)

// readTrusts reads acute trusts: GeoJSON points of their headquarters, or a
// CSV with optional lat/lon.
func (im *importer) readTrusts(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	cols := f.EffectiveColumns()
	seen := map[string]string{}
	add := func(where, code, trustName string, hq orb.Point, hasHQ bool) error {
		code = strings.ToUpper(strings.TrimSpace(code))
		if code == "" {
			return fmt.Errorf("%s: %s: no trust code", name, where)
		}
		if first, dup := seen[code]; dup {
			return fmt.Errorf("%s: %s: duplicate trust code %s (first at %s)", name, where, code, first)
		}
		seen[code] = where
		im.ds.Trusts = append(im.ds.Trusts, dataset.Trust{Code: code, Name: trustName, HQ: hq, HasHQ: hasHQ, Source: f.ID})
		fr.Records++
		return nil
	}
	if f.Format == manifest.FormatGeoJSON {
		coll, err := geojsonfile.Read(r, geojsonfile.Options{Name: name, Want: geojsonfile.WantPoints})
		if err != nil {
			return err
		}
		fr.CRS = string(coll.CRS)
		for _, feat := range coll.Features {
			fr.Rows++
			code, _ := feat.String(cols["code"].Name)
			trustName, _ := feat.String(cols["name"].Name)
			pt, _ := feat.Geometry.(orb.Point)
			if err := add(fmt.Sprintf("feature %d", feat.Index), code, trustName, pt, true); err != nil {
				return err
			}
		}
		return nil
	}
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	return t.each(ctx, func(row tabular.Row) error {
		pt, has, err := t.point(row)
		if err != nil {
			return err
		}
		return add(fmt.Sprintf("line %d", row.Line), t.text(row, "code"), t.text(row, "name"), pt, has)
	})
}

// readHospitalSites reads hospital points.
func (im *importer) readHospitalSites(f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	coll, err := geojsonfile.Read(r, geojsonfile.Options{Name: name, Want: geojsonfile.WantPoints})
	if err != nil {
		return err
	}
	fr.CRS = string(coll.CRS)
	cols := f.EffectiveColumns()
	for _, feat := range coll.Features {
		fr.Rows++
		siteName, _ := feat.String(cols["name"].Name)
		if siteName == "" {
			return fmt.Errorf("%s: feature %d: no %q property (the site name)", name, feat.Index, cols["name"].Name)
		}
		trust := ""
		if c, ok := cols["trust"]; ok {
			trust, _ = feat.String(c.Name)
		}
		pt, _ := feat.Geometry.(orb.Point)
		im.ds.HospitalSites = append(im.ds.HospitalSites, dataset.HospitalSite{Name: siteName, Location: pt, TrustCode: strings.ToUpper(trust), Source: f.ID})
		fr.Records++
	}
	return nil
}

// readCatchments reads OHID acute trust catchment shares (MSOA × trust).
func (im *importer) readCatchments(ctx context.Context, f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	t, err := im.openTable(f, r, name, fr)
	if err != nil {
		return err
	}
	lines := firstLines{}
	return t.each(ctx, func(row tabular.Row) error {
		msoa, err := t.code(row, "msoa")
		if err != nil {
			return err
		}
		trust, err := t.code(row, "trust")
		if err != nil {
			return err
		}
		p, err := row.Proportion(t.col["proportion"])
		if err != nil {
			return err
		}
		if err := lines.duplicate(row, "catchment share", msoa+" × "+trust); err != nil {
			return err
		}
		im.ds.Catchments = append(im.ds.Catchments, dataset.CatchmentShare{MSOACode: msoa, TrustCode: trust, Year: f.Year, Proportion: p, Source: f.ID})
		fr.Records++
		return nil
	})
}
