// Package wardtables assigns everything once and holds it as ward-level
// aggregates: resident population by age and deprivation, practices and their
// list sizes, hospital catchment overlap, area, and a residence-ward ×
// practice-ward flow matrix with an "outside the city" row and column.
// Evaluating any team configuration is then an aggregation over these tables
// with no geometry work (package placeprofile), which is what makes what-if
// editing instant.
//
// Assignment: LSOAs are in the ward the dataset gives them (the ONS best-fit
// lookup, else an interior point; see data/importer); practices are in the
// ward that contains their point (geo/areaindex: boundary points count as
// inside and the lowest ward code wins, so a point on a shared edge is
// assigned once); MSOA catchment shares reach wards through their LSOAs,
// weighted by LSOA resident population.
package wardtables

import (
	"time"
)

// Outside is the index of the "outside the city" row and column of the flow
// matrix: it equals the number of wards.
func (t *Tables) Outside() int { return len(t.Wards) }

// Tables are the ward-level aggregates of one dataset at one date.
type Tables struct {
	Dataset string
	City    Ref
	Wards   []Ref
	index   map[string]int

	Dates Dates

	// Per ward, in Wards order.
	Resident  []Population
	AreaKm2   []float64
	Practices [][]Practice // practices located in the ward and open on Dates.Registrations
	// Registered is the sum of the list sizes of Practices.
	Registered []float64
	// UnplacedPractices counts the practices open on Dates.Registrations
	// (or with patients then) that have no location, so no ward: their
	// patients are in no unit's registered population.
	UnplacedPractices int

	// Trusts are the acute trusts with catchment shares in the city.
	Trusts []Ref
	// Catchment[w][k] is the resident population of ward w in trust k's
	// catchment (MSOA admission shares weighted by LSOA population).
	Catchment [][]float64

	// Flows is the residence-ward × practice-ward matrix; index Outside()
	// is outside the city.
	Flows Matrix
	// FlowModel says where the flows come from.
	FlowModel FlowModel
	// Residence[practice][w] is the number of the practice's patients
	// living in ward w (Outside() for outside the city or the dataset),
	// for every practice in the flows, inside the city or not: the
	// practice × ward flows behind Flows, modelled when FlowModel is. It
	// carries the patients of outside practices who live outside too,
	// which Flows leaves out, so a row sums to the practice's list. Nil
	// when the dataset has no registrations by area of residence.
	Residence map[string]map[int]float64
	// ResidenceDates are the dates the dataset has registrations by area
	// of residence for, in order (whatever Dates.Registrations is).
	ResidenceDates []time.Time
}

// HasResidence reports whether the tables hold practice × ward flows.
func (t *Tables) HasResidence() bool { return t != nil && len(t.Residence) > 0 }

// ResidenceTotal is the number of a practice's patients in Residence.
// The sum runs in ward order, so that it is the same on every call.
func (t *Tables) ResidenceTotal(practice string) float64 {
	sum := 0.0
	m := t.Residence[practice]
	for w := 0; w <= t.Outside(); w++ {
		sum += m[w]
	}
	return sum
}

// Ref is a code and a name.
type Ref struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Dates says which date every figure uses.
type Dates struct {
	// Registrations: list sizes, practices open, and flows (zero, and
	// left out of JSON, when the dataset has neither list sizes nor
	// registrations).
	Registrations time.Time `json:"registrations,omitzero"`
	// ListSource says whether list sizes are the published practice totals
	// of that date or the sums of the registrations by area of residence.
	ListSource string `json:"list_source"`
	// PopulationYear is the mid-year of the resident population estimate.
	PopulationYear int `json:"population_year"`
	// IMDDecileEdition is the IMD edition of the decile breakdown (2019
	// when present); IMDScoreEdition the edition with scores (2015).
	IMDDecileEdition int `json:"imd_decile_edition,omitempty"`
	IMDScoreEdition  int `json:"imd_score_edition,omitempty"`
	CatchmentYear    int `json:"catchment_year,omitempty"`
}

// Population is resident population with age bands and deprivation.
type Population struct {
	Total     float64 `json:"total"`
	Age0to15  float64 `json:"age_0_15"`
	Age16to59 float64 `json:"age_16_59"`
	Age60Plus float64 `json:"age_60_plus"`
	// IMDDecile[d-1] is the population of LSOAs in national IMD decile d.
	IMDDecile [10]float64 `json:"imd_decile"`
	// IMDScoreSum is Σ population × IMD score over LSOAs with a score, and
	// IMDScorePopulation their population: the population-weighted score is
	// the ratio.
	IMDScoreSum        float64 `json:"-"`
	IMDScorePopulation float64 `json:"-"`
}

// Add accumulates o into p.
func (p *Population) Add(o Population) {
	p.Total += o.Total
	p.Age0to15 += o.Age0to15
	p.Age16to59 += o.Age16to59
	p.Age60Plus += o.Age60Plus
	for i := range p.IMDDecile {
		p.IMDDecile[i] += o.IMDDecile[i]
	}
	p.IMDScoreSum += o.IMDScoreSum
	p.IMDScorePopulation += o.IMDScorePopulation
}

// Practice is a practice located in a ward with its list size.
type Practice struct {
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	Patients float64 `json:"patients"`
}

// FlowModel describes the flow matrix's provenance.
type FlowModel struct {
	// Kind is "registrations" (real practice × LSOA counts) or "gravity"
	// (estimated from practice × district counts).
	Kind string `json:"kind"`
	// Modelled is true when ward-level flows inside the city are estimates.
	Modelled bool `json:"modelled"`
	// Decay is the gravity model's distance decay (per km) and Calibrated
	// whether it was fitted by maximum likelihood.
	Decay         float64 `json:"decay_per_km,omitempty"`
	Calibrated    bool    `json:"calibrated,omitempty"`
	LogLikelihood float64 `json:"log_likelihood,omitempty"`
	// CalibrationAtBound is true when the likelihood peaked at the edge of
	// the searched range (the decay is then a bound, not an estimate);
	// CalibrationUnimodal when the likelihood profile has a single peak.
	CalibrationAtBound  bool `json:"calibration_at_bound,omitempty"`
	CalibrationUnimodal bool `json:"calibration_unimodal,omitempty"`
	// Sources are the source ids the flows rest on.
	Sources []string `json:"sources"`
	// OutsideDatasetResidents counts patients of city practices whose area
	// of residence is not in the dataset (kept in the outside-city row).
	OutsideDatasetResidents float64 `json:"outside_dataset_residents"`
	// CityIsDistrict is true when the wards tile exactly the LSOAs of the
	// city's district: flows across the city boundary then come straight
	// from practice × district counts, even when the gravity model splits
	// them inside the city.
	CityIsDistrict bool `json:"city_is_district"`
}

// WardIndex returns the index of a ward code.
func (t *Tables) WardIndex(code string) (int, bool) {
	i, ok := t.index[code]
	return i, ok
}
