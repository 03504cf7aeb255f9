package wardtables

import "sort"

// Matrix is a sparse square matrix in compressed-row form: row r holds
// columns Col[RowStart[r]:RowStart[r+1]] with values Val[…], columns sorted.
type Matrix struct {
	Size     int
	RowStart []int
	Col      []int32
	Val      []float64
}

// At returns the value at (r, c).
func (m *Matrix) At(r, c int) float64 {
	cols := m.Col[m.RowStart[r]:m.RowStart[r+1]]
	i := sort.Search(len(cols), func(i int) bool { return int(cols[i]) >= c })
	if i < len(cols) && int(cols[i]) == c {
		return m.Val[m.RowStart[r]+i]
	}
	return 0
}

// Each calls fn for every stored cell of row r.
func (m *Matrix) Each(r int, fn func(c int, v float64)) {
	for k := m.RowStart[r]; k < m.RowStart[r+1]; k++ {
		fn(int(m.Col[k]), m.Val[k])
	}
}

// RowSum and ColSums are conveniences for tests and checks.
func (m *Matrix) RowSum(r int) float64 {
	s := 0.0
	for k := m.RowStart[r]; k < m.RowStart[r+1]; k++ {
		s += m.Val[k]
	}
	return s
}

// ColSums returns every column's sum.
func (m *Matrix) ColSums() []float64 {
	out := make([]float64, m.Size)
	for k, c := range m.Col {
		out[c] += m.Val[k]
	}
	return out
}

// Total is the sum of all cells.
func (m *Matrix) Total() float64 {
	s := 0.0
	for _, v := range m.Val {
		s += v
	}
	return s
}

// matrixBuilder accumulates cells.
type matrixBuilder struct {
	size  int
	cells map[[2]int32]float64
	skip  [2]int // a cell never stored (e.g. outside × outside); -1 for none
}

func newMatrixBuilder(size int) *matrixBuilder {
	return &matrixBuilder{size: size, cells: map[[2]int32]float64{}, skip: [2]int{-1, -1}}
}

func (b *matrixBuilder) add(r, c int, v float64) {
	if v == 0 || (r == b.skip[0] && c == b.skip[1]) {
		return
	}
	b.cells[[2]int32{int32(r), int32(c)}] += v
}

func (b *matrixBuilder) build() Matrix {
	keys := make([][2]int32, 0, len(b.cells))
	for k := range b.cells {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	m := Matrix{Size: b.size, RowStart: make([]int, b.size+1), Col: make([]int32, len(keys)), Val: make([]float64, len(keys))}
	for i, k := range keys {
		m.RowStart[k[0]+1]++
		m.Col[i] = k[1]
		m.Val[i] = b.cells[k]
	}
	for r := 0; r < b.size; r++ {
		m.RowStart[r+1] += m.RowStart[r]
	}
	return m
}
