package assign

import (
	"fmt"
	"strings"
)

// DefaultMaxProblems is how many problem rows a Summary keeps by default.
const DefaultMaxProblems = 20

// Summary counts the rows of one run. Only the first MaxProblems problem
// rows are kept (every row's status is in the output), so it stays small
// whatever the input's length.
type Summary struct {
	Rows     int            `json:"rows"`
	Placed   int            `json:"placed"`
	ByStatus map[Status]int `json:"by_status"`
	// Problems are the first rows not placed, in input order.
	Problems []Problem `json:"problems,omitempty"`
	max      int
}

// Problem is one row that was not placed.
type Problem struct {
	// Line is the row's 1-based line in a CSV file (where the record
	// starts), or its 1-based feature number in a GeoJSON collection.
	Line   int    `json:"line"`
	Status Status `json:"status"`
	Reason string `json:"reason"`
}

func newSummary(max int) *Summary {
	if max <= 0 {
		max = DefaultMaxProblems
	}
	return &Summary{ByStatus: map[Status]int{}, max: max}
}

func (s *Summary) add(line int, status Status, reason string) {
	s.Rows++
	s.ByStatus[status]++
	if status == StatusPlaced {
		s.Placed++
		return
	}
	if len(s.Problems) < s.max {
		s.Problems = append(s.Problems, Problem{Line: line, Status: status, Reason: reason})
	}
}

// wants reports whether the next problem row would be kept.
func (s *Summary) wants() bool { return len(s.Problems) < s.max }

// String is a one-line count: "1000 rows: 990 ok, 6 outside-city, 4 bad-coordinates".
func (s *Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d rows: %d %s", s.Rows, s.Placed, StatusPlaced)
	for _, st := range []Status{StatusOutsideCity, StatusMissingLocation, StatusBadCoordinates, StatusUnknownPostcode,
		StatusWrongFieldCount, StatusMalformedRow, StatusNotAPoint} {
		if n := s.ByStatus[st]; n > 0 {
			fmt.Fprintf(&b, ", %d %s", n, st)
		}
	}
	return b.String()
}

// NotPlaced is the number of rows with a status other than StatusPlaced.
func (s *Summary) NotPlaced() int { return s.Rows - s.Placed }
