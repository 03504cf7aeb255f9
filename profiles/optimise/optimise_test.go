package optimise

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// gridCity is cols × rows square wards with rook adjacency and random
// figures: residents, flows mostly to the own and neighbouring wards,
// two trusts split west/east, and a PCN per column pair. holes drops
// wards (lakes), which makes adjacency irregular.
func gridCity(cols, rows int, seed uint64, holes int) *City {
	rng := rand.New(rand.NewPCG(seed, 7))
	c := &City{Trusts: []string{"west", "east"}}
	index := map[[2]int]int{}
	dropped := map[[2]int]bool{}
	for len(dropped) < holes {
		dropped[[2]int{rng.IntN(cols), rng.IntN(rows)}] = true
	}
	npcn := (cols + 1) / 2
	for i := 0; i < npcn; i++ {
		c.PCNs = append(c.PCNs, fmt.Sprintf("pcn%d", i))
	}
	c.OutsidePCNPractices = make([]int, npcn)
	c.OutsidePCNPractices[0] = 1 // a PCN with a practice over the city boundary
	for y := 0; y < rows; y++ {
		for x := 0; x < cols; x++ {
			if dropped[[2]int{x, y}] {
				continue
			}
			index[[2]int{x, y}] = len(c.Wards)
			res := 8000 + float64(rng.IntN(12000))
			west := float64(cols-x) / float64(cols)
			w := Ward{Code: fmt.Sprintf("W%02d%02d", x, y), Name: fmt.Sprintf("Ward %d,%d", x, y), Resident: res,
				Catchment: []float64{res * west, res * (1 - west)}, PCNPractices: make([]int, npcn)}
			if rng.IntN(3) > 0 {
				w.PCNPractices[x/2] = 1 + rng.IntN(2)
			}
			c.Wards = append(c.Wards, w)
		}
	}
	c.Neighbours = make([][]int, len(c.Wards))
	for xy, i := range index {
		for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
			if j, ok := index[[2]int{xy[0] + d[0], xy[1] + d[1]}]; ok {
				c.Neighbours[i] = append(c.Neighbours[i], j)
			}
		}
		slices.Sort(c.Neighbours[i])
	}
	for xy, i := range index {
		res := c.Wards[i].Resident
		own := res * (0.3 + 0.4*rng.Float64())
		c.Flows = append(c.Flows, Flow{From: i, To: i, Patients: own})
		total := own
		for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {2, 0}, {1, 1}} {
			if j, ok := index[[2]int{xy[0] + d[0], xy[1] + d[1]}]; ok {
				v := res * 0.1 * rng.Float64()
				c.Flows = append(c.Flows, Flow{From: i, To: j, Patients: v})
				total += v
			}
		}
		c.Wards[i].ResidentsRegistered = total + res*0.05*rng.Float64() // some registered outside the city
	}
	slices.SortFunc(c.Flows, func(a, b Flow) int {
		if a.From != b.From {
			return a.From - b.From
		}
		return a.To - b.To
	})
	return c
}

// growPlan makes k contiguous teams by growing them from random wards
// (breadth first, one ward per team in turn), in localities of teamsPerLoc.
func growPlan(c *City, k, teamsPerLoc int, seed uint64) *Plan {
	rng := rand.New(rand.NewPCG(seed, 11))
	n := len(c.Wards)
	team := make([]int, n)
	for i := range team {
		team[i] = -1
	}
	// Only wards reachable from the first seed: holes may cut the grid.
	var seeds []int
	for len(seeds) < k {
		w := rng.IntN(n)
		if team[w] == -1 {
			team[w] = len(seeds)
			seeds = append(seeds, w)
		}
	}
	frontier := make([][]int, k)
	for t, w := range seeds {
		frontier[t] = []int{w}
	}
	for progress := true; progress; {
		progress = false
		for t := 0; t < k; t++ {
			for len(frontier[t]) > 0 {
				w := frontier[t][0]
				var free []int
				for _, x := range c.Neighbours[w] {
					if team[x] == -1 {
						free = append(free, x)
					}
				}
				if len(free) == 0 {
					frontier[t] = frontier[t][1:]
					continue
				}
				x := free[rng.IntN(len(free))]
				team[x] = t
				frontier[t] = append(frontier[t], x)
				progress = true
				break
			}
		}
	}
	for w := range team {
		if team[w] == -1 { // cut off by holes: joins team 0 (a second piece)
			team[w] = 0
		}
	}
	return planOf(team, k, teamsPerLoc)
}

func planOf(team []int, k, teamsPerLoc int) *Plan {
	p := &Plan{}
	for t := 0; t < k; t++ {
		p.Teams = append(p.Teams, Team{ID: fmt.Sprintf("T%d", t), Locality: fmt.Sprintf("L%d", t/teamsPerLoc)})
	}
	for w, t := range team {
		p.Teams[t].Wards = append(p.Teams[t].Wards, w)
	}
	return p
}

// Independent figures, straight from the definitions.

func localShares(c *City, team []int, k int) []float64 {
	local := make([]float64, k)
	regd := make([]float64, k)
	for w, x := range c.Wards {
		regd[team[w]] += x.ResidentsRegistered
	}
	for _, f := range c.Flows {
		if team[f.From] == team[f.To] {
			local[team[f.From]] += f.Patients
		}
	}
	out := make([]float64, k)
	for t := range out {
		out[t] = local[t] / regd[t]
	}
	return out
}

func minLocal(c *City, team []int, k int) float64 {
	return slices.Min(localShares(c, team, k))
}

func coherence(c *City, team []int, k int) float64 {
	catch := make([][]float64, k)
	for t := range catch {
		catch[t] = make([]float64, len(c.Trusts))
	}
	total := 0.0
	for w, x := range c.Wards {
		for j, v := range x.Catchment {
			catch[team[w]][j] += v
		}
		total += x.Resident
	}
	sum := 0.0
	for _, row := range catch {
		sum += slices.Max(row)
	}
	return sum / total
}

func components(c *City, wards []int) int {
	in := map[int]bool{}
	for _, w := range wards {
		in[w] = true
	}
	seen := map[int]bool{}
	pieces := 0
	for _, w := range wards {
		if seen[w] {
			continue
		}
		pieces++
		stack := []int{w}
		seen[w] = true
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, y := range c.Neighbours[x] {
				if in[y] && !seen[y] {
					seen[y] = true
					stack = append(stack, y)
				}
			}
		}
	}
	return pieces
}

func deviations(c *City, team []int, k int) []float64 {
	res := make([]float64, k)
	total := 0.0
	for w, x := range c.Wards {
		res[team[w]] += x.Resident
		total += x.Resident
	}
	for t := range res {
		res[t] = (res[t] - total/float64(k)) / (total / float64(k))
	}
	return res
}

func excessOf(c *City, team []int, k int, tol float64) float64 {
	e := 0.0
	for _, d := range deviations(c, team, k) {
		e += math.Max(0, math.Abs(d)-tol)
	}
	return e
}

func teamsOf(p *Plan, n int) []int {
	team := make([]int, n)
	for t, tm := range p.Teams {
		for _, w := range tm.Wards {
			team[w] = t
		}
	}
	return team
}

// violation checks an option against the constraints, independently of
// the package: every team non-empty, no team in more pieces than at the
// start (at least one), no locality either, resident deviations within
// the tolerance or the start's largest, frozen wards and (when
// frozen) localities unchanged.
func violation(c *City, start *Plan, opts Options, team []int) string {
	k := len(start.Teams)
	st := teamsOf(start, len(c.Wards))
	tol := opts.Tolerance
	if tol == 0 {
		tol = DefaultTolerance
	}
	if tol < 0 {
		tol = math.Inf(1)
	}
	d0, d1 := deviations(c, st, k), deviations(c, team, k)
	locOf := func(team []int, l string) []int {
		var ws []int
		for w, t := range team {
			if start.Teams[t].Locality == l {
				ws = append(ws, w)
			}
		}
		return ws
	}
	for t := 0; t < k; t++ {
		var before, after []int
		for w := range team {
			if st[w] == t {
				before = append(before, w)
			}
			if team[w] == t {
				after = append(after, w)
			}
		}
		if len(after) == 0 {
			return fmt.Sprintf("team %d empty", t)
		}
		if p := components(c, after); p > max(1, components(c, before)) {
			return fmt.Sprintf("team %d in %d pieces, %d at the start", t, p, components(c, before))
		}
		worst := 0.0
		for _, d := range d0 {
			worst = math.Max(worst, math.Abs(d))
		}
		if math.Abs(d1[t]) > math.Max(tol, worst)+1e-9 {
			return fmt.Sprintf("team %d deviation %.4f, the start's worst %.4f", t, d1[t], worst)
		}
	}
	for _, tm := range start.Teams {
		l := tm.Locality
		if p, p0 := components(c, locOf(team, l)), components(c, locOf(st, l)); p > max(1, p0) {
			return fmt.Sprintf("locality %s in %d pieces, %d at the start", l, p, p0)
		}
	}
	for _, w := range opts.Frozen {
		if team[w] != st[w] {
			return fmt.Sprintf("frozen ward %d moved", w)
		}
	}
	if !opts.FreeLocalities {
		for w := range team {
			if start.Teams[team[w]].Locality != start.Teams[st[w]].Locality {
				return fmt.Sprintf("ward %d changed locality", w)
			}
		}
	}
	return ""
}

// TestIncrementalMatchesScratch: after many random moves the running
// aggregates equal those of a state built from scratch.
func TestIncrementalMatchesScratch(t *testing.T) {
	c := gridCity(8, 6, 1, 3)
	start := growPlan(c, 6, 3, 2)
	opts := Options{Objective: Objective{MinLocal: 1, Local: 1, Catchment: 1, Balance: 1, PCN: 1}}
	p, err := newProblem(c, start, &opts)
	if err != nil {
		t.Fatal(err)
	}
	st := newState(p, p.startTeam)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 5000; i++ {
		w := rng.IntN(p.n)
		to := int32(rng.IntN(p.k))
		if len(st.members[st.team[w]]) == 1 {
			continue
		}
		st.move(w, to)
	}
	fresh := newState(p, st.team)
	for tm := 0; tm < p.k; tm++ {
		for _, pair := range [][2]float64{{st.local[tm], fresh.local[tm]}, {st.res[tm], fresh.res[tm]}, {st.regd[tm], fresh.regd[tm]}} {
			if math.Abs(pair[0]-pair[1]) > 1e-6 {
				t.Fatalf("team %d: incremental %v, from scratch %v", tm, pair[0], pair[1])
			}
		}
	}
	if st.splits != fresh.splits {
		t.Errorf("splits %d, from scratch %d", st.splits, fresh.splits)
	}
	if math.Abs(st.score()-fresh.score()) > 1e-9 || math.Abs(st.value()-fresh.value()) > 1e-9 {
		t.Errorf("score %v/%v, from scratch %v/%v", st.score(), st.value(), fresh.score(), fresh.value())
	}
	team := make([]int, p.n)
	for w, x := range st.team {
		team[w] = int(x)
	}
	if got, want := st.minShare(), minLocal(c, team, p.k); math.Abs(got-want) > 1e-9 {
		t.Errorf("min share %v, by definition %v", got, want)
	}
	if got, want := st.sumBest/p.totalResident, coherence(c, team, p.k); math.Abs(got-want) > 1e-9 {
		t.Errorf("coherence %v, by definition %v", got, want)
	}
}

// TestExhaustiveOptimum: on 10 wards and 3 teams the search finds the
// best plan found by trying every assignment.
func TestExhaustiveOptimum(t *testing.T) {
	for _, tc := range []struct {
		objective Objective
		value     func(c *City, team []int, k int) float64
	}{
		{Objective{MinLocal: 1}, minLocal},
		{Objective{Catchment: 1}, coherence},
		{Objective{MinLocal: 1, Catchment: 0.5}, func(c *City, team []int, k int) float64 {
			return minLocal(c, team, k) + 0.5*coherence(c, team, k)
		}},
	} {
		t.Run(tc.objective.String(), func(t *testing.T) {
			for seed := uint64(1); seed <= 10; seed++ {
				c := gridCity(5, 2, seed, 0)
				start := growPlan(c, 3, 3, seed)
				opts := Options{Objective: tc.objective, Seed: seed, Moves: 60_000, Tolerance: 0.35}
				// Exhaustive: every assignment of 10 wards to 3 teams.
				n, k := len(c.Wards), 3
				team := make([]int, n)
				// Ranked as the search ranks: plans within the tolerance
				// first, then the objective.
				best, bestExcess, feasibleCount := math.Inf(-1), math.Inf(1), 0
				for code := 0; code < int(math.Pow(3, float64(n))); code++ {
					x := code
					for w := range team {
						team[w], x = x%3, x/3
					}
					if violation(c, start, opts, team) != "" {
						continue
					}
					feasibleCount++
					e, v := excessOf(c, team, k, opts.Tolerance), tc.value(c, team, k)
					if (e <= 1e-9 && bestExcess > 1e-9) || ((e <= 1e-9) == (bestExcess <= 1e-9) && v > best) {
						best, bestExcess = v, e
					}
				}
				res, err := Run(context.Background(), c, start, opts)
				if err != nil {
					t.Fatal(err)
				}
				startValue := tc.value(c, teamsOf(start, n), k)
				if len(res.Options) == 0 {
					if best > startValue+1e-9 {
						t.Fatalf("seed %d: no option, exhaustive best %.6f > start %.6f", seed, best, startValue)
					}
					continue
				}
				got := tc.value(c, res.Options[0].Team, k)
				// The start is never an option: when it is the optimum, the
				// result says nothing better was found.
				if e0 := excessOf(c, teamsOf(start, n), k, opts.Tolerance); (e0 <= 1e-9) == (bestExcess <= 1e-9) && math.Abs(startValue-best) <= 1e-9 {
					if res.Improved {
						t.Errorf("seed %d: the start is optimal but the result says improved", seed)
					}
					continue
				}
				if !res.Improved {
					t.Errorf("seed %d: not improved, though the start is not optimal", seed)
				}
				if e := excessOf(c, res.Options[0].Team, k, opts.Tolerance); (e <= 1e-9) != (bestExcess <= 1e-9) {
					t.Errorf("seed %d: found a plan %.4f beyond the tolerance, exhaustive best %.4f", seed, e, bestExcess)
				}
				if math.Abs(got-best) > 1e-9 {
					t.Errorf("seed %d: found %.6f, exhaustive optimum %.6f over %d feasible plans (start %.6f)", seed, got, best, feasibleCount, startValue)
				}
				if math.Abs(res.Options[0].Score.Value-got) > 1e-9 {
					t.Errorf("seed %d: reported %.6f, by definition %.6f", seed, res.Options[0].Score.Value, got)
				}
			}
		})
	}
}

// TestNeverBreaksAConstraint: over many seeds, cities, objectives and
// constraints, no option breaks one (checked independently).
func TestNeverBreaksAConstraint(t *testing.T) {
	objectives := []Objective{{MinLocal: 1}, {Local: 1}, {Catchment: 1}, {Balance: 1}, {PCN: 1}, {MinLocal: 1, Catchment: 1, PCN: 0.5}}
	for seed := uint64(1); seed <= 24; seed++ {
		c := gridCity(7+int(seed%3), 5, seed, int(seed%4))
		start := growPlan(c, 6, 2+int(seed%2), seed*3)
		opts := Options{Objective: objectives[seed%uint64(len(objectives))], Seed: seed, Moves: 20_000, Top: 3,
			FreeLocalities: seed%2 == 0, Tolerance: []float64{0.1, 0.25, -1}[seed%3]}
		if seed%4 == 1 {
			opts.Frozen = []int{0, 5, 9}
		}
		res, err := Run(context.Background(), c, start, opts)
		if err != nil {
			t.Fatal(err)
		}
		for i, o := range res.Options {
			if v := violation(c, start, opts, o.Team); v != "" {
				t.Errorf("seed %d option %d (%s): %s", seed, i, opts.Objective, v)
			}
			if ok, why, err := Feasible(c, start, opts, o.Team); err != nil || !ok {
				t.Errorf("seed %d option %d: Feasible says %v %q %v", seed, i, ok, why, err)
			}
			for j := range res.Options[:i] {
				if slices.Equal(res.Options[j].Team, o.Team) {
					t.Errorf("seed %d: options %d and %d are the same plan", seed, j, i)
				}
			}
		}
		// The constraint checker can fail: a plan that empties a team.
		bad := teamsOf(start, len(c.Wards))
		for w := range bad {
			if bad[w] == 1 {
				bad[w] = 0
			}
		}
		if violation(c, start, opts, bad) == "" {
			t.Fatalf("seed %d: emptying a team passes the independent check", seed)
		}
		if ok, _, _ := Feasible(c, start, opts, bad); ok {
			t.Fatalf("seed %d: emptying a team passes Feasible", seed)
		}
	}
}

// TestSameSeedSameResult: two runs with one seed agree; another seed may
// differ but is just as valid.
func TestSameSeedSameResult(t *testing.T) {
	c := gridCity(9, 6, 5, 2)
	start := growPlan(c, 8, 4, 5)
	opts := Options{Objective: Objective{MinLocal: 1}, Seed: 42, Moves: 50_000}
	a, err := Run(context.Background(), c, start, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(context.Background(), c, start, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Options) == 0 || len(a.Options) != len(b.Options) {
		t.Fatalf("options %d and %d", len(a.Options), len(b.Options))
	}
	for i := range a.Options {
		if !slices.Equal(a.Options[i].Team, b.Options[i].Team) || a.Options[i].Score.Value != b.Options[i].Score.Value {
			t.Errorf("option %d differs between runs with one seed", i)
		}
	}
	if a.MovesTried != opts.Moves || b.MovesTried != opts.Moves {
		t.Errorf("moves tried %d and %d, budget %d", a.MovesTried, b.MovesTried, opts.Moves)
	}
	// With no tolerance the objective alone ranks options.
	opts.Tolerance = -1
	a, err = Run(context.Background(), c, start, opts)
	if err != nil {
		t.Fatal(err)
	}
	if a.Options[0].Score.Value <= a.Start.Value {
		t.Errorf("best %.4f not above the start %.4f", a.Options[0].Score.Value, a.Start.Value)
	}
}

// TestTimeAndCancel: a time ceiling and a cancelled context stop a run
// with a huge budget promptly.
func TestTimeAndCancel(t *testing.T) {
	c := gridCity(12, 10, 9, 0)
	start := growPlan(c, 12, 4, 9)
	opts := Options{Objective: Objective{MinLocal: 1}, Seed: 1, Moves: 1 << 40, Time: 150 * time.Millisecond}
	began := time.Now()
	res, err := Run(context.Background(), c, start, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stopped != "time" || time.Since(began) > 3*time.Second {
		t.Errorf("stopped %q after %v", res.Stopped, time.Since(began))
	}
	if res.MovesTried == 0 || res.MovesTried >= opts.Moves {
		t.Errorf("moves tried %d", res.MovesTried)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var progress []Progress
	opts.Time = 0
	opts.ProgressEvery = 20 * time.Millisecond
	opts.Progress = func(p Progress) { progress = append(progress, p) }
	time.AfterFunc(150*time.Millisecond, cancel)
	began = time.Now()
	res, err = Run(ctx, c, start, opts)
	if !errors.Is(err, context.Canceled) || res == nil || res.Stopped != "cancelled" {
		t.Fatalf("cancelled run: %v, %+v", err, res)
	}
	if time.Since(began) > 3*time.Second {
		t.Errorf("cancel took %v", time.Since(began))
	}
	if len(progress) < 2 || progress[len(progress)-1].MovesTried < progress[0].MovesTried || progress[len(progress)-1].Best == nil {
		t.Errorf("progress %+v", progress)
	}
}

// TestExplainedMoves: the steps turn the start into the option and say
// what they do in words.
func TestExplainedMoves(t *testing.T) {
	c := gridCity(8, 5, 3, 0)
	start := growPlan(c, 6, 3, 3)
	res, err := Run(context.Background(), c, start, Options{Objective: Objective{MinLocal: 1}, Seed: 3, Moves: 40_000})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Options) == 0 {
		t.Fatal("no option")
	}
	o := res.Options[0]
	team := teamsOf(start, len(c.Wards))
	for _, s := range o.Moves {
		var w int
		for i, x := range c.Wards {
			if x.Code == s.Ward {
				w = i
			}
		}
		if start.Teams[team[w]].ID != s.From {
			t.Errorf("step %q: ward is in %s", s.Text, start.Teams[team[w]].ID)
		}
		for ti, tm := range start.Teams {
			if tm.ID == s.To {
				team[w] = ti
			}
		}
		if !strings.HasPrefix(s.Text, "move "+s.WardName+" from "+s.From+" to "+s.To+": local registration ") {
			t.Errorf("text %q", s.Text)
		}
	}
	if !slices.Equal(team, o.Team) {
		t.Errorf("steps do not make the option")
	}
	if last := o.Moves[len(o.Moves)-1]; math.Abs(last.ValueAfter-o.Score.Value) > 1e-9 {
		t.Errorf("last step ends at %.6f, option %.6f", last.ValueAfter, o.Score.Value)
	}
}

func TestParseObjective(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
	}{
		{"min_local", "min_local", ""},
		{"min_local=1, catchment=0.5", "min_local=1,catchment=0.5", ""},
		{"catchment=2", "catchment=2", ""},
		{"nonsense", "", "unknown term"},
		{"local=-1", "", "not a number"},
		{"local=NaN", "", "not a number"},
		{"local=0", "", "no term with a positive weight"},
		{"local,local", "", "given twice"},
		{"", "", "no term"},
	} {
		o, err := ParseObjective(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || o.String() != tc.want {
			t.Errorf("%q: %v %v, want %q", tc.in, o, err, tc.want)
		}
	}
}
