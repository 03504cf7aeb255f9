package siting

import "math"

// score is a lexicographic objective value: the search minimises it
// component by component. Component 0 counts demand points left without a
// hub (only ever non-zero during the greedy start); the others depend on the
// mode:
//
//	p-median      (0, Σ w·d)
//	max-coverage  (0, Σ w·[d > R], Σ w·d)
//	p-centre      (0, #[d > M], #[d ≥ M], Σ w·d)   M = current largest distance,
//	                                               counting points with w > 0
type score [4]float64

func (a score) add(b score) score {
	return score{a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]}
}

func (a score) sub(b score) score {
	return score{a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]}
}

// compareScores orders scores lexicographically, exactly.
func compareScores(a, b score) int {
	for k := range a {
		if a[k] < b[k] {
			return -1
		}
		if a[k] > b[k] {
			return 1
		}
	}
	return 0
}

type scoreMode int

const (
	modeMedian scoreMode = iota
	modeCoverage
	modeCentre
)

var inf = math.Inf(1)

// scorer turns the distance of one demand point into its contribution.
type scorer struct {
	mode   scoreMode
	weight []float64
	radius float64 // coverage radius R
	centre float64 // current largest distance M
}

// value is demand i's contribution at distance d (+Inf: no hub).
func (s *scorer) value(i int, d float64) score {
	if d == inf {
		return score{1}
	}
	w := s.weight[i]
	switch s.mode {
	case modeCoverage:
		var uncovered float64
		if d > s.radius {
			uncovered = w
		}
		return score{0, uncovered, w * d}
	case modeCentre:
		if w <= 0 {
			return score{}
		}
		var over, at float64
		if d > s.centre {
			over = 1
		}
		if d >= s.centre {
			at = 1
		}
		return score{0, over, at, w * d}
	default:
		return score{0, w * d}
	}
}

// objective is the exact objective of a model for the distances d of every
// demand point to its hub, summed in index order: the model's own figure and
// the p-median cost.
func (in *instance) objective(d []float64) (primary, cost float64) {
	for i, di := range d {
		w := in.weight[i]
		cost += w * di
		switch in.model {
		case MaxCoverage:
			if di > in.p.Threshold {
				primary += w
			}
		case PCentre:
			if w > 0 && di > primary {
				primary = di
			}
		}
	}
	if in.model == PMedian {
		primary = cost
	}
	return primary, cost
}

// betterObjective orders (primary, cost) pairs lexicographically, treating
// values within a relative 1e-9 as equal so that rounding never decides.
func betterObjective(p1, c1, p2, c2 float64) bool {
	if !nearlyEqual(p1, p2) {
		return p1 < p2
	}
	return !nearlyEqual(c1, c2) && c1 < c2
}

func nearlyEqual(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*max(math.Abs(a), math.Abs(b))
}
