package configuration

import (
	"errors"
	"fmt"
	"slices"
)

// Move puts a ward in another team.
type Move struct {
	Ward string `json:"ward"`
	Team string `json:"team"`
}

// ErrInvalidMove is wrapped by every rejected move.
var ErrInvalidMove = errors.New("invalid move")

// MoveError says which move failed and why.
type MoveError struct {
	Index int
	Move  Move
	Why   string
}

func (e *MoveError) Error() string {
	return fmt.Sprintf("move %d (ward %q to team %q): %s", e.Index, e.Move.Ward, e.Move.Team, e.Why)
}

func (e *MoveError) Unwrap() error { return ErrInvalidMove }

// MoveOptions tune ApplyMoves.
type MoveOptions struct {
	// AllowEmptyTeams lets a move take a team's last ward; the emptied team
	// is then removed (and a locality left with no team too).
	AllowEmptyTeams bool
}

// ApplyMoves returns a copy of c with the moves applied in order. c is not
// changed. Moving a ward to the team it is already in is allowed and does
// nothing; moving one ward twice in a batch is refused (which move should
// win is the planner's call, not ours).
func (c *Configuration) ApplyMoves(moves []Move, opts MoveOptions) (*Configuration, error) {
	out := c.Clone()
	moved := make(map[string]int, len(moves)) // ward → index of its move
	for i, m := range moves {
		if first, ok := moved[m.Ward]; ok {
			return nil, &MoveError{Index: i, Move: m, Why: fmt.Sprintf("ward %s is moved twice in one batch (moves %d and %d)", m.Ward, first, i)}
		}
		moved[m.Ward] = i
		from, to := locate(out, m.Ward), teamIndex(out, m.Team)
		switch {
		case from == nil:
			return nil, &MoveError{Index: i, Move: m, Why: "unknown ward (not in any team of this configuration)"}
		case to == nil:
			return nil, &MoveError{Index: i, Move: m, Why: "unknown team"}
		}
		if from[0] == to[0] && from[1] == to[1] {
			continue
		}
		src := &out.Localities[from[0]].Teams[from[1]]
		if len(src.Wards) == 1 && !opts.AllowEmptyTeams {
			return nil, &MoveError{Index: i, Move: m, Why: fmt.Sprintf("it would leave team %q with no wards (allow empty teams to remove it)", src.ID)}
		}
		src.Wards = slices.DeleteFunc(src.Wards, func(w string) bool { return w == m.Ward })
		dst := &out.Localities[to[0]].Teams[to[1]]
		dst.Wards = append(dst.Wards, m.Ward)
	}
	// Remove emptied teams and localities.
	localities := out.Localities[:0]
	for _, l := range out.Localities {
		l.Teams = slices.DeleteFunc(l.Teams, func(t Team) bool { return len(t.Wards) == 0 })
		if len(l.Teams) > 0 {
			localities = append(localities, l)
		}
	}
	out.Localities = localities
	return out, nil
}

// ChangedTeams lists the ids of the teams whose wards differ between a and
// b (teams present in only one of them included), sorted.
func ChangedTeams(a, b *Configuration) []string {
	wa, wb := a.WardTeams(), b.WardTeams()
	set := map[string]bool{}
	for w, t := range wa {
		if wb[w] != t {
			set[t] = true
			if wb[w] != "" {
				set[wb[w]] = true
			}
		}
	}
	for w, t := range wb {
		if wa[w] != t {
			set[t] = true
		}
	}
	out := make([]string, 0, len(set))
	for t := range set {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Clone returns a deep copy.
func (c *Configuration) Clone() *Configuration {
	out := *c
	out.Localities = make([]Locality, len(c.Localities))
	for i, l := range c.Localities {
		l.Teams = slices.Clone(l.Teams)
		for j := range l.Teams {
			l.Teams[j].Wards = slices.Clone(l.Teams[j].Wards)
		}
		out.Localities[i] = l
	}
	return &out
}

func locate(c *Configuration, ward string) []int {
	for i, l := range c.Localities {
		for j, t := range l.Teams {
			if slices.Contains(t.Wards, ward) {
				return []int{i, j}
			}
		}
	}
	return nil
}

func teamIndex(c *Configuration, team string) []int {
	for i, l := range c.Localities {
		for j, t := range l.Teams {
			if t.ID == team {
				return []int{i, j}
			}
		}
	}
	return nil
}
