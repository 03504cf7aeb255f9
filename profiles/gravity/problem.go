package gravity

import (
	"fmt"
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// Origin is a small area where people live (for placeteam an LSOA).
type Origin struct {
	ID string
	// Point is a representative location (an interior point), lon/lat in degrees.
	Point orb.Point
	// Group is the district the origin lies in (a LAD code); it must not be empty.
	Group string
	// Weight is the resident population: finite and not negative.
	Weight float64
}

// Destination is a service people register with (for placeteam a GP practice).
type Destination struct {
	ID string
	// Point is the location, lon/lat in degrees; read only when Located is true.
	Point orb.Point
	// Located is false when the location is unknown. Such a destination gets a
	// distance-free seed (see the package documentation); it is left out of
	// Calibrate.
	Located bool
}

// GroupTotal is an observed count N_jD: the patients of one destination who
// live in one group (district).
type GroupTotal struct {
	Destination int     `json:"destination"` // index into Problem.Destinations
	Group       string  `json:"group"`
	Count       float64 `json:"count"` // finite and not negative
}

// Problem is the input of Estimate and Calibrate. At most one GroupTotal may
// exist per (destination, group) pair. Groups are matched by exact string.
type Problem struct {
	Origins      []Origin
	Destinations []Destination
	Totals       []GroupTotal
}

// Validate reports the first way p breaks the documented requirements, as an
// error wrapping ErrInvalidInput, or nil.
func (p Problem) Validate() error {
	for i, o := range p.Origins {
		if o.Group == "" {
			return fmt.Errorf("gravity: origin %d %q: empty group: %w", i, o.ID, ErrInvalidInput)
		}
		if math.IsNaN(o.Weight) || math.IsInf(o.Weight, 0) || o.Weight < 0 {
			return fmt.Errorf("gravity: origin %d %q: weight %g is not a finite non-negative number: %w", i, o.ID, o.Weight, ErrInvalidInput)
		}
		if err := checkPoint(o.Point); err != nil {
			return fmt.Errorf("gravity: origin %d %q: %w", i, o.ID, err)
		}
	}
	for j, d := range p.Destinations {
		if !d.Located {
			continue
		}
		if err := checkPoint(d.Point); err != nil {
			return fmt.Errorf("gravity: destination %d %q: %w", j, d.ID, err)
		}
	}
	type key struct {
		destination int
		group       string
	}
	seen := make(map[key]int, len(p.Totals))
	for t, g := range p.Totals {
		if g.Destination < 0 || g.Destination >= len(p.Destinations) {
			return fmt.Errorf("gravity: total %d: destination index %d out of range [0, %d): %w", t, g.Destination, len(p.Destinations), ErrInvalidInput)
		}
		if g.Group == "" {
			return fmt.Errorf("gravity: total %d (destination %d): empty group: %w", t, g.Destination, ErrInvalidInput)
		}
		if math.IsNaN(g.Count) || math.IsInf(g.Count, 0) || g.Count < 0 {
			return fmt.Errorf("gravity: total %d (destination %d, group %q): count %g is not a finite non-negative number: %w", t, g.Destination, g.Group, g.Count, ErrInvalidInput)
		}
		k := key{g.Destination, g.Group}
		if first, dup := seen[k]; dup {
			return fmt.Errorf("gravity: totals %d and %d: duplicate (destination %d, group %q): %w", first, t, g.Destination, g.Group, ErrInvalidInput)
		}
		seen[k] = t
	}
	return nil
}

func checkPoint(pt orb.Point) error {
	lon, lat := pt[0], pt[1]
	if math.IsNaN(lon) || math.IsInf(lon, 0) || math.IsNaN(lat) || math.IsInf(lat, 0) {
		return fmt.Errorf("point (%g, %g) is not finite: %w", lon, lat, ErrInvalidInput)
	}
	if lon < -180 || lon > 180 || lat < -90 || lat > 90 {
		return fmt.Errorf("point (%g, %g) is not a lon/lat in degrees: %w", lon, lat, ErrInvalidInput)
	}
	return nil
}

// group is one district that has origins, with what both models need.
type group struct {
	name string
	// origins lists the indices of the group's origins in Problem order.
	origins []int
	// weight is W_D, the group's total origin weight.
	weight float64
	// totals lists the group's totals with a positive count, in Problem order.
	totals []GroupTotal
}

// layout splits a validated problem into groups with origins (sorted by name)
// and the totals that cannot be allocated to any origin.
type layout struct {
	groups      []group
	unallocated []GroupTotal
}

// newLayout assumes p is valid. A total is unallocated when its group has no
// origins or when the group's origins all have zero weight.
func newLayout(p Problem) layout {
	index := make(map[string]int)
	var groups []group
	for i, o := range p.Origins {
		g, ok := index[o.Group]
		if !ok {
			g = len(groups)
			index[o.Group] = g
			groups = append(groups, group{name: o.Group})
		}
		groups[g].origins = append(groups[g].origins, i)
		groups[g].weight += o.Weight
	}
	var l layout
	for _, t := range p.Totals {
		g, ok := index[t.Group]
		if !ok || groups[g].weight == 0 {
			l.unallocated = append(l.unallocated, t)
			continue
		}
		if t.Count > 0 {
			groups[g].totals = append(groups[g].totals, t)
		}
	}
	sort.Slice(groups, func(a, b int) bool { return groups[a].name < groups[b].name })
	l.groups = groups
	return l
}
