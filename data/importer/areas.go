package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/data/manifest"
)

// readAreas reads a boundary file: wards, LSOAs, MSOAs or districts.
func (im *importer) readAreas(f *manifest.File, r io.Reader, name string, fr *FileReport) error {
	coll, err := geojsonfile.Read(r, geojsonfile.Options{Name: name, Want: geojsonfile.WantPolygons})
	if err != nil {
		return err
	}
	fr.CRS = string(coll.CRS)
	cols := f.EffectiveColumns()
	seen := map[string]int{}
	for _, feat := range coll.Features {
		fr.Rows++
		code, ok := feat.String(cols["code"].Name)
		if !ok || code == "" {
			return fmt.Errorf("%s: feature %d: no %q property (the code)", name, feat.Index, cols["code"].Name)
		}
		code = strings.ToUpper(code)
		if first, dup := seen[code]; dup {
			return fmt.Errorf("%s: feature %d: duplicate code %s (first at feature %d)", name, feat.Index, code, first)
		}
		seen[code] = feat.Index
		areaName, _ := feat.String(cols["name"].Name)
		if f.Role == manifest.RoleWards && areaName == "" {
			return fmt.Errorf("%s: feature %d: ward %s has no %q property (the name)", name, feat.Index, code, cols["name"].Name)
		}
		geom, ok := feat.Geometry.(orb.MultiPolygon)
		if !ok {
			return fmt.Errorf("%s: feature %d: expected polygons, got %s", name, feat.Index, feat.Geometry.GeoJSONType())
		}
		switch f.Role {
		case manifest.RoleWards:
			im.state.wards = append(im.state.wards, dataset.Ward{Code: code, Name: areaName, Geometry: geom, Source: f.ID})
		case manifest.RoleLSOABoundaries:
			im.state.lsoas = append(im.state.lsoas, dataset.LSOA{Code: code, Name: areaName, Geometry: geom, Source: f.ID})
		case manifest.RoleMSOABoundaries:
			im.state.msoas = append(im.state.msoas, dataset.MSOA{Code: code, Name: areaName, Geometry: geom, Source: f.ID})
		case manifest.RoleDistricts:
			im.state.districts = append(im.state.districts, dataset.District{Code: code, Name: areaName, Geometry: geom, Source: f.ID})
		}
		fr.Records++
	}
	if f.Role == manifest.RoleWards {
		im.state.keepWards = f.KeepWards
	}
	return nil
}
