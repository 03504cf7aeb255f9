package englandbench

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/placeteam/placeteam/data/dataset"
)

const (
	// practicesPerBucket sets the side of the practice grid's squares.
	practicesPerBucket = 4
	// decayCells is the distance (in LSOA cell sides) over which the pull
	// of a practice falls by a factor e: about 5 km at England's size.
	decayCells = 1.7
)

// candidate is a practice at a distance.
type candidate struct {
	practice int
	km       float64
}

// practiceGrid buckets practices by a coarse square grid on the km plane,
// so the nearest practices to a point are found in a few buckets.
type practiceGrid struct {
	side    float64 // km
	nx, ny  int
	buckets [][]int32 // bucket y*nx+x → practices
	points  []xy
}

func newPracticeGrid(points []xy) *practiceGrid {
	width, height := (maxLon-minLon)*kmPerDegreeLon, (maxLat-minLat)*kmPerDegreeLat
	side := math.Sqrt(width * height * practicesPerBucket / float64(len(points)))
	g := &practiceGrid{side: side, nx: max(1, int(math.Ceil(width/side))), ny: max(1, int(math.Ceil(height/side))), points: points}
	g.buckets = make([][]int32, g.nx*g.ny)
	for i, p := range points {
		x, y := g.bucket(p)
		g.buckets[y*g.nx+x] = append(g.buckets[y*g.nx+x], int32(i))
	}
	return g
}

func (g *practiceGrid) bucket(p xy) (x, y int) {
	return min(max(int(p.x/g.side), 0), g.nx-1), min(max(int(p.y/g.side), 0), g.ny-1)
}

// nearest appends to out the k practices nearest p, nearest first (ties by
// index). It visits rings of buckets around p's bucket until k practices
// lie within the distance every unvisited bucket is beyond, so the answer
// is exact. k must not exceed the number of practices.
func (g *practiceGrid) nearest(p xy, k int, out []candidate) []candidate {
	out = out[:0]
	bx, by := g.bucket(p)
	reach := max(bx, g.nx-1-bx, by, g.ny-1-by)
	for r := 0; ; r++ {
		for y := max(by-r, 0); y <= min(by+r, g.ny-1); y++ {
			for x := max(bx-r, 0); x <= min(bx+r, g.nx-1); x++ {
				if max(abs(x-bx), abs(y-by)) != r {
					continue // an inner bucket, already visited
				}
				for _, i := range g.buckets[y*g.nx+x] {
					out = append(out, candidate{int(i), p.dist(g.points[i])})
				}
			}
		}
		if r >= reach || countWithin(out, float64(r)*g.side) >= k {
			break
		}
	}
	slices.SortFunc(out, func(a, b candidate) int {
		if c := cmp.Compare(a.km, b.km); c != 0 {
			return c
		}
		return cmp.Compare(a.practice, b.practice)
	})
	return out[:k]
}

func countWithin(cs []candidate, km float64) int {
	n := 0
	for _, c := range cs {
		if c.km <= km {
			n++
		}
	}
	return n
}

func abs(x int) int { return max(x, -x) }

// addRegistrations registers each LSOA's residents with 20-40 (the size's
// choices) of its nearest practices: a practice's pull is its
// attractiveness × exp(-distance / decay), the LSOA's registered patients
// (its population plus 2-10%, as lists run ahead of residents) are split
// in proportion to pull with at least one patient a row, and each
// practice's list size is the sum of its rows.
func addRegistrations(d *dataset.Dataset, sz size, grid *lattice, lsoaCentres, practicePoints []xy, attractiveness []float64, rng *rand.Rand) {
	cellKm := math.Sqrt((maxLon - minLon) * kmPerDegreeLon * (maxLat - minLat) * kmPerDegreeLat / float64(grid.cols*grid.rows))
	decayKm := decayCells * cellKm
	practices := newPracticeGrid(practicePoints)
	date := registrationDate()
	lists := make([]int, len(d.Practices))
	d.Registrations = make([]dataset.Registration, 0, len(d.LSOAs)*(sz.minChoices+sz.maxChoices)/2)
	var (
		near    []candidate
		weights []float64
		counts  []int
		order   []int
	)
	for i, l := range d.LSOAs {
		k := min(sz.minChoices+rng.IntN(sz.maxChoices-sz.minChoices+1), len(practicePoints))
		near = practices.nearest(lsoaCentres[i], k, near)
		weights = weights[:0]
		for _, c := range near {
			weights = append(weights, attractiveness[c.practice]*math.Exp(-c.km/decayKm))
		}
		registered := max(k, int(math.Round(float64(l.Population.Total)*(1.02+0.08*rng.Float64()))))
		counts, order = allocate(registered, weights, counts, order)
		for j, c := range near {
			d.Registrations = append(d.Registrations, dataset.Registration{
				PracticeCode: d.Practices[c.practice].Code, AreaLevel: dataset.AreaLSOA, AreaCode: l.Code,
				Date: date, Patients: counts[j], Source: sourceRegistrations,
			})
			lists[c.practice] += counts[j]
		}
	}
	d.ListSizes = make([]dataset.ListSize, len(d.Practices))
	for i, p := range d.Practices {
		d.ListSizes[i] = dataset.ListSize{PracticeCode: p.Code, Date: date, Patients: lists[i], Commissioner: p.Commissioner, Source: sourceListSizes}
	}
}

// allocate splits total (at least len(weights)) into one count per weight:
// one each, and the rest in proportion to the weights by largest remainder,
// so the counts sum to total exactly. counts and order are reused buffers.
func allocate(total int, weights []float64, counts, order []int) ([]int, []int) {
	sum := 0.0
	for _, w := range weights {
		sum += w
	}
	rest := total - len(weights)
	counts, order = counts[:0], order[:0]
	given := 0
	share := func(i int) float64 {
		if sum == 0 {
			return float64(rest) / float64(len(weights))
		}
		return float64(rest) * weights[i] / sum
	}
	for i := range weights {
		n := int(share(i))
		counts = append(counts, 1+n)
		given += n
		order = append(order, i)
	}
	fraction := func(i int) float64 { return share(i) - math.Floor(share(i)) }
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(fraction(b), fraction(a)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, i := range order[:rest-given] {
		counts[i]++
	}
	return counts, order
}
