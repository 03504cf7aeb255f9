package gravity

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"
)

// withAwkwardParts adds what real data has: origins with no residents, a
// district whose small areas all have zero weight (group "Z") and users from a
// district with no small areas (group "OUT"). It returns the totals Estimate
// must report as unallocated, in Problem order.
func withAwkwardParts(p Problem) (Problem, []GroupTotal) {
	for i := range p.Origins {
		if i%7 == 3 {
			p.Origins[i].Weight = 0
		}
	}
	p.Origins = append(p.Origins,
		Origin{ID: "Z1", Point: orb.Point{-2.3, 53.5}, Group: "Z"},
		Origin{ID: "Z2", Point: orb.Point{-2.31, 53.5}, Group: "Z"},
	)
	extra := []GroupTotal{
		{Destination: 0, Group: "Z", Count: 12},
		{Destination: 1, Group: "OUT", Count: 7},
		{Destination: 2, Group: "OUT", Count: 0},
		{Destination: 3, Group: "Z", Count: 3},
	}
	p.Totals = append(p.Totals, extra...)
	return p, extra
}

// originTotals computes O_i = w_i · N_D / W_D independently of the package.
func originTotals(p Problem) []float64 {
	weight := map[string]float64{}
	users := map[string]float64{}
	for _, o := range p.Origins {
		weight[o.Group] += o.Weight
	}
	for _, t := range p.Totals {
		users[t.Group] += t.Count
	}
	out := make([]float64, len(p.Origins))
	for i, o := range p.Origins {
		if weight[o.Group] > 0 {
			out[i] = o.Weight * users[o.Group] / weight[o.Group]
		}
	}
	return out
}

func relativeError(got, want float64) float64 {
	if want == 0 {
		return math.Abs(got)
	}
	return math.Abs(got-want) / want
}

func TestEstimateConservation(t *testing.T) {
	// Measured on the returned cells, errors may exceed the tolerance met
	// inside balancing by rounding.
	const roundoff = 1e-13

	base := synthetic{origins: 240, destinations: 45, tilesX: 3, tilesY: 2, halfSideKm: 10, meanWeight: 300, decay: 0.8}
	tests := []struct {
		name      string
		city      synthetic
		decay     float64
		tolerance float64
	}{
		{"decay 0.8", base, 0.8, 0},
		{"no decay", base, 0, 0},
		{"steep decay", base, 6, 0},
		{"unlocated practices", func() synthetic { s := base; s.unlocated = 6; s.seed = 7; return s }(), 1.2, 0},
		{"one district", func() synthetic { s := base; s.tilesX, s.tilesY = 1, 1; s.seed = 3; return s }(), 0.5, 0},
		{"many districts, tight tolerance", func() synthetic { s := base; s.tilesX, s.tilesY = 4, 3; s.seed = 11; return s }(), 0.8, 1e-12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, unallocated := withAwkwardParts(tt.city.problem())
			tolerance := tt.tolerance
			if tolerance == 0 {
				tolerance = DefaultTolerance
			}
			flows, err := Estimate(context.Background(), p, tt.decay, Options{Tolerance: tt.tolerance})
			if err != nil {
				t.Fatal(err)
			}
			if flows.Decay != tt.decay {
				t.Errorf("Decay = %g, want %g", flows.Decay, tt.decay)
			}
			if !slices.Equal(flows.Unallocated, unallocated) {
				t.Errorf("Unallocated = %v, want %v", flows.Unallocated, unallocated)
			}

			groupOf := func(i int) string { return p.Origins[i].Group }
			count := map[GroupTotal]float64{} // keyed by destination and group, Count zero
			for _, g := range p.Totals {
				count[GroupTotal{Destination: g.Destination, Group: g.Group}] = g.Count
			}
			rows := make([]float64, len(p.Origins))
			columns := map[GroupTotal]float64{}
			var total float64
			for k, c := range flows.Cells {
				if !(c.Count > 0) || math.IsInf(c.Count, 0) {
					t.Fatalf("cell %d = %+v: count not positive and finite", k, c)
				}
				if k > 0 {
					prev := flows.Cells[k-1]
					if prev.Origin > c.Origin || prev.Origin == c.Origin && prev.Destination >= c.Destination {
						t.Fatalf("cells %d and %d out of order: %+v, %+v", k-1, k, prev, c)
					}
				}
				key := GroupTotal{Destination: c.Destination, Group: groupOf(c.Origin)}
				if count[key] == 0 {
					t.Fatalf("cell %+v: flow to a destination with no users from district %q", c, key.Group)
				}
				rows[c.Origin] += c.Count
				columns[key] += c.Count
				total += c.Count
			}
			var worst float64
			for i, want := range originTotals(p) {
				if p.Origins[i].Group == "Z" {
					want = 0 // its users are unallocated
				}
				if e := relativeError(rows[i], want); e > tolerance+roundoff {
					t.Errorf("origin %d (%s): row sum %.12g, want O_i = %.12g (relative error %.3g)", i, p.Origins[i].Group, rows[i], want, e)
				}
				if want > 0 {
					worst = max(worst, relativeError(rows[i], want))
				}
			}
			var observed, lost float64
			for _, g := range p.Totals {
				observed += g.Count
				if g.Group == "Z" || g.Group == "OUT" {
					continue
				}
				got := columns[GroupTotal{Destination: g.Destination, Group: g.Group}]
				if e := relativeError(got, g.Count); e > tolerance+roundoff {
					t.Errorf("destination %d, district %s: column sum %.12g, want N_jD = %g (relative error %.3g)", g.Destination, g.Group, got, g.Count, e)
				}
				if g.Count > 0 {
					worst = max(worst, relativeError(got, g.Count))
				}
			}
			for _, g := range flows.Unallocated {
				lost += g.Count
			}
			if e := relativeError(total+lost, observed); e > 1e-12 {
				t.Errorf("cells %.6f + unallocated %.0f = %.6f, want every user: %.0f", total, lost, total+lost, observed)
			}
			if flows.MaxRelativeError > tolerance+roundoff || math.Abs(flows.MaxRelativeError-worst) > 1e-12 {
				t.Errorf("MaxRelativeError = %.3g, measured %.3g, tolerance %.3g", flows.MaxRelativeError, worst, tolerance)
			}
			if flows.Iterations < 1 {
				t.Errorf("Iterations = %d", flows.Iterations)
			}
		})
	}
}

// At zero decay every seed is 1 and the doubly constrained table is the
// independence table T_ij = O_i · N_jD / N_D.
func TestEstimateZeroDecayIsIndependence(t *testing.T) {
	p := synthetic{origins: 60, destinations: 12, tilesX: 2, tilesY: 1, halfSideKm: 6, meanWeight: 200, decay: 1, unlocated: 2, seed: 5}.problem()
	flows, err := Estimate(context.Background(), p, 0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	users := map[string]float64{}
	for _, g := range p.Totals {
		users[g.Group] += g.Count
	}
	count := map[GroupTotal]float64{}
	for _, g := range p.Totals {
		count[GroupTotal{Destination: g.Destination, Group: g.Group}] = g.Count
	}
	origin := originTotals(p)
	for _, c := range flows.Cells {
		d := p.Origins[c.Origin].Group
		want := origin[c.Origin] * count[GroupTotal{Destination: c.Destination, Group: d}] / users[d]
		if relativeError(c.Count, want) > 1e-9 {
			t.Errorf("cell %+v: want %.9g", c, want)
		}
	}
}

// In a 2 × 2 table the doubly constrained solution has the seed's odds ratio:
// T11·T22 / (T12·T21) = f11·f22 / (f12·f21). Solve that quadratic directly.
func TestEstimateTwoByTwo(t *testing.T) {
	o := []orb.Point{{-2.25, 53.47}, {-2.18, 53.44}}
	d := []orb.Point{{-2.24, 53.465}, {-2.15, 53.43}}
	p := Problem{
		Origins: []Origin{
			{ID: "a", Point: o[0], Group: "D", Weight: 3},
			{ID: "b", Point: o[1], Group: "D", Weight: 2},
		},
		Destinations: []Destination{{Point: d[0], Located: true}, {Point: d[1], Located: true}},
		Totals:       []GroupTotal{{Destination: 0, Group: "D", Count: 600}, {Destination: 1, Group: "D", Count: 400}},
	}
	for _, decay := range []float64{0.3, 1, 3} {
		flows, err := Estimate(context.Background(), p, decay, Options{Tolerance: 1e-13})
		if err != nil {
			t.Fatal(err)
		}
		f := func(i, j int) float64 { return math.Exp(-decay * distanceKm(o[i], d[j])) }
		theta := f(0, 0) * f(1, 1) / (f(0, 1) * f(1, 0))
		o1, n1, n2 := 600.0, 600.0, 400.0 // O = 1000·(3, 2)/5
		// With y = T12: T11 = O1 − y, T21 = N1 − O1 + y, T22 = N2 − y, and
		// (1−θ)y² − (O1 + N2 + θ(N1 − O1))y + O1·N2 = 0, solved stably.
		qa, qb, qc := 1-theta, -(o1 + n2 + theta*(n1-o1)), o1*n2
		q := -0.5 * (qb + math.Copysign(math.Sqrt(qb*qb-4*qa*qc), qb))
		y := qc / q
		if y < max(0, o1-n1) || y > min(o1, n2) {
			y = q / qa
		}
		want := []float64{o1 - y, y, n1 - o1 + y, n2 - y}
		if len(flows.Cells) != 4 {
			t.Fatalf("decay %g: %d cells, want 4", decay, len(flows.Cells))
		}
		// Margins are met to 1e-13 of 1,000 users, so small cells are known to
		// about 1e-10 users.
		for k, c := range flows.Cells {
			if math.Abs(c.Count-want[k]) > 1e-9*want[k]+1e-10 {
				t.Errorf("decay %g: cell %+v, want %.9g", decay, c, want[k])
			}
		}
	}
}

func meanDistance(p Problem, flows *Flows) float64 {
	var sum, users float64
	for _, c := range flows.Cells {
		dest := p.Destinations[c.Destination]
		if !dest.Located {
			continue
		}
		sum += c.Count * distanceKm(p.Origins[c.Origin].Point, dest.Point)
		users += c.Count
	}
	return sum / users
}

func TestEstimateTripLengthFallsWithDecay(t *testing.T) {
	for _, city := range []synthetic{
		{origins: 150, destinations: 30, tilesX: 2, tilesY: 2, halfSideKm: 8, meanWeight: 300, decay: 0.8, seed: 21},
		{origins: 300, destinations: 60, tilesX: 4, tilesY: 2, halfSideKm: 15, meanWeight: 100, decay: 0.3, unlocated: 4, seed: 22},
	} {
		p := city.problem()
		previous := math.Inf(1)
		for _, decay := range []float64{0, 0.1, 0.3, 0.8, 1.5, 3, 6} {
			flows, err := Estimate(context.Background(), p, decay, Options{})
			if err != nil {
				t.Fatal(err)
			}
			mean := meanDistance(p, flows)
			t.Logf("seed %d decay %.1f: mean trip %.4f km", city.seed, decay, mean)
			if !(mean < previous) {
				t.Errorf("seed %d decay %g: mean trip %.6f km, not shorter than %.6f km at the smaller decay", city.seed, decay, mean, previous)
			}
			previous = mean
		}
	}
}

// Unlocated destinations get the same seed wherever their point says they
// are, and at zero decay behave exactly like located ones.
func TestEstimateUnlocatedSeed(t *testing.T) {
	p := smallProblem()
	ctx := context.Background()
	want, err := Estimate(ctx, p, 1.5, Options{})
	if err != nil {
		t.Fatal(err)
	}
	p.Destinations[2].Point = orb.Point{-2.13, 53.43}
	got, err := Estimate(ctx, p, 1.5, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Cells, want.Cells) {
		t.Errorf("the point of an unlocated destination changed the flows")
	}
	p.Destinations[2].Located = true
	located, err := Estimate(ctx, p, 1.5, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(located.Cells, want.Cells) {
		t.Errorf("locating destination 2 did not change the flows at decay 1.5")
	}
	zeroLocated, _ := Estimate(ctx, p, 0, Options{})
	p.Destinations[2].Located = false
	zeroUnlocated, _ := Estimate(ctx, p, 0, Options{})
	if !slices.Equal(zeroLocated.Cells, zeroUnlocated.Cells) {
		t.Errorf("at zero decay an unlocated destination differs from a located one")
	}
	if len(want.Unallocated) != 1 || want.Unallocated[0] != p.Totals[5] {
		t.Errorf("Unallocated = %v, want the district C total %v", want.Unallocated, p.Totals[5])
	}
}

func TestEstimateNotConverged(t *testing.T) {
	p := synthetic{origins: 200, destinations: 40, tilesX: 2, tilesY: 2, halfSideKm: 10, meanWeight: 300, decay: 0.8, seed: 9}.problem()
	flows, err := Estimate(context.Background(), p, 2, Options{MaxIterations: 2})
	if !errors.Is(err, ErrNotConverged) {
		t.Fatalf("error = %v, want ErrNotConverged", err)
	}
	if flows == nil || flows.MaxRelativeError <= DefaultTolerance || flows.Iterations != 2 {
		t.Fatalf("flows = %+v, want the unconverged flows with their error after 2 iterations", flows)
	}
}

func TestEstimateCancelled(t *testing.T) {
	p := synthetic{origins: 100, destinations: 20, tilesX: 2, tilesY: 1, halfSideKm: 5, meanWeight: 100, decay: 0.8, seed: 4}.problem()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	flows, err := Estimate(ctx, p, 1, Options{})
	if !errors.Is(err, context.Canceled) || flows != nil {
		t.Fatalf("Estimate = %v, %v; want nil, context.Canceled", flows, err)
	}
}

func TestEstimateWorkersDoNotChangeResult(t *testing.T) {
	p := synthetic{origins: 300, destinations: 50, tilesX: 3, tilesY: 3, halfSideKm: 12, meanWeight: 200, decay: 0.8, seed: 13}.problem()
	one, err := Estimate(context.Background(), p, 0.9, Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	four, err := Estimate(context.Background(), p, 0.9, Options{Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one.Cells, four.Cells) || one.MaxRelativeError != four.MaxRelativeError {
		t.Errorf("1 and 4 workers gave different flows")
	}
}

// Margins can force flows that the seeds make all but impossible (here 900
// users must travel 260 km at 10 per km, exp(−2600)): the bounded seeds keep
// the table balanced instead of failing.
func TestEstimateExtremeSpread(t *testing.T) {
	manchester, london := orb.Point{-2.24, 53.48}, orb.Point{-0.13, 51.51}
	p := Problem{
		Origins: []Origin{
			{ID: "M", Point: manchester, Group: "D", Weight: 1900},
			{ID: "L", Point: london, Group: "D", Weight: 100},
		},
		Destinations: []Destination{{ID: "PM", Point: manchester, Located: true}, {ID: "PL", Point: london, Located: true}},
		Totals:       []GroupTotal{{Destination: 0, Group: "D", Count: 1000}, {Destination: 1, Group: "D", Count: 1000}},
	}
	for _, decay := range []float64{1, 10} {
		flows, err := Estimate(context.Background(), p, decay, Options{})
		if err != nil {
			t.Fatalf("decay %g: %v", decay, err)
		}
		if flows.MaxRelativeError > 1e-9 {
			t.Errorf("decay %g: MaxRelativeError = %g", decay, flows.MaxRelativeError)
		}
		for _, c := range flows.Cells {
			if c.Origin == 1 && c.Destination == 1 && relativeError(c.Count, 100) > 1e-9 {
				t.Errorf("decay %g: London to London %g, want all 100 of London's users", decay, c.Count)
			}
		}
	}
}
