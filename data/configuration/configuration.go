// Package configuration is the 12:3:1 model of community care: a named team
// configuration puts every ward of the city in exactly one team, every team
// in one locality, and every locality in the city.
package configuration

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Configuration is one boundary option.
type Configuration struct {
	// Name is the configuration's stable id (e.g. "manchester-2015").
	Name        string     `json:"name" yaml:"name"`
	Title       string     `json:"title,omitempty" yaml:"title,omitempty"`
	Description string     `json:"description,omitempty" yaml:"description,omitempty"`
	City        Unit       `json:"city" yaml:"city"`
	Localities  []Locality `json:"localities" yaml:"localities"`
}

// Unit is an id and a display name.
type Unit struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name" yaml:"name"`
}

// Locality groups teams.
type Locality struct {
	ID    string `json:"id" yaml:"id"`
	Name  string `json:"name" yaml:"name"`
	Teams []Team `json:"teams" yaml:"teams"`
}

// Team groups wards. Wards holds ward codes.
type Team struct {
	ID    string   `json:"id" yaml:"id"`
	Name  string   `json:"name" yaml:"name"`
	Wards []string `json:"wards" yaml:"wards"`
}

// ErrInvalid is wrapped by every validation error.
var ErrInvalid = errors.New("invalid configuration")

// ValidationError lists every problem in a configuration.
type ValidationError struct {
	Name     string
	Problems []string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("configuration %q: %s", e.Name, strings.Join(e.Problems, "; "))
}

func (e *ValidationError) Unwrap() error { return ErrInvalid }

// Validate checks the configuration against the dataset's wards (code →
// name): ids present and unique, every ward known, in exactly one team, and
// no ward left out.
func (c *Configuration) Validate(wards map[string]string) error {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if c.Name == "" {
		add("no name")
	}
	if c.City.ID == "" {
		add("no city id")
	}
	if len(c.Localities) == 0 {
		add("no localities")
	}
	ids := map[string]string{} // every locality and team id → what uses it
	useID := func(kind, id string) {
		switch {
		case id == "":
			add("a %s has no id", kind)
		case ids[id] != "":
			add("%s id %q is already used by a %s", kind, id, ids[id])
		default:
			ids[id] = kind
		}
	}
	wardTeam := map[string]string{}
	for _, l := range c.Localities {
		useID("locality", l.ID)
		if strings.TrimSpace(l.Name) == "" {
			add("locality %q has no name", l.ID)
		}
		if len(l.Teams) == 0 {
			add("locality %q has no teams", l.ID)
		}
		for _, t := range l.Teams {
			useID("team", t.ID)
			if strings.TrimSpace(t.Name) == "" {
				add("team %q has no name", t.ID)
			}
			if len(t.Wards) == 0 {
				add("team %q has no wards", t.ID)
			}
			listed := map[string]int{} // times each ward is listed in this team
			var repeated []string
			for _, w := range t.Wards {
				if _, ok := wards[w]; !ok {
					add("team %q names unknown ward %q", t.ID, w)
					continue
				}
				if listed[w]++; listed[w] == 2 {
					repeated = append(repeated, w)
				}
				if listed[w] > 1 {
					continue
				}
				if other, ok := wardTeam[w]; ok {
					add("ward %s (%s) is in two teams: %q and %q", w, wards[w], other, t.ID)
					continue
				}
				wardTeam[w] = t.ID
			}
			for _, w := range repeated {
				times := "twice"
				if listed[w] > 2 {
					times = fmt.Sprintf("%d times", listed[w])
				}
				add("ward %s (%s) is listed %s in team %q", w, wards[w], times, t.ID)
			}
		}
	}
	var missing []string
	for code, name := range wards {
		if _, ok := wardTeam[code]; !ok {
			missing = append(missing, fmt.Sprintf("%s (%s)", code, name))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		add("ward(s) in no team: %s", strings.Join(missing, ", "))
	}
	if len(problems) > 0 {
		return &ValidationError{Name: c.Name, Problems: problems}
	}
	return nil
}

// Teams lists the teams in locality order, each with its locality id.
func (c *Configuration) Teams() []PlacedTeam {
	var out []PlacedTeam
	for _, l := range c.Localities {
		for _, t := range l.Teams {
			out = append(out, PlacedTeam{Team: t, Locality: l.ID})
		}
	}
	return out
}

// PlacedTeam is a team with the id of its locality.
type PlacedTeam struct {
	Team
	Locality string
}

// WardTeams maps each ward code to its team id.
func (c *Configuration) WardTeams() map[string]string {
	out := map[string]string{}
	for _, l := range c.Localities {
		for _, t := range l.Teams {
			for _, w := range t.Wards {
				out[w] = t.ID
			}
		}
	}
	return out
}
