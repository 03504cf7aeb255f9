package dissolve

import (
	"context"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/geojsonfile"
	"github.com/placeteam/placeteam/data/realdata"
)

// manchesterLAD is Manchester's local-authority code (LAD15CD, LAD16CD).
const manchesterLAD = "E08000003"

// Dissolving Manchester's 282 LSOAs must give the city: one polygon, no
// holes, the LSOAs' area to 0.01% and the local-authority polygon's to 0.5%.
func TestManchesterLSOAs(t *testing.T) {
	lsoas := manchesterLSOAs(t)
	if len(lsoas) != 282 {
		t.Fatalf("%d Manchester LSOAs, want 282", len(lsoas))
	}
	g, err := Union(context.Background(), lsoas, Options{})
	if err != nil {
		t.Fatal(err)
	}
	city, ok := g.(orb.Polygon)
	if !ok {
		t.Fatalf("result is %T with %d parts, want one orb.Polygon", g, len(g.(orb.MultiPolygon)))
	}
	checkOutput(t, city)
	if len(city) != 1 {
		t.Errorf("city polygon has %d holes, want none", len(city)-1)
	}
	sum := 0.0
	for _, p := range lsoas {
		sum += geo.Area(p)
	}
	area := geo.Area(city)
	checkArea(t, "city vs sum of LSOAs", area, sum, 1e-4)
	checkArea(t, "city vs local-authority polygon", area, geo.Area(manchesterLocalAuthority(t)), 5e-3)
	t.Logf("282 LSOAs → 1 polygon, %d vertices, %.3f km² (LSOA sum %.3f km²)", len(city[0]), area/1e6, sum/1e6)
}

// Dissolving the 32 wards into the 12 teams of the 2015 configuration keeps
// every team's area, makes each team whose wards form one connected block a
// single Polygon, and the teams together make the city.
func TestManchesterTeams(t *testing.T) {
	wards := readByCode(t, realdata.File(t, "boundaries/wards_2004_2018_manchester_wd13.geojson"), "WD13CD")
	if len(wards) != 32 {
		t.Fatalf("%d wards, want 32", len(wards))
	}
	cfg, err := configuration.ReadFile("../../data/configs/manchester-2015.yaml")
	if err != nil {
		t.Fatal(err)
	}
	teams := cfg.Teams()
	groups := make(map[string][]orb.MultiPolygon, len(teams))
	for _, team := range teams {
		for _, code := range team.Wards {
			w, ok := wards[code]
			if !ok {
				t.Fatalf("team %s: ward %s is not in the boundary file", team.ID, code)
			}
			groups[team.ID] = append(groups[team.ID], w)
		}
	}
	got, err := Groups(context.Background(), groups, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 12 || len(teams) != 12 {
		t.Fatalf("%d results for %d teams, want 12", len(got), len(teams))
	}
	var all []orb.MultiPolygon
	for _, team := range teams {
		t.Run(team.ID, func(t *testing.T) {
			g := got[team.ID]
			mp := checkOutput(t, g)
			sum := 0.0
			for _, w := range groups[team.ID] {
				sum += geo.Area(w)
			}
			checkArea(t, team.Name, geo.Area(g), sum, 1e-4)
			if wantParts := blocks(groups[team.ID]); len(mp) != wantParts {
				t.Errorf("%d parts, want %d (its wards form %d connected block(s))", len(mp), wantParts, wantParts)
			}
			if _, single := g.(orb.Polygon); blocks(groups[team.ID]) == 1 && !single {
				t.Errorf("contiguous team is %T, want orb.Polygon", g)
			}
		})
		all = append(all, orbMulti(got[team.ID]))
	}

	city, err := Union(context.Background(), all, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := city.(orb.Polygon)
	if !ok || len(p) != 1 {
		t.Fatalf("the 12 teams dissolve to %T, want one Polygon without holes", city)
	}
	checkArea(t, "12 teams vs local-authority polygon", geo.Area(p), geo.Area(manchesterLocalAuthority(t)), 5e-3)
}

// manchesterLSOAs returns the polygons of the LSOAs whose lookup row puts
// them in Manchester, cross-checked against the "Manchester NNNX" names.
func manchesterLSOAs(t testing.TB) []orb.MultiPolygon {
	t.Helper()
	f, err := os.Open(realdata.File(t, "lookups/lsoa11_to_ward15_manchester_and_neighbours.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	code, lad := slices.Index(rows[0], "LSOA11CD"), slices.Index(rows[0], "LAD15CD")
	if code < 0 || lad < 0 {
		t.Fatalf("lookup header %v lacks LSOA11CD or LAD15CD", rows[0])
	}
	inCity := map[string]bool{}
	for _, row := range rows[1:] {
		if row[lad] == manchesterLAD {
			inCity[row[code]] = true
		}
	}

	c, err := geojsonfile.ReadFile(realdata.File(t, "boundaries/lsoa_2011_manchester_and_neighbours.geojson"),
		geojsonfile.Options{Want: geojsonfile.WantPolygons})
	if err != nil {
		t.Fatal(err)
	}
	var out []orb.MultiPolygon
	for _, feature := range c.Features {
		areaCode, _ := feature.String("area_code")
		name, _ := feature.String("area_name")
		if inCity[areaCode] != strings.HasPrefix(name, "Manchester ") {
			t.Errorf("LSOA %s %q: lookup and name disagree about being in Manchester", areaCode, name)
		}
		if inCity[areaCode] {
			out = append(out, feature.Geometry.(orb.MultiPolygon))
		}
	}
	return out
}

func manchesterLocalAuthority(t testing.TB) orb.MultiPolygon {
	t.Helper()
	lads := readByCode(t, realdata.File(t, "boundaries/lad_2016_manchester_and_neighbours.geojson"), "area_code")
	mp, ok := lads[manchesterLAD]
	if !ok {
		t.Fatalf("no local authority %s", manchesterLAD)
	}
	return mp
}

// readByCode reads a boundary file into code property → polygons.
func readByCode(t testing.TB, path, key string) map[string]orb.MultiPolygon {
	t.Helper()
	c, err := geojsonfile.ReadFile(path, geojsonfile.Options{Want: geojsonfile.WantPolygons})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]orb.MultiPolygon, len(c.Features))
	for _, f := range c.Features {
		code, ok := f.String(key)
		if !ok {
			t.Fatalf("%s: feature %d has no %s", path, f.Index, key)
		}
		out[code] = f.Geometry.(orb.MultiPolygon)
	}
	return out
}

// blocks counts the connected blocks of members, independently of Union:
// two polygons are neighbours when they share an edge (two consecutive
// vertices, in either direction), as the boundary files' shared boundaries
// do exactly.
func blocks(members []orb.MultiPolygon) int {
	type edge [2]orb.Point
	var polys []orb.Polygon
	for _, mp := range members {
		polys = append(polys, mp...)
	}
	owner := map[edge]int{}
	parent := make([]int, len(polys))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			i = parent[i]
		}
		return i
	}
	for i, p := range polys {
		for _, r := range p {
			for k := 0; k+1 < len(r); k++ {
				a, b := r[k], r[k+1]
				if comparePoints(b, a) < 0 {
					a, b = b, a
				}
				if j, ok := owner[edge{a, b}]; ok {
					parent[find(i)] = find(j)
				} else {
					owner[edge{a, b}] = i
				}
			}
		}
	}
	n := 0
	for i := range parent {
		if find(i) == i {
			n++
		}
	}
	return n
}

func orbMulti(g orb.Geometry) orb.MultiPolygon {
	switch g := g.(type) {
	case orb.Polygon:
		return orb.MultiPolygon{g}
	case orb.MultiPolygon:
		return g
	}
	return nil
}

// The same 282 LSOAs with boundaries that no longer match vertex for vertex:
// every vertex moved up to 4e-6° (≈0.4 m) at random, independently in each
// LSOA, and every other LSOA densified with jittered midpoints. Snapping must
// still give one polygon without holes; the exact union is riddled with
// sliver holes, which shows the test exercises the snapping.
func TestManchesterLSOAsMisaligned(t *testing.T) {
	lsoas := manchesterLSOAs(t)
	misaligned := misalign(lsoas, 4e-6)
	sum := 0.0
	for _, p := range lsoas {
		sum += geo.Area(p)
	}

	g, err := Union(context.Background(), misaligned, Options{})
	if err != nil {
		t.Fatal(err)
	}
	city, ok := g.(orb.Polygon)
	if !ok {
		t.Fatalf("result is %T with %d parts, want one orb.Polygon", g, len(g.(orb.MultiPolygon)))
	}
	checkOutput(t, city)
	if len(city) != 1 {
		t.Errorf("city polygon has %d holes, want none", len(city)-1)
	}
	checkArea(t, "misaligned city vs sum of LSOAs", geo.Area(city), sum, 1e-4)

	exact, err := Union(context.Background(), misaligned, Options{SnapTolerance: -1})
	if err != nil {
		t.Fatal(err)
	}
	if n := holeCount(orbMulti(exact)); n < 100 {
		t.Errorf("exact union has only %d holes; the misalignment is too weak to test snapping", n)
	}
}

// misalign moves every vertex up to jitter degrees on each axis, with a
// fixed seed, and densifies every other polygon with jittered midpoints.
func misalign(parts []orb.MultiPolygon, jitter float64) []orb.MultiPolygon {
	rnd := rand.New(rand.NewPCG(1, 2))
	move := func(p orb.Point) orb.Point {
		return orb.Point{p[0] + (2*rnd.Float64()-1)*jitter, p[1] + (2*rnd.Float64()-1)*jitter}
	}
	out := make([]orb.MultiPolygon, len(parts))
	for i, mp := range parts {
		for _, p := range mp {
			var q orb.Polygon
			for _, r := range p {
				var moved orb.Ring
				for k := 0; k+1 < len(r); k++ {
					moved = append(moved, move(r[k]))
					if i%2 == 0 {
						moved = append(moved, move(orb.Point{(r[k][0] + r[k+1][0]) / 2, (r[k][1] + r[k+1][1]) / 2}))
					}
				}
				q = append(q, append(moved, moved[0]))
			}
			out[i] = append(out[i], q)
		}
	}
	return out
}
