package adjacency

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkBuildGrid builds the adjacency of 84 × 84 = 7,056 irregular cells
// (about England's number of wards) with 100 vertices each; with shared
// vertices every interior side is matched by hash, with noise every segment
// goes through the R-tree.
func BenchmarkBuildGrid(b *testing.B) {
	for _, bc := range []struct {
		perSide int
		noise   bool
	}{{25, false}, {25, true}, {250, false}} {
		name := fmt.Sprintf("7056_cells_%d_vertices/shared_vertices", 4*bc.perSide)
		if bc.noise {
			name = fmt.Sprintf("7056_cells_%d_vertices/noisy", 4*bc.perSide)
		}
		b.Run(name, func(b *testing.B) {
			cells := irregularGrid(84, 84, bc.perSide, bc.noise)
			b.ReportAllocs()
			for b.Loop() {
				g, err := Build(context.Background(), cells, Options{})
				if err != nil {
					b.Fatal(err)
				}
				if len(g.Neighbours(84*42+42)) != 4 {
					b.Fatalf("an interior cell has %v neighbours", g.Neighbours(84*42+42))
				}
			}
		})
	}
}

// BenchmarkConnected checks a team of 40 cells of the 7,056-cell grid, as a
// districting search does after each move.
func BenchmarkConnected(b *testing.B) {
	g, err := Build(context.Background(), irregularGrid(84, 84, 25, false), Options{})
	if err != nil {
		b.Fatal(err)
	}
	var team []int
	for r := range 5 {
		for c := range 8 {
			team = append(team, (40+r)*84+30+c)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if !g.Connected(team) {
			b.Fatal("team is not connected")
		}
	}
}
