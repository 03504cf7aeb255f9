package importer

import (
	"context"
	"sort"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/data/manifest"
	"github.com/placeteam/placeteam/geo/areaindex"
)

// assemble joins the files: it selects the city's wards, attaches lookups,
// populations and deprivation to LSOAs, places LSOAs and practices in wards,
// and drops rows whose codes match nothing (each counted as a warning).
func (im *importer) assemble(ctx context.Context) error {
	s := im.state
	city := im.m.City.Code

	// Wards: all of the file, or those the lookup places in the city.
	wards := s.wards
	if s.keepWards == "lookup" {
		inCity := map[string]bool{}
		for _, row := range s.wardLookup {
			if row.district == city {
				inCity[row.ward] = true
			}
		}
		wards = wards[:0:0]
		for _, w := range s.wards {
			if inCity[w.Code] {
				wards = append(wards, w)
			}
		}
	}
	im.ds.Wards = wards
	wardSet := map[string]bool{}
	areas := make([]areaindex.Area, 0, len(wards))
	for _, w := range wards {
		wardSet[w.Code] = true
		areas = append(areas, areaindex.Area{Code: w.Code, Geometry: w.Geometry})
	}
	wardIndex := areaindex.New(areas)

	// Districts: boundaries, else the lookup's codes and names.
	districtSet := map[string]int{}
	for i, d := range s.districts {
		districtSet[d.Code] = i
	}
	for _, code := range sortedKeys(s.areaLookup) {
		row := s.areaLookup[code]
		if row.district == "" {
			continue
		}
		if i, ok := districtSet[row.district]; ok {
			if s.districts[i].Name == "" {
				s.districts[i].Name = row.districtName
			}
			continue
		}
		districtSet[row.district] = len(s.districts)
		s.districts = append(s.districts, dataset.District{Code: row.district, Name: row.districtName, Source: im.sourceOfRole("area-lookup")})
	}
	im.ds.Districts = s.districts

	// MSOAs: boundaries, else the lookup's codes.
	msoaSet := map[string]int{}
	for i, m := range s.msoas {
		msoaSet[m.Code] = i
	}
	for _, code := range sortedKeys(s.areaLookup) {
		row := s.areaLookup[code]
		if row.msoa == "" {
			continue
		}
		if i, ok := msoaSet[row.msoa]; ok {
			if s.msoas[i].Name == "" {
				s.msoas[i].Name = row.msoaName
			}
			continue
		}
		if len(im.m.FilesWithRole(manifest.RoleMSOABoundaries)) > 0 {
			// Boundaries exist but lack this MSOA: do not invent one.
			continue
		}
		msoaSet[row.msoa] = len(s.msoas)
		s.msoas = append(s.msoas, dataset.MSOA{Code: row.msoa, Name: row.msoaName, Source: im.sourceOfRole("area-lookup")})
	}
	im.ds.MSOAs = s.msoas
	msoaIndex := im.msoaIndex()

	// LSOAs.
	lsoaSet := map[string]bool{}
	for i := range s.lsoas {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		l := &s.lsoas[i]
		lsoaSet[l.Code] = true
		if row, ok := s.areaLookup[l.Code]; ok {
			if l.Name == "" {
				l.Name = row.lsoaName
			}
			l.DistrictCode = row.district
			if _, ok := msoaSet[row.msoa]; ok {
				l.MSOACode = row.msoa
			} else if row.msoa != "" {
				im.warn.add("lsoa-msoa-unknown", "LSOAs whose lookup MSOA has no boundary (MSOA left blank)", l.Code+" → "+row.msoa)
			}
		} else if len(s.areaLookup) > 0 {
			im.warn.add("lsoa-not-in-area-lookup", "LSOAs missing from the OA/LSOA/MSOA lookup", l.Code)
		}
		if l.MSOACode == "" && msoaIndex != nil {
			if row, ok := s.areaLookup[l.Code]; !ok || row.msoa == "" {
				// No lookup row names its MSOA: as for wards, take the MSOA
				// holding an interior point of the LSOA (LSOAs nest in
				// MSOAs, so the point's MSOA is the LSOA's).
				if code, ok := msoaIndex.Locate(areaindex.InteriorPoint(l.Geometry)); ok {
					l.MSOACode = code
					im.fallback.add("lsoa-msoa-interior-point", "LSOAs placed in MSOAs by an interior point (no LSOA→MSOA lookup row)", l.Code+" → "+code)
				}
			}
		}
		row, inLookup := s.wardLookup[l.Code]
		if l.DistrictCode == "" && inLookup {
			l.DistrictCode = row.district
		}
		switch {
		case inLookup && wardSet[row.ward]:
			l.WardCode, l.WardMethod = row.ward, dataset.WardByLookup
		case inLookup && (lookupDistrict(row, *l) == "" || lookupDistrict(row, *l) == city):
			// The lookup names a ward the boundaries lack: fall back to
			// geometry rather than silently dropping a city LSOA.
			im.warn.add("lsoa-lookup-ward-unknown", "LSOAs whose lookup ward is not among the dataset's wards (placed by an interior point instead)", l.Code+" → "+row.ward)
			if code, ok := wardIndex.Locate(areaindex.InteriorPoint(l.Geometry)); ok {
				l.WardCode, l.WardMethod = code, dataset.WardByInteriorPoint
			}
		case inLookup:
			// A ward of another district: the LSOA is outside the city.
		default:
			if len(s.wardLookup) > 0 {
				im.warn.add("lsoa-not-in-ward-lookup", "LSOAs missing from the ward lookup (placed by an interior point instead)", l.Code)
			}
			if code, ok := wardIndex.Locate(areaindex.InteriorPoint(l.Geometry)); ok {
				l.WardCode, l.WardMethod = code, dataset.WardByInteriorPoint
			}
		}
		if p, ok := s.population[l.Code]; ok {
			l.Population = p
		}
		l.Deprivation = s.deprivation[l.Code]
		sort.Slice(l.Deprivation, func(a, b int) bool { return l.Deprivation[a].Edition < l.Deprivation[b].Edition })
	}
	im.ds.LSOAs = s.lsoas
	im.resolveIndicators()
	for _, f := range im.report.Files {
		if f.Records == 0 {
			im.warn.add("file-no-records", "files that gave no records (check the where filter and the column mapping)", f.Path)
		}
	}
	for _, code := range sortedKeys(s.wardLookup) {
		if !lsoaSet[code] {
			im.warn.add("lookup-lsoa-unknown", "LSOAs in the ward lookup but not in the LSOA boundaries", code)
		}
	}
	for _, code := range sortedKeys(s.population) {
		if !lsoaSet[code] {
			im.warn.add("population-lsoa-unknown", "population rows for LSOAs not in the boundaries (ignored)", code)
		}
	}
	for _, code := range sortedKeys(s.deprivation) {
		if !lsoaSet[code] {
			im.warn.add("imd-lsoa-unknown", "IMD rows for LSOAs not in the boundaries (ignored)", code)
		}
	}

	// Practices: coordinates, else postcode centroid; then the ward.
	for _, p := range s.practices {
		switch {
		case p.hasCoords:
			p.Location, p.Located = p.coords, dataset.LocatedByCoordinates
		case p.Postcode != "":
			if pt, ok := s.postcodes[NormalizePostcode(p.Postcode)]; ok {
				p.Location, p.Located = pt, dataset.LocatedByPostcode
			} else if s.postcodes != nil {
				im.warn.add("practice-postcode-unknown", "practices whose postcode is not in the postcode file", p.Code+" "+p.Postcode)
			}
		}
		if p.HasLocation() {
			if code, ok := wardIndex.Locate(p.Location); ok {
				p.WardCode = code
			}
		}
		if p.WardCode == "" && im.practicesInCityOnly() {
			im.dropPractice(p.Source)
			continue
		}
		im.ds.Practices = append(im.ds.Practices, p.Practice)
	}

	// Catchments for MSOAs the dataset does not have cannot be used.
	kept := im.ds.Catchments[:0]
	for _, c := range im.ds.Catchments {
		if _, ok := msoaSet[c.MSOACode]; !ok {
			im.warn.add("catchment-msoa-unknown", "catchment shares for MSOAs not in the dataset (ignored)", c.MSOACode)
			continue
		}
		kept = append(kept, c)
	}
	im.ds.Catchments = kept
	return nil
}

// msoaIndex indexes the MSOA boundaries for the interior-point fallback;
// nil when the dataset has no MSOA geometry.
func (im *importer) msoaIndex() *areaindex.Index {
	var areas []areaindex.Area
	for _, m := range im.state.msoas {
		if len(m.Geometry) > 0 {
			areas = append(areas, areaindex.Area{Code: m.Code, Geometry: m.Geometry})
		}
	}
	if len(areas) == 0 {
		return nil
	}
	return areaindex.New(areas)
}

// practicesInCityOnly tells whether the practices file's where keeps only
// practices inside the city's wards (in_city: true).
func (im *importer) practicesInCityOnly() bool {
	files := im.m.FilesWithRole(manifest.RolePractices)
	return len(files) > 0 && files[0].InCity()
}

// dropPractice counts a practice left out by in_city as filtered, not as
// a record, in the file's report and source.
func (im *importer) dropPractice(source string) {
	for _, f := range im.report.Files {
		if f.ID == source {
			f.Skipped++
			f.Records--
			im.setRecords(f.ID, f.Records)
		}
	}
}

func (im *importer) sourceOfRole(role string) string {
	for _, f := range im.m.Files {
		if string(f.Role) == role {
			return f.ID
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lookupDistrict is the LSOA's district per the ward lookup, else per the
// area lookup; empty when neither says.
func lookupDistrict(row wardLookupRow, l dataset.LSOA) string {
	if row.district != "" {
		return row.district
	}
	return l.DistrictCode
}
