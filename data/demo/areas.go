package demo

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
)

// areaNames holds the codes and names given to the generated areas, by the
// geography's internal indices.
type areaNames struct {
	wardCode, wardName []string
	msoaCode, msoaName []string
	lsoaCode, lsoaName []string
}

// nameAreas gives codes and names in the ONS manner: MSOAs numbered north to
// south within their district ("Demoport 001"), LSOAs lettered north to south
// within their MSOA ("Demoport 001A"), ward codes in alphabetical order of
// ward name.
func nameAreas(rng *rand.Rand, g *geography) areaNames {
	var n areaNames

	names := slices.Clone(wardNames)
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	central := 0
	for w, grp := range g.wards {
		if grp.centre.dist(xy{}) < g.wards[central].centre.dist(xy{}) {
			central = w
		}
	}
	n.wardName = make([]string, len(g.wards))
	next := 0
	for w := range g.wards {
		if w == central {
			n.wardName[w] = centralWardName
			continue
		}
		n.wardName[w] = names[next]
		next++
	}
	byName := make([]int, len(g.wards))
	for w := range byName {
		byName[w] = w
	}
	sort.Slice(byName, func(i, j int) bool { return n.wardName[byName[i]] < n.wardName[byName[j]] })
	n.wardCode = make([]string, len(g.wards))
	for k, w := range byName {
		n.wardCode[w] = fmt.Sprintf("E05999%03d", k+1)
	}

	n.msoaCode = make([]string, len(g.msoas))
	n.msoaName = make([]string, len(g.msoas))
	n.lsoaCode = make([]string, len(g.lsoas))
	n.lsoaName = make([]string, len(g.lsoas))
	msoaSerial, lsoaSerial := 0, 0
	for z := range zoneCount {
		var msoas []int
		for m, grp := range g.msoas {
			if grp.zone == z {
				msoas = append(msoas, m)
			}
		}
		northFirst(msoas, func(m int) xy { return g.msoas[m].centre })
		for k, m := range msoas {
			msoaSerial++
			n.msoaCode[m] = fmt.Sprintf("E02999%03d", msoaSerial)
			n.msoaName[m] = fmt.Sprintf("%s %03d", districts[z].name, k+1)
			lsoas := slices.Clone(g.msoas[m].members)
			northFirst(lsoas, func(i int) xy { return g.lsoas[i].centre })
			for letter, i := range lsoas {
				lsoaSerial++
				n.lsoaCode[i] = fmt.Sprintf("E01999%03d", lsoaSerial)
				n.lsoaName[i] = fmt.Sprintf("%s%c", n.msoaName[m], 'A'+letter)
			}
		}
	}
	return n
}

// northFirst sorts indices by the latitude of their position, north first
// (west first on a tie).
func northFirst(idx []int, at func(int) xy) {
	sort.SliceStable(idx, func(i, j int) bool {
		a, b := at(idx[i]), at(idx[j])
		if a.y != b.y {
			return a.y > b.y
		}
		return a.x < b.x
	})
}

// boundaries traces the geometry of every area level from the one lattice,
// so that LSOAs, MSOAs, wards and districts all share vertices exactly.
type boundaries struct {
	lsoa, ward, msoa, district []orb.MultiPolygon
}

func traceBoundaries(g *geography) (boundaries, error) {
	l := g.lattice
	var b boundaries
	var err error
	if b.lsoa, err = l.traceRegions(g.lsoaOf, len(g.lsoas)); err != nil {
		return b, fmt.Errorf("LSOAs: %w", err)
	}
	relabel := func(of func(lsoaArea) int) []int32 {
		out := make([]int32, len(g.lsoaOf))
		for c, a := range g.lsoaOf {
			out[c] = -1
			if a >= 0 {
				out[c] = int32(of(g.lsoas[a]))
			}
		}
		return out
	}
	if b.ward, err = l.traceRegions(relabel(func(a lsoaArea) int { return a.ward }), len(g.wards)); err != nil {
		return b, fmt.Errorf("wards: %w", err)
	}
	if b.msoa, err = l.traceRegions(relabel(func(a lsoaArea) int { return a.msoa }), len(g.msoas)); err != nil {
		return b, fmt.Errorf("MSOAs: %w", err)
	}
	if b.district, err = l.traceRegions(relabel(func(a lsoaArea) int { return a.zone }), zoneCount); err != nil {
		return b, fmt.Errorf("districts: %w", err)
	}
	return b, nil
}

// addAreas fills the dataset's districts, wards, MSOAs and LSOAs, each sorted
// by code.
func addAreas(d *dataset.Dataset, g *geography, n areaNames, b boundaries, people []residents) {
	for z := range zoneCount {
		d.Districts = append(d.Districts, dataset.District{
			Code: districts[z].code, Name: districts[z].name, Geometry: b.district[z], Source: sourceDistricts,
		})
	}
	for w := range g.wards {
		d.Wards = append(d.Wards, dataset.Ward{Code: n.wardCode[w], Name: n.wardName[w], Geometry: b.ward[w], Source: sourceWards})
	}
	slices.SortFunc(d.Wards, func(a, b dataset.Ward) int { return cmp.Compare(a.Code, b.Code) })
	for m := range g.msoas {
		d.MSOAs = append(d.MSOAs, dataset.MSOA{Code: n.msoaCode[m], Name: n.msoaName[m], Geometry: b.msoa[m], Source: sourceMSOAs})
	}
	slices.SortFunc(d.MSOAs, func(a, b dataset.MSOA) int { return cmp.Compare(a.Code, b.Code) })
	for i, a := range g.lsoas {
		x := dataset.LSOA{
			Code:         n.lsoaCode[i],
			Name:         n.lsoaName[i],
			MSOACode:     n.msoaCode[a.msoa],
			DistrictCode: districts[a.zone].code,
			WardMethod:   dataset.WardNone,
			Geometry:     b.lsoa[i],
			Population:   people[i].population,
			Deprivation:  people[i].deprivation,
			Source:       sourceLSOAs,
		}
		if a.ward >= 0 {
			x.WardCode = n.wardCode[a.ward]
			x.WardMethod = dataset.WardByLookup
		}
		d.LSOAs = append(d.LSOAs, x)
	}
	// LSOA codes follow the geography's order only within an MSOA, so the
	// dataset's order is fixed by code, not by internal index.
	slices.SortFunc(d.LSOAs, func(a, b dataset.LSOA) int { return cmp.Compare(a.Code, b.Code) })
}
