package siting

import (
	"cmp"
	"slices"
)

// kdTree indexes candidates by their unit vectors for nearest-neighbour
// queries. On the unit sphere the chord length is a monotone function of the
// great-circle distance, so the nearest by chord are the nearest by distance.
type kdTree struct {
	entries []kdEntry
	nodes   []kdNode
}

type kdEntry struct {
	p  [3]float64
	id int32
}

type kdNode struct {
	lo, hi      int32 // entries[lo:hi]
	left, right int32 // children, −1 for a leaf
	min, max    [3]float64
}

const kdLeafSize = 8

// newKDTree builds a tree over the candidates ids, whose unit vectors are
// unit(id). Building costs O(m log² m).
func newKDTree(ids []int32, unit func(int32) [3]float64) *kdTree {
	t := &kdTree{entries: make([]kdEntry, len(ids))}
	for k, id := range ids {
		t.entries[k] = kdEntry{p: unit(id), id: id}
	}
	if len(ids) > 0 {
		t.build(0, int32(len(ids)))
	}
	return t
}

func (t *kdTree) build(lo, hi int32) int32 {
	node := kdNode{lo: lo, hi: hi, left: -1, right: -1, min: t.entries[lo].p, max: t.entries[lo].p}
	for _, e := range t.entries[lo+1 : hi] {
		for a := range 3 {
			node.min[a] = min(node.min[a], e.p[a])
			node.max[a] = max(node.max[a], e.p[a])
		}
	}
	at := int32(len(t.nodes))
	t.nodes = append(t.nodes, node)
	if hi-lo <= kdLeafSize {
		return at
	}
	axis := 0
	for a := 1; a < 3; a++ {
		if node.max[a]-node.min[a] > node.max[axis]-node.min[axis] {
			axis = a
		}
	}
	slices.SortFunc(t.entries[lo:hi], func(x, y kdEntry) int {
		return cmp.Or(cmp.Compare(x.p[axis], y.p[axis]), cmp.Compare(x.id, y.id))
	})
	mid := lo + (hi-lo)/2
	left := t.build(lo, mid)
	right := t.build(mid, hi)
	t.nodes[at].left, t.nodes[at].right = left, right
	return at
}

// kdHit is a candidate with its squared chord length from the query.
type kdHit struct {
	d2 float64
	id int32
}

func hitLess(a, b kdHit) bool { return a.d2 < b.d2 || (a.d2 == b.d2 && a.id < b.id) }

// nearest appends the k entries nearest to q to hits (in no particular
// order), using hits as a bounded max-heap.
func (t *kdTree) nearest(q [3]float64, k int, hits []kdHit) []kdHit {
	if k <= 0 || len(t.nodes) == 0 {
		return hits
	}
	h := kdHeap(hits[:0])
	t.search(0, q, k, &h)
	return h
}

func (t *kdTree) search(at int32, q [3]float64, k int, h *kdHeap) {
	n := &t.nodes[at]
	if n.left < 0 {
		for _, e := range t.entries[n.lo:n.hi] {
			hit := kdHit{d2: dist2(q, e.p), id: e.id}
			if len(*h) < k {
				h.push(hit)
			} else if hitLess(hit, (*h)[0]) {
				h.replaceTop(hit)
			}
		}
		return
	}
	first, second := n.left, n.right
	d1, d2 := t.boxDist2(first, q), t.boxDist2(second, q)
	if d2 < d1 {
		first, second, d1, d2 = second, first, d2, d1
	}
	if len(*h) < k || d1 <= (*h)[0].d2 {
		t.search(first, q, k, h)
	}
	if len(*h) < k || d2 <= (*h)[0].d2 {
		t.search(second, q, k, h)
	}
}

// boxDist2 is the squared distance from q to node at's bounding box.
func (t *kdTree) boxDist2(at int32, q [3]float64) float64 {
	n := &t.nodes[at]
	var s float64
	for a := range 3 {
		if q[a] < n.min[a] {
			d := n.min[a] - q[a]
			s += d * d
		} else if q[a] > n.max[a] {
			d := q[a] - n.max[a]
			s += d * d
		}
	}
	return s
}

func dist2(a, b [3]float64) float64 {
	x, y, z := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return x*x + y*y + z*z
}

// kdHeap is a max-heap of hits ordered by hitLess.
type kdHeap []kdHit

func (h *kdHeap) push(x kdHit) {
	*h = append(*h, x)
	s := *h
	for c := len(s) - 1; c > 0; {
		p := (c - 1) / 2
		if !hitLess(s[p], s[c]) {
			break
		}
		s[p], s[c] = s[c], s[p]
		c = p
	}
}

func (h kdHeap) replaceTop(x kdHit) {
	h[0] = x
	for p := 0; ; {
		c := 2*p + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && hitLess(h[c], h[c+1]) {
			c++
		}
		if !hitLess(h[p], h[c]) {
			return
		}
		h[p], h[c] = h[c], h[p]
		p = c
	}
}
