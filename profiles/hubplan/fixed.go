package hubplan

import (
	"sort"
	"strconv"
	"strings"

	"github.com/placeteam/placeteam/data/dataset"
	"github.com/placeteam/placeteam/profiles/siting"
)

// UnknownFixedError is returned when fixed sites are not candidates. Each
// rejected id comes with why (when its practice is in the dataset) and the
// nearest candidate ids of its kind, so the answer points at ids that work.
type UnknownFixedError struct {
	IDs []string // sorted
	// Reasons holds, per rejected id, why it is not a candidate when that is
	// known (a practice in the dataset that is closed or outside the city).
	Reasons map[string]string
	// Nearest holds, per rejected id, up to three candidate ids of the same
	// kind with the longest common prefix (then the nearest number).
	Nearest map[string][]string
}

func (e *UnknownFixedError) Error() string {
	var parts []string
	for _, id := range e.IDs {
		var why []string
		if r := e.Reasons[id]; r != "" {
			why = append(why, r)
		}
		if n := e.Nearest[id]; len(n) > 0 {
			why = append(why, "nearest: "+strings.Join(n, ", "))
		} else {
			why = append(why, "ids are practice:CODE, hospital:N or site:ID")
		}
		parts = append(parts, id+" ("+strings.Join(why, "; ")+")")
	}
	return "hubplan: fixed sites are not candidates: " + strings.Join(parts, ", ") +
		"; candidates are practices open on the date inside a city ward, the city's hospital sites and your --sites"
}

func (e *UnknownFixedError) Unwrap() error { return siting.ErrInvalidInput }

// unknownFixed explains the fixed ids that are not candidates.
func unknownFixed(ds *dataset.Dataset, cands []candidate, ids []string) *UnknownFixedError {
	sort.Strings(ids)
	e := &UnknownFixedError{IDs: ids, Reasons: map[string]string{}, Nearest: map[string][]string{}}
	for _, id := range ids {
		kind, code, _ := strings.Cut(id, ":")
		if kind == "practice" {
			e.Reasons[id] = "no practice " + code + " in the dataset"
			for _, p := range ds.Practices {
				if p.Code != code {
					continue
				}
				switch {
				case !p.HasLocation():
					e.Reasons[id] = "practice " + code + " is in the dataset but has no location"
				case p.WardCode == "":
					e.Reasons[id] = "practice " + code + " is in the dataset but not inside a city ward"
				default:
					e.Reasons[id] = "practice " + code + " is in the dataset but not open on the date of the figures"
				}
			}
		}
		e.Nearest[id] = nearestIDs(id, cands, 3)
	}
	return e
}

// nearestIDs returns up to n candidate ids of id's kind ("practice:",
// "hospital:", "site:") by longest common prefix, then nearest trailing
// number, then alphabetically.
func nearestIDs(id string, cands []candidate, n int) []string {
	kind, _, ok := strings.Cut(id, ":")
	if !ok {
		return nil
	}
	type scored struct {
		id     string
		prefix int
		gap    int
	}
	var all []scored
	for _, c := range cands {
		if !strings.HasPrefix(c.ID, kind+":") {
			continue
		}
		all = append(all, scored{c.ID, commonPrefix(id, c.ID), numberGap(id, c.ID)})
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.prefix != b.prefix {
			return a.prefix > b.prefix
		}
		if a.gap != b.gap {
			return a.gap < b.gap
		}
		return a.id < b.id
	})
	var out []string
	for i := 0; i < len(all) && i < n; i++ {
		out = append(out, all[i].id)
	}
	return out
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// numberGap is the distance between the trailing numbers of a and b, or a
// large number when either has none.
func numberGap(a, b string) int {
	x, okA := trailingNumber(a)
	y, okB := trailingNumber(b)
	if !okA || !okB {
		return 1 << 30
	}
	if x > y {
		return x - y
	}
	return y - x
}

func trailingNumber(s string) (int, bool) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	v, err := strconv.Atoi(s[i:])
	return v, err == nil && i < len(s)
}
