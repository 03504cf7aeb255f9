package siting

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// P95Share is the share of weight the P95Distance figures refer to.
const P95Share = 0.95

// Report describes how well a hub set serves the demand: for the chosen hubs
// of a Solution, the current sites, or any other scenario.
type Report struct {
	// Thresholds are the distances coverage is reported within, in the
	// order given.
	Thresholds []float64
	// Hubs are the hubs, by ascending candidate index, with their load.
	Hubs []HubLoad
	// Assignment maps each demand point to its hub (candidate index): the
	// nearest allowed hub, ties to the lower index; −1 when no hub may
	// serve it (with OnePerTeam, a team without a hub of its own or with
	// Team "").
	Assignment []int
	// Distance is each demand point's distance to its hub, −1 when unserved.
	Distance []float64
	Overall  Summary
	// ByGroup has the same figures for each equity group other than 0.
	ByGroup map[int]Summary
	// ByTeam has the same figures for each team other than "".
	ByTeam map[string]Summary
}

// Summary holds the figures for a set of demand points.
type Summary struct {
	Points int     `json:"points"`
	Weight float64 `json:"weight"`
	// Unserved is the weight of points no hub may serve.
	Unserved float64 `json:"unserved"`
	// Coverage has one entry per threshold: the weight within it (distance
	// ≤ threshold) and its share of Weight (unserved weight is not covered).
	Coverage []Coverage `json:"coverage"`
	// MeanDistance is the weighted mean distance of the served points.
	MeanDistance float64 `json:"mean_distance_km"`
	// P95Distance is the weighted 95th percentile of the served points'
	// distances: the smallest distance d such that points at distance ≤ d
	// carry at least 95% of the served weight (the inverse of the weighted
	// empirical distribution function, no interpolation).
	P95Distance float64 `json:"p95_distance_km"`
	// MaxDistance is the largest distance of a served point with positive
	// weight (the p-centre objective).
	//
	// All three are 0 when the served weight is 0.
	MaxDistance float64 `json:"max_distance_km"`
}

// UnmarshalJSON reads a summary, also as stored before its fields had
// JSON names (Weight, MeanDistance, …): scenarios saved then still read.
func (s *Summary) UnmarshalJSON(b []byte) error {
	type named Summary
	var legacy struct {
		named
		LegacyPoints       *int       `json:"Points"`
		LegacyWeight       *float64   `json:"Weight"`
		LegacyUnserved     *float64   `json:"Unserved"`
		LegacyCoverage     []Coverage `json:"Coverage"`
		LegacyMeanDistance *float64   `json:"MeanDistance"`
		LegacyP95Distance  *float64   `json:"P95Distance"`
		LegacyMaxDistance  *float64   `json:"MaxDistance"`
	}
	if err := json.Unmarshal(b, &legacy); err != nil {
		return err
	}
	*s = Summary(legacy.named)
	for _, f := range []struct {
		to   *float64
		from *float64
	}{{&s.Weight, legacy.LegacyWeight}, {&s.Unserved, legacy.LegacyUnserved}, {&s.MeanDistance, legacy.LegacyMeanDistance},
		{&s.P95Distance, legacy.LegacyP95Distance}, {&s.MaxDistance, legacy.LegacyMaxDistance}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if legacy.LegacyPoints != nil {
		s.Points = *legacy.LegacyPoints
	}
	if legacy.LegacyCoverage != nil {
		s.Coverage = legacy.LegacyCoverage
	}
	return nil
}

// Coverage is the demand within one distance of its hub.
type Coverage struct {
	Threshold float64 `json:"threshold_km"`
	Weight    float64 `json:"weight"`
	Share     float64 `json:"share"`
}

// UnmarshalJSON reads a coverage, also as stored with Threshold (see
// Summary.UnmarshalJSON; weight and share match their old names).
func (c *Coverage) UnmarshalJSON(b []byte) error {
	type named Coverage
	var legacy struct {
		named
		LegacyThreshold *float64 `json:"Threshold"`
	}
	if err := json.Unmarshal(b, &legacy); err != nil {
		return err
	}
	*c = Coverage(legacy.named)
	if legacy.LegacyThreshold != nil {
		c.Threshold = *legacy.LegacyThreshold
	}
	return nil
}

// HubLoad is the demand one hub serves.
type HubLoad struct {
	Candidate    int
	ID           string
	Points       int
	Weight       float64
	MeanDistance float64 // weighted; 0 when Weight is 0
}

// Evaluate assigns every demand point to its nearest hub among hubs (within
// its team when p.OnePerTeam) and reports coverage within each threshold,
// mean, 95th-percentile and largest distance, overall, per equity group and
// per team. It uses p's demand, candidates, distances and OnePerTeam but not
// Model or K, so the hubs may be any set of distinct candidates (current
// sites, another scenario). With no thresholds it reports coverage within
// p.Threshold when that is positive.
//
// Cost: O(n·h) distance calls for h hubs, or O(n·log h) with GreatCircle.
func Evaluate(p Problem, hubs []int, thresholds []float64) (Report, error) {
	in, err := newInstance(p)
	if err != nil {
		return Report{}, err
	}
	if len(thresholds) == 0 && p.Threshold > 0 {
		thresholds = []float64{p.Threshold}
	}
	for _, t := range thresholds {
		if math.IsNaN(t) || math.IsInf(t, 0) || t < 0 {
			return Report{}, fmt.Errorf("siting: evaluate: threshold %g is not a finite non-negative number: %w", t, ErrInvalidInput)
		}
	}
	sorted := slices.Clone(hubs)
	slices.Sort(sorted)
	for k, j := range sorted {
		if j < 0 || j >= in.m {
			return Report{}, fmt.Errorf("siting: evaluate: hub %d is not a candidate index (0..%d): %w", j, in.m-1, ErrInvalidInput)
		}
		if k > 0 && sorted[k-1] == j {
			return Report{}, fmt.Errorf("siting: evaluate: candidate %q is listed twice: %w", p.Candidates[j].ID, ErrInvalidInput)
		}
	}
	assignment, dist, err := assign(in, sorted)
	if err != nil {
		return Report{}, err
	}

	r := Report{
		Thresholds: slices.Clone(thresholds),
		Assignment: assignment,
		Distance:   dist,
		ByGroup:    map[int]Summary{},
		ByTeam:     map[string]Summary{},
	}
	all := make([]int, in.n)
	groups := map[int][]int{}
	teams := map[string][]int{}
	for i, d := range p.Demand {
		all[i] = i
		if d.Group != 0 {
			groups[d.Group] = append(groups[d.Group], i)
		}
		if d.Team != "" {
			teams[d.Team] = append(teams[d.Team], i)
		}
	}
	r.Overall = summarise(in, all, dist, thresholds)
	for g, points := range groups {
		r.ByGroup[g] = summarise(in, points, dist, thresholds)
	}
	for t, points := range teams {
		r.ByTeam[t] = summarise(in, points, dist, thresholds)
	}

	slot := make(map[int]int, len(sorted))
	r.Hubs = make([]HubLoad, len(sorted))
	for k, j := range sorted {
		slot[j] = k
		r.Hubs[k] = HubLoad{Candidate: j, ID: p.Candidates[j].ID}
	}
	for i, j := range assignment {
		if j < 0 {
			continue
		}
		h := &r.Hubs[slot[j]]
		h.Points++
		h.Weight += in.weight[i]
		h.MeanDistance += in.weight[i] * dist[i]
	}
	for k := range r.Hubs {
		if r.Hubs[k].Weight > 0 {
			r.Hubs[k].MeanDistance /= r.Hubs[k].Weight
		} else {
			r.Hubs[k].MeanDistance = 0
		}
	}
	return r, nil
}

// summarise computes the figures for the demand points listed.
func summarise(in *instance, points []int, dist []float64, thresholds []float64) Summary {
	s := Summary{Points: len(points), Coverage: make([]Coverage, len(thresholds))}
	type served struct{ d, w float64 }
	var list []served
	var servedWeight, sum float64
	for _, i := range points {
		w := in.weight[i]
		s.Weight += w
		if dist[i] < 0 {
			s.Unserved += w
			continue
		}
		list = append(list, served{dist[i], w})
		servedWeight += w
		sum += w * dist[i]
		if w > 0 {
			s.MaxDistance = max(s.MaxDistance, dist[i])
		}
		for k, t := range thresholds {
			if dist[i] <= t {
				s.Coverage[k].Weight += w
			}
		}
	}
	for k, t := range thresholds {
		s.Coverage[k].Threshold = t
		if s.Weight > 0 {
			s.Coverage[k].Share = s.Coverage[k].Weight / s.Weight
		}
	}
	if servedWeight <= 0 {
		s.MaxDistance = 0
		return s
	}
	s.MeanDistance = sum / servedWeight
	slices.SortFunc(list, func(a, b served) int { return cmp.Compare(a.d, b.d) })
	target := P95Share * servedWeight * (1 - 1e-12)
	var cum float64
	for _, x := range list {
		cum += x.w
		if cum >= target {
			s.P95Distance = x.d
			break
		}
	}
	return s
}

// assign finds each demand point's nearest allowed hub among sorted hubs
// (ties to the lower index) and its distance; −1 for both when none may
// serve it. With GreatCircle it asks a k-d tree over the hubs of each team
// for the three nearest by chord and keeps the nearest by haversine distance.
func assign(in *instance, hubs []int) ([]int, []float64, error) {
	a := make([]int, in.n)
	d := make([]float64, in.n)
	for i := range a {
		a[i], d[i] = -1, -1
	}
	groups := in.groups()
	allowedHubs := make([][]int32, groups)
	for _, j := range hubs {
		if t := in.candTeam[j]; t >= 0 {
			allowedHubs[t] = append(allowedHubs[t], int32(j))
			continue
		}
		for g := range groups {
			allowedHubs[g] = append(allowedHubs[g], int32(j))
		}
	}
	gc, _ := in.p.Dist.(*greatCircle)
	var trees []*kdTree
	if gc != nil {
		trees = make([]*kdTree, groups)
		for g, ids := range allowedHubs {
			if len(ids) > 8 {
				trees[g] = newKDTree(ids, func(j int32) [3]float64 { return gc.cand[j].unit })
			}
		}
	}
	var hits []kdHit
	var near []int32
	for i := range in.n {
		g := in.demTeam[i]
		ids := allowedHubs[g]
		if trees != nil && trees[g] != nil {
			hits = trees[g].nearest(gc.dem[i].unit, 3, hits)
			near = near[:0]
			for _, h := range hits {
				near = append(near, h.id)
			}
			ids = near
		}
		best, bd := int32(-1), 0.0
		for _, j := range ids {
			dj, err := measure(in, i, int(j))
			if err != nil {
				return nil, nil, err
			}
			if before(dj, j, bd, best) {
				best, bd = j, dj
			}
		}
		if best >= 0 {
			a[i], d[i] = int(best), bd
		}
	}
	return a, d, nil
}
