package demo

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
)

// Primary care networks.
const (
	pcnKind    = "pcn"
	pcnMinSize = 3
	pcnMaxSize = 6
	// pcnUngroupedMax is how many open city practices, at most, belong to
	// no network (at least one does).
	pcnUngroupedMax = 2
	// pcnCrossTeam is the chance that a city network takes in the nearest
	// practice of a neighbouring team, and pcnCrossTeamReach how far
	// (metres from the network's centre) that practice may be.
	pcnCrossTeam      = 0.3
	pcnCrossTeamReach = 3000.0
)

// modelPCNs groups the practices open on laterListDate into primary care
// networks of 3-6 nearby practices. One or two city practices, chosen at
// random, are in none. Networks were drawn up with the neighbourhood teams,
// so city networks start within the baseline's teams: a team's practices are
// cut in two along their wider spread (turned by a small random angle, at a
// random point between 40% and 60%) until every part has at most six, and
// the practices of a team with fewer than three join the nearest network
// with room, if any. Then each city network,
// with probability 0.3, takes in the nearest practice (within 3 km) of
// another team whose network can spare one (at least one network does), so
// some networks span two teams. Outside the city each district's practices
// are cut the same way. A network is named after the ward (outside the city,
// the district) most of its practices stand in; codes U99001… are in random
// order, as ODS codes are; rows are sorted by practice code.
func modelPCNs(rng *rand.Rand, practices []*practice, n areaNames, g *geography, c *configuration.Configuration) []dataset.PracticeGroup {
	open := func(z int) []*practice {
		var out []*practice
		for _, p := range practices {
			if p.zone == z && p.record.OpenOn(laterListDate) {
				out = append(out, p)
			}
		}
		return out
	}

	city := open(zoneCity)
	for range 1 + rng.IntN(pcnUngroupedMax) {
		k := rng.IntN(len(city))
		city = slices.Delete(city, k, k+1)
	}
	wardTeam := c.WardTeams()
	var groups [][]*practice
	var leftover []*practice
	for _, t := range c.Teams() {
		var members []*practice
		for _, p := range city {
			if wardTeam[p.record.WardCode] == t.ID {
				members = append(members, p)
			}
		}
		if len(members) < pcnMinSize {
			leftover = append(leftover, members...)
			continue
		}
		groups = append(groups, bisectPractices(rng, members)...)
	}
	for _, p := range leftover {
		best := -1
		for k, grp := range groups {
			if len(grp) < pcnMaxSize && (best < 0 || p.at.dist(centreOf(grp)) < p.at.dist(centreOf(groups[best]))) {
				best = k
			}
		}
		if best >= 0 {
			groups[best] = append(groups[best], p)
		}
	}
	crossTeams(rng, groups, wardTeam)
	for z := range zoneCount {
		if ps := open(z); z != zoneCity && len(ps) >= pcnMinSize {
			groups = append(groups, bisectPractices(rng, ps)...)
		}
	}

	place := func(p *practice) string {
		if w := g.lsoas[p.lsoa].ward; w >= 0 {
			return n.wardName[w]
		}
		return districts[p.zone].name
	}
	used := map[string]bool{}
	codes := rng.Perm(len(groups))
	var out []dataset.PracticeGroup
	for k, members := range groups {
		name := pcnName(members, place, used)
		code := fmt.Sprintf("U99%03d", codes[k]+1)
		for _, p := range members {
			out = append(out, dataset.PracticeGroup{PracticeCode: p.record.Code, Kind: pcnKind, Code: code, Name: name, Source: sourcePCNs})
		}
	}
	slices.SortFunc(out, func(a, b dataset.PracticeGroup) int { return cmp.Compare(a.PracticeCode, b.PracticeCode) })
	return out
}

// crossTeams moves, for each network with probability pcnCrossTeam (and
// for the first that can, when chance moved none), the practice nearest its
// centre from a network of another team that keeps at least pcnMinSize
// practices, when the network has room and lies in one team. A practice moves at most once.
func crossTeams(rng *rand.Rand, groups [][]*practice, wardTeam map[string]string) {
	moved := map[*practice]bool{}
	move := func(k int) bool {
		if len(groups[k]) >= pcnMaxSize {
			return false
		}
		teams := map[string]bool{}
		for _, p := range groups[k] {
			teams[wardTeam[p.record.WardCode]] = true
		}
		if len(teams) > 1 {
			return false
		}
		centre := centreOf(groups[k])
		from, at := -1, -1
		for j, grp := range groups {
			if j == k || len(grp) <= pcnMinSize {
				continue
			}
			for i, p := range grp {
				if moved[p] || teams[wardTeam[p.record.WardCode]] || p.at.dist(centre) > pcnCrossTeamReach {
					continue
				}
				if from < 0 || p.at.dist(centre) < groups[from][at].at.dist(centre) {
					from, at = j, i
				}
			}
		}
		if from < 0 {
			return false
		}
		p := groups[from][at]
		moved[p] = true
		groups[from] = slices.Delete(groups[from], at, at+1)
		groups[k] = append(groups[k], p)
		return true
	}
	for k := range groups {
		if rng.Float64() < pcnCrossTeam {
			move(k)
		}
	}
	for k := 0; len(moved) == 0 && k < len(groups); k++ {
		move(k)
	}
}

func centreOf(ps []*practice) xy {
	var c xy
	for _, p := range ps {
		c.x += p.at.x / float64(len(ps))
		c.y += p.at.y / float64(len(ps))
	}
	return c
}

// bisectPractices cuts practices (at least pcnMinSize) into groups of
// pcnMinSize-pcnMaxSize nearby practices.
func bisectPractices(rng *rand.Rand, ps []*practice) [][]*practice {
	if len(ps) <= pcnMaxSize {
		// A copy: networks grow later, and must not write into each other.
		return [][]*practice{slices.Clone(ps)}
	}
	var minX, maxX, minY, maxY = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, p := range ps {
		minX, maxX = math.Min(minX, p.at.x), math.Max(maxX, p.at.x)
		minY, maxY = math.Min(minY, p.at.y), math.Max(maxY, p.at.y)
	}
	angle := 0.25 * rng.NormFloat64()
	if maxY-minY > maxX-minX {
		angle += math.Pi / 2
	}
	ux, uy := math.Cos(angle), math.Sin(angle)
	sorted := slices.Clone(ps)
	slices.SortStableFunc(sorted, func(a, b *practice) int {
		return cmp.Or(cmp.Compare(a.at.x*ux+a.at.y*uy, b.at.x*ux+b.at.y*uy), cmp.Compare(a.record.Code, b.record.Code))
	})
	cut := int(math.Round(float64(len(ps)) * (0.4 + 0.2*rng.Float64())))
	cut = max(pcnMinSize, min(cut, len(ps)-pcnMinSize))
	return append(bisectPractices(rng, sorted[:cut]), bisectPractices(rng, sorted[cut:])...)
}

// pcnName names a network after the place most of its practices stand in
// (ties to the alphabetically first) that no other network has taken yet;
// when all are taken, after the first with a number.
func pcnName(members []*practice, place func(*practice) string, used map[string]bool) string {
	count := map[string]int{}
	var places []string
	for _, p := range members {
		if count[place(p)] == 0 {
			places = append(places, place(p))
		}
		count[place(p)]++
	}
	slices.SortFunc(places, func(a, b string) int { return cmp.Or(cmp.Compare(count[b], count[a]), cmp.Compare(a, b)) })
	name := ""
	for _, pl := range places {
		if !used[pl+" PCN"] {
			name = pl + " PCN"
			break
		}
	}
	for k := 2; name == ""; k++ {
		if c := fmt.Sprintf("%s %d PCN", places[0], k); !used[c] {
			name = c
		}
	}
	used[name] = true
	return name
}
