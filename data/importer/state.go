package importer

import (
	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/dataset"
)

// state holds what the files said, keyed by code, until assemble joins it.
type state struct {
	wards     []dataset.Ward
	keepWards string
	lsoas     []dataset.LSOA
	msoas     []dataset.MSOA
	districts []dataset.District

	wardLookup map[string]wardLookupRow
	areaLookup map[string]areaLookupRow

	population  map[string]dataset.Population
	deprivation map[string][]dataset.Deprivation

	postcodes map[string]orb.Point
	practices []practiceRow

	// listSeen and regSeen remember which file and line first gave a list
	// size or a registration count, so a second file with the same figure
	// is an error that names both.
	listSeen map[string]string
	regSeen  map[string]string

	indicatorValues []pendingValue
}

type wardLookupRow struct {
	ward, district string
}

type areaLookupRow struct {
	lsoaName, msoa, msoaName, district, districtName string
}

// practiceRow is a practice before it is located.
type practiceRow struct {
	dataset.Practice
	hasCoords bool
	coords    orb.Point
}

func newState() *state {
	return &state{
		wardLookup:  map[string]wardLookupRow{},
		areaLookup:  map[string]areaLookupRow{},
		population:  map[string]dataset.Population{},
		deprivation: map[string][]dataset.Deprivation{},
		listSeen:    map[string]string{},
		regSeen:     map[string]string{},
	}
}
