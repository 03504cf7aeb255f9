package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Shape of the demo city. Sizes follow Manchester: about 115 km², 32 wards,
// 282 LSOAs, a city elongated north–south.
const (
	cellSize       = 150.0 // metres, nominal side of a lattice cell
	cellJitter     = 0.3   // vertex offset, as a fraction of cellSize
	cityHalfWidth  = 4400.0
	cityHalfHeight = 7400.0
	bandWidth      = 1200.0 // mean depth (metres) of the neighbouring districts modelled
	latticeCols    = 110
	latticeRows    = 184
	centralRadius  = 0.22 // normalised radius (see rho) of the city-centre core
)

// Sizes of areas.
const (
	cityLSOACount = 282
	// lsoaGrowthByRadius makes city LSOAs grow away from the centre: an LSOA
	// at normalised radius r covers about 1 + 1.6r² times the area of a
	// central one.
	lsoaGrowthByRadius = 1.6
	// outsideLSOASize is the relative area of LSOAs outside the city, and
	// outsideLSOACells the number of cells per LSOA there.
	outsideLSOASize  = 2.6
	outsideLSOACells = 34
	wardCount        = 32
	wardMinLSOAs     = 6
	wardMaxLSOAs     = 12
	msoaLSOAs        = 5
	msoaMinLSOAs     = 3
	msoaMaxLSOAs     = 7
)

// Zones: the city and the two neighbouring districts modelled.
const (
	zoneCity = iota
	zoneWest
	zoneEast
	zoneCount
)

// geography is the generated small-area geography on the lattice, before
// codes and names: zones (the city and its two neighbours), LSOAs grown from
// cells, wards and MSOAs grouped from LSOAs.
type geography struct {
	lattice   *lattice
	zoneCells [zoneCount][]int
	lsoaOf    []int32 // cell → LSOA, -1 outside every zone
	lsoas     []lsoaArea
	wards     []areaGroup // groups of city LSOAs
	msoas     []areaGroup // groups of LSOAs within one zone
}

type lsoaArea struct {
	zone   int
	cells  []int
	centre xy      // area-weighted mean of cell centres
	area   float64 // m²
	adj    []int   // LSOAs sharing an edge (any zone)
	ward   int     // -1 outside the city
	msoa   int
	// beyondCity is the distance (metres) from the centre of an LSOA outside
	// the city to the nearest city cell; zero in the city.
	beyondCity float64
}

// rho is the normalised distance of p from the centre: 1 on the city's
// mean (elliptical) outline.
func rho(p xy) float64 { return math.Hypot(p.x/cityHalfWidth, p.y/cityHalfHeight) }

type areaGroup struct {
	zone    int
	members []int // LSOA indices
	centre  xy
	adj     []int // groups sharing an edge
}

func buildGeography(rng *rand.Rand) (*geography, error) {
	l := newLattice(rng, latticeCols, latticeRows, cellSize, cellJitter)
	g := &geography{lattice: l}
	g.zoneCells = buildZones(rng, l)

	g.lsoaOf = make([]int32, l.cells())
	for c := range g.lsoaOf {
		g.lsoaOf[c] = -1
	}
	costNoise := newNoise(rng, float64(l.cols)*l.cell, float64(l.rows)*l.cell, 700)
	cost := make([]float64, l.cells())
	for c := range cost {
		cost[c] = 0.5 + costNoise.at(l.centre[c]) + 0.3*rng.Float64()
	}
	for z := range zoneCount {
		cells := g.zoneCells[z]
		n := int(math.Round(float64(len(cells)) / outsideLSOACells))
		size := func(int) float64 { return outsideLSOASize }
		if z == zoneCity {
			n = cityLSOACount
			size = func(c int) float64 { r := rho(l.centre[c]); return 1 + lsoaGrowthByRadius*r*r }
		}
		seeds, err := l.placeSeeds(rng, cells, n, size)
		if err != nil {
			return nil, err
		}
		first := len(g.lsoas)
		if err := l.growRegions(cells, seeds, cost, g.lsoaOf, int32(first)); err != nil {
			return nil, err
		}
		for range n {
			g.lsoas = append(g.lsoas, lsoaArea{zone: z, ward: -1})
		}
	}
	g.measureLSOAs()

	city := g.zoneLSOAs(zoneCity)
	wardOf, err := groupContiguous(rng, g.positions(city), g.localAdjacency(city), wardCount, wardMinLSOAs, wardMaxLSOAs)
	if err != nil {
		return nil, fmt.Errorf("wards: %w", err)
	}
	g.wards = g.makeGroups(zoneCity, city, wardOf, wardCount)
	for w, grp := range g.wards {
		for _, i := range grp.members {
			g.lsoas[i].ward = w
		}
	}
	for z := range zoneCount {
		members := g.zoneLSOAs(z)
		k := int(math.Round(float64(len(members)) / msoaLSOAs))
		msoaOf, err := groupContiguous(rng, g.positions(members), g.localAdjacency(members), k, msoaMinLSOAs, msoaMaxLSOAs)
		if err != nil {
			return nil, fmt.Errorf("MSOAs: %w", err)
		}
		first := len(g.msoas)
		g.msoas = append(g.msoas, g.makeGroups(z, members, msoaOf, k)...)
		for m := first; m < len(g.msoas); m++ {
			for _, i := range g.msoas[m].members {
				g.lsoas[i].msoa = m
			}
		}
	}
	g.wards = linkGroups(g.wards, g.lsoas, func(a lsoaArea) int { return a.ward })
	g.msoas = linkGroups(g.msoas, g.lsoas, func(a lsoaArea) int { return a.msoa })
	return g, nil
}

// buildZones marks the city — cells whose centre lies inside a noisy
// ellipse, kept to one piece with no holes — and two neighbouring districts:
// bands of noisy depth outside the city to the west and to the east, with
// unmodelled gaps to the north and south.
func buildZones(rng *rand.Rand, l *lattice) [zoneCount][]int {
	type harmonic struct{ amplitude, phase float64 }
	var outline []harmonic
	for k := 2; k <= 7; k++ {
		outline = append(outline, harmonic{rng.Float64() * 0.15 / math.Pow(float64(k), 0.7), rng.Float64() * 2 * math.Pi})
	}
	radius := func(theta float64) float64 {
		r := 1.0
		for i, h := range outline {
			r += h.amplitude * math.Cos(float64(i+2)*theta+h.phase)
		}
		return r
	}
	width, height := float64(l.cols)*l.cell, float64(l.rows)*l.cell
	depth := newNoise(rng, width, height, 1800)
	wobble := newNoise(rng, width, height, 1300)
	edge := newNoise(rng, width, height, 1500)

	inCity := make([]bool, l.cells())
	band := make([]int, l.cells()) // zoneWest, zoneEast, or 0 for neither
	for c := range l.cells() {
		i, j := l.ij(c)
		if i == 0 || j == 0 || i == l.cols-1 || j == l.rows-1 {
			continue // keep a margin so every boundary is inside the lattice
		}
		p := l.centre[c]
		u, v := p.x/cityHalfWidth, p.y/cityHalfHeight
		r, bound := math.Hypot(u, v), radius(math.Atan2(v, u))+0.16*(wobble.at(p)-0.5)
		if r < bound {
			inCity[c] = true
			continue
		}
		metres := (r - bound) * math.Hypot(p.x, p.y) / r
		if metres > bandWidth*(0.55+0.9*depth.at(p)) {
			continue
		}
		angle := math.Atan2(p.y, p.x)*180/math.Pi + 16*(edge.at(p)-0.5)
		switch {
		case angle > -78 && angle < 78:
			band[c] = zoneEast
		case angle > 102 || angle < -102:
			band[c] = zoneWest
		}
	}

	var zones [zoneCount][]int
	cityParts := l.components(inCity)
	city := make([]bool, l.cells())
	for _, c := range cityParts[0] {
		city[c] = true
	}
	// Fill holes: every cell not reachable from the lattice's edge without
	// crossing the city belongs to it.
	outside := make([]bool, l.cells())
	for c := range outside {
		outside[c] = !city[c]
	}
	for _, comp := range l.components(outside) {
		touchesEdge := false
		for _, c := range comp {
			i, j := l.ij(c)
			if i == 0 || j == 0 || i == l.cols-1 || j == l.rows-1 {
				touchesEdge = true
				break
			}
		}
		if !touchesEdge {
			for _, c := range comp {
				city[c] = true
			}
		}
	}
	for c := range city {
		if city[c] {
			zones[zoneCity] = append(zones[zoneCity], c)
		}
	}
	for _, z := range []int{zoneWest, zoneEast} {
		in := make([]bool, l.cells())
		for c := range in {
			in[c] = band[c] == z && !city[c]
		}
		zones[z] = l.components(in)[0]
	}
	return zones
}

// measureLSOAs fills each LSOA's cells, area, centre and neighbours.
func (g *geography) measureLSOAs() {
	l := g.lattice
	for c, a := range g.lsoaOf {
		if a < 0 {
			continue
		}
		x := &g.lsoas[a]
		x.cells = append(x.cells, c)
		x.area += l.area[c]
		x.centre.x += l.centre[c].x * l.area[c]
		x.centre.y += l.centre[c].y * l.area[c]
		for s := range 4 {
			n := l.neighbour(c, s)
			if n < 0 || g.lsoaOf[n] < 0 || g.lsoaOf[n] == a {
				continue
			}
			x.adj = append(x.adj, int(g.lsoaOf[n]))
		}
	}
	for i := range g.lsoas {
		x := &g.lsoas[i]
		x.centre = xy{x.centre.x / x.area, x.centre.y / x.area}
		x.adj = uniqueSorted(x.adj)
		if x.zone != zoneCity {
			x.beyondCity = math.Inf(1)
			for _, c := range g.zoneCells[zoneCity] {
				x.beyondCity = math.Min(x.beyondCity, x.centre.dist(l.centre[c]))
			}
		}
	}
}

func (g *geography) zoneLSOAs(z int) []int {
	var out []int
	for i, a := range g.lsoas {
		if a.zone == z {
			out = append(out, i)
		}
	}
	return out
}

func (g *geography) positions(members []int) []xy {
	out := make([]xy, len(members))
	for k, i := range members {
		out[k] = g.lsoas[i].centre
	}
	return out
}

// localAdjacency restricts LSOA adjacency to members, renumbered 0..n-1.
func (g *geography) localAdjacency(members []int) [][]int {
	local := make(map[int]int, len(members))
	for k, i := range members {
		local[i] = k
	}
	adj := make([][]int, len(members))
	for k, i := range members {
		for _, j := range g.lsoas[i].adj {
			if kj, ok := local[j]; ok {
				adj[k] = append(adj[k], kj)
			}
		}
	}
	return adj
}

func (g *geography) makeGroups(zone int, members, groupOf []int, k int) []areaGroup {
	groups := make([]areaGroup, k)
	for kk, i := range members {
		grp := &groups[groupOf[kk]]
		grp.zone = zone
		grp.members = append(grp.members, i)
	}
	for gi := range groups {
		var a float64
		for _, i := range groups[gi].members {
			x := g.lsoas[i]
			groups[gi].centre.x += x.centre.x * x.area
			groups[gi].centre.y += x.centre.y * x.area
			a += x.area
		}
		groups[gi].centre = xy{groups[gi].centre.x / a, groups[gi].centre.y / a}
	}
	return groups
}

// linkGroups fills each group's adjacency from its LSOAs'.
func linkGroups(groups []areaGroup, lsoas []lsoaArea, of func(lsoaArea) int) []areaGroup {
	for gi := range groups {
		var adj []int
		for _, i := range groups[gi].members {
			for _, j := range lsoas[i].adj {
				if h := of(lsoas[j]); h >= 0 && h != gi && lsoas[j].zone == groups[gi].zone {
					adj = append(adj, h)
				}
			}
		}
		groups[gi].adj = uniqueSorted(adj)
	}
	return groups
}

func uniqueSorted(s []int) []int {
	slices.Sort(s)
	return slices.Compact(s)
}
