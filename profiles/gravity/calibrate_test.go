package gravity

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
)

// recoveryCity is a district-sized test city: small areas about 1 km apart,
// one practice per five small areas, four contiguous districts.
func recoveryCity(decay float64, seed uint64) synthetic {
	return synthetic{
		origins: 400, destinations: 80, tilesX: 2, tilesY: 2, halfSideKm: 10,
		meanWeight: 500, decay: decay, seed: seed,
	}
}

// Counts simulated from the origin-constrained model with a known decay, by
// multinomial sampling of about 200,000 users, must give that decay back.
func TestCalibrateRecoversDecay(t *testing.T) {
	const tolerance = 0.10 // relative
	tests := []struct {
		name string
		city synthetic
	}{
		{"0.3 per km", recoveryCity(0.3, 1)},
		{"0.8 per km", recoveryCity(0.8, 2)},
		{"2 per km", recoveryCity(2, 3)},
		{"0.8 per km, 8 districts, unlocated practices", func() synthetic {
			s := recoveryCity(0.8, 4)
			s.tilesX, s.tilesY, s.unlocated = 4, 2, 5
			return s
		}()},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.city.problem()
			cal, err := Calibrate(ctx, p, CalibrateOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("true %.3f, estimated %.4f, LL %.2f, %d evaluations, %.0f users", tt.city.decay, cal.Decay, cal.LogLikelihood, cal.Evaluations, cal.Users)
			if e := relativeError(cal.Decay, tt.city.decay); e > tolerance {
				t.Errorf("Decay = %.4f, want %.3f ± %.0f%%", cal.Decay, tt.city.decay, 100*tolerance)
			}
			if !cal.Unimodal || cal.AtBound {
				t.Errorf("Unimodal = %v, AtBound = %v; want a single interior peak: %v", cal.Unimodal, cal.AtBound, cal.Profile)
			}
			for _, factor := range []float64{0.9, 0.98, 0.998, 1.002, 1.02, 1.1} {
				ll, err := LogLikelihood(ctx, p, cal.Decay*factor, Options{})
				if err != nil {
					t.Fatal(err)
				}
				if ll > cal.LogLikelihood+1e-4 {
					t.Errorf("LL(%.5f) = %.6f above LL at the estimate %.5f = %.6f", cal.Decay*factor, ll, cal.Decay, cal.LogLikelihood)
				}
			}
			at, err := LogLikelihood(ctx, p, cal.Decay, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(at-cal.LogLikelihood) > 1e-3 {
				t.Errorf("LogLikelihood(%g) = %.6f, Calibrate reported %.6f", cal.Decay, at, cal.LogLikelihood)
			}
		})
	}
}

func TestCalibrateProfile(t *testing.T) {
	p := recoveryCity(0.8, 5).problem()
	cal, err := Calibrate(context.Background(), p, CalibrateOptions{MinDecay: 0.05, MaxDecay: 5, GridPoints: 9})
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.Profile) != 9 || cal.Profile[0].Decay != 0.05 || cal.Profile[8].Decay != 5 {
		t.Fatalf("Profile = %v, want 9 points from 0.05 to 5", cal.Profile)
	}
	for k := 1; k < len(cal.Profile); k++ {
		ratio := cal.Profile[k].Decay / cal.Profile[k-1].Decay
		if math.Abs(ratio-math.Pow(100, 1.0/8)) > 1e-9 {
			t.Errorf("grid step %d: ratio %.12f, want even steps in log(decay)", k, ratio)
		}
	}
	for _, pt := range cal.Profile {
		if pt.LogLikelihood > cal.LogLikelihood {
			t.Errorf("grid point %+v beats the estimate %.4f (LL %.4f)", pt, cal.Decay, cal.LogLikelihood)
		}
	}
	if cal.Evaluations <= len(cal.Profile) {
		t.Errorf("Evaluations = %d: no search after the grid", cal.Evaluations)
	}
	// Users at the unlocated destinations and outside every district are
	// left out; here all are located and in districts.
	var users float64
	for _, g := range p.Totals {
		users += g.Count
	}
	if cal.Users != users {
		t.Errorf("Patients = %g, want %g", cal.Users, users)
	}
}

// A profile with a dip before its highest point is reported as not unimodal.
func TestUnimodal(t *testing.T) {
	profile := func(lls ...float64) []ProfilePoint {
		out := make([]ProfilePoint, len(lls))
		for k, ll := range lls {
			out[k] = ProfilePoint{Decay: float64(k + 1), LogLikelihood: ll}
		}
		return out
	}
	tests := []struct {
		name    string
		profile []ProfilePoint
		best    int
		want    bool
	}{
		{"peak", profile(-9, -5, -2, -4, -8), 2, true},
		{"rising", profile(-9, -5, -2), 2, true},
		{"falling", profile(-2, -5, -9), 0, true},
		{"plateau", profile(-5, -2, -2, -6), 1, true},
		{"dip before", profile(-5, -7, -2, -4), 2, false},
		{"second peak after", profile(-5, -2, -4, -3), 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := unimodal(tt.profile, tt.best); got != tt.want {
				t.Errorf("unimodal = %v, want %v", got, tt.want)
			}
		})
	}
}

// Unlocated destinations carry no distance information and are left out, so
// removing them from the problem changes nothing.
func TestCalibrateIgnoresUnlocated(t *testing.T) {
	city := recoveryCity(0.8, 6)
	city.unlocated = 6
	with := city.problem()
	without := Problem{Origins: with.Origins, Destinations: with.Destinations[:city.destinations-city.unlocated]}
	for _, g := range with.Totals {
		if g.Destination < len(without.Destinations) {
			without.Totals = append(without.Totals, g)
		}
	}
	ctx := context.Background()
	a, err := Calibrate(ctx, with, CalibrateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Calibrate(ctx, without, CalibrateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Decay != b.Decay || a.LogLikelihood != b.LogLikelihood || a.Users != b.Users {
		t.Errorf("with unlocated: %.6f (LL %.6f, %g users); without: %.6f (LL %.6f, %g users)",
			a.Decay, a.LogLikelihood, a.Users, b.Decay, b.LogLikelihood, b.Users)
	}
}

// When the likelihood still rises at MaxDecay, Calibrate says so.
func TestCalibrateAtBound(t *testing.T) {
	p := recoveryCity(0.8, 7).problem()
	cal, err := Calibrate(context.Background(), p, CalibrateOptions{MinDecay: 0.01, MaxDecay: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	if !cal.AtBound || relativeError(cal.Decay, 0.1) > 1e-3 {
		t.Errorf("AtBound = %v, Decay = %g; want the upper bound 0.1 flagged", cal.AtBound, cal.Decay)
	}
}

func TestCalibrateNoInformation(t *testing.T) {
	oneDistrict := recoveryCity(0.8, 8)
	oneDistrict.tilesX, oneDistrict.tilesY = 1, 1
	onlyUnlocated := smallProblem()
	for j := range onlyUnlocated.Destinations {
		onlyUnlocated.Destinations[j].Located = false
	}
	outsideOnly := smallProblem()
	for k := range outsideOnly.Totals {
		outsideOnly.Totals[k].Group = "OUT" + outsideOnly.Totals[k].Group
	}
	tests := []struct {
		name string
		p    Problem
	}{
		{"one district", oneDistrict.problem()},
		{"only unlocated destinations", onlyUnlocated},
		{"users only from districts without small areas", outsideOnly},
		{"empty", Problem{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Calibrate(context.Background(), tt.p, CalibrateOptions{})
			if !errors.Is(err, ErrNoInformation) {
				t.Errorf("error = %v, want ErrNoInformation", err)
			}
		})
	}
}

func TestCalibrateWorkersDoNotChangeResult(t *testing.T) {
	p := recoveryCity(0.8, 9).problem()
	ctx := context.Background()
	one, err := Calibrate(ctx, p, CalibrateOptions{Balancing: Options{Workers: 1}})
	if err != nil {
		t.Fatal(err)
	}
	three, err := Calibrate(ctx, p, CalibrateOptions{Balancing: Options{Workers: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if one.Decay != three.Decay || one.LogLikelihood != three.LogLikelihood || !slices.Equal(one.Profile, three.Profile) {
		t.Errorf("1 worker: %.9f (LL %.9f); 3 workers: %.9f (LL %.9f)", one.Decay, one.LogLikelihood, three.Decay, three.LogLikelihood)
	}
}

func TestCalibrateNotConverged(t *testing.T) {
	p := recoveryCity(0.8, 10).problem()
	_, err := Calibrate(context.Background(), p, CalibrateOptions{Balancing: Options{MaxIterations: 2}})
	if !errors.Is(err, ErrNotConverged) {
		t.Errorf("error = %v, want ErrNotConverged", err)
	}
}

func TestCalibrateCancelled(t *testing.T) {
	p := recoveryCity(0.8, 11).problem()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cal, err := Calibrate(ctx, p, CalibrateOptions{})
	if !errors.Is(err, context.Canceled) || cal != nil {
		t.Errorf("Calibrate = %v, %v; want nil, context.Canceled", cal, err)
	}
}
