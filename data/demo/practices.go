package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"

	"github.com/paulmach/orb/planar"

	"github.com/placeteam/placeteam/data/dataset"
)

// List dates: registrations by LSOA are modelled on the first; list sizes
// are given on both. Read-only.
var (
	registrationDate = dataset.Day(2015, time.April, 1)
	laterListDate    = dataset.Day(2021, time.January, 1)
)

const (
	cityPractices           = 82
	outsidePracticesPerZone = 5
	closedBeforeList        = 3 // city practices closed before registrationDate
	closedBetweenLists      = 4 // city practices closed between the two list dates
	openedBetweenLists      = 2 // city practices opened between the two list dates
)

// practice is a GP practice being generated.
type practice struct {
	record dataset.Practice
	at     xy
	lsoa   int
	zone   int
	// density is residents per km² of the LSOA the practice stands in.
	density float64
}

// placePractices puts practices in LSOAs chosen with probability ∝ residents
// × √density, so denser areas have more practices, each at a point well inside
// one lattice cell (never on an area boundary). A few city practices closed
// before the first list date, a few between the dates, and a couple opened
// between them.
func placePractices(rng *rand.Rand, g *geography, people []residents, n areaNames, wards []dataset.Ward) ([]*practice, error) {
	l := g.lattice
	density := make([]float64, len(g.lsoas))
	for i, a := range g.lsoas {
		density[i] = float64(people[i].population.Total) / (a.area / 1e6)
	}
	median := medianOf(density)

	var out []*practice
	usedCell := map[int]bool{}
	usedName := map[string]bool{}
	for z := range zoneCount {
		count := outsidePracticesPerZone
		if z == zoneCity {
			count = cityPractices
		}
		members := g.zoneLSOAs(z)
		cumulative := make([]float64, len(members))
		var total float64
		for k, i := range members {
			w := float64(people[i].population.Total) * math.Sqrt(density[i]/median)
			if z != zoneCity {
				// Neighbouring practices serve their own towns, away from the city.
				w *= math.Pow(g.lsoas[i].beyondCity/1000, 2)
			}
			total += w
			cumulative[k] = total
		}
		for range count {
			i := members[min(sort.SearchFloat64s(cumulative, rng.Float64()*total), len(members)-1)]
			cells := g.lsoas[i].cells
			c := cells[rng.IntN(len(cells))]
			for tries := 0; usedCell[c] && tries < 20; tries++ {
				c = cells[rng.IntN(len(cells))]
			}
			usedCell[c] = true
			p := l.pointInCell(c, 0.3+0.4*rng.Float64(), 0.3+0.4*rng.Float64())
			place := districts[z].name
			if a := g.lsoas[i]; a.ward >= 0 {
				place = n.wardName[a.ward]
			}
			out = append(out, &practice{
				at: p, lsoa: i, zone: z, density: density[i],
				record: dataset.Practice{
					Name:         practiceName(rng, place, usedName),
					Postcode:     postcode(rng, postcodeDistrict(z, p)),
					Status:       dataset.StatusActive,
					Commissioner: districts[z].commissioner,
					Location:     p.lonLat(),
					Located:      dataset.LocatedByCoordinates,
					Source:       sourcePractices,
				},
			})
		}
	}

	// Openings and closures among city practices.
	city := out[:cityPractices]
	order := rng.Perm(len(city))
	k := 0
	for range closedBeforeList {
		p := &city[order[k]].record
		p.Status = dataset.StatusClosed
		p.Closed = registrationDate.AddDate(0, 0, -30-rng.IntN(700))
		k++
	}
	for range closedBetweenLists {
		p := &city[order[k]].record
		p.Status = dataset.StatusClosed
		p.Closed = registrationDate.AddDate(0, 0, 60+rng.IntN(2000))
		k++
	}
	for range openedBetweenLists {
		p := &city[order[k]].record
		p.Opened = registrationDate.AddDate(0, 0, 200+rng.IntN(1500))
		k++
	}

	// Codes in a random order, as ODS codes bear no relation to place.
	for k, i := range rng.Perm(len(out)) {
		out[i].record.Code = fmt.Sprintf("D99%03d", k+1)
	}
	slices.SortFunc(out, func(a, b *practice) int { return cmp.Compare(a.record.Code, b.record.Code) })

	// The ward of each practice, by containment as the importer does it.
	for _, p := range out {
		var in []string
		for _, w := range wards {
			if planar.MultiPolygonContains(w.Geometry, p.record.Location) {
				in = append(in, w.Code)
			}
		}
		want := ""
		if a := g.lsoas[p.lsoa]; a.ward >= 0 {
			want = n.wardCode[a.ward]
		}
		if len(in) > 1 || len(in) == 1 && in[0] != want || len(in) == 0 && want != "" {
			return nil, fmt.Errorf("practice %s at %v is in wards %v, expected %q", p.record.Code, p.record.Location, in, want)
		}
		p.record.WardCode = want
	}
	return out, nil
}

// postcodeDistrict numbers postcode districts: DP1 for the city centre, DP2-9
// by compass sector around it, DP20+ and DP30+ in the neighbouring districts.
func postcodeDistrict(z int, p xy) int {
	if z == zoneCity && rho(p) < centralRadius {
		return districts[z].postcodeBase
	}
	sector := int(math.Floor((math.Atan2(p.y, p.x) + math.Pi) / (2 * math.Pi) * 8))
	return districts[z].postcodeBase + 1 + min(sector, 7)
}

func medianOf(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}
