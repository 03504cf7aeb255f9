package siting

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
)

var (
	ttDemand = []Demand{{ID: "a", Weight: 1}, {ID: "b", Weight: 1}}
	ttCands  = []Candidate{{ID: "x"}, {ID: "y"}}
)

func TestTravelTimesErrors(t *testing.T) {
	const full = "origin,destination,minutes\na,x,1\na,y,2\nb,x,3\nb,y,4\n"
	tests := []struct {
		name, csv string
		want      string
		sentinel  error
	}{
		{"bad header", "from,to,minutes\na,x,1\n",
			`siting: travel times tt.csv:1: header is "from,to,minutes", want "origin,destination,minutes": invalid travel times`, ErrTravelTimes},
		{"header with extra column", "origin,destination,minutes,mode\n",
			`siting: travel times tt.csv:1: header is "origin,destination,minutes,mode", want "origin,destination,minutes": invalid travel times`, ErrTravelTimes},
		{"empty file", "",
			`siting: travel times tt.csv: empty file, want the header "origin,destination,minutes": invalid travel times`, ErrTravelTimes},
		{"short row", "origin,destination,minutes\na,x,1\na,y\n",
			`siting: travel times tt.csv:3: 2 fields, want 3 (origin,destination,minutes): invalid travel times`, ErrTravelTimes},
		{"not a number", "origin,destination,minutes\na,x,1\na,y,abc\n",
			`siting: travel times tt.csv:3: minutes "abc" is not a number: invalid travel times`, ErrTravelTimes},
		{"empty minutes", "origin,destination,minutes\na,x,\n",
			`siting: travel times tt.csv:2: minutes "" is not a number: invalid travel times`, ErrTravelTimes},
		{"NaN", "origin,destination,minutes\na,x,1\na,y,NaN\n",
			`siting: travel times tt.csv:3: minutes is NaN: invalid travel times`, ErrTravelTimes},
		{"negative", "origin,destination,minutes\na,x,1\na,y,-2.5\n",
			`siting: travel times tt.csv:3: minutes -2.5 is negative: invalid travel times`, ErrTravelTimes},
		{"infinite", "origin,destination,minutes\na,x,Inf\n",
			`siting: travel times tt.csv:2: minutes "Inf" is infinite: invalid travel times`, ErrTravelTimes},
		{"overflow", "origin,destination,minutes\na,x,1e400\n",
			`siting: travel times tt.csv:2: minutes "1e400" is infinite: invalid travel times`, ErrTravelTimes},
		{"duplicate pair", "origin,destination,minutes\na,x,1\na,y,2\na,x,3\n",
			`siting: travel times tt.csv:4: pair origin "a" destination "x" repeats line 2: invalid travel times`, ErrTravelTimes},
		{"bare quote", "origin,destination,minutes\na,x,1\na,y\",2\n",
			`siting: travel times tt.csv:3: bare " in non-quoted-field: invalid travel times`, ErrTravelTimes},
		{"missing pairs", "origin,destination,minutes\na,x,1\na,y,2\n",
			`siting: travel times tt.csv: 2 of 4 demand–candidate pairs missing (origin→destination), for example b→x, b→y: invalid travel times`, ErrTravelTimes},
		{"header only", "origin,destination,minutes\n",
			`siting: travel times tt.csv: 4 of 4 demand–candidate pairs missing (origin→destination), for example a→x, a→y, b→x, b→y: invalid travel times`, ErrTravelTimes},
		{"missing because of an ID typo", strings.Replace(full, "b,y,4", "B,y,4", 1),
			`siting: travel times tt.csv: 1 of 4 demand–candidate pairs missing (origin→destination), for example b→y: invalid travel times`, ErrTravelTimes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := TravelTimes(strings.NewReader(tt.csv), "tt.csv", ttDemand, ttCands)
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("error does not wrap %v", tt.sentinel)
			}
		})
	}
}

func TestTravelTimesManyMissing(t *testing.T) {
	var demand []Demand
	for i := range 30 {
		demand = append(demand, Demand{ID: fmt.Sprintf("L%02d", i)})
	}
	_, err := TravelTimes(strings.NewReader("origin,destination,minutes\nL00,x,1\n"), "big.csv", demand, ttCands)
	want := `siting: travel times big.csv: 59 of 60 demand–candidate pairs missing (origin→destination), for example L00→y, L01→x, L01→y, L02→x, L02→y: invalid travel times`
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

func TestTravelTimesDuplicateIDs(t *testing.T) {
	demand := []Demand{{ID: "a"}, {ID: "a"}}
	_, err := TravelTimes(strings.NewReader("origin,destination,minutes\n"), "tt.csv", demand, ttCands)
	want := `siting: travel times: demand ID "a" is used by demand 0 and 1: invalid input`
	if err == nil || err.Error() != want || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

func TestTravelTimesRead(t *testing.T) {
	// BOM, header case and spaces, rows for unknown IDs, quoted fields.
	csv := "\ufeffOrigin, Destination ,MINUTES\r\n" +
		"a,x,1.5\n" +
		"a,y,2\n" +
		"\"b\",x,0\n" +
		"b, y ,12.25\n" +
		"zz,x,-1\n" + // unknown origin: ignored, even though invalid
		"a,zz,5\n"
	d, err := TravelTimes(strings.NewReader(csv), "tt.csv", ttDemand, ttCands)
	if err != nil {
		t.Fatal(err)
	}
	want := [2][2]float64{{1.5, 2}, {0, 12.25}}
	for i := range 2 {
		for j := range 2 {
			if got := d.Distance(i, j); got != want[i][j] {
				t.Errorf("Distance(%d, %d) = %g, want %g", i, j, got, want[i][j])
			}
		}
	}
	if got := d.Distance(2, 0); !math.IsNaN(got) {
		t.Errorf("Distance out of range = %g, want NaN", got)
	}
}

// A Problem whose distances disagree in size with its demand is rejected.
func TestTravelTimesSizeMismatch(t *testing.T) {
	d, err := TravelTimes(strings.NewReader("origin,destination,minutes\na,x,1\na,y,2\nb,x,3\nb,y,4\n"), "tt.csv", ttDemand, ttCands)
	if err != nil {
		t.Fatal(err)
	}
	p := Problem{Demand: ttDemand[:1], Candidates: ttCands, Dist: d, K: 1}
	_, err = Solve(t.Context(), p, Options{})
	want := "siting: distances are for 2 demand points and 2 candidates, the problem has 1 and 2: invalid input"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

func FuzzTravelTimes(f *testing.F) {
	f.Add("origin,destination,minutes\na,x,1\na,y,2\nb,x,3\nb,y,4\n")
	f.Add("origin,destination,minutes\na,x,NaN\n")
	f.Add("origin,destination,minutes\na,x,1\na,x,1\n")
	f.Add("origin,destination\n\"a")
	f.Fuzz(func(t *testing.T, csv string) {
		d, err := TravelTimes(strings.NewReader(csv), "fuzz.csv", ttDemand, ttCands)
		if err != nil {
			if !errors.Is(err, ErrTravelTimes) {
				t.Fatalf("error %v does not wrap ErrTravelTimes", err)
			}
			return
		}
		for i := range ttDemand {
			for j := range ttCands {
				if v := d.Distance(i, j); math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
					t.Fatalf("accepted minutes %g", v)
				}
			}
		}
	})
}
