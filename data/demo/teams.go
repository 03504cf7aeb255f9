package demo

import (
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"strings"

	"github.com/placeteam/placeteam/data/configuration"
)

// BaselineName is the name of the generated 12:3:1 configuration.
const BaselineName = "demo-baseline"

const (
	teamsPerLocality = 4
	teamMinWards     = 2
	teamMaxWards     = 4
)

var localities = []configuration.Unit{{ID: "N", Name: "North"}, {ID: "C", Name: "Central"}, {ID: "S", Name: "South"}}

var errNoBaseline = errors.New("no 12:3:1 split of the wards")

// baseline builds the 12:3:1 configuration: the wards, ordered north to
// south, are cut into three latitude bands (North, Central, South) of about
// equal size, each band split into four teams of 2-4 edge-adjacent wards —
// the split that best trades compactness (squared distance of ward centres
// from their team's centre) against equal numbers of LSOAs per team. Band sizes nearest to equal are tried first;
// a band whose wards are not contiguous, or that cannot be split, is skipped.
func baseline(g *geography, n areaNames) (*configuration.Configuration, error) {
	order := make([]int, len(g.wards))
	for w := range order {
		order[w] = w
	}
	northFirst(order, func(w int) xy { return g.wards[w].centre })

	type split [3]int
	var splits []split
	for a := teamsPerLocality * teamMinWards; a <= teamsPerLocality*teamMaxWards; a++ {
		for b := teamsPerLocality * teamMinWards; b <= teamsPerLocality*teamMaxWards; b++ {
			if c := len(order) - a - b; c >= teamsPerLocality*teamMinWards && c <= teamsPerLocality*teamMaxWards {
				splits = append(splits, split{a, b, c})
			}
		}
	}
	third := float64(len(order)) / 3
	imbalance := func(s split) float64 {
		var d float64
		for _, x := range s {
			d += (float64(x) - third) * (float64(x) - third)
		}
		return d
	}
	sort.SliceStable(splits, func(i, j int) bool { return imbalance(splits[i]) < imbalance(splits[j]) })

	for _, s := range splits {
		c := &configuration.Configuration{
			Name:        BaselineName,
			Title:       "Demoport 12:3:1 baseline",
			Description: "Twelve community-care teams of contiguous wards in three localities (north, central, south) of the synthetic demo city.",
			City:        configuration.Unit{ID: CityCode, Name: CityName},
		}
		start := 0
		ok := true
		for li, size := range s {
			band := order[start : start+size]
			start += size
			teams, found := splitBand(g, band)
			if !found {
				ok = false
				break
			}
			loc := configuration.Locality{ID: localities[li].ID, Name: localities[li].Name}
			for ti, members := range teams {
				northFirst(members, func(w int) xy { return g.wards[w].centre })
				t := configuration.Team{ID: fmt.Sprintf("%s%d", loc.ID, ti+1), Name: teamName(members, n)}
				for _, w := range members {
					t.Wards = append(t.Wards, n.wardCode[w])
				}
				loc.Teams = append(loc.Teams, t)
			}
			c.Localities = append(c.Localities, loc)
		}
		if ok {
			return c, nil
		}
	}
	return nil, errNoBaseline
}

// teamName joins the team's ward names: "A, B & C".
func teamName(wards []int, n areaNames) string {
	names := make([]string, len(wards))
	for k, w := range wards {
		names[k] = n.wardName[w]
	}
	slices.Sort(names)
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " & " + names[len(names)-1]
}

// splitBand splits a band of at most 32 wards into teamsPerLocality
// contiguous teams, the least costly split, ordered north to south.
func splitBand(g *geography, band []int) ([][]int, bool) {
	local := map[int]int{}
	for k, w := range band {
		local[w] = k
	}
	adj := make([]uint32, len(band))
	for k, w := range band {
		for _, x := range g.wards[w].adj {
			if kx, ok := local[x]; ok {
				adj[k] |= 1 << kx
			}
		}
	}
	all := uint32(1)<<len(band) - 1
	if !connectedMask(all, adj) {
		return nil, false
	}
	// A team costs the spread of its wards (squared km from their centre)
	// plus its squared departure from an equal share of the band's LSOAs
	// (relative to that share), so teams are compact and of similar size.
	var bandLSOAs int
	for _, w := range band {
		bandLSOAs += len(g.wards[w].members)
	}
	share := float64(bandLSOAs) / teamsPerLocality
	cost := func(set uint32) float64 {
		var cx, cy float64
		count := float64(bits.OnesCount32(set))
		lsoas := 0
		for k := range band {
			if set&(1<<k) != 0 {
				cx += g.wards[band[k]].centre.x
				cy += g.wards[band[k]].centre.y
				lsoas += len(g.wards[band[k]].members)
			}
		}
		cx, cy = cx/count, cy/count
		var s float64
		for k := range band {
			if set&(1<<k) != 0 {
				p := g.wards[band[k]].centre
				s += ((p.x-cx)*(p.x-cx) + (p.y-cy)*(p.y-cy)) / 1e6
			}
		}
		return s + (float64(lsoas)-share)*(float64(lsoas)-share)/share
	}

	type result struct {
		cost  float64
		teams []uint32
		ok    bool
	}
	memo := map[uint64]result{}
	var best func(rest uint32, teams int) result
	best = func(rest uint32, teams int) result {
		key := uint64(rest)<<8 | uint64(teams)
		if r, ok := memo[key]; ok {
			return r
		}
		var out result
		size := bits.OnesCount32(rest)
		switch {
		case teams == 0:
			out = result{ok: rest == 0}
		case size < teams*teamMinWards || size > teams*teamMaxWards:
		default:
			first := bits.TrailingZeros32(rest)
			for _, set := range connectedSubsets(first, rest, adj, teamMaxWards) {
				if bits.OnesCount32(set) < teamMinWards || !feasible(rest&^set, adj, teams-1) {
					continue
				}
				sub := best(rest&^set, teams-1)
				if !sub.ok {
					continue
				}
				c := cost(set) + sub.cost
				if !out.ok || c < out.cost {
					out = result{cost: c, teams: append([]uint32{set}, sub.teams...), ok: true}
				}
			}
		}
		memo[key] = out
		return out
	}
	r := best(all, teamsPerLocality)
	if !r.ok {
		return nil, false
	}
	teams := make([][]int, len(r.teams))
	for t, set := range r.teams {
		for k := range band {
			if set&(1<<k) != 0 {
				teams[t] = append(teams[t], band[k])
			}
		}
	}
	centre := func(t []int) xy {
		var c xy
		for _, w := range t {
			c.x += g.wards[w].centre.x / float64(len(t))
			c.y += g.wards[w].centre.y / float64(len(t))
		}
		return c
	}
	sort.SliceStable(teams, func(i, j int) bool {
		a, b := centre(teams[i]), centre(teams[j])
		if a.y != b.y {
			return a.y > b.y
		}
		return a.x < b.x
	})
	return teams, true
}

// connectedSubsets lists the connected subsets of allowed that contain node
// first and have at most maxSize nodes, each once, in a fixed order.
func connectedSubsets(first int, allowed uint32, adj []uint32, maxSize int) []uint32 {
	seen := map[uint32]bool{}
	var out []uint32
	var grow func(set uint32)
	grow = func(set uint32) {
		if seen[set] {
			return
		}
		seen[set] = true
		out = append(out, set)
		if bits.OnesCount32(set) == maxSize {
			return
		}
		var frontier uint32
		for k := range 32 {
			if set&(1<<k) != 0 {
				frontier |= adj[k]
			}
		}
		frontier &= allowed &^ set
		for frontier != 0 {
			k := bits.TrailingZeros32(frontier)
			frontier &^= 1 << k
			grow(set | 1<<k)
		}
	}
	grow(1 << first)
	return out
}

// feasible reports whether rest can still form teams teams: every connected
// piece of it must take a whole number of teams of 2-4 wards, and the pieces
// together exactly teams.
func feasible(rest uint32, adj []uint32, teams int) bool {
	lo, hi := 0, 0
	for rest != 0 {
		piece := component(bits.TrailingZeros32(rest), rest, adj)
		rest &^= piece
		n := bits.OnesCount32(piece)
		if n < teamMinWards {
			return false
		}
		lo += (n + teamMaxWards - 1) / teamMaxWards
		hi += n / teamMinWards
	}
	return lo <= teams && teams <= hi
}

func component(first int, allowed uint32, adj []uint32) uint32 {
	set := uint32(1) << first
	for {
		next := set
		for k := range 32 {
			if set&(1<<k) != 0 {
				next |= adj[k] & allowed
			}
		}
		if next == set {
			return set
		}
		set = next
	}
}

func connectedMask(set uint32, adj []uint32) bool {
	return set == 0 || component(bits.TrailingZeros32(set), set, adj) == set
}
