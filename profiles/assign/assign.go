package assign

import (
	"errors"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/areaindex"
)

// Status says whether a row was placed and, if not, why.
type Status string

// The statuses (see the package documentation).
const (
	StatusPlaced          Status = "ok"
	StatusOutsideCity     Status = "outside-city"
	StatusMissingLocation Status = "missing-location"
	StatusBadCoordinates  Status = "bad-coordinates"
	StatusUnknownPostcode Status = "unknown-postcode"
	StatusWrongFieldCount Status = "wrong-field-count"
	StatusMalformedRow    Status = "malformed-row"
	StatusNotAPoint       Status = "not-a-point"
	// StatusError marks the last row of an output cut short by a read
	// error; it is not counted as a row.
	StatusError Status = "error"
)

// Placement is where one point lies. The fields are empty where nothing
// contains the point.
type Placement struct {
	WardCode   string `json:"ward_code"`
	WardName   string `json:"ward_name"`
	LSOACode   string `json:"lsoa_code"`
	TeamID     string `json:"team_id"`
	TeamName   string `json:"team_name"`
	LocalityID string `json:"locality_id"`
	Status     Status `json:"status"`
}

// OutputColumns are the columns CSV appends to every row (and GeoJSON adds
// to every feature's properties), in this order.
var OutputColumns = []string{"ward_code", "ward_name", "lsoa_code", "team_id", "team_name", "locality_id", "status", "reason"}

// Assigner places points in one configuration version's wards, teams and
// localities. It is immutable and safe for concurrent use.
type Assigner struct {
	city  string
	wards *areaindex.Index
	lsoas *areaindex.Index
	place map[string]Placement // ward code -> its placement (LSOA blank)
}

// ErrUnknownWard is wrapped when the configuration names a ward the
// dataset does not have.
var ErrUnknownWard = errors.New("assign: configuration names a ward the dataset does not have")

// Areas are a dataset's city wards and LSOAs indexed for placing points
// (with a grid in front of each index: most points are answered by one
// lookup). They do not depend on a configuration: build them once and
// make an Assigner per configuration version with For. Immutable.
type Areas struct {
	city         string
	wards, lsoas *areaindex.Index
	wardNames    map[string]string
}

// NewAreas indexes ds's wards and LSOAs (some milliseconds for a city).
func NewAreas(ds *dataset.Dataset) *Areas {
	ar := &Areas{city: ds.City.Name, wardNames: make(map[string]string, len(ds.Wards))}
	wards := make([]areaindex.Area, len(ds.Wards))
	for i, w := range ds.Wards {
		wards[i] = areaindex.Area{Code: w.Code, Geometry: w.Geometry}
		ar.wardNames[w.Code] = w.Name
	}
	lsoas := make([]areaindex.Area, 0, len(ds.LSOAs))
	for _, l := range ds.LSOAs {
		lsoas = append(lsoas, areaindex.Area{Code: l.Code, Geometry: l.Geometry})
	}
	ar.wards, ar.lsoas = areaindex.New(wards).Accelerated(0), areaindex.New(lsoas).Accelerated(0)
	return ar
}

// New indexes the dataset's city wards and LSOAs and maps each ward to its
// team and locality in c. Wards of the dataset that c leaves out are
// placed in the ward with no team.
func New(ds *dataset.Dataset, c *configuration.Configuration) (*Assigner, error) {
	return NewAreas(ds).For(c)
}

// For is an Assigner for configuration c over the areas.
func (ar *Areas) For(c *configuration.Configuration) (*Assigner, error) {
	a := &Assigner{city: ar.city, wards: ar.wards, lsoas: ar.lsoas, place: make(map[string]Placement, len(ar.wardNames))}
	for code, name := range ar.wardNames {
		a.place[code] = Placement{WardCode: code, WardName: name, Status: StatusPlaced}
	}
	for _, l := range c.Localities {
		for _, t := range l.Teams {
			for _, w := range t.Wards {
				p, ok := a.place[w]
				if !ok {
					return nil, fmt.Errorf("%w: %s (team %s)", ErrUnknownWard, w, t.ID)
				}
				p.TeamID, p.TeamName, p.LocalityID = t.ID, t.Name, l.ID
				a.place[w] = p
			}
		}
	}
	return a, nil
}

// Place returns where p (a valid lon/lat) lies: StatusPlaced in a ward of
// the city, else StatusOutsideCity. Shared edges follow the boundary rule
// of the package documentation.
func (a *Assigner) Place(p orb.Point) Placement {
	lsoa, _ := a.lsoas.Locate(p)
	ward, ok := a.wards.Locate(p)
	if !ok {
		return Placement{LSOACode: lsoa, Status: StatusOutsideCity}
	}
	pl := a.place[ward]
	pl.LSOACode = lsoa
	return pl
}

// outsideReason says why an outside-city point was not placed (the
// point itself is in the row).
func (a *Assigner) outsideReason() string {
	city := a.city
	if city == "" {
		city = "the city"
	}
	return "in no ward of " + city
}
