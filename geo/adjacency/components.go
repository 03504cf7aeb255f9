package adjacency

import "slices"

// Components splits members into the connected pieces of the subgraph they
// induce: two members are in the same piece when a path of adjacent
// members joins them. Each piece is sorted and pieces are ordered by their
// smallest member. Duplicate members count once; an index out of range has
// no neighbours, so it is a piece of its own. Empty members give nil.
func (g *Graph) Components(members []int) [][]int {
	sorted, root := g.label(members)
	if len(sorted) == 0 {
		return nil
	}
	piece := make(map[int32]int) // root -> index into pieces
	var pieces [][]int
	for k, u := range sorted {
		r := root(int32(k))
		i, ok := piece[r]
		if !ok {
			i = len(pieces)
			piece[r] = i
			pieces = append(pieces, nil)
		}
		pieces[i] = append(pieces[i], u)
	}
	return pieces
}

// Connected reports whether members form exactly one piece. An empty set is
// not connected, so that an empty team fails a contiguity check.
func (g *Graph) Connected(members []int) bool {
	sorted, root := g.label(members)
	if len(sorted) == 0 {
		return false
	}
	r := root(0)
	for k := 1; k < len(sorted); k++ {
		if root(int32(k)) != r {
			return false
		}
	}
	return true
}

// label sorts and deduplicates members and joins adjacent ones with a
// union-find over their positions in sorted; root gives a position's piece.
func (g *Graph) label(members []int) (sorted []int, root func(int32) int32) {
	sorted = slices.Clone(members)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	parent := make([]int32, len(sorted))
	for k := range parent {
		parent[k] = int32(k)
	}
	root = func(k int32) int32 {
		for parent[k] != k {
			parent[k] = parent[parent[k]] // path halving
			k = parent[k]
		}
		return k
	}
	for k, u := range sorted {
		row, _ := g.row(u)
		for _, v := range row {
			if int(v) <= u {
				continue
			}
			if j, ok := slices.BinarySearch(sorted, int(v)); ok {
				a, b := root(int32(k)), root(int32(j))
				if a != b {
					parent[max(a, b)] = min(a, b)
				}
			}
		}
	}
	return sorted, root
}
