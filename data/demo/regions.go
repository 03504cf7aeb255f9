package demo

import (
	"container/heap"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
)

// growRegions assigns each cell in cells to one of the seeds by the cheapest
// path over edge-adjacent cells, entering a cell costing cost[c] (a noisy,
// multi-source Dijkstra). Every region is contiguous — each cell is reached
// from a cell of its own region — and its shape follows the noise rather
// than a straight Voronoi edge. label must be -1 on entry for every cell of
// cells; regions are numbered first+k for seed k.
func (l *lattice) growRegions(cells, seeds []int, cost []float64, label []int32, first int32) error {
	inZone := make(map[int]bool, len(cells))
	for _, c := range cells {
		inZone[c] = true
	}
	dist := make(map[int]float64, len(cells))
	q := &cellQueue{}
	for k, c := range seeds {
		dist[c] = 0
		heap.Push(q, queued{cell: c, region: first + int32(k)})
	}
	done := 0
	for q.Len() > 0 {
		e := heap.Pop(q).(queued)
		if label[e.cell] >= 0 {
			continue
		}
		label[e.cell] = e.region
		done++
		for s := range 4 {
			n := l.neighbour(e.cell, s)
			if n < 0 || !inZone[n] || label[n] >= 0 {
				continue
			}
			d := e.dist + cost[n]
			if old, ok := dist[n]; ok && old <= d {
				continue
			}
			dist[n] = d
			heap.Push(q, queued{dist: d, cell: n, region: e.region})
		}
	}
	if done != len(cells) {
		return fmt.Errorf("grow regions: %d of %d cells unreachable from the seeds", len(cells)-done, len(cells))
	}
	return nil
}

type queued struct {
	dist   float64
	cell   int
	region int32
}

// cellQueue is a min-heap on (dist, cell, region): ties are broken by index
// so the result does not depend on heap internals.
type cellQueue []queued

func (q cellQueue) Len() int { return len(q) }
func (q cellQueue) Less(i, j int) bool {
	if q[i].dist != q[j].dist {
		return q[i].dist < q[j].dist
	}
	if q[i].cell != q[j].cell {
		return q[i].cell < q[j].cell
	}
	return q[i].region < q[j].region
}
func (q cellQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *cellQueue) Push(x any)   { *q = append(*q, x.(queued)) }
func (q *cellQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// placeSeeds picks n distinct cells of cells by dart throwing: a candidate is
// drawn with probability ∝ 1/size(c) and kept when it is at least
// spacing×√size(c) metres from every seed kept so far. size is the relative
// area an LSOA should have around c; spacing starts generous and shrinks
// whenever darts keep missing, so exactly n seeds are placed.
func (l *lattice) placeSeeds(rng *rand.Rand, cells []int, n int, size func(c int) float64) ([]int, error) {
	if n > len(cells) {
		return nil, fmt.Errorf("place seeds: %d seeds for %d cells", n, len(cells))
	}
	cumulative := make([]float64, len(cells))
	var total float64
	for i, c := range cells {
		total += 1 / size(c)
		cumulative[i] = total
	}
	// Start from the spacing of a hexagonal packing of n seeds.
	var zoneCells float64
	for _, c := range cells {
		zoneCells += size(c)
	}
	spacing := 1.2 * math.Sqrt(float64(len(cells))/float64(n)) * l.cell / math.Sqrt(zoneCells/float64(len(cells)))
	seeds := make([]int, 0, n)
	taken := make(map[int]bool, n)
	misses := 0
	for len(seeds) < n {
		i := sort.SearchFloat64s(cumulative, rng.Float64()*total)
		c := cells[min(i, len(cells)-1)]
		ok := !taken[c]
		for _, s := range seeds {
			if !ok {
				break
			}
			ok = l.centre[c].dist(l.centre[s]) >= spacing*math.Sqrt(size(c))
		}
		if !ok {
			if misses++; misses > 400 {
				spacing *= 0.95
				misses = 0
			}
			continue
		}
		seeds = append(seeds, c)
		taken[c] = true
		misses = 0
	}
	return seeds, nil
}

// components returns the edge-connected components of the cells for which
// in is true, largest first (ties by lowest cell).
func (l *lattice) components(in []bool) [][]int {
	seen := make([]bool, l.cells())
	var out [][]int
	for c := range l.cells() {
		if !in[c] || seen[c] {
			continue
		}
		comp := []int{c}
		seen[c] = true
		for k := 0; k < len(comp); k++ {
			for s := range 4 {
				n := l.neighbour(comp[k], s)
				if n >= 0 && in[n] && !seen[n] {
					seen[n] = true
					comp = append(comp, n)
				}
			}
		}
		sort.Ints(comp)
		out = append(out, comp)
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

var errGrouping = errors.New("cannot group areas")

// groupContiguous partitions the nodes of a connected graph (adjacency
// lists, positions) into k contiguous groups of minSize..maxSize nodes:
// seeds spread by farthest-point sampling and a few Lloyd steps, groups
// grown in turn (the smallest group takes its free neighbour nearest its
// centre), then nodes moved across group borders until every size is in
// range. A failed attempt is retried from other seeds.
func groupContiguous(rng *rand.Rand, pos []xy, adj [][]int, k, minSize, maxSize int) ([]int, error) {
	n := len(pos)
	if k <= 0 || k*minSize > n || k*maxSize < n {
		return nil, fmt.Errorf("%w: %d areas cannot form %d groups of %d-%d", errGrouping, n, k, minSize, maxSize)
	}
	for range 25 {
		centres := spreadCentres(rng, pos, k)
		group, ok := growGroups(pos, adj, centres)
		if ok && rebalance(group, pos, adj, centres, minSize, maxSize) {
			return group, nil
		}
	}
	return nil, fmt.Errorf("%w: no contiguous split of %d areas into %d groups of %d-%d", errGrouping, n, k, minSize, maxSize)
}

// spreadCentres places k centres over the nodes: farthest-point sampling from
// a random node, then Lloyd iterations (k-means on node positions).
func spreadCentres(rng *rand.Rand, pos []xy, k int) []xy {
	n := len(pos)
	first := rng.IntN(n)
	centres := []xy{pos[first]}
	nearest := make([]float64, n)
	for i := range pos {
		nearest[i] = pos[i].dist(pos[first])
	}
	for len(centres) < k {
		far := 0
		for i := range pos {
			if nearest[i] > nearest[far] {
				far = i
			}
		}
		centres = append(centres, pos[far])
		for i := range pos {
			nearest[i] = math.Min(nearest[i], pos[i].dist(pos[far]))
		}
	}
	for range 8 {
		sum := make([]xy, k)
		count := make([]int, k)
		for _, p := range pos {
			g := nearestCentre(centres, p)
			sum[g].x += p.x
			sum[g].y += p.y
			count[g]++
		}
		for g := range centres {
			if count[g] > 0 {
				centres[g] = xy{sum[g].x / float64(count[g]), sum[g].y / float64(count[g])}
			}
		}
	}
	return centres
}

func nearestCentre(centres []xy, p xy) int {
	best := 0
	for g := range centres {
		if p.dist(centres[g]) < p.dist(centres[best]) {
			best = g
		}
	}
	return best
}

// growGroups seeds each group with the free node nearest its centre, then
// repeatedly lets the smallest group that can grow take its free neighbour
// nearest its centre.
func growGroups(pos []xy, adj [][]int, centres []xy) ([]int, bool) {
	n, k := len(pos), len(centres)
	group := make([]int, n)
	for i := range group {
		group[i] = -1
	}
	members := make([][]int, k)
	for g, c := range centres {
		best := -1
		for i, p := range pos {
			if group[i] < 0 && (best < 0 || p.dist(c) < pos[best].dist(c)) {
				best = i
			}
		}
		group[best] = g
		members[g] = []int{best}
	}
	for assigned := k; assigned < n; assigned++ {
		bestGroup, bestNode := -1, -1
		for g := range k {
			if bestGroup >= 0 && len(members[g]) >= len(members[bestGroup]) {
				continue
			}
			node := -1
			for _, m := range members[g] {
				for _, x := range adj[m] {
					if group[x] < 0 && (node < 0 || pos[x].dist(centres[g]) < pos[node].dist(centres[g])) {
						node = x
					}
				}
			}
			if node >= 0 {
				bestGroup, bestNode = g, node
			}
		}
		if bestGroup < 0 {
			return nil, false // the graph is not connected
		}
		group[bestNode] = bestGroup
		members[bestGroup] = append(members[bestGroup], bestNode)
	}
	return group, true
}

// rebalance moves border nodes between neighbouring groups, keeping every
// group contiguous, until all sizes are within minSize..maxSize. It reports
// whether it succeeded.
func rebalance(group []int, pos []xy, adj [][]int, centres []xy, minSize, maxSize int) bool {
	k := len(centres)
	size := make([]int, k)
	for _, g := range group {
		size[g]++
	}
	for range 10 * len(group) {
		small, large := -1, -1
		for g := range k {
			if size[g] < minSize && (small < 0 || size[g] < size[small]) {
				small = g
			}
			if size[g] > maxSize && (large < 0 || size[g] > size[large]) {
				large = g
			}
		}
		var node, to int
		switch {
		case small >= 0:
			// Take a border node from the largest neighbouring group that can spare one.
			node, to = -1, small
			for x, h := range group {
				if h == small || size[h] <= minSize || !touches(adj, group, x, small) || !contiguousWithout(adj, group, x) {
					continue
				}
				if node < 0 || size[h] > size[group[node]] ||
					size[h] == size[group[node]] && pos[x].dist(centres[small]) < pos[node].dist(centres[small]) {
					node = x
				}
			}
		case large >= 0:
			// Give a border node to the smallest neighbouring group with room.
			node, to = -1, -1
			for x, h := range group {
				if h != large || !contiguousWithout(adj, group, x) {
					continue
				}
				for _, y := range adj[x] {
					g := group[y]
					if g == large || size[g] >= maxSize {
						continue
					}
					if node < 0 || size[g] < size[to] || size[g] == size[to] && pos[x].dist(centres[g]) < pos[node].dist(centres[to]) {
						node, to = x, g
					}
				}
			}
		default:
			return true
		}
		if node < 0 {
			return false
		}
		size[group[node]]--
		size[to]++
		group[node] = to
	}
	return false
}

func touches(adj [][]int, group []int, x, g int) bool {
	for _, y := range adj[x] {
		if group[y] == g {
			return true
		}
	}
	return false
}

// contiguousWithout reports whether x's group stays connected (and
// non-empty) without x.
func contiguousWithout(adj [][]int, group []int, x int) bool {
	g := group[x]
	var start = -1
	count := 0
	for i, h := range group {
		if h == g && i != x {
			count++
			if start < 0 {
				start = i
			}
		}
	}
	if count == 0 {
		return false
	}
	seen := map[int]bool{start: true}
	queue := []int{start}
	for len(queue) > 0 {
		a := queue[0]
		queue = queue[1:]
		for _, b := range adj[a] {
			if b != x && group[b] == g && !seen[b] {
				seen[b] = true
				queue = append(queue, b)
			}
		}
	}
	return len(seen) == count
}
