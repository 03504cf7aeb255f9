// Package hubplan turns a dataset and a team configuration into a hub-siting
// question for package siting and its answer into a plan: which sites become
// health and care centres (hubs), which practices are their spokes, and how
// near residents are — overall, per team and per deprivation quintile.
//
// Demand is the resident population of each city LSOA at a point inside it
// (the dataset has no population-weighted centroids), optionally weighted by
// need: "imd" multiplies the population by (11 − national IMD decile) / 5.5,
// so the most deprived tenth counts twice and the least deprived about a
// fifth; "60plus" uses the population aged 60 and over. Candidates are the
// practices open on the tables' date inside the city, hospital sites inside
// the city, and user-supplied sites.
package hubplan

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/areaindex"
	"github.com/placeteam/placeteam/profiles/siting"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// Weightings of demand.
const (
	WeightPopulation = "population"
	WeightIMD        = "imd"
	WeightOlder      = "60plus"
)

// Options describe a scenario.
type Options struct {
	Model siting.Model `json:"model"`
	// OnePerTeam puts a hub in every team of the configuration; K extra
	// hubs then go anywhere. Without it, K hubs are placed city-wide.
	OnePerTeam bool    `json:"one_per_team"`
	K          int     `json:"k"`
	Threshold  float64 `json:"threshold_km"` // coverage radius; 0 → 1.5 km
	Weight     string  `json:"weight"`       // population (default), imd, 60plus
	// Sites are extra candidate sites (e.g. public-estate buildings).
	Sites []Site `json:"sites,omitempty"`
	// Fixed lists candidate ids that must be hubs (existing hubs).
	Fixed []string `json:"fixed,omitempty"`
	// NoHospitals leaves hospital sites out of the candidates.
	NoHospitals bool `json:"no_hospitals,omitempty"`
	// TravelTimes, when set, is a CSV origin,destination,minutes of every
	// LSOA code × candidate id (practice:CODE, hospital:N, site:ID) to use
	// instead of great-circle kilometres; Threshold is then in minutes.
	TravelTimes []byte `json:"-"`
	// TravelTimesName names the matrix in errors and in the plan.
	TravelTimesName string `json:"travel_times,omitempty"`
}

// Site is a user-supplied candidate.
type Site struct {
	ID    string    `json:"id"`
	Name  string    `json:"name"`
	Point orb.Point `json:"point"`
}

// Thresholds are the distances (km) coverage is reported at;
// TimeThresholds the times (minutes) with a travel-time matrix.
var (
	Thresholds     = []float64{0.5, 1, 1.5, 2, 3}
	TimeThresholds = []float64{5, 10, 15, 20, 30}
)

// ErrNoCandidates is wrapped when the city has nothing to site on.
var ErrNoCandidates = errors.New("no candidate sites")

// Plan is a siting answer.
type Plan struct {
	Configuration string `json:"configuration"`
	// Version is the configuration's version whose teams the hubs serve
	// (set by the service core; 0 when unknown, as in plans stored before
	// it was recorded).
	Version int     `json:"version,omitempty"`
	Options Options `json:"options"`
	Date    string  `json:"date"`
	Hubs    []Hub   `json:"hubs"`
	Spokes  []Spoke `json:"spokes"`
	// Report is coverage, mean and 95th-percentile distance of the chosen
	// hubs, overall, per IMD quintile (groups 1..5, 1 most deprived) and
	// per team; Current the same with every open practice as a site.
	Report       Figures  `json:"report"`
	Current      Figures  `json:"current_sites"`
	Objective    float64  `json:"objective"`
	Candidates   int      `json:"candidates"`
	DemandPoints int      `json:"demand_points"`
	Modelled     []string `json:"modelled"`
}

// Hub is a chosen site.
type Hub struct {
	ID     string    `json:"id"`
	Name   string    `json:"name"`
	Kind   string    `json:"kind"`
	Team   string    `json:"team"`
	Point  orb.Point `json:"point"`
	Fixed  bool      `json:"fixed"`
	Served float64   `json:"demand_served"`
}

// SpokeCSVHeader names the columns of SpokeCSVRows.
var SpokeCSVHeader = []string{"hub", "practice", "name", "team", "distance_km"}

// SpokeCSVRows lists the spokes, one row each.
func (p *Plan) SpokeCSVRows() [][]string {
	rows := make([][]string, 0, len(p.Spokes))
	for _, s := range p.Spokes {
		rows = append(rows, []string{s.Hub, s.Practice, s.Name, s.Team, strconv.FormatFloat(s.DistanceKm, 'f', 3, 64)})
	}
	return rows
}

// Spoke is a practice connected to its hub.
type Spoke struct {
	Practice   string    `json:"practice"`
	Name       string    `json:"name"`
	Team       string    `json:"team"`
	Hub        string    `json:"hub"`
	DistanceKm float64   `json:"distance_km"`
	Point      orb.Point `json:"point"`
	HubPoint   orb.Point `json:"hub_point"`
}

// Figures are a report without the per-point arrays.
type Figures struct {
	Thresholds []float64                 `json:"thresholds_km"`
	Overall    siting.Summary            `json:"overall"`
	ByQuintile map[int]siting.Summary    `json:"by_imd_quintile"`
	ByTeam     map[string]siting.Summary `json:"by_team"`
}

func figures(r siting.Report) Figures {
	return Figures{Thresholds: r.Thresholds, Overall: r.Overall, ByQuintile: r.ByGroup, ByTeam: r.ByTeam}
}

type candidate struct {
	siting.Candidate
	name string
}

// problem is a siting problem built from a dataset, a configuration and
// options, before it is solved.
type problem struct {
	opts      Options
	demand    []siting.Demand
	cands     []candidate
	practices []candidate
	p         siting.Problem
}

// Check builds the problem Run would solve and validates it (options,
// weighting, fixed sites, model, number of hubs) without solving it: what a
// queued run is checked with before it is queued.
func Check(ds *dataset.Dataset, t *wardtables.Tables, cfg *configuration.Configuration, opts Options) error {
	pr, err := newProblem(ds, t, cfg, opts)
	if err != nil {
		return err
	}
	if err := siting.Check(pr.p); err != nil {
		return fmt.Errorf("hubplan: %w", err)
	}
	return nil
}

// checkSites refuses user sites a plan could not name or place: an empty
// or repeated id, a point that is not a longitude/latitude.
func checkSites(sites []Site) error {
	seen := make(map[string]int, len(sites))
	for i, s := range sites {
		switch {
		case strings.TrimSpace(s.ID) == "":
			return fmt.Errorf("hubplan: %w: site %d has no id", siting.ErrInvalidInput, i+1)
		case seen[s.ID] > 0:
			return fmt.Errorf("hubplan: %w: sites %d and %d share the id %q", siting.ErrInvalidInput, seen[s.ID], i+1, s.ID)
		case !(s.Point[0] >= -180 && s.Point[0] <= 180 && s.Point[1] >= -90 && s.Point[1] <= 90):
			return fmt.Errorf("hubplan: %w: site %q at %v is not a longitude, latitude (WGS84 degrees)", siting.ErrInvalidInput, s.ID, s.Point)
		}
		seen[s.ID] = i + 1
	}
	return nil
}

// newProblem applies the option defaults and builds demand, candidates
// and distances.
func newProblem(ds *dataset.Dataset, t *wardtables.Tables, cfg *configuration.Configuration, opts Options) (*problem, error) {
	if opts.Threshold == 0 {
		opts.Threshold = 1.5
	}
	if opts.Weight == "" {
		opts.Weight = WeightPopulation
	}
	if opts.Model == "" {
		opts.Model = siting.PMedian
	}
	if err := checkSites(opts.Sites); err != nil {
		return nil, err
	}
	wardTeam := cfg.WardTeams()
	demand, err := demandPoints(ds, t, wardTeam, opts.Weight)
	if err != nil {
		return nil, err
	}
	cands, practices := candidates(ds, t, wardTeam, opts)
	if len(cands) == 0 {
		return nil, fmt.Errorf("hubplan: %w: no practice open on the date is located in a city ward and the dataset has no hospital site in the city; give your own candidate sites (a CSV id,name,lon,lat: --sites on the command line, \"sites\" in an API request)", ErrNoCandidates)
	}
	fixed := map[string]bool{}
	for _, id := range opts.Fixed {
		fixed[id] = true
	}
	for i := range cands {
		if fixed[cands[i].ID] {
			cands[i].Fixed = true
			delete(fixed, cands[i].ID)
		}
	}
	if len(fixed) > 0 {
		var unknown []string
		for id := range fixed {
			unknown = append(unknown, id)
		}
		return nil, unknownFixed(ds, cands, unknown)
	}
	plain := make([]siting.Candidate, len(cands))
	for i, c := range cands {
		plain[i] = c.Candidate
	}
	dist := siting.GreatCircle(demand, plain)
	if opts.TravelTimes != nil {
		if dist, err = siting.TravelTimes(bytes.NewReader(opts.TravelTimes), opts.TravelTimesName, demand, plain); err != nil {
			return nil, fmt.Errorf("hubplan: %w", err)
		}
	}
	return &problem{opts: opts, demand: demand, cands: cands, practices: practices,
		p: siting.Problem{Demand: demand, Candidates: plain, Dist: dist, Model: opts.Model,
			K: opts.K, OnePerTeam: opts.OnePerTeam, Threshold: opts.Threshold}}, nil
}

// Run builds the problem, solves it and reports it.
func Run(ctx context.Context, ds *dataset.Dataset, t *wardtables.Tables, cfg *configuration.Configuration, opts Options) (*Plan, error) {
	pr, err := newProblem(ds, t, cfg, opts)
	if err != nil {
		return nil, err
	}
	opts, demand, cands, practices, p := pr.opts, pr.demand, pr.cands, pr.practices, pr.p
	sol, err := siting.Solve(ctx, p, siting.Options{})
	if err != nil {
		return nil, fmt.Errorf("hubplan: %w", err)
	}
	plan := &Plan{Configuration: cfg.Name, Options: opts, Date: t.Dates.Registrations.Format("2006-01-02"),
		Objective: sol.Objective, Candidates: len(cands), DemandPoints: len(demand), Modelled: []string{}}
	thresholds := Thresholds
	if opts.TravelTimes != nil {
		thresholds = TimeThresholds
	}
	chosen, err := siting.Evaluate(p, sol.Hubs, thresholds)
	if err != nil {
		return nil, fmt.Errorf("hubplan: %w", err)
	}
	plan.Report = figures(chosen)
	// Current sites: every open practice, whichever team (how near people
	// are to any practice today).
	var current []int
	for j, c := range cands {
		if c.Kind == "practice" {
			current = append(current, j)
		}
	}
	if len(current) > 0 {
		cp := p
		cp.OnePerTeam, cp.K = false, len(current)
		cur, err := siting.Evaluate(cp, current, thresholds)
		if err != nil {
			return nil, fmt.Errorf("hubplan: current sites: %w", err)
		}
		plan.Current = figures(cur)
	}
	served := map[int]float64{}
	for i, j := range sol.Assignment {
		if j >= 0 {
			served[j] += demand[i].Weight
		}
	}
	for _, j := range sol.Hubs {
		c := cands[j]
		plan.Hubs = append(plan.Hubs, Hub{ID: c.ID, Name: c.name, Kind: c.Kind, Team: c.Team, Point: c.Point, Fixed: c.Fixed, Served: served[j]})
	}
	plan.Spokes = spokes(practices, cands, sol.Hubs, opts.OnePerTeam)
	return plan, nil
}

func demandPoints(ds *dataset.Dataset, t *wardtables.Tables, wardTeam map[string]string, weight string) ([]siting.Demand, error) {
	var out []siting.Demand
	for _, l := range ds.LSOAs {
		if l.WardCode == "" || l.Population.Year != t.Dates.PopulationYear {
			continue
		}
		d := siting.Demand{ID: l.Code, Point: areaindex.InteriorPoint(l.Geometry), Team: wardTeam[l.WardCode]}
		dep, hasIMD := l.DeprivationEdition(t.Dates.IMDDecileEdition)
		if hasIMD {
			d.Group = (dep.Decile + 1) / 2
		}
		switch weight {
		case WeightPopulation:
			d.Weight = float64(l.Population.Total)
		case WeightOlder:
			d.Weight = float64(l.Population.Age60Plus)
		case WeightIMD:
			if !hasIMD {
				return nil, fmt.Errorf("hubplan: LSOA %s has no IMD decile for need weighting: %w", l.Code, siting.ErrInvalidInput)
			}
			d.Weight = float64(l.Population.Total) * float64(11-dep.Decile) / 5.5
		default:
			return nil, fmt.Errorf("hubplan: unknown weighting %q (want population, imd or 60plus): %w", weight, siting.ErrInvalidInput)
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("hubplan: no city LSOA has a population: %w", siting.ErrInvalidInput)
	}
	return out, nil
}

// candidates lists open city practices, city hospital sites and user sites,
// each in the team of the ward it lies in; practices are also returned as
// the spokes to connect.
func candidates(ds *dataset.Dataset, t *wardtables.Tables, wardTeam map[string]string, opts Options) ([]candidate, []candidate) {
	var out, practices []candidate
	location := make(map[string]orb.Point, len(ds.Practices))
	for _, p := range ds.Practices {
		location[p.Code] = p.Location
	}
	for w := range t.Wards {
		for _, p := range t.Practices[w] {
			c := candidate{Candidate: siting.Candidate{ID: "practice:" + p.Code, Point: location[p.Code], Team: wardTeam[t.Wards[w].Code], Kind: "practice"}, name: p.Name}
			out = append(out, c)
			practices = append(practices, c)
		}
	}
	areas := make([]areaindex.Area, len(ds.Wards))
	for i, w := range ds.Wards {
		areas[i] = areaindex.Area{Code: w.Code, Geometry: w.Geometry}
	}
	idx := areaindex.New(areas)
	if !opts.NoHospitals {
		for i, h := range ds.HospitalSites {
			if ward, ok := idx.Locate(h.Location); ok {
				out = append(out, candidate{Candidate: siting.Candidate{ID: "hospital:" + strconv.Itoa(i+1), Point: h.Location, Team: wardTeam[ward], Kind: "hospital"}, name: h.Name})
			}
		}
	}
	for _, s := range opts.Sites {
		ward, ok := idx.Locate(s.Point)
		team := ""
		if ok {
			team = wardTeam[ward]
		}
		out = append(out, candidate{Candidate: siting.Candidate{ID: "site:" + s.ID, Point: s.Point, Team: team, Kind: "user"}, name: s.Name})
	}
	return out, practices
}

// spokes connects every practice to its nearest hub (in its own team when
// one-per-team, falling back to the nearest hub when its team has none).
func spokes(practices, cands []candidate, hubs []int, onePerTeam bool) []Spoke {
	var out []Spoke
	for _, p := range practices {
		best, bestD := -1, 0.0
		for pass := 0; pass < 2 && best < 0; pass++ {
			for _, j := range hubs {
				h := cands[j]
				if pass == 0 && onePerTeam && h.Team != "" && h.Team != p.Team {
					continue
				}
				d := geo.DistanceHaversine(p.Point, h.Point) / 1000
				if best < 0 || d < bestD {
					best, bestD = j, d
				}
			}
		}
		if best < 0 {
			continue
		}
		out = append(out, Spoke{Practice: practiceCode(p.ID), Name: p.name, Team: p.Team, Hub: cands[best].ID, DistanceKm: bestD, Point: p.Point, HubPoint: cands[best].Point})
	}
	slices.SortFunc(out, func(a, b Spoke) int {
		if a.Hub != b.Hub {
			if a.Hub < b.Hub {
				return -1
			}
			return 1
		}
		if a.Practice < b.Practice {
			return -1
		}
		return 1
	})
	return out
}

func practiceCode(id string) string {
	if len(id) > len("practice:") && id[:len("practice:")] == "practice:" {
		return id[len("practice:"):]
	}
	return id
}
