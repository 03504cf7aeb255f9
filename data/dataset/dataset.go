// Package dataset holds the domain model of one placeteam dataset: the
// small-area geography of a city (or region), its GP practices, their list
// sizes and registrations by area of residence, acute trusts and their
// catchments, and the provenance of every figure.
//
// Geometry is orb, lon/lat (WGS84 / CRS84). The package has no I/O: loaders in
// data/ fill a Dataset, Validate checks its integrity and Check reports the
// warnings a planner should read before trusting it.
package dataset

import (
	"time"

	"github.com/paulmach/orb"
)

// Dataset is everything imported for one city or region. One store holds one
// Dataset and any number of team configurations over its wards.
type Dataset struct {
	// Name identifies the dataset (e.g. "manchester").
	Name string
	// City is the local authority the wards tile; areas outside it are
	// "outside the city".
	City Area
	// Commissioners are the CCG codes whose practices belong to the city
	// (e.g. 14L and its predecessors); used to check practice locations.
	Commissioners []string
	// Sources lists every file the dataset was built from; records name
	// their source by Source.ID.
	Sources []Source

	Districts     []District
	Wards         []Ward
	LSOAs         []LSOA
	MSOAs         []MSOA
	Practices     []Practice
	ListSizes     []ListSize
	Registrations []Registration
	Trusts        []Trust
	HospitalSites []HospitalSite
	Catchments    []CatchmentShare

	Indicators      []Indicator
	IndicatorValues []IndicatorValue
	PracticeGroups  []PracticeGroup
}

// Area is a code and a display name.
type Area struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Source is one input file and the terms it is used under.
type Source struct {
	ID          string `json:"id"`
	Role        string `json:"role"`
	Path        string `json:"path"`
	Format      string `json:"format"`
	Title       string `json:"title,omitempty"`
	Attribution string `json:"attribution"`
	Licence     string `json:"licence"`
	SHA256      string `json:"sha256,omitempty"`
	Records     int    `json:"records"`
	// Modelled is true when the source's figures are estimates made by
	// placeteam (e.g. the demo city's generated registrations).
	Modelled bool `json:"modelled,omitempty"`
}

// District is a local authority district (LAD): the level at which the real
// April 2015 registrations give patients' area of residence.
type District struct {
	Code     string
	Name     string
	Geometry orb.MultiPolygon // may be empty when only a name is known
	Source   string
}

// Ward is an electoral ward: the building block of team configurations.
type Ward struct {
	Code     string
	Name     string
	Geometry orb.MultiPolygon
	Source   string
}

// WardMethod says how an LSOA was placed in its ward.
type WardMethod string

const (
	// WardByLookup: the dataset's best-fit lookup (the ONS convention).
	WardByLookup WardMethod = "lookup"
	// WardByInteriorPoint: the ward containing a point inside the LSOA.
	WardByInteriorPoint WardMethod = "interior-point"
	// WardNone: the LSOA lies outside every ward of the city.
	WardNone WardMethod = ""
)

// LSOA is a lower-layer super output area (about 1,500 residents).
type LSOA struct {
	Code     string
	Name     string
	MSOACode string
	// DistrictCode is the local authority the LSOA lies in.
	DistrictCode string
	// WardCode is empty when the LSOA is outside the city's wards.
	WardCode   string
	WardMethod WardMethod
	Geometry   orb.MultiPolygon
	Population Population
	// Deprivation holds one entry per IMD edition (2015, 2019) the dataset has.
	Deprivation []Deprivation
	Source      string
}

// Population is a resident population estimate with broad age bands.
type Population struct {
	// Year of the estimate (mid-year); zero when the LSOA has none.
	Year      int
	Total     int
	Age0to15  int
	Age16to59 int
	Age60Plus int
	// WorkingAge is the working-age population (18-59 for women, 18-64 for
	// men: the IoD employment-domain denominator). Not every population
	// file gives it and zero is a real figure, so it means something only
	// when HasWorkingAge is true; a missing figure is never read as zero.
	WorkingAge    int
	HasWorkingAge bool
	Source        string
}

// Known reports whether the LSOA has a population estimate.
func (p Population) Known() bool { return p.Year != 0 }

// Deprivation is one edition of the English Index of Multiple Deprivation for
// an LSOA. Rank 1 is the most deprived LSOA in England; decile 1 the most
// deprived tenth. The 2019 files used here carry ranks and deciles but no
// score, so Score is only meaningful when HasScore is true.
type Deprivation struct {
	Edition  int
	Score    float64
	HasScore bool
	Rank     int
	Decile   int
	Source   string
}

// DeprivationEdition returns the LSOA's IMD of the given edition.
func (l LSOA) DeprivationEdition(edition int) (Deprivation, bool) {
	for _, d := range l.Deprivation {
		if d.Edition == edition {
			return d, true
		}
	}
	return Deprivation{}, false
}

// MSOA is a middle-layer super output area: the level of trust catchments.
// Its LSOAs are those whose MSOACode names it.
type MSOA struct {
	Code     string
	Name     string
	Geometry orb.MultiPolygon
	Source   string
}

// PracticeStatus is the ODS status of an organisation.
type PracticeStatus string

const (
	StatusActive   PracticeStatus = "active"
	StatusClosed   PracticeStatus = "closed"
	StatusDormant  PracticeStatus = "dormant"
	StatusProposed PracticeStatus = "proposed"
)

// LocationMethod says where a practice's point came from.
type LocationMethod string

const (
	LocatedByCoordinates LocationMethod = "coordinates"
	LocatedByPostcode    LocationMethod = "postcode"
	NotLocated           LocationMethod = ""
)

// Practice is a GP practice. Closed practices are kept with their dates: a
// practice counts at a date when it was open then.
type Practice struct {
	Code     string
	Name     string
	Postcode string
	Status   PracticeStatus
	// Opened and Closed are zero when unknown / still open.
	Opened       time.Time
	Closed       time.Time
	Commissioner string
	Location     orb.Point
	Located      LocationMethod
	// WardCode is the city ward containing Location (empty when outside the
	// city or not located). Filled by the importer with a spatial index.
	WardCode string
	Source   string
}

// HasLocation reports whether the practice has a point.
func (p Practice) HasLocation() bool { return p.Located != NotLocated }

// OpenOn reports whether the practice was open on day d (unknown open dates
// count as open; a practice closing on d is still open that day).
func (p Practice) OpenOn(d time.Time) bool {
	if !p.Opened.IsZero() && d.Before(p.Opened) {
		return false
	}
	if !p.Closed.IsZero() && d.After(p.Closed) {
		return false
	}
	return true
}

// ListSize is the number of patients registered with a practice on a date.
type ListSize struct {
	PracticeCode string
	Date         time.Time
	Patients     int
	// Commissioner is the CCG the list-size file gives for the practice.
	Commissioner string
	Source       string
}

// AreaLevel is the geography of a registration's area of residence.
type AreaLevel string

const (
	AreaLSOA     AreaLevel = "lsoa"
	AreaDistrict AreaLevel = "district"
)

// Registration counts a practice's patients living in one area on a date:
// the practice × area-of-residence table.
type Registration struct {
	PracticeCode string
	AreaLevel    AreaLevel
	AreaCode     string
	Date         time.Time
	Patients     int
	Source       string
}

// Trust is an acute NHS trust. Catchments are by trust, not by site.
type Trust struct {
	Code   string
	Name   string
	HQ     orb.Point
	HasHQ  bool
	Source string
}

// HospitalSite is a hospital's location; TrustCode is empty when unknown.
type HospitalSite struct {
	Name      string
	Location  orb.Point
	TrustCode string
	Source    string
}

// CatchmentShare is the share of an MSOA's admitted patients that go to a
// trust (OHID acute trust catchment populations).
type CatchmentShare struct {
	MSOACode   string
	TrustCode  string
	Year       int
	Proportion float64
	Source     string
}

// Day returns the calendar day y-m-d as a UTC time.
func Day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
