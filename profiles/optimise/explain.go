package optimise

import (
	"fmt"
	"math"
	"strings"
)

// Step is one ward's move from the start to an option, with what it does
// to the two teams it touches.
type Step struct {
	Ward     string `json:"ward"`
	WardName string `json:"ward_name"`
	From     string `json:"from"`
	To       string `json:"to"`
	// ValueBefore and ValueAfter are the objective before and after this
	// step (steps applied in order).
	ValueBefore float64      `json:"value_before"`
	ValueAfter  float64      `json:"value_after"`
	Teams       []TeamChange `json:"teams"`
	Text        string       `json:"text"`
}

// TeamChange is a touched team's figures before and after a step.
type TeamChange struct {
	Team string `json:"team"`
	// LocalShare is the local registration share (nil with no residents
	// registered).
	LocalShareBefore *float64 `json:"local_share_before"`
	LocalShareAfter  *float64 `json:"local_share_after"`
	ResidentBefore   float64  `json:"resident_before"`
	ResidentAfter    float64  `json:"resident_after"`
	CoherenceBefore  *float64 `json:"catchment_coherence_before"`
	CoherenceAfter   *float64 `json:"catchment_coherence_after"`
}

// explain orders the wards that differ between the start and team: at
// each step the move that gains most on the objective among those that
// leave no team empty (intermediate plans are not otherwise checked
// against the constraints; only the option is), and says
// in words what each does to the teams it touches.
func (p *problem) explain(team []int32) []Step {
	st := newState(p, p.startTeam)
	var left []int
	for w := range team {
		if team[w] != p.startTeam[w] {
			left = append(left, w)
		}
	}
	var steps []Step
	for len(left) > 0 {
		// Steps that leave no team empty come first where there are any.
		bestI, bestV, bestKeeps := -1, math.Inf(-1), false
		for i, w := range left {
			from := st.team[w]
			keeps := len(st.members[from]) > 1
			st.move(w, team[w])
			if v := st.value(); (keeps && !bestKeeps) || (keeps == bestKeeps && v > bestV+1e-12) {
				bestI, bestV, bestKeeps = i, v, keeps
			}
			st.move(w, from)
		}
		w := left[bestI]
		left = append(left[:bestI], left[bestI+1:]...)
		a, b := st.team[w], team[w]
		step := Step{Ward: p.city.Wards[w].Code, WardName: p.city.Wards[w].Name, From: p.teamIDs[a], To: p.teamIDs[b], ValueBefore: st.value()}
		before := []TeamChange{p.teamFigures(st, a), p.teamFigures(st, b)}
		st.move(w, b)
		step.ValueAfter = st.value()
		for i, t := range []int32{a, b} {
			after := p.teamFigures(st, t)
			c := before[i]
			c.LocalShareAfter, c.ResidentAfter, c.CoherenceAfter = after.LocalShareBefore, after.ResidentBefore, after.CoherenceBefore
			step.Teams = append(step.Teams, c)
		}
		step.Text = p.sentence(step)
		steps = append(steps, step)
	}
	return steps
}

func (p *problem) teamFigures(st *state, t int32) TeamChange {
	c := TeamChange{Team: p.teamIDs[t], ResidentBefore: st.res[t]}
	if share, ok := st.share(int(t)); ok {
		c.LocalShareBefore = &share
	}
	if st.res[t] > 0 && p.trusts > 0 {
		coh := maxOf(st.catch[t]) / st.res[t]
		c.CoherenceBefore = &coh
	}
	return c
}

// sentence says a step in words, naming the figures the objective uses:
// "move Old Moat from S3 to C2: local registration S3 66% → 71%, C2 58% →
// 57%; residents S3 45,100 → 38,000, C2 41,000 → 48,100".
func (p *problem) sentence(s Step) string {
	var parts []string
	name := s.WardName
	if name == "" {
		name = s.Ward
	}
	if p.weights[wMin] > 0 || p.weights[wLocal] > 0 {
		var xs []string
		for _, c := range s.Teams {
			xs = append(xs, fmt.Sprintf("%s %s → %s", c.Team, percent(c.LocalShareBefore), percent(c.LocalShareAfter)))
		}
		parts = append(parts, "local registration "+strings.Join(xs, ", "))
	}
	if p.weights[wCatch] > 0 {
		var xs []string
		for _, c := range s.Teams {
			xs = append(xs, fmt.Sprintf("%s %s → %s", c.Team, percent(c.CoherenceBefore), percent(c.CoherenceAfter)))
		}
		parts = append(parts, "catchment coherence "+strings.Join(xs, ", "))
	}
	var xs []string
	for _, c := range s.Teams {
		xs = append(xs, fmt.Sprintf("%s %s → %s", c.Team, thousands(c.ResidentBefore), thousands(c.ResidentAfter)))
	}
	parts = append(parts, "residents "+strings.Join(xs, ", "))
	return fmt.Sprintf("move %s from %s to %s: %s", name, s.From, s.To, strings.Join(parts, "; "))
}

func percent(x *float64) string {
	if x == nil {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100**x)
}

func thousands(x float64) string {
	s := fmt.Sprintf("%.0f", x)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
