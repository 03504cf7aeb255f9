package carry

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/paulmach/orb/planar"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/geo/areaindex"
	"github.com/placeteam/placeteam/geo/overlap"
)

// DefaultMinPiece is the smallest share of an LSOA's area a new ward must
// hold to receive some of its residents when Options.MinPiece is zero.
const DefaultMinPiece = 0.10

// Options configure Carry. Dataset, Configuration and Wards are required.
type Options struct {
	// Dataset is the old ward set's dataset: its LSOAs (with their old
	// wards, populations and polygons) and its wards.
	Dataset *dataset.Dataset
	// Configuration is the configuration on the old wards.
	Configuration *configuration.Configuration
	// Wards is the new ward set.
	Wards []Ward
	// Lookup, when set, is a best-fit LSOA → new ward lookup used instead of
	// the geometry (no LSOA is split).
	Lookup map[string]string
	// MinPiece: see DefaultMinPiece.
	MinPiece float64
	// Name and Title of the carried configuration; default the old name
	// with "-carried" and the old title with the new ward count.
	Name, Title string
}

// Result is a carried configuration and what carrying it did.
type Result struct {
	From          string                       `json:"from"` // the old configuration's name
	Configuration *configuration.Configuration `json:"configuration"`
	MinPiece      float64                      `json:"min_piece"`
	// Wards lists every new ward, by code.
	Wards []WardResult `json:"wards"`
	// Teams puts each team's residents under both ward sets side by side.
	Teams []TeamPopulation `json:"teams"`
	// LSOAs lists every LSOA counted: its old ward and team and the new wards
	// its residents went to.
	LSOAs []LSOAPlacement `json:"lsoas"`
	// ResidentsOld sums the counted LSOAs; ResidentsNew the new wards
	// (less any LSOA no new ward reaches, listed in Unplaced).
	ResidentsOld float64  `json:"residents_old"`
	ResidentsNew float64  `json:"residents_new"`
	Unplaced     []string `json:"unplaced,omitempty"`
	// InteriorPointDiffers lists LSOAs that went whole to a new ward other
	// than the one holding their interior point (a profile of the new store,
	// which places LSOAs by interior point, puts them elsewhere).
	InteriorPointDiffers []string `json:"interior_point_differs,omitempty"`
	// Reassigned lists teams that no new ward went to by residents and the
	// ward each was given instead.
	Reassigned []Reassignment `json:"reassigned,omitempty"`
}

// Method says how a new ward's team was chosen.
type Method string

const (
	// ByResidents: the team holding most of the ward's residents.
	ByResidents Method = "residents"
	// ByArea: the ward has no residents; the team of the old ward that
	// overlaps it most.
	ByArea Method = "area"
	// ByReassignment: given to a team that would otherwise have no ward.
	ByReassignment Method = "reassigned"
)

// WardResult is one new ward's team and where its residents came from.
type WardResult struct {
	Code      string  `json:"code"`
	Name      string  `json:"name"`
	Team      string  `json:"team"`
	Method    Method  `json:"method"`
	Residents float64 `json:"residents"`
	// Share is the share of the ward's residents that came from Team
	// (0 when the ward has no residents).
	Share float64 `json:"share"`
	// Shares by old team, largest first.
	Shares []TeamShare `json:"shares"`
	// Split: residents came from more than one old team.
	Split bool `json:"split"`
	// LSOAs counts the LSOAs with residents in the ward (whole or a piece).
	LSOAs int `json:"lsoas"`
}

// TeamShare is an old team's residents in a new ward.
type TeamShare struct {
	Team      string  `json:"team"`
	Residents float64 `json:"residents"`
	Share     float64 `json:"share"`
}

// TeamPopulation is a team's residents on the old wards (old configuration)
// and on the new ones (carried configuration). New − Old = In − Out: In is
// the other teams' residents of split wards it was given, Out its own
// residents of split wards given to other teams.
type TeamPopulation struct {
	Team     string   `json:"team"`
	Name     string   `json:"name"`
	Locality string   `json:"locality"`
	Old      float64  `json:"old"`
	New      float64  `json:"new"`
	In       float64  `json:"in"`
	Out      float64  `json:"out"`
	OldWards []string `json:"old_wards"`
	NewWards []string `json:"new_wards"`
}

// LSOAPlacement is one LSOA's residents and where they went.
type LSOAPlacement struct {
	Code       string  `json:"code"`
	OldWard    string  `json:"old_ward"`
	OldTeam    string  `json:"old_team"`
	Population int     `json:"population"`
	Pieces     []Piece `json:"pieces"`
	// Straddles: split between two or more new wards by area.
	Straddles bool `json:"straddles"`
}

// Piece is the share of an LSOA's residents a new ward receives.
type Piece struct {
	Ward  string  `json:"ward"`
	Share float64 `json:"share"`
}

// Reassignment is a ward given to a team left without one.
type Reassignment struct {
	Team     string `json:"team"`
	Ward     string `json:"ward"`
	FromTeam string `json:"from_team"`
}

// ErrInput is wrapped by errors in Options.
var ErrInput = errors.New("carry: bad input")

// Carry carries opts.Configuration to opts.Wards. It checks ctx between
// LSOAs.
func Carry(ctx context.Context, opts Options) (*Result, error) {
	if opts.Dataset == nil || opts.Configuration == nil || len(opts.Wards) == 0 {
		return nil, fmt.Errorf("%w: a dataset, a configuration and new wards are needed", ErrInput)
	}
	minPiece := opts.MinPiece
	if minPiece == 0 {
		minPiece = DefaultMinPiece
	}
	if opts.Lookup != nil && len(opts.Lookup) == 0 {
		return nil, fmt.Errorf("%w: the lookup is empty (leave it out to place LSOAs by their boundaries)", ErrInput)
	}
	if minPiece < 0 || minPiece > 0.5 {
		return nil, fmt.Errorf("%w: the smallest piece must be between 0 and 0.5 of an LSOA, not %g", ErrInput, minPiece)
	}
	old := opts.Configuration
	oldWards := map[string]string{}
	for _, w := range opts.Dataset.Wards {
		oldWards[w.Code] = w.Name
	}
	if err := old.Validate(oldWards); err != nil {
		return nil, fmt.Errorf("%w: %s is not a configuration of the dataset's wards: %w", ErrInput, old.Name, err)
	}
	wardTeam := old.WardTeams()
	teams := old.Teams()
	teamOrder := map[string]int{}
	for i, t := range teams {
		teamOrder[t.ID] = i
	}

	newIndex := map[string]int{}
	areas := make([]areaindex.Area, len(opts.Wards))
	for i, w := range opts.Wards {
		if _, dup := newIndex[w.Code]; dup {
			return nil, fmt.Errorf("%w: new ward %s is listed twice", ErrInput, w.Code)
		}
		newIndex[w.Code] = i
		areas[i] = areaindex.Area{Code: w.Code, Geometry: w.Geometry}
	}
	index := areaindex.New(areas)

	res := &Result{From: old.Name, MinPiece: minPiece}
	// residents[w][team]: new ward w's residents from each old team.
	residents := make([]map[string]float64, len(opts.Wards))
	lsoaCount := make([]int, len(opts.Wards))
	for i := range residents {
		residents[i] = map[string]float64{}
	}
	oldTotals := map[string]float64{}
	year := latestPopulationYear(opts.Dataset)
	for _, l := range opts.Dataset.LSOAs {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("carry: %w", err)
		}
		team, ok := wardTeam[l.WardCode]
		if !ok || !l.Population.Known() || l.Population.Year != year {
			continue
		}
		pop := float64(l.Population.Total)
		res.ResidentsOld += pop
		oldTotals[team] += pop
		pieces, straddles, agrees := placeLSOA(l, opts.Wards, newIndex, index, opts.Lookup, minPiece)
		if !agrees && len(pieces) > 0 {
			res.InteriorPointDiffers = append(res.InteriorPointDiffers, l.Code)
		}
		res.LSOAs = append(res.LSOAs, LSOAPlacement{Code: l.Code, OldWard: l.WardCode, OldTeam: team, Population: l.Population.Total, Pieces: pieces, Straddles: straddles})
		if len(pieces) == 0 {
			res.Unplaced = append(res.Unplaced, l.Code)
			continue
		}
		for _, p := range pieces {
			w := newIndex[p.Ward]
			residents[w][team] += pop * p.Share
			lsoaCount[w]++
			res.ResidentsNew += pop * p.Share
		}
	}

	// Each new ward's team.
	chosen := make([]string, len(opts.Wards))
	for i, w := range opts.Wards {
		wr := WardResult{Code: w.Code, Name: w.Name, LSOAs: lsoaCount[i], Method: ByResidents}
		// In team order, not the map's: sums of floats must not depend on
		// the order a map happens to give.
		for _, t := range teams {
			if n, ok := residents[i][t.ID]; ok {
				wr.Residents += n
				wr.Shares = append(wr.Shares, TeamShare{Team: t.ID, Residents: n})
			}
		}
		sort.Slice(wr.Shares, func(a, b int) bool {
			sa, sb := wr.Shares[a], wr.Shares[b]
			if sa.Residents != sb.Residents {
				return sa.Residents > sb.Residents
			}
			return teamOrder[sa.Team] < teamOrder[sb.Team]
		})
		for j := range wr.Shares {
			wr.Shares[j].Share = wr.Shares[j].Residents / wr.Residents
		}
		wr.Split = len(wr.Shares) > 1
		if len(wr.Shares) > 0 {
			wr.Team, wr.Share = wr.Shares[0].Team, wr.Shares[0].Share
		} else {
			wr.Method = ByArea
			wr.Team = teamByArea(w, opts.Dataset.Wards, wardTeam, teamOrder)
			if wr.Team == "" {
				return nil, fmt.Errorf("%w: new ward %s (%s) has no residents and overlaps no old ward", ErrInput, w.Code, w.Name)
			}
		}
		chosen[i] = wr.Team
		res.Wards = append(res.Wards, wr)
	}
	res.Reassigned = fillEmptyTeams(res.Wards, teams, residents)

	// The carried configuration and the side-by-side populations.
	newWardsOf := map[string][]string{}
	for _, w := range res.Wards {
		newWardsOf[w.Team] = append(newWardsOf[w.Team], w.Code)
	}
	carried := &configuration.Configuration{
		Name:  opts.Name,
		Title: opts.Title,
		City:  old.City,
		Description: fmt.Sprintf("%s carried from %d to %d wards: each new ward goes to the team holding most of its residents "+
			"(LSOA populations; LSOAs straddling new wards split by area, pieces under %.0f%% of an LSOA ignored).",
			old.Name, len(opts.Dataset.Wards), len(opts.Wards), 100*minPiece),
	}
	if carried.Name == "" {
		carried.Name = old.Name + "-carried"
	}
	if carried.Title == "" {
		carried.Title = fmt.Sprintf("%s, carried to %d new wards", firstNonEmpty(old.Title, old.Name), len(opts.Wards))
	}
	for _, l := range old.Localities {
		nl := configuration.Locality{ID: l.ID, Name: l.Name}
		for _, t := range l.Teams {
			wards := append([]string(nil), newWardsOf[t.ID]...)
			sort.Strings(wards)
			nl.Teams = append(nl.Teams, configuration.Team{ID: t.ID, Name: t.Name, Wards: wards})
		}
		carried.Localities = append(carried.Localities, nl)
	}
	res.Configuration = carried
	for _, t := range teams {
		tp := TeamPopulation{Team: t.ID, Name: t.Name, Locality: t.Locality, Old: oldTotals[t.ID], OldWards: t.Wards, NewWards: newWardsOf[t.ID]}
		sort.Strings(tp.NewWards)
		res.Teams = append(res.Teams, tp)
	}
	teamAt := map[string]int{}
	for i, t := range res.Teams {
		teamAt[t.Team] = i
	}
	for i, w := range res.Wards {
		res.Teams[teamAt[w.Team]].New += w.Residents
		for _, t := range teams {
			team := t.ID
			n, ok := residents[i][team]
			if ok && team != w.Team {
				res.Teams[teamAt[w.Team]].In += n
				res.Teams[teamAt[team]].Out += n
			}
		}
	}
	return res, nil
}

// placeLSOA splits an LSOA's residents between the new wards (see the
// package documentation for the rule). interiorAgrees is false when the LSOA
// went whole to a ward other than the one its interior point is in.
func placeLSOA(l dataset.LSOA, wards []Ward, newIndex map[string]int, index *areaindex.Index, lookup map[string]string, minPiece float64) (pieces []Piece, straddles, interiorAgrees bool) {
	if lookup != nil {
		if w, ok := lookup[l.Code]; ok {
			if _, known := newIndex[w]; known {
				return []Piece{{Ward: w, Share: 1}}, false, true
			}
		}
		return nil, false, true
	}
	total := planar.Area(l.Geometry)
	if total <= 0 {
		return nil, false, true
	}
	bound := l.Geometry.Bound()
	var kept []Piece // areas first, shares once summed
	largest := Piece{}
	for _, w := range wards {
		if !bound.Intersects(w.Geometry.Bound()) {
			continue
		}
		a, _ := overlap.Area(l.Geometry, w.Geometry)
		if a > largest.Share {
			largest = Piece{Ward: w.Code, Share: a}
		}
		if a >= minPiece*total {
			kept = append(kept, Piece{Ward: w.Code, Share: a})
		}
	}
	if len(kept) >= 2 {
		sum := 0.0
		for _, p := range kept {
			sum += p.Share
		}
		for i := range kept {
			kept[i].Share /= sum
		}
		sort.Slice(kept, func(a, b int) bool { return kept[a].Share > kept[b].Share })
		return kept, true, true
	}
	if largest.Ward == "" {
		return nil, false, true
	}
	// One piece (or only slivers): whole to the largest piece, which is the
	// ward of the interior point but for degenerate shapes.
	w, ok := index.Locate(areaindex.InteriorPoint(l.Geometry))
	return []Piece{{Ward: largest.Ward, Share: 1}}, false, ok && w == largest.Ward
}

// teamByArea is the team of the old ward overlapping w most.
func teamByArea(w Ward, oldWards []dataset.Ward, wardTeam map[string]string, teamOrder map[string]int) string {
	best, bestArea := "", 0.0
	for _, o := range oldWards {
		team, ok := wardTeam[o.Code]
		if !ok || !w.Geometry.Bound().Intersects(o.Geometry.Bound()) {
			continue
		}
		a, _ := overlap.Area(w.Geometry, o.Geometry)
		if a > bestArea || (a == bestArea && a > 0 && teamOrder[team] < teamOrder[best]) {
			best, bestArea = team, a
		}
	}
	return best
}

// fillEmptyTeams gives each team that got no new ward the ward, among those
// of teams holding two or more, where it has the most residents.
func fillEmptyTeams(wards []WardResult, teams []configuration.PlacedTeam, residents []map[string]float64) []Reassignment {
	var out []Reassignment
	for _, t := range teams {
		count := map[string]int{}
		for _, w := range wards {
			count[w.Team]++
		}
		if count[t.ID] > 0 {
			continue
		}
		best, bestN := -1, 0.0
		for i, w := range wards {
			if count[w.Team] < 2 {
				continue
			}
			if n := residents[i][t.ID]; n > bestN {
				best, bestN = i, n
			}
		}
		if best < 0 {
			continue // the team had no residents anywhere: left empty, and the validator says so
		}
		w := &wards[best]
		out = append(out, Reassignment{Team: t.ID, Ward: w.Code, FromTeam: w.Team})
		w.Team, w.Method = t.ID, ByReassignment
		w.Share = bestN / w.Residents
	}
	return out
}

func latestPopulationYear(ds *dataset.Dataset) int {
	year := 0
	for _, l := range ds.LSOAs {
		year = max(year, l.Population.Year)
	}
	return year
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}
