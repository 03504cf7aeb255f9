package plancheck

import (
	"math"
	"sort"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Defaults for zero Options fields.
const (
	DefaultTeams     = 12
	DefaultTolerance = 0.10
)

// Options set what a plan is checked against. Zero values are the defaults.
type Options struct {
	// Teams is the number of teams a plan should have (default 12, the
	// 12:3:1 model).
	Teams int `json:"teams"`
	// Tolerance is how far a team's population may lie from the target,
	// as a fraction of it (default 0.10: ±10%).
	Tolerance float64 `json:"tolerance"`
	// TargetResident and TargetRegistered are the populations each team
	// should have (default: the mean over teams).
	TargetResident   float64 `json:"target_resident,omitempty"`
	TargetRegistered float64 `json:"target_registered,omitempty"`
}

func (o Options) withDefaults() Options {
	if o.Teams <= 0 {
		o.Teams = DefaultTeams
	}
	if o.Tolerance <= 0 {
		o.Tolerance = DefaultTolerance
	}
	return o
}

// Names of the checks that pass or fail (Report.Failing).
const (
	CheckAssignment = "assignment"
	CheckTeamCount  = "team_count"
	CheckContiguity = "contiguity"
	CheckResident   = "resident_balance"
	CheckRegistered = "registered_balance"
)

// Report is every check of one configuration.
type Report struct {
	Configuration string  `json:"configuration"`
	Options       Options `json:"options"`
	// OK is true when every check passes; Failing names those that do not.
	OK         bool              `json:"ok"`
	Failing    []string          `json:"failing"`
	Assignment AssignmentCheck   `json:"assignment"`
	TeamCount  TeamCountCheck    `json:"team_count"`
	Contiguity ContiguityCheck   `json:"contiguity"`
	Resident   BalanceCheck      `json:"resident_balance"`
	Registered BalanceCheck      `json:"registered_balance"`
	Teams      []TeamCheck       `json:"teams"`
	PCNSplits  []PCNSplit        `json:"pcn_splits"`
	Notes      map[string]string `json:"notes"`
	// Unknown names the checks the dataset cannot make, with why (the
	// registered balance without practice locations): neither passing nor
	// failing, they are not in Failing.
	Unknown map[string]string `json:"unknown,omitempty"`
	byTeam  map[string]int    // Teams index by id
}

// AssignmentCheck: every city ward in exactly one team, and no other ward.
type AssignmentCheck struct {
	OK         bool     `json:"ok"`
	Unassigned []string `json:"unassigned"`
	Repeated   []string `json:"repeated"`
	Unknown    []string `json:"unknown"`
}

// TeamCountCheck: the plan has the number of teams wanted.
type TeamCountCheck struct {
	OK   bool `json:"ok"`
	Want int  `json:"want"`
	Got  int  `json:"got"`
}

// ContiguityCheck: each team and each locality is one piece. Only the
// units in several pieces are listed, each piece as its ward codes.
type ContiguityCheck struct {
	OK         bool     `json:"ok"`
	Teams      []Pieces `json:"teams"`
	Localities []Pieces `json:"localities"`
}

// Pieces is a unit in several pieces.
type Pieces struct {
	ID     string     `json:"id"`
	Pieces [][]string `json:"pieces"`
}

// BalanceCheck: each team's population within the tolerance of the target.
type BalanceCheck struct {
	OK        bool    `json:"ok"`
	Target    float64 `json:"target"`
	Tolerance float64 `json:"tolerance"`
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	// MaxDeviation is the largest |population − target| ÷ target.
	MaxDeviation float64 `json:"max_deviation"`
	// Outside lists the teams beyond the tolerance.
	Outside []string `json:"outside"`
	// Unknown says why the check cannot be made (its populations are
	// unknown); OK is then false but the check is not failing.
	Unknown string `json:"unknown,omitempty"`
}

// TeamCheck is one team's findings and measures.
type TeamCheck struct {
	ID         string `json:"id"`
	Contiguous bool   `json:"contiguous"`
	Pieces     int    `json:"pieces"`
	// ResidentDeviation and RegisteredDeviation are (population − target)
	// ÷ target; RegisteredDeviation is nil when registered populations are
	// unknown.
	ResidentDeviation   float64  `json:"resident_deviation"`
	RegisteredDeviation *float64 `json:"registered_deviation"`
	AreaKm2             float64  `json:"area_km2"`
	PerimeterKm         float64  `json:"perimeter_km"`
	PolsbyPopper        float64  `json:"polsby_popper"`
	HullRatio           float64  `json:"hull_ratio"`
	// CatchmentTrust is the trust whose catchment holds most of the team's
	// residents, and CatchmentCoherence that share (nil without catchments).
	CatchmentTrust     string   `json:"catchment_trust,omitempty"`
	CatchmentCoherence *float64 `json:"catchment_coherence"`
	// IMDQuintileShares are the shares of residents in each IMD quintile
	// (1 most deprived).
	IMDQuintileShares [5]float64 `json:"imd_quintile_shares"`
	// SplitPCNs are the primary care networks with practices both in this
	// team and in another.
	SplitPCNs []string `json:"split_pcns"`
}

// PCNSplit is a primary care network whose practices lie in several teams.
type PCNSplit struct {
	PCN   string   `json:"pcn"`
	Teams []string `json:"teams"`
}

// Team is the check of the team id, if the report has it.
func (r *Report) Team(id string) (TeamCheck, bool) {
	i, ok := r.byTeam[id]
	if !ok {
		return TeamCheck{}, false
	}
	return r.Teams[i], true
}

// Check checks cfg over the city's wards. profile is cfg's profile (for
// populations, catchments and deprivation); groups are its practice groups
// of kind "pcn" (indicatorprofile.Groups; nil when the dataset has none).
func Check(city *City, cfg *configuration.Configuration, profile *placeprofile.Profile, groups []indicatorprofile.TeamGroups, opts Options) *Report {
	opts = opts.withDefaults()
	r := &Report{Configuration: cfg.Name, Options: opts, Failing: []string{}, byTeam: map[string]int{},
		Notes: map[string]string{
			"contiguity":  "rook adjacency: wards sharing a boundary of positive length; a point touch or a gap does not join wards",
			"compactness": "Polsby–Popper 4πA/P² on geodesic area and perimeter; hull ratio = area ÷ convex hull area (Lambert equal-area at the team)",
		}}
	r.Assignment = checkAssignment(city, cfg)
	teams := cfg.Teams()
	r.TeamCount = TeamCountCheck{OK: len(teams) == opts.Teams, Want: opts.Teams, Got: len(teams)}

	// Contiguity of teams and localities.
	r.Contiguity.OK = true
	r.Contiguity.Teams, r.Contiguity.Localities = []Pieces{}, []Pieces{}
	pieceCount := map[string]int{}
	for _, t := range teams {
		pieces := city.pieces(t.Wards)
		pieceCount[t.ID] = len(pieces)
		if len(pieces) > 1 {
			r.Contiguity.OK = false
			r.Contiguity.Teams = append(r.Contiguity.Teams, Pieces{ID: t.ID, Pieces: pieces})
		}
	}
	for _, l := range cfg.Localities {
		var wards []string
		for _, t := range l.Teams {
			wards = append(wards, t.Wards...)
		}
		if pieces := city.pieces(wards); len(pieces) > 1 {
			r.Contiguity.OK = false
			r.Contiguity.Localities = append(r.Contiguity.Localities, Pieces{ID: l.ID, Pieces: pieces})
		}
	}

	// Populations from the profile, by team id.
	units := map[string]*placeprofile.Unit{}
	if profile != nil {
		for i := range profile.Teams {
			units[profile.Teams[i].ID] = &profile.Teams[i]
		}
	}
	resident := func(u *placeprofile.Unit) float64 { return u.ResidentPopulation.Total }
	registered := func(u *placeprofile.Unit) float64 { return u.RegisteredPopulation }
	r.Resident = balance(teams, units, resident, opts.TargetResident, opts.Tolerance)
	r.Registered = balance(teams, units, registered, opts.TargetRegistered, opts.Tolerance)
	if why, unknown := profileUnknown(profile, placeprofile.FieldRegisteredPopulation); unknown {
		r.Registered = BalanceCheck{Tolerance: opts.Tolerance, Outside: []string{}, Unknown: why}
		r.Unknown = map[string]string{CheckRegistered: why}
	}

	splitOf := map[string][]string{}
	pcnTeams := map[string][]string{}
	for _, g := range groups {
		splitOf[g.Team] = g.Split
		for _, pcn := range g.Split {
			pcnTeams[pcn] = append(pcnTeams[pcn], g.Team)
		}
	}
	r.PCNSplits = []PCNSplit{}
	for pcn, ts := range pcnTeams {
		r.PCNSplits = append(r.PCNSplits, PCNSplit{PCN: pcn, Teams: ts})
	}
	sort.Slice(r.PCNSplits, func(i, j int) bool { return r.PCNSplits[i].PCN < r.PCNSplits[j].PCN })

	for _, t := range teams {
		tc := TeamCheck{ID: t.ID, Pieces: pieceCount[t.ID], Contiguous: pieceCount[t.ID] == 1, SplitPCNs: splitOf[t.ID]}
		if tc.SplitPCNs == nil {
			tc.SplitPCNs = []string{}
		}
		area, perimeter, hull := city.shape(t.Wards)
		tc.AreaKm2, tc.PerimeterKm = area/1e6, perimeter/1e3
		if perimeter > 0 {
			tc.PolsbyPopper = 4 * math.Pi * area / (perimeter * perimeter)
		}
		tc.HullRatio = hull
		if u := units[t.ID]; u != nil {
			tc.ResidentDeviation = deviation(resident(u), r.Resident.Target)
			if r.Registered.Unknown == "" {
				d := deviation(registered(u), r.Registered.Target)
				tc.RegisteredDeviation = &d
			}
			best := -1.0
			for _, cs := range u.CatchmentShares {
				if cs.Share > best {
					best, tc.CatchmentTrust = cs.Share, cs.Trust
				}
			}
			if best >= 0 {
				tc.CatchmentCoherence = &best
			}
			if total := resident(u); total > 0 {
				for q, p := range u.IMDQuintilePopulation {
					tc.IMDQuintileShares[q] = p / total
				}
			}
		}
		r.byTeam[t.ID] = len(r.Teams)
		r.Teams = append(r.Teams, tc)
	}

	for _, c := range []struct {
		name string
		ok   bool
	}{
		{CheckAssignment, r.Assignment.OK}, {CheckTeamCount, r.TeamCount.OK}, {CheckContiguity, r.Contiguity.OK},
		{CheckResident, r.Resident.OK}, {CheckRegistered, r.Registered.OK},
	} {
		if _, unknown := r.Unknown[c.name]; !c.ok && !unknown {
			r.Failing = append(r.Failing, c.name)
		}
	}
	r.OK = len(r.Failing) == 0
	return r
}

// checkAssignment finds wards of the city in no team or in several, and
// wards the city does not have.
func checkAssignment(city *City, cfg *configuration.Configuration) AssignmentCheck {
	a := AssignmentCheck{Unassigned: []string{}, Repeated: []string{}, Unknown: []string{}}
	seen := map[string]int{}
	for _, t := range cfg.Teams() {
		for _, w := range t.Wards {
			seen[w]++
			if seen[w] == 2 {
				a.Repeated = append(a.Repeated, w)
			}
			if _, ok := city.index[w]; !ok && seen[w] == 1 {
				a.Unknown = append(a.Unknown, w)
			}
		}
	}
	for _, code := range city.codes {
		if seen[code] == 0 {
			a.Unassigned = append(a.Unassigned, code)
		}
	}
	sort.Strings(a.Repeated)
	sort.Strings(a.Unknown)
	a.OK = len(a.Unassigned) == 0 && len(a.Repeated) == 0 && len(a.Unknown) == 0
	return a
}

// balance checks each team's population (from units) against the target
// (default: the mean over teams).
func balance(teams []configuration.PlacedTeam, units map[string]*placeprofile.Unit, pop func(*placeprofile.Unit) float64, target, tolerance float64) BalanceCheck {
	b := BalanceCheck{Tolerance: tolerance, Outside: []string{}, OK: true}
	var sum float64
	var values []float64
	for _, t := range teams {
		u := units[t.ID]
		if u == nil {
			continue
		}
		values = append(values, pop(u))
		sum += pop(u)
	}
	if len(values) == 0 {
		return b
	}
	b.Target = target
	if b.Target <= 0 {
		b.Target = sum / float64(len(values))
	}
	b.Min, b.Max = math.Inf(1), math.Inf(-1)
	for _, t := range teams {
		u := units[t.ID]
		if u == nil {
			continue
		}
		v := pop(u)
		b.Min, b.Max = math.Min(b.Min, v), math.Max(b.Max, v)
		d := math.Abs(deviation(v, b.Target))
		b.MaxDeviation = math.Max(b.MaxDeviation, d)
		if d > tolerance {
			b.Outside = append(b.Outside, t.ID)
		}
	}
	b.OK = len(b.Outside) == 0
	return b
}

// profileUnknown is why the profile cannot give field, if it cannot.
func profileUnknown(p *placeprofile.Profile, field string) (string, bool) {
	if p == nil {
		return "", false
	}
	why, unknown := p.Unknown[field]
	return why, unknown
}

func deviation(v, target float64) float64 {
	if target <= 0 {
		return 0
	}
	return (v - target) / target
}
