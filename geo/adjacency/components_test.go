package adjacency

import (
	"reflect"
	"testing"
)

func TestComponents(t *testing.T) {
	g := buildGrid(t) // 6 7 8 / 3 4 5 / 0 1 2
	tests := []struct {
		name    string
		members []int
		want    [][]int
	}{
		{"empty", nil, nil},
		{"one cell", []int{4}, [][]int{{4}}},
		{"whole grid", []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, [][]int{{0, 1, 2, 3, 4, 5, 6, 7, 8}}},
		{"corners only touch the centre diagonally", []int{0, 2, 4, 6, 8}, [][]int{{0}, {2}, {4}, {6}, {8}}},
		{"bottom and top rows", []int{8, 0, 7, 1, 6, 2}, [][]int{{0, 1, 2}, {6, 7, 8}}},
		{"an L", []int{0, 3, 6, 7, 8}, [][]int{{0, 3, 6, 7, 8}}},
		{"a ring round the centre", []int{0, 1, 2, 5, 8, 7, 6, 3}, [][]int{{0, 1, 2, 3, 5, 6, 7, 8}}},
		{"a row given out of order", []int{3, 5, 4}, [][]int{{3, 4, 5}}},
		{"split by the centre", []int{3, 5}, [][]int{{3}, {5}}},
		{"duplicates count once", []int{1, 1, 0, 0, 8}, [][]int{{0, 1}, {8}}},
		{"out of range is a piece of its own", []int{-1, 0, 1, 9}, [][]int{{-1}, {0, 1}, {9}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Components(tt.members)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Components(%v) = %v, want %v", tt.members, got, tt.want)
			}
			if want := len(tt.want) == 1; g.Connected(tt.members) != want {
				t.Errorf("Connected(%v) = %v, want %v", tt.members, !want, want)
			}
		})
	}
}
