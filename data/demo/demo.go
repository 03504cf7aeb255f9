package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// DefaultSeed is the seed a zero Config uses: the demo city everyone sees.
const DefaultSeed int64 = 20150401

// DatasetName names the generated dataset.
const DatasetName = "demo"

// Config chooses the demo city. The zero value is the default city.
type Config struct {
	// Seed selects the city; zero means DefaultSeed. The same seed always
	// gives the same city, byte for byte.
	Seed int64
}

// Random streams: each stage draws from its own PCG stream of the seed, so a
// change to one stage does not reshuffle the others.
const (
	streamGeography uint64 = iota + 1
	streamNames
	streamResidents
	streamPractices
	streamRegistrations
	streamListSizes
	streamTrusts
	streamIndicators
	streamPracticeGroups
)

// Generate builds the demo city: its dataset and its 12:3:1 baseline
// configuration. Both are validated before they are returned.
func Generate(cfg Config) (*dataset.Dataset, *configuration.Configuration, error) {
	seed := cfg.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	stream := func(s uint64) *rand.Rand { return rand.New(rand.NewPCG(uint64(seed), s)) }

	g, err := buildGeography(stream(streamGeography))
	if err != nil {
		return nil, nil, fmt.Errorf("demo: geography: %w", err)
	}
	names := nameAreas(stream(streamNames), g)
	b, err := traceBoundaries(g)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: boundaries: %w", err)
	}
	people := modelResidents(stream(streamResidents), g)

	d := &dataset.Dataset{
		Name:          DatasetName,
		City:          dataset.Area{Code: CityCode, Name: CityName},
		Commissioners: []string{districts[zoneCity].commissioner},
	}
	addAreas(d, g, names, b, people)

	practices, err := placePractices(stream(streamPractices), g, people, names, d.Wards)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: practices: %w", err)
	}
	registrations, lists := modelRegistrations(stream(streamRegistrations), g, people, practices, names)
	for _, p := range practices {
		d.Practices = append(d.Practices, p.record)
	}
	d.Registrations = registrations
	d.ListSizes = modelListSizes(stream(streamListSizes), practices, lists)
	d.Trusts, d.HospitalSites, d.Catchments = modelTrusts(stream(streamTrusts), g, names)
	d.Indicators, d.IndicatorValues = modelIndicators(stream(streamIndicators), g, people, practices, names, d)

	c, err := baseline(g, names)
	if err != nil {
		return nil, nil, fmt.Errorf("demo: baseline: %w", err)
	}
	d.PracticeGroups = modelPCNs(stream(streamPracticeGroups), practices, names, g, c)
	d.Sources = sources(d)
	if err := d.Validate(); err != nil {
		return nil, nil, fmt.Errorf("demo: generated dataset: %w", err)
	}
	wards := make(map[string]string, len(d.Wards))
	for _, w := range d.Wards {
		wards[w.Code] = w.Name
	}
	if err := c.Validate(wards); err != nil {
		return nil, nil, fmt.Errorf("demo: generated configuration: %w", err)
	}
	return d, c, nil
}
