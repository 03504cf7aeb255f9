package siting

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// maxMissingExamples is how many missing pairs a TravelTimes error names.
const maxMissingExamples = 5

// TravelTimes reads a travel-time matrix from CSV with the header
// origin,destination,minutes: one row per pair, the origin a demand ID and
// the destination a candidate ID. Rows for other IDs are ignored; every
// demand–candidate pair must be present exactly once. name (the file name)
// prefixes errors, which give the line: a wrong header, a row without three
// fields, minutes that are not a number, NaN, infinite or negative, a
// duplicate pair, or — after reading — the number of missing pairs with up
// to five examples. All wrap ErrTravelTimes. Demand and candidate IDs must
// be unique (ErrInvalidInput otherwise).
//
// The matrix is held in full: 8 bytes per demand–candidate pair.
func TravelTimes(r io.Reader, name string, demand []Demand, cands []Candidate) (Distances, error) {
	origins, err := indexIDs(demand, func(d Demand) string { return d.ID }, "demand")
	if err != nil {
		return nil, err
	}
	destinations, err := indexIDs(cands, func(c Candidate) string { return c.ID }, "candidate")
	if err != nil {
		return nil, err
	}
	n, m := len(demand), len(cands)
	t := &travelTimes{n: n, m: m, minutes: make([]float64, n*m)}
	line := make([]int32, n*m) // line of each pair's row, 0 when missing
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header := true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if pe := (*csv.ParseError)(nil); errors.As(err, &pe) {
				return nil, fmt.Errorf("siting: travel times %s:%d: %w: %w", name, pe.Line, pe.Err, ErrTravelTimes)
			}
			return nil, fmt.Errorf("siting: travel times %s: %w: %w", name, err, ErrTravelTimes)
		}
		at, _ := cr.FieldPos(0)
		if header {
			header = false
			if len(rec) > 0 {
				rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
			}
			if len(rec) != 3 || !strings.EqualFold(strings.TrimSpace(rec[0]), "origin") ||
				!strings.EqualFold(strings.TrimSpace(rec[1]), "destination") || !strings.EqualFold(strings.TrimSpace(rec[2]), "minutes") {
				return nil, fmt.Errorf("siting: travel times %s:%d: header is %q, want \"origin,destination,minutes\": %w", name, at, strings.Join(rec, ","), ErrTravelTimes)
			}
			continue
		}
		if len(rec) != 3 {
			return nil, fmt.Errorf("siting: travel times %s:%d: %d fields, want 3 (origin,destination,minutes): %w", name, at, len(rec), ErrTravelTimes)
		}
		i, okO := origins[strings.TrimSpace(rec[0])]
		j, okD := destinations[strings.TrimSpace(rec[1])]
		if !okO || !okD {
			continue
		}
		text := strings.TrimSpace(rec[2])
		v, err := strconv.ParseFloat(text, 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange):
			return nil, fmt.Errorf("siting: travel times %s:%d: minutes %q is not a number: %w", name, at, text, ErrTravelTimes)
		case math.IsNaN(v):
			return nil, fmt.Errorf("siting: travel times %s:%d: minutes is NaN: %w", name, at, ErrTravelTimes)
		case math.IsInf(v, 0):
			return nil, fmt.Errorf("siting: travel times %s:%d: minutes %q is infinite: %w", name, at, text, ErrTravelTimes)
		case v < 0:
			return nil, fmt.Errorf("siting: travel times %s:%d: minutes %s is negative: %w", name, at, text, ErrTravelTimes)
		}
		k := i*m + j
		if line[k] != 0 {
			return nil, fmt.Errorf("siting: travel times %s:%d: pair origin %q destination %q repeats line %d: %w", name, at, demand[i].ID, cands[j].ID, line[k], ErrTravelTimes)
		}
		line[k] = int32(min(at, math.MaxInt32))
		t.minutes[k] = v
	}
	if header {
		return nil, fmt.Errorf("siting: travel times %s: empty file, want the header \"origin,destination,minutes\": %w", name, ErrTravelTimes)
	}
	missing := 0
	var examples []string
	for k, at := range line {
		if at != 0 {
			continue
		}
		missing++
		if len(examples) < maxMissingExamples {
			examples = append(examples, fmt.Sprintf("%s→%s", demand[k/m].ID, cands[k%m].ID))
		}
	}
	if missing > 0 {
		return nil, fmt.Errorf("siting: travel times %s: %d of %d demand–candidate pairs missing (origin→destination), for example %s: %w",
			name, missing, n*m, strings.Join(examples, ", "), ErrTravelTimes)
	}
	return t, nil
}

// travelTimes is a dense demand × candidate matrix in minutes.
type travelTimes struct {
	n, m    int
	minutes []float64
}

// Distance returns the minutes from demand i to candidate j (NaN for an
// index out of range).
func (t *travelTimes) Distance(i, j int) float64 {
	if i < 0 || i >= t.n || j < 0 || j >= t.m {
		return math.NaN()
	}
	return t.minutes[i*t.m+j]
}

func (t *travelTimes) size() (int, int) { return t.n, t.m }

func indexIDs[T any](items []T, id func(T) string, what string) (map[string]int, error) {
	index := make(map[string]int, len(items))
	for k, it := range items {
		s := id(it)
		if prev, ok := index[s]; ok {
			return nil, fmt.Errorf("siting: travel times: %s ID %q is used by %s %d and %d: %w", what, s, what, prev, k, ErrInvalidInput)
		}
		index[s] = k
	}
	return index, nil
}
