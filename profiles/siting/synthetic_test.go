package siting

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// manchester is the centre of the synthetic instances.
var manchester = orb.Point{-2.2426, 53.4808}

// kmPerDegreeLat converts north–south kilometres to degrees.
const kmPerDegreeLat = 111.2

// pointInCircle draws a point uniformly in a circle of radius km around
// centre.
func pointInCircle(r *rand.Rand, centre orb.Point, radiusKm float64) orb.Point {
	rho := radiusKm * math.Sqrt(r.Float64())
	theta := 2 * math.Pi * r.Float64()
	dy := rho * math.Sin(theta) / kmPerDegreeLat
	dx := rho * math.Cos(theta) / (kmPerDegreeLat * math.Cos(centre[1]*math.Pi/180))
	return orb.Point{centre[0] + dx, centre[1] + dy}
}

// sectorTeam names the team of a point: teams are equal angular sectors
// around the centre.
func sectorTeam(p orb.Point, teams int) string {
	a := math.Atan2(p[1]-manchester[1], p[0]-manchester[0]) + math.Pi
	t := min(int(a/(2*math.Pi)*float64(teams)), teams-1)
	return fmt.Sprintf("T%02d", t)
}

// syntheticConfig describes a random instance.
type syntheticConfig struct {
	demand, candidates int
	radiusKm           float64
	teams              int // 0: city-wide
	fixed              int
	unteamed           int // candidates with Team "" (OnePerTeam only)
}

// synthetic builds demand and candidates: uniform points in a circle,
// LSOA-like weights (1,000 to 2,500), IMD quintiles at random, teams by
// sector. With teams, each team gets at least one candidate.
func synthetic(r *rand.Rand, c syntheticConfig) ([]Demand, []Candidate) {
	demand := make([]Demand, c.demand)
	for i := range demand {
		p := pointInCircle(r, manchester, c.radiusKm)
		demand[i] = Demand{ID: fmt.Sprintf("D%05d", i), Point: p, Weight: 1000 + 1500*r.Float64(), Group: 1 + r.IntN(5)}
		if c.teams > 0 {
			demand[i].Team = sectorTeam(p, c.teams)
		}
	}
	cands := make([]Candidate, c.candidates)
	for j := range cands {
		p := pointInCircle(r, manchester, c.radiusKm)
		cands[j] = Candidate{ID: fmt.Sprintf("C%05d", j), Point: p, Kind: "practice"}
		if c.teams > 0 {
			if j < c.teams {
				// One candidate per team at least: rotate the point into
				// sector j.
				for sectorTeam(p, c.teams) != fmt.Sprintf("T%02d", j) {
					p = pointInCircle(r, manchester, c.radiusKm)
				}
				cands[j].Point = p
			}
			cands[j].Team = sectorTeam(cands[j].Point, c.teams)
		}
	}
	if c.teams > 0 {
		// Teams are named by demand; drop candidates of sectors without
		// demand into no team.
		has := map[string]bool{}
		for _, d := range demand {
			has[d.Team] = true
		}
		for j := range cands {
			if !has[cands[j].Team] {
				cands[j].Team = ""
			}
		}
		for j := len(cands) - c.unteamed; j < len(cands); j++ {
			cands[j].Team, cands[j].Kind = "", "hospital"
		}
	}
	for _, j := range r.Perm(len(cands))[:c.fixed] {
		cands[j].Fixed = true
	}
	return demand, cands
}

// travelTimeCSV writes a random asymmetric, non-metric travel-time matrix:
// 2.5 minutes per km times a random factor between 0.7 and 1.6.
func travelTimeCSV(r *rand.Rand, demand []Demand, cands []Candidate) string {
	gc := GreatCircle(demand, cands)
	var b bytes.Buffer
	b.WriteString("origin,destination,minutes\n")
	for i, d := range demand {
		for j, c := range cands {
			fmt.Fprintf(&b, "%s,%s,%.3f\n", d.ID, c.ID, 2.5*gc.Distance(i, j)*(0.7+0.9*r.Float64()))
		}
	}
	return b.String()
}

func mustTravelTimes(t testing.TB, csv string, demand []Demand, cands []Candidate) Distances {
	t.Helper()
	d, err := TravelTimes(strings.NewReader(csv), "synthetic.csv", demand, cands)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
