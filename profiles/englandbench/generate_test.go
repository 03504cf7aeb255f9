package englandbench

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// seed fixes the generated country. Each stage draws from its own PCG
// stream of the seed, so a stage's output depends only on the seed and the
// size (the England-size ward layout can be checked without generating the
// rest).
const seed = 2019

// Streams of the seed, one per generation stage.
const (
	streamLattice uint64 = iota + 1
	streamWards
	streamUnits
	streamResidents
	streamPractices
	streamRegistrations
	streamTrusts
)

func stream(seed, s uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, s)) }

// size says how big a generated country is.
type size struct {
	// cols × rows LSOA cells; cols is a multiple of 8 (a ward is 2 cells
	// wide, a team 2 wards, a locality 2 teams).
	cols, rows int
	practices  int
	trusts     int
	// Each LSOA's residents register with minChoices to maxChoices of the
	// practices nearest it.
	minChoices, maxChoices int
}

// englandSize is England's scale: 32,960 LSOAs (England has 32,844) in
// about 7,000 wards, 6,500 practices, about 990,000 practice × LSOA rows,
// 130 acute trusts. Cells are about 3 km square.
func englandSize() size {
	return size{cols: 160, rows: 206, practices: 6500, trusts: 130, minChoices: 20, maxChoices: 40}
}

// smallSize keeps England's proportions (about 5 LSOAs a practice) at a
// size generated in milliseconds: 640 LSOAs, about 135 wards.
func smallSize() size {
	return size{cols: 16, rows: 40, practices: 130, trusts: 6, minChoices: 20, maxChoices: 40}
}

func (sz size) check() error {
	var problems []error
	if sz.cols <= 0 || sz.cols%8 != 0 {
		problems = append(problems, fmt.Errorf("%d columns is not a positive multiple of 8", sz.cols))
	}
	if sz.rows < 2 {
		problems = append(problems, fmt.Errorf("%d rows: a ward needs 2", sz.rows))
	}
	if sz.practices < 1 || sz.trusts < 1 {
		problems = append(problems, fmt.Errorf("%d practices and %d trusts: need one of each", sz.practices, sz.trusts))
	}
	if sz.minChoices < 1 || sz.maxChoices < sz.minChoices {
		problems = append(problems, fmt.Errorf("choices %d-%d is not a range of positive counts", sz.minChoices, sz.maxChoices))
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("englandbench: size %+v: %w", sz, err)
	}
	return nil
}

// Dates and editions of the generated figures.
const (
	populationYear = 2019
	imdEdition     = 2019
	catchmentYear  = 2019
)

func registrationDate() time.Time { return dataset.Day(2020, time.January, 1) }

// country is a generated dataset, its configuration, and the layout the
// tests check them against.
type country struct {
	dataset       *dataset.Dataset
	configuration *configuration.Configuration
	// wardCells[i] is the block of LSOA cells that is ward i (and MSOA i).
	wardCells []block
	units     units
}

// Codes use real formats in series no real area has (E059…, E019…).
func wardCode(i int) string     { return fmt.Sprintf("E059%05d", i+1) }
func msoaCode(i int) string     { return fmt.Sprintf("E029%05d", i+1) }
func lsoaCode(i int) string     { return fmt.Sprintf("E019%05d", i+1) }
func districtCode(i int) string { return fmt.Sprintf("E089%05d", i+1) }
func ccgCode(i int) string      { return fmt.Sprintf("Q%03d", i+1) }
func practiceCode(i int) string { return fmt.Sprintf("Z%05d", i+1) }

// generate builds a country of the given size: a lattice of LSOA cells
// over England's bounding box grouped into rectangular wards, teams and
// localities; residents and deprivation per LSOA; practices at random
// points with registrations from a distance-decay choice; acute trusts with
// MSOA catchments. Every LSOA and practice is given the ward it lies in;
// every source is marked modelled.
func generate(sz size, seed uint64) (*country, error) {
	if err := sz.check(); err != nil {
		return nil, err
	}
	grid := newLattice(sz.cols, sz.rows, stream(seed, streamLattice))
	wardCells := layWards(sz, stream(seed, streamWards))
	u := organise(sz, wardCells, stream(seed, streamUnits))
	d := &dataset.Dataset{Name: "england-bench", City: dataset.Area{Code: "E92000001", Name: "England (generated)"}}

	wardOfCell := addAreas(d, grid, wardCells, u)
	lsoaCentres := make([]xy, len(d.LSOAs))
	for i := range lsoaCentres {
		lsoaCentres[i] = toKm(grid.cellPoint(i%grid.cols, i/grid.cols, 0.5, 0.5))
	}
	addResidents(d, lsoaCentres, stream(seed, streamResidents))
	points, attractiveness := addPractices(d, sz, grid, wardOfCell, u, stream(seed, streamPractices))
	addRegistrations(d, sz, grid, lsoaCentres, points, attractiveness, stream(seed, streamRegistrations))
	addTrusts(d, sz, grid, wardCells, stream(seed, streamTrusts))
	d.Sources = sources(d)

	wardCodes := make([]string, len(d.Wards))
	for i, w := range d.Wards {
		wardCodes[i] = w.Code
	}
	return &country{dataset: d, configuration: u.configuration(wardCodes), wardCells: wardCells, units: u}, nil
}

// addAreas writes the districts (one per locality, without geometry), the
// wards, an MSOA per ward with the ward's boundary, and an LSOA per cell
// (numbered row by row from the south-west) with its ward, MSOA and
// district from the lookup. It returns the ward of each cell.
func addAreas(d *dataset.Dataset, grid *lattice, wardCells []block, u units) []int {
	for i := range u.localities {
		d.Districts = append(d.Districts, dataset.District{Code: districtCode(i), Name: fmt.Sprintf("District %d", i+1), Source: sourceLookups})
		d.Commissioners = append(d.Commissioners, ccgCode(i))
	}
	wardOfCell := make([]int, grid.cols*grid.rows)
	d.Wards = make([]dataset.Ward, len(wardCells))
	d.MSOAs = make([]dataset.MSOA, len(wardCells))
	for i, w := range wardCells {
		geometry := orb.MultiPolygon{{grid.ring(w)}}
		d.Wards[i] = dataset.Ward{Code: wardCode(i), Name: fmt.Sprintf("Ward %d", i+1), Geometry: geometry, Source: sourceWards}
		d.MSOAs[i] = dataset.MSOA{Code: msoaCode(i), Name: fmt.Sprintf("MSOA %d", i+1), Geometry: geometry, Source: sourceMSOAs}
		for r := w.row; r < w.row+w.height; r++ {
			for c := w.col; c < w.col+w.width; c++ {
				wardOfCell[r*grid.cols+c] = i
			}
		}
	}
	d.LSOAs = make([]dataset.LSOA, len(wardOfCell))
	for cell, w := range wardOfCell {
		d.LSOAs[cell] = dataset.LSOA{
			Code: lsoaCode(cell), Name: fmt.Sprintf("LSOA %d", cell+1),
			MSOACode: msoaCode(w), DistrictCode: districtCode(u.localityOfWard[w]),
			WardCode: d.Wards[w].Code, WardMethod: dataset.WardByLookup,
			Geometry: orb.MultiPolygon{{grid.ring(block{col: cell % grid.cols, row: cell / grid.cols, width: 1, height: 1})}},
			Source:   sourceLSOAs,
		}
	}
	return wardOfCell
}

// addResidents gives every LSOA 1,000-3,000 residents (0-15: 14-24%, 60+:
// 12-32%) and an IMD 2019 rank and decile from a smooth deprivation field
// (waves tens of km long) plus noise per LSOA; rank 1 is the most
// deprived.
func addResidents(d *dataset.Dataset, centres []xy, rng *rand.Rand) {
	field := make([]float64, len(d.LSOAs))
	for i := range d.LSOAs {
		total := 1000 + rng.IntN(2001)
		young := int(math.Round(float64(total) * (0.14 + 0.10*rng.Float64())))
		old := int(math.Round(float64(total) * (0.12 + 0.20*rng.Float64())))
		d.LSOAs[i].Population = dataset.Population{
			Year: populationYear, Total: total, Age0to15: young, Age16to59: total - young - old, Age60Plus: old,
			Source: sourcePopulation,
		}
		p := centres[i]
		field[i] = math.Sin(p.x/40) + math.Sin(p.y/55+1) + 0.6*math.Sin((p.x-p.y)/23) + 0.5*rng.NormFloat64()
	}
	order := make([]int, len(field))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(field[b], field[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	n := len(order)
	for k, i := range order {
		rank := k + 1
		d.LSOAs[i].Deprivation = []dataset.Deprivation{{Edition: imdEdition, Rank: rank, Decile: (rank*10 + n - 1) / n, Source: sourceIMD}}
	}
}

// addPractices places active practices at random points inside random
// LSOA cells (bilinear coordinates 0.1-0.9, so never on a boundary), in
// the ward and commissioner of that cell. It returns their points on the km
// plane and an attractiveness (log-normal, median 1) for choosing them.
func addPractices(d *dataset.Dataset, sz size, grid *lattice, wardOfCell []int, u units, rng *rand.Rand) ([]xy, []float64) {
	points := make([]xy, sz.practices)
	attractiveness := make([]float64, sz.practices)
	d.Practices = make([]dataset.Practice, sz.practices)
	for i := range d.Practices {
		cell := rng.IntN(len(wardOfCell))
		at := rounded(grid.cellPoint(cell%grid.cols, cell/grid.cols, 0.1+0.8*rng.Float64(), 0.1+0.8*rng.Float64()))
		w := wardOfCell[cell]
		d.Practices[i] = dataset.Practice{
			Code: practiceCode(i), Name: fmt.Sprintf("Practice %d", i+1), Postcode: fmt.Sprintf("ZZ%d %dZZ", i/10+1, i%10),
			Status: dataset.StatusActive, Commissioner: ccgCode(u.localityOfWard[w]),
			Location: at, Located: dataset.LocatedByCoordinates, WardCode: d.Wards[w].Code, Source: sourcePractices,
		}
		points[i] = toKm(at)
		attractiveness[i] = math.Exp(0.4 * rng.NormFloat64())
	}
	return points, attractiveness
}
