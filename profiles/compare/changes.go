package compare

import (
	"slices"
	"strconv"
	"strings"

	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// MetricChange is one metric of a unit under option A and option B, named
// and written as in the profile CSV (placeprofile.CSVHeader); Delta is B −
// A when both are numbers.
type MetricChange struct {
	Metric string   `json:"metric"`
	A      string   `json:"a"`
	B      string   `json:"b"`
	Delta  *float64 `json:"delta,omitempty"`
}

// UnitChange is every metric that differs for one team, locality or the
// city between two options.
type UnitChange struct {
	Level   string         `json:"level"`
	ID      string         `json:"id"`
	Name    string         `json:"name"`
	Metrics []MetricChange `json:"metrics"`
}

// identity columns of the profile CSV: they name the unit, not measure it.
var identity = []string{"level", "id", "name", "locality"}

// Changes lists, for the teams named (those a move touched), the
// localities holding them under either option, and the city, every metric
// that differs between profiles a and b (a unit's wards count as changed
// when the set changes, not the order). A unit missing from one side has
// its metrics against "".
func Changes(a, b *placeprofile.Profile, teams []string) []UnitChange {
	localities := map[string]bool{}
	for _, p := range []*placeprofile.Profile{a, b} {
		for _, t := range p.Teams {
			if slices.Contains(teams, t.ID) {
				localities[t.Locality] = true
			}
		}
	}
	type key struct{ level, id string }
	var order []key
	for _, t := range teams {
		order = append(order, key{placeprofile.LevelTeam, t})
	}
	for _, p := range []*placeprofile.Profile{a, b} {
		for _, l := range p.Localities {
			if k := (key{placeprofile.LevelLocality, l.ID}); localities[l.ID] && !slices.Contains(order, k) {
				order = append(order, k)
			}
		}
	}
	order = append(order, key{placeprofile.LevelCity, a.City.ID})
	rows := func(p *placeprofile.Profile) map[key][]string {
		units := append(append(append([]placeprofile.Unit{}, p.Teams...), p.Localities...), p.City)
		out := map[key][]string{}
		for i, r := range placeprofile.CSVRows(units) {
			out[key{units[i].Level, units[i].ID}] = r
		}
		return out
	}
	rowsA, rowsB := rows(a), rows(b)
	var out []UnitChange
	for _, k := range order {
		ra, rb := rowsA[k], rowsB[k]
		uc := UnitChange{Level: k.level, ID: k.id, Metrics: []MetricChange{}}
		for i, metric := range placeprofile.CSVHeader {
			va, vb := field(ra, i), field(rb, i)
			if metric == "name" {
				uc.Name = vb
				if uc.Name == "" {
					uc.Name = va
				}
			}
			if slices.Contains(identity, metric) || va == vb || (metric == "wards" && sameSet(va, vb)) {
				continue
			}
			mc := MetricChange{Metric: metric, A: va, B: vb}
			fa, errA := strconv.ParseFloat(va, 64)
			fb, errB := strconv.ParseFloat(vb, 64)
			if errA == nil && errB == nil {
				d := fb - fa
				mc.Delta = &d
			}
			uc.Metrics = append(uc.Metrics, mc)
		}
		out = append(out, uc)
	}
	return out
}

func field(row []string, i int) string {
	if i < len(row) {
		return row[i]
	}
	return ""
}

// sameSet reports whether two space-separated lists hold the same codes.
func sameSet(a, b string) bool {
	sa, sb := strings.Fields(a), strings.Fields(b)
	slices.Sort(sa)
	slices.Sort(sb)
	return slices.Equal(sa, sb)
}
