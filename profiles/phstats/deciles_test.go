package phstats

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestPopulationWeightedDecilesEqualPopulations(t *testing.T) {
	// Ten equal areas, given least deprived first: each is its own decile,
	// the highest score decile 1.
	var ten []RankedArea
	for i := range 10 {
		ten = append(ten, RankedArea{Deprivation: float64(i), Population: 1500})
	}
	got, err := PopulationWeightedDeciles(ten)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}; !slices.Equal(got, want) {
		t.Errorf("ten equal areas: got %v, want %v", got, want)
	}

	// Twenty equal areas: two per decile.
	var twenty []RankedArea
	for i := range 20 {
		twenty = append(twenty, RankedArea{Deprivation: float64(100 - i), Population: 1600})
	}
	got, err = PopulationWeightedDeciles(twenty)
	if err != nil {
		t.Fatal(err)
	}
	want := []int{1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10}
	if !slices.Equal(got, want) {
		t.Errorf("twenty equal areas: got %v, want %v", got, want)
	}
}

func TestPopulationWeightedDecilesUnequalPopulations(t *testing.T) {
	// Sorted by deprivation the populations are 25, 5, 5, 15, 30, 20 of
	// 100, with cumulative midpoints 12.5, 27.5, 32.5, 42.5, 65 and 90:
	// deciles 2, 3, 4, 5, 7 and 10. Deciles 1, 6, 8 and 9 are empty,
	// because whole areas are never split. The input is shuffled and
	// scored on the IMD scale (higher = more deprived).
	areas := []RankedArea{
		{Deprivation: 12.0, Population: 30}, // 5th most deprived → 7
		{Deprivation: 55.5, Population: 25}, // most deprived → 2
		{Deprivation: 3.1, Population: 20},  // least deprived → 10
		{Deprivation: 40.2, Population: 5},  // 2nd → 3
		{Deprivation: 20.7, Population: 15}, // 4th → 5
		{Deprivation: 33.3, Population: 5},  // 3rd → 4
	}
	got, err := PopulationWeightedDeciles(areas)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{7, 2, 10, 3, 5, 4}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestPopulationWeightedQuantilesBoundariesAndTies(t *testing.T) {
	tests := []struct {
		name  string
		areas []RankedArea
		n     int
		want  []int
	}{
		{
			// Midpoints 2.5, 10 and 17.5 of 20: the middle area's
			// midpoint sits exactly on the 50% boundary and goes to the
			// less deprived side (decile 6).
			name:  "midpoint on a boundary",
			areas: []RankedArea{{3, 5}, {2, 10}, {1, 5}},
			n:     10,
			want:  []int{2, 6, 9},
		},
		{
			// Equal scores keep input order: the first listed counts as
			// more deprived.
			name:  "ties keep input order",
			areas: []RankedArea{{5, 10}, {5, 10}, {5, 10}, {5, 10}},
			n:     4,
			want:  []int{1, 2, 3, 4},
		},
		{
			// IMD ranks (1 = most deprived) passed negated.
			name:  "negated IMD ranks as quintiles",
			areas: []RankedArea{{-32000, 1}, {-1, 1}, {-15000, 1}, {-300, 1}, {-9000, 1}},
			n:     5,
			want:  []int{5, 1, 4, 2, 3},
		},
		{
			// A zero-population area takes its place on the line without
			// moving anyone else.
			name:  "zero population",
			areas: []RankedArea{{9, 50}, {8, 0}, {7, 50}},
			n:     2,
			want:  []int{1, 2, 2},
		},
		{
			name:  "one quantile",
			areas: []RankedArea{{1, 3}, {2, 4}},
			n:     1,
			want:  []int{1, 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PopulationWeightedQuantiles(tt.areas, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPopulationWeightedDecilesBalance(t *testing.T) {
	// 997 LSOA-like areas with populations from 1,000 to 3,000 and
	// scrambled scores: along the deprivation order the decile numbers never
	// fall, and each decile holds a tenth of the population to within one
	// area's population.
	const count = 997
	areas := make([]RankedArea, count)
	state := uint32(12345)
	next := func() uint32 { state = state*1664525 + 1013904223; return state >> 8 }
	var total, largest float64
	for i := range areas {
		areas[i] = RankedArea{Deprivation: float64(next() % 100000), Population: float64(1000 + next()%2001)}
		total += areas[i].Population
		largest = math.Max(largest, areas[i].Population)
	}
	got, err := PopulationWeightedDeciles(areas)
	if err != nil {
		t.Fatal(err)
	}
	order := make([]int, count)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int {
		if areas[i].Deprivation > areas[j].Deprivation {
			return -1
		}
		if areas[i].Deprivation < areas[j].Deprivation {
			return 1
		}
		return 0
	})
	var decilePopulation [11]float64
	for k, i := range order {
		if k > 0 && got[i] < got[order[k-1]] {
			t.Fatalf("decile falls from %d to %d along the deprivation order", got[order[k-1]], got[i])
		}
		decilePopulation[got[i]] += areas[i].Population
	}
	for d := 1; d <= 10; d++ {
		if math.Abs(decilePopulation[d]-total/10) > largest {
			t.Errorf("decile %d holds %v, want %v ± %v", d, decilePopulation[d], total/10, largest)
		}
	}
}

func TestPopulationWeightedQuantilesErrors(t *testing.T) {
	tests := []struct {
		name  string
		areas []RankedArea
		n     int
	}{
		{"no areas", nil, 10},
		{"zero total", []RankedArea{{1, 0}, {2, 0}}, 10},
		{"negative population", []RankedArea{{1, 10}, {2, -1}}, 10},
		{"NaN population", []RankedArea{{1, math.NaN()}}, 10},
		{"infinite population", []RankedArea{{1, math.Inf(1)}}, 10},
		{"NaN deprivation", []RankedArea{{math.NaN(), 10}}, 10},
		{"no quantiles", []RankedArea{{1, 10}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := PopulationWeightedQuantiles(tt.areas, tt.n); !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
}
