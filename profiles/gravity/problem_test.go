package gravity

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"
)

// smallProblem has two districts with two small areas each, two located
// practices and one without a location, and users from a district ("C") the
// problem has no small areas for.
func smallProblem() Problem {
	return Problem{
		Origins: []Origin{
			{ID: "A1", Point: orb.Point{-2.25, 53.47}, Group: "A", Weight: 1000},
			{ID: "A2", Point: orb.Point{-2.22, 53.46}, Group: "A", Weight: 1500},
			{ID: "B1", Point: orb.Point{-2.15, 53.44}, Group: "B", Weight: 1200},
			{ID: "B2", Point: orb.Point{-2.12, 53.43}, Group: "B", Weight: 800},
		},
		Destinations: []Destination{
			{ID: "P1", Point: orb.Point{-2.24, 53.465}, Located: true},
			{ID: "P2", Point: orb.Point{-2.14, 53.435}, Located: true},
			{ID: "P3"},
		},
		Totals: []GroupTotal{
			{Destination: 0, Group: "A", Count: 1800},
			{Destination: 0, Group: "B", Count: 300},
			{Destination: 1, Group: "A", Count: 400},
			{Destination: 1, Group: "B", Count: 1500},
			{Destination: 2, Group: "A", Count: 100},
			{Destination: 2, Group: "C", Count: 50},
		},
	}
}

func TestValidate(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name   string
		mutate func(*Problem)
		want   string // substring of the error; "" for valid
	}{
		{"valid", func(*Problem) {}, ""},
		{"no origins", func(p *Problem) { p.Origins = nil }, ""},
		{"unlocated destination with NaN point", func(p *Problem) { p.Destinations[2].Point = orb.Point{nan, nan} }, ""},
		{"zero weight", func(p *Problem) { p.Origins[0].Weight = 0 }, ""},
		{"zero count", func(p *Problem) { p.Totals[0].Count = 0 }, ""},
		{"negative weight", func(p *Problem) { p.Origins[1].Weight = -1 }, `origin 1 "A2": weight -1`},
		{"NaN weight", func(p *Problem) { p.Origins[1].Weight = nan }, "weight NaN"},
		{"infinite weight", func(p *Problem) { p.Origins[1].Weight = math.Inf(1) }, "weight +Inf"},
		{"empty origin group", func(p *Problem) { p.Origins[2].Group = "" }, `origin 2 "B1": empty group`},
		{"NaN origin point", func(p *Problem) { p.Origins[3].Point = orb.Point{nan, 53} }, `origin 3 "B2": point (NaN, 53) is not finite`},
		{"infinite origin point", func(p *Problem) { p.Origins[3].Point = orb.Point{-2, math.Inf(-1)} }, "is not finite"},
		{"origin point not lon/lat", func(p *Problem) { p.Origins[0].Point = orb.Point{383000, 398000} }, "not a lon/lat"},
		{"NaN located destination", func(p *Problem) { p.Destinations[1].Point = orb.Point{-2, nan} }, `destination 1 "P2": point`},
		{"destination index negative", func(p *Problem) { p.Totals[4].Destination = -1 }, "total 4: destination index -1 out of range [0, 3)"},
		{"destination index too large", func(p *Problem) { p.Totals[4].Destination = 3 }, "destination index 3 out of range"},
		{"negative count", func(p *Problem) { p.Totals[1].Count = -5 }, `total 1 (destination 0, group "B"): count -5`},
		{"NaN count", func(p *Problem) { p.Totals[1].Count = nan }, "count NaN"},
		{"infinite count", func(p *Problem) { p.Totals[1].Count = math.Inf(1) }, "count +Inf"},
		{"empty total group", func(p *Problem) { p.Totals[2].Group = "" }, "total 2 (destination 1): empty group"},
		{"duplicate total", func(p *Problem) {
			p.Totals = append(p.Totals, GroupTotal{Destination: 1, Group: "A", Count: 1})
		}, `totals 2 and 6: duplicate (destination 1, group "A")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := smallProblem()
			tt.mutate(&p)
			err := p.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			checkInvalid(t, err, tt.want)
			// Every entry point validates before doing any work.
			_, err = Estimate(context.Background(), p, 1, Options{})
			checkInvalid(t, err, tt.want)
			_, err = Calibrate(context.Background(), p, CalibrateOptions{})
			checkInvalid(t, err, tt.want)
			_, err = LogLikelihood(context.Background(), p, 1, Options{})
			checkInvalid(t, err, tt.want)
		})
	}
}

func TestInvalidParameters(t *testing.T) {
	ctx := context.Background()
	p := smallProblem()
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		{"negative decay", func() error { _, err := Estimate(ctx, p, -0.1, Options{}); return err }, "decay -0.1 per km"},
		{"NaN decay", func() error { _, err := Estimate(ctx, p, math.NaN(), Options{}); return err }, "decay NaN"},
		{"infinite decay", func() error { _, err := LogLikelihood(ctx, p, math.Inf(1), Options{}); return err }, "decay +Inf"},
		{"negative iterations", func() error { _, err := Estimate(ctx, p, 1, Options{MaxIterations: -1}); return err }, "max iterations -1"},
		{"negative tolerance", func() error { _, err := Estimate(ctx, p, 1, Options{Tolerance: -1e-9}); return err }, "tolerance -1e-09"},
		{"NaN tolerance", func() error { _, err := Estimate(ctx, p, 1, Options{Tolerance: math.NaN()}); return err }, "tolerance NaN"},
		{"negative workers", func() error { _, err := Estimate(ctx, p, 1, Options{Workers: -2}); return err }, "-2 workers"},
		{"negative min decay", func() error {
			_, err := Calibrate(ctx, p, CalibrateOptions{MinDecay: -1})
			return err
		}, "decay range [-1, 10]"},
		{"min above max", func() error {
			_, err := Calibrate(ctx, p, CalibrateOptions{MinDecay: 2, MaxDecay: 1})
			return err
		}, "decay range [2, 1]"},
		{"infinite max", func() error {
			_, err := Calibrate(ctx, p, CalibrateOptions{MaxDecay: math.Inf(1)})
			return err
		}, "decay range"},
		{"two grid points", func() error { _, err := Calibrate(ctx, p, CalibrateOptions{GridPoints: 2}); return err }, "2 grid points"},
		{"negative search tolerance", func() error {
			_, err := Calibrate(ctx, p, CalibrateOptions{Tolerance: -1})
			return err
		}, "tolerance -1 must be positive"},
		{"bad balancing options", func() error {
			_, err := Calibrate(ctx, p, CalibrateOptions{Balancing: Options{MaxIterations: -3}})
			return err
		}, "max iterations -3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkInvalid(t, tt.run(), tt.want)
		})
	}
}

func checkInvalid(t *testing.T, err error, want string) {
	t.Helper()
	if !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("error = %v, want one wrapping ErrInvalidInput", err)
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "gravity: ") || !strings.Contains(msg, want) {
		t.Fatalf("error = %q, want prefix %q and to contain %q", msg, "gravity: ", want)
	}
}
