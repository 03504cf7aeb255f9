package dataset

// Indicator is a small-area or practice measure profiled per team: a
// proportion, rate or count with its numerator and denominator, so that
// teams aggregate counts and never average rates.
type Indicator struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Domain   string `json:"domain"`   // one of IndicatorDomains
	Unit     string `json:"unit"`     // one of IndicatorUnits
	Polarity string `json:"polarity"` // higher-is-better, higher-is-worse, no-judgement
	// Level is the geography of the values: AreaLSOA, IndicatorLevelMSOA
	// (apportioned to wards by population), IndicatorLevelWard or
	// IndicatorLevelPractice.
	Level  string `json:"level"`
	Period string `json:"period"`
	Source string `json:"source"`
	// Characteristic and Group place the indicator in a breakdown by a
	// protected characteristic: e.g. "age" and "0-15", or "ethnic-group"
	// and "Indian". BreakdownOf is the id of the all-groups indicator it is
	// a slice of (income deprivation of children is a slice of income
	// deprivation); empty when the groups partition a population instead
	// (usual residents by ethnic group).
	Characteristic string `json:"characteristic,omitempty"`
	Group          string `json:"group,omitempty"`
	BreakdownOf    string `json:"breakdown_of,omitempty"`
	// Measure says what the numerator is: MeasureCount (or empty) for a
	// count of people or events, for which confidence intervals apply;
	// MeasureMean for a value weighted by the denominator (an area score
	// or ratio × its population), which sums to a population-weighted mean
	// with no sampling interval; MeasureAreaShare for the denominator of
	// the areas meeting a condition (residents living in the most deprived
	// areas), a share of residents with no sampling interval either.
	Measure string `json:"measure,omitempty"`
	// SuppressedBelow is the source's threshold for blanking small counts
	// (0 when unknown): a suppressed numerator lies in 0 … SuppressedBelow−1.
	SuppressedBelow int `json:"suppressed_below,omitempty"`
}

// The measures.
const (
	MeasureCount     = "count"
	MeasureMean      = "mean"
	MeasureAreaShare = "area-share"
)

// HasInterval reports whether the indicator's figures are counts that get
// confidence intervals and a significance comparison.
func (i Indicator) HasInterval() bool { return i.Measure == "" || i.Measure == MeasureCount }

// IndicatorDomains are the five domains of the outcome framework.
var IndicatorDomains = []string{"population-health", "determinants", "person", "community", "resources"}

// IndicatorUnits are the units an indicator may have. "km" is a distance
// (e.g. the IoD road distance to a GP surgery), averaged like a score.
var IndicatorUnits = []string{"proportion", "rate-per-1000", "rate-per-100000", "count", "ratio", "score", "km"}

// IndicatorPolarities are the judgements of a higher value.
var IndicatorPolarities = []string{"higher-is-better", "higher-is-worse", "no-judgement"}

// IndicatorLevelPractice is the level of practice indicators.
const IndicatorLevelPractice = "practice"

// IndicatorLevelWard is the level of ward indicators: values go to their
// ward as they are.
const IndicatorLevelWard = "ward"

// IndicatorLevelMSOA is the level of MSOA indicators, apportioned to wards
// through their LSOAs by population.
const IndicatorLevelMSOA = "msoa"

// IndicatorValue is one area's numerator and denominator. A suppressed
// (blank) numerator stays missing: Known is false and it is reported, never
// read as zero.
type IndicatorValue struct {
	Indicator   string
	AreaCode    string
	Numerator   float64
	Denominator float64
	Known       bool
}

// PracticeGroup puts a practice in a named group of a kind, e.g. its
// primary care network (kind "pcn").
type PracticeGroup struct {
	PracticeCode string
	Kind         string
	Code         string
	Name         string
	Source       string
}
