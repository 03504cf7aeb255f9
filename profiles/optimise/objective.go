package optimise

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Objective terms. Each is a score in [0, 1] (balance may go below 0 for
// a wildly unbalanced plan), higher is better; an objective is a weighted
// sum of them.
const (
	// MinLocal is the lowest local registration share over teams: of the
	// residents of a team registered with a practice, the share registered
	// with a practice in the team. The search climbs 0.8 × the minimum +
	// 0.2 × a soft minimum (-1/β·ln mean exp(-β·share), β = 60, within
	// ln(teams)/β of the minimum), so that raising the second-worst team
	// counts too; options are ranked by the true minimum.
	MinLocal = "min_local"
	// Local is the population-weighted local registration share: local
	// registrations over residents registered, summed over teams.
	Local = "local"
	// Catchment is catchment coherence: the share of residents living in
	// their team's dominant trust's catchment, summed over teams.
	Catchment = "catchment"
	// Balance is 1 − the root mean square of the teams' resident
	// population deviations from the mean.
	Balance = "balance"
	// PCN is 1 − the share of primary care networks whose practices lie
	// in more than one team (practices outside the city count as one more
	// team, as in the plan checks).
	PCN = "pcn"
)

// Terms lists the objective terms in a fixed order.
var Terms = []string{MinLocal, Local, Catchment, Balance, PCN}

// softMinBeta is the soft minimum's sharpness, softMinShare its weight in
// the search's min_local term.
const (
	softMinBeta  = 60
	softMinShare = 0.2
)

// Objective is a weighted sum of terms.
type Objective map[string]float64

// ParseObjective reads "min_local" or "min_local=1,catchment=0.5".
func ParseObjective(s string) (Objective, error) {
	o := Objective{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, weight, found := strings.Cut(part, "=")
		w := 1.0
		if found {
			var err error
			if w, err = strconv.ParseFloat(strings.TrimSpace(weight), 64); err != nil || math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
				return nil, fmt.Errorf("objective %q: weight %q is not a number ≥ 0", part, weight)
			}
		}
		name = strings.TrimSpace(name)
		if !known(name) {
			return nil, fmt.Errorf("objective %q: unknown term %q (want one of %s)", s, name, strings.Join(Terms, ", "))
		}
		if _, dup := o[name]; dup {
			return nil, fmt.Errorf("objective %q: %s given twice", s, name)
		}
		o[name] = w
	}
	if err := o.Validate(); err != nil {
		return nil, err
	}
	return o, nil
}

// Validate checks the terms and weights.
func (o Objective) Validate() error {
	sum := 0.0
	for name, w := range o {
		if !known(name) {
			return fmt.Errorf("objective: unknown term %q (want one of %s)", name, strings.Join(Terms, ", "))
		}
		if math.IsNaN(w) || math.IsInf(w, 0) || w < 0 {
			return fmt.Errorf("objective: weight of %s is %v (want a number ≥ 0)", name, w)
		}
		sum += w
	}
	if sum == 0 {
		return fmt.Errorf("objective: no term with a positive weight (want one of %s)", strings.Join(Terms, ", "))
	}
	return nil
}

// String writes the objective as ParseObjective reads it, terms in order.
func (o Objective) String() string {
	var parts []string
	for _, name := range Terms {
		if w, ok := o[name]; ok {
			if w == 1 && len(o) == 1 {
				parts = append(parts, name)
			} else {
				parts = append(parts, name+"="+strconv.FormatFloat(w, 'g', -1, 64))
			}
		}
	}
	return strings.Join(parts, ",")
}

// usesFlows reports whether a term rests on the flow matrix.
func (o Objective) usesFlows() bool { return o[MinLocal] > 0 || o[Local] > 0 }

func (o Objective) total() float64 {
	s := 0.0
	for _, w := range o {
		s += w
	}
	return s
}

func known(name string) bool {
	i := sort.SearchStrings(sortedTerms, name)
	return i < len(sortedTerms) && sortedTerms[i] == name
}

var sortedTerms = func() []string {
	s := append([]string(nil), Terms...)
	sort.Strings(s)
	return s
}()
