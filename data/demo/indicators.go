package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/placeteam/placeteam/data/dataset"
)

// Indicator periods. The figures are synthetic; the periods say which real
// publication each family imitates.
const (
	periodIncome     = "2015-16 (synthetic; denominators mid-2015)"
	periodQOF        = "2019-20 (synthetic; denominators the January 2021 lists)"
	periodAdmissions = "2019-20 (synthetic; denominators mid-2015)"
	periodEthnicity  = "mid-2015 (synthetic)"
)

// suppressBelow is the disclosure rule of the income slices: a child or
// older-person count below it is published blank (Known false), as many
// small-area publications blank counts under 10.
const suppressBelow = 10

// Income deprivation model (logit scale): the share of residents in
// income-deprived households at latent deprivation 0 (a national z-score)
// is about 11%, and each standard deviation of deprivation multiplies its
// odds by e^1.1; children live in income-deprived households more often
// than adults, older people a little more often.
const (
	incomeLogit       = -2.1
	incomeGradient    = 1.1
	incomeNoise       = 0.15
	childLogitShift   = 0.35
	olderLogitShift   = 0.1
	workingLogitShift = -0.2
)

// ethnicGroup is one group of the ethnic-group partition of residents. Its
// share in an LSOA is a softmax of log-weights: base + gradient × deprivation
// + inner × closeness to the city centre + cluster × a smooth field of its
// own (communities settle together) + noise; White British has weight 0.
type ethnicGroup struct {
	id, group string
	base      float64 // log-weight relative to White British
	gradient  float64
	inner     float64
	cluster   float64 // amplitude of the group's smooth field; 0 for none
}

var ethnicGroups = []ethnicGroup{
	{id: "ethnicity-whitebrit", group: "White British"},
	{id: "ethnicity-otherwhite", group: "Other White", base: math.Log(0.05), gradient: 0.05, inner: 1.2},
	{id: "ethnicity-mixed", group: "Mixed/multiple ethnic groups", base: math.Log(0.045), gradient: 0.25, inner: 0.6},
	{id: "ethnicity-asian", group: "Asian/Asian British", base: math.Log(0.11), gradient: 0.35, inner: 0.4, cluster: 4.5},
	{id: "ethnicity-black", group: "Black/African/Caribbean/Black British", base: math.Log(0.06), gradient: 0.45, inner: 0.5, cluster: 3.5},
	{id: "ethnicity-other", group: "Other ethnic group", base: math.Log(0.03), gradient: 0.3, inner: 0.9},
}

// Ethnic-group model constants: the neighbouring districts' minority weights
// are scaled by outsideMinority; the residual not stated is 0.2-0.8% of
// residents.
const (
	outsideMinority    = 0.35
	ethnicNoise        = 0.25
	notStatedMin       = 0.002
	notStatedMax       = 0.008
	ethnicClusterScale = 3000.0 // metres
)

// Prevalence models (logit scale) of the practice registers: a base
// prevalence, a gradient with the patients' mean deprivation, their share
// aged 60+ (about the national 0.17 at the base) and, for diabetes, their
// share of Asian/Asian British residents.
var (
	diabetesLogit     = logit(0.058)
	hypertensionLogit = logit(0.13)
)

const (
	diabetesGradient     = 0.35
	diabetesOlder        = 2.0
	diabetesAsian        = 1.2
	diabetesNoise        = 0.12
	hypertensionGradient = 0.08
	hypertensionOlder    = 4.5
	hypertensionNoise    = 0.1
	nationalOlderShare   = 0.17
	nationalAsianShare   = 0.08
)

// Emergency admissions model: about 100 a year per 1,000 residents at
// deprivation 0 and the national age mix.
const (
	admissionsPer1000  = 100.0
	admissionsGradient = 0.25
	admissionsOlder    = 3.0
	admissionsNoise    = 0.08
)

// indicatorModel holds what the indicator stage reads about the city.
type indicatorModel struct {
	rng       *rand.Rand
	g         *geography
	people    []residents
	practices []*practice
	names     areaNames
	d         *dataset.Dataset
	// asianShare is each LSOA's modelled share of Asian/Asian British
	// residents, read by the diabetes model.
	asianShare []float64
}

// modelIndicators generates the demo's indicators and their values, listed
// income deprivation, QOF prevalences, emergency admissions, ethnic groups;
// within an indicator by area (LSOA, MSOA or practice) code. The families
// draw in another order — ethnic groups first, as the diabetes model reads
// them. It reads the generated city and changes nothing in it.
func modelIndicators(rng *rand.Rand, g *geography, people []residents, practices []*practice, n areaNames, d *dataset.Dataset) ([]dataset.Indicator, []dataset.IndicatorValue) {
	m := &indicatorModel{rng: rng, g: g, people: people, practices: practices, names: n, d: d}
	type family struct {
		indicators []dataset.Indicator
		values     []dataset.IndicatorValue
	}
	var ethnicity, income, admissions, prevalence family
	ethnicity.indicators, ethnicity.values = m.ethnicity()
	income.indicators, income.values = m.incomeDeprivation()
	admissions.indicators, admissions.values = m.admissions()
	prevalence.indicators, prevalence.values = m.prevalence()
	var inds []dataset.Indicator
	var values []dataset.IndicatorValue
	for _, f := range []family{income, prevalence, admissions, ethnicity} {
		inds = append(inds, f.indicators...)
		values = append(values, f.values...)
	}
	return inds, values
}

// incomeDeprivation models the IoD income domain: residents of each LSOA in
// income-deprived households, by age band (binomial draws from a share that
// rises with deprivation), the total their sum. The children's (IDACI) and
// older people's (IDAOPI) counts below suppressBelow are suppressed.
func (m *indicatorModel) incomeDeprivation() ([]dataset.Indicator, []dataset.IndicatorValue) {
	inds := []dataset.Indicator{
		{ID: "income-deprivation", Name: "Income deprivation (share of residents)"},
		{ID: "idaci", Name: "Income deprivation affecting children (0-15)", Characteristic: "age", Group: "0-15", BreakdownOf: "income-deprivation", SuppressedBelow: suppressBelow},
		{ID: "idaopi", Name: "Income deprivation affecting older people (60+)", Characteristic: "age", Group: "60+", BreakdownOf: "income-deprivation", SuppressedBelow: suppressBelow},
	}
	for i := range inds {
		inds[i].Domain, inds[i].Unit, inds[i].Polarity = "determinants", "proportion", "higher-is-worse"
		inds[i].Level, inds[i].Period, inds[i].Source = string(dataset.AreaLSOA), periodIncome, sourceIncome
	}
	byID := make([][]dataset.IndicatorValue, len(inds))
	for _, i := range m.lsoaOrder() {
		p := m.people[i].population
		shift := incomeLogit + incomeGradient*clamp(m.people[i].need, -2.5, 3) + incomeNoise*m.rng.NormFloat64()
		children := binomial(m.rng, p.Age0to15, logistic(shift+childLogitShift))
		working := binomial(m.rng, p.Age16to59, logistic(shift+workingLogitShift))
		older := binomial(m.rng, p.Age60Plus, logistic(shift+olderLogitShift))
		code := m.names.lsoaCode[i]
		byID[0] = append(byID[0], known(inds[0].ID, code, children+working+older, p.Total))
		byID[1] = append(byID[1], suppressed(known(inds[1].ID, code, children, p.Age0to15)))
		byID[2] = append(byID[2], suppressed(known(inds[2].ID, code, older, p.Age60Plus)))
	}
	return inds, flatten(byID)
}

// ethnicity partitions each LSOA's residents among ethnicGroups by a
// multinomial draw, after a small residual not stated.
func (m *indicatorModel) ethnicity() ([]dataset.Indicator, []dataset.IndicatorValue) {
	l := m.g.lattice
	fields := make([]*noiseField, len(ethnicGroups))
	for k, e := range ethnicGroups {
		if e.cluster != 0 {
			fields[k] = newNoise(m.rng, float64(l.cols)*l.cell, float64(l.rows)*l.cell, ethnicClusterScale)
		}
	}
	inds := make([]dataset.Indicator, len(ethnicGroups))
	for k, e := range ethnicGroups {
		inds[k] = dataset.Indicator{
			ID: e.id, Name: "Ethnic group: " + e.group, Domain: "person", Unit: "proportion", Polarity: "no-judgement",
			Level: string(dataset.AreaLSOA), Period: periodEthnicity, Source: sourceEthnicity,
			Characteristic: "ethnic-group", Group: e.group,
		}
	}
	asian := -1
	for k, e := range ethnicGroups {
		if e.id == "ethnicity-asian" {
			asian = k
		}
	}
	m.asianShare = make([]float64, len(m.g.lsoas))
	byID := make([][]dataset.IndicatorValue, len(ethnicGroups))
	weights := make([]float64, len(ethnicGroups))
	for _, i := range m.lsoaOrder() {
		a := m.g.lsoas[i]
		inner := math.Exp(-rho(a.centre) * rho(a.centre) / 0.3)
		need := clamp(m.people[i].need, -2, 3)
		var sum float64
		for k, e := range ethnicGroups {
			w := 0.0
			if k > 0 {
				w = e.base + e.gradient*need + e.inner*inner + ethnicNoise*m.rng.NormFloat64()
				if fields[k] != nil {
					w += e.cluster * (fields[k].at(a.centre) - 0.5)
				}
				if a.zone != zoneCity {
					w += math.Log(outsideMinority)
				}
			}
			weights[k] = math.Exp(w)
			sum += weights[k]
		}
		for k := range weights {
			weights[k] /= sum
		}
		total := m.people[i].population.Total
		notStated := binomial(m.rng, total, notStatedMin+(notStatedMax-notStatedMin)*m.rng.Float64())
		counts := multinomial(m.rng, total-notStated, weights)
		code := m.names.lsoaCode[i]
		for k, c := range counts {
			byID[k] = append(byID[k], known(ethnicGroups[k].id, code, c, total))
		}
		if asian >= 0 {
			m.asianShare[i] = float64(counts[asian]) / float64(total)
		}
	}
	return inds, flatten(byID)
}

// admissions models emergency hospital admissions of each MSOA's residents
// in a year: a binomial draw at a rate that rises with the MSOA's
// population-weighted deprivation and its share aged 60+.
func (m *indicatorModel) admissions() ([]dataset.Indicator, []dataset.IndicatorValue) {
	ind := dataset.Indicator{
		ID: "emergency-admissions", Name: "Emergency hospital admissions (per 1,000 residents)",
		Domain: "resources", Unit: "rate-per-1000", Polarity: "higher-is-worse",
		Level: dataset.IndicatorLevelMSOA, Period: periodAdmissions, Source: sourceAdmissions,
	}
	var values []dataset.IndicatorValue
	for _, k := range m.msoaOrder() {
		var population, older int
		var need float64
		for _, i := range m.g.msoas[k].members {
			p := m.people[i].population
			population += p.Total
			older += p.Age60Plus
			need += float64(p.Total) * clamp(m.people[i].need, -2.5, 3)
		}
		need /= float64(population)
		olderShare := float64(older) / float64(population)
		rate := admissionsPer1000 / 1000 * math.Exp(admissionsGradient*need+admissionsOlder*(olderShare-nationalOlderShare)+admissionsNoise*m.rng.NormFloat64())
		values = append(values, known(ind.ID, m.names.msoaCode[k], binomial(m.rng, population, rate), population))
	}
	return []dataset.Indicator{ind}, values
}

// prevalence models QOF disease registers of the practices open on
// laterListDate: a binomial draw from the practice's January 2021 list at a
// prevalence set by where its patients live — their mean deprivation, share
// aged 60+ and (diabetes) share of Asian/Asian British residents, weighted
// by the practice's registrations, or for a practice opened since by the
// registration model's distance decay around it — plus noise per practice.
func (m *indicatorModel) prevalence() ([]dataset.Indicator, []dataset.IndicatorValue) {
	inds := []dataset.Indicator{
		{ID: "qof-dm", Name: "Diabetes prevalence (17+)"},
		{ID: "qof-hyp", Name: "Hypertension prevalence"},
	}
	for i := range inds {
		inds[i].Domain, inds[i].Unit, inds[i].Polarity = "population-health", "proportion", "higher-is-worse"
		inds[i].Level, inds[i].Period, inds[i].Source = dataset.IndicatorLevelPractice, periodQOF, sourceQOF
	}
	lists := map[string]int{}
	for _, l := range m.d.ListSizes {
		if l.Date.Equal(laterListDate) {
			lists[l.PracticeCode] = l.Patients
		}
	}
	lsoaIndex := make(map[string]int, len(m.names.lsoaCode))
	for i, code := range m.names.lsoaCode {
		lsoaIndex[code] = i
	}
	registered := map[string][]dataset.Registration{}
	for _, r := range m.d.Registrations {
		if r.AreaLevel == dataset.AreaLSOA && r.Date.Equal(registrationDate) {
			registered[r.PracticeCode] = append(registered[r.PracticeCode], r)
		}
	}

	byID := make([][]dataset.IndicatorValue, len(inds))
	for _, p := range m.practices { // in practice code order
		list, ok := lists[p.record.Code]
		if !ok {
			continue
		}
		var weight, need, older, asian float64
		add := func(i int, w float64) {
			pop := m.people[i].population
			weight += w
			need += w * clamp(m.people[i].need, -2.5, 3)
			older += w * float64(pop.Age60Plus) / float64(pop.Total)
			asian += w * m.asianShare[i]
		}
		if rows := registered[p.record.Code]; len(rows) > 0 {
			for _, r := range rows {
				add(lsoaIndex[r.AreaCode], float64(r.Patients))
			}
		} else {
			for i, a := range m.g.lsoas {
				w := float64(m.people[i].population.Total) * math.Exp(-a.centre.dist(p.at)/distanceDecay)
				if a.zone != p.zone {
					w *= boundaryFriction
				}
				add(i, w)
			}
		}
		need, older, asian = need/weight, older/weight, asian/weight
		dm := diabetesLogit + diabetesGradient*need + diabetesOlder*(older-nationalOlderShare) +
			diabetesAsian*(asian-nationalAsianShare) + diabetesNoise*m.rng.NormFloat64()
		hyp := hypertensionLogit + hypertensionGradient*need + hypertensionOlder*(older-nationalOlderShare) +
			hypertensionNoise*m.rng.NormFloat64()
		byID[0] = append(byID[0], known(inds[0].ID, p.record.Code, binomial(m.rng, list, logistic(dm)), list))
		byID[1] = append(byID[1], known(inds[1].ID, p.record.Code, binomial(m.rng, list, logistic(hyp)), list))
	}
	return inds, flatten(byID)
}

// lsoaOrder lists the geography's LSOAs in code order, so that values come
// out sorted and draws follow one fixed order.
func (m *indicatorModel) lsoaOrder() []int {
	return codeOrder(m.names.lsoaCode)
}

// msoaOrder lists the geography's MSOAs in code order.
func (m *indicatorModel) msoaOrder() []int {
	return codeOrder(m.names.msoaCode)
}

func codeOrder(codes []string) []int {
	order := make([]int, len(codes))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(codes[a], codes[b]) })
	return order
}

func known(indicator, area string, numerator, denominator int) dataset.IndicatorValue {
	return dataset.IndicatorValue{Indicator: indicator, AreaCode: area, Numerator: float64(numerator), Denominator: float64(denominator), Known: true}
}

// suppressed blanks a count below suppressBelow, keeping its denominator.
func suppressed(v dataset.IndicatorValue) dataset.IndicatorValue {
	if v.Numerator < suppressBelow {
		v.Numerator, v.Known = 0, false
	}
	return v
}

func flatten(byID [][]dataset.IndicatorValue) []dataset.IndicatorValue {
	var out []dataset.IndicatorValue
	for _, v := range byID {
		out = append(out, v...)
	}
	return out
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// binomial draws from Binomial(n, p): by n Bernoulli trials when the
// expected count of the rarer outcome is small, otherwise by the normal
// approximation, rounded and kept within 0-n.
func binomial(rng *rand.Rand, n int, p float64) int {
	p = clamp(p, 0, 1)
	if float64(n)*math.Min(p, 1-p) < 30 {
		k := 0
		for range n {
			if rng.Float64() < p {
				k++
			}
		}
		return k
	}
	mean := float64(n) * p
	return int(clamp(math.Round(mean+math.Sqrt(mean*(1-p))*rng.NormFloat64()), 0, float64(n)))
}

// multinomial splits n among categories with the given shares (summing to
// 1) by successive conditional binomial draws; the last category takes the
// rest, so the counts sum to n.
func multinomial(rng *rand.Rand, n int, shares []float64) []int {
	out := make([]int, len(shares))
	rest, restShare := n, 1.0
	for k, s := range shares {
		if k == len(shares)-1 || restShare <= 0 {
			out[k] = rest
			break
		}
		out[k] = binomial(rng, rest, s/restShare)
		rest -= out[k]
		restShare -= s
	}
	return out
}
