package hubplan

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/placeteam/placeteam/data/demo"
	"github.com/placeteam/placeteam/profiles/siting"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// TestUnknownFixedSiteSuggests: a fixed id that is not a candidate is
// refused with the nearest candidate codes of its kind and, for a practice
// in the dataset that is not a candidate, why — never an example that
// repeats the rejected id.
func TestUnknownFixedSiteSuggests(t *testing.T) {
	ctx := context.Background()
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cands, _ := candidates(ds, tables, cfg.WardTeams(), Options{})
	var candidate string // a practice candidate, e.g. practice:D99003
	for _, c := range cands {
		if c.Kind == "practice" {
			candidate = c.ID
			break
		}
	}
	var outside string // a practice in the dataset outside every city ward
	for _, p := range ds.Practices {
		if p.WardCode == "" {
			outside = p.Code
			break
		}
	}
	if candidate == "" || outside == "" {
		t.Fatalf("demo city: candidate %q, outside practice %q", candidate, outside)
	}
	missing := candidate[:len(candidate)-1] + "x" // same code but the last character
	tests := []struct {
		fixed string
		want  []string
	}{
		{missing, []string{"fixed sites are not candidates: " + missing, "no practice " + strings.TrimPrefix(missing, "practice:") + " in the dataset", "nearest: practice:"}},
		{"practice:" + outside, []string{"practice " + outside + " is in the dataset but not inside a city ward", "nearest: practice:"}},
		{"hospital:999", []string{"not candidates: hospital:999", "nearest: hospital:"}},
		{"depot:1", []string{"not candidates: depot:1", "ids are practice:CODE, hospital:N or site:ID"}},
	}
	for _, tt := range tests {
		_, err := Run(ctx, ds, tables, cfg, Options{K: 3, Fixed: []string{tt.fixed}})
		if !errors.Is(err, siting.ErrInvalidInput) {
			t.Fatalf("--fixed %s: %v, want invalid input", tt.fixed, err)
		}
		var u *UnknownFixedError
		if !errors.As(err, &u) || len(u.IDs) != 1 || u.IDs[0] != tt.fixed {
			t.Errorf("--fixed %s: %v is not an UnknownFixedError naming it", tt.fixed, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("--fixed %s: error %q lacks %q", tt.fixed, err, w)
			}
		}
		if strings.Contains(err.Error(), "P84001") {
			t.Errorf("--fixed %s: error %q names the README's old example", tt.fixed, err)
		}
	}
}

// TestNoCandidatesSaysWhy: a city with no located practice and no hospital
// has nothing to site on; the error says so and points to your own sites.
func TestNoCandidatesSaysWhy(t *testing.T) {
	ctx := context.Background()
	ds, cfg, err := demo.Generate(demo.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ds.Practices {
		ds.Practices[i].WardCode = "" // none inside a city ward
	}
	ds.HospitalSites = nil
	tables, err := wardtables.Build(ctx, ds, wardtables.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Run(ctx, ds, tables, cfg, Options{OnePerTeam: true})
	if !errors.Is(err, ErrNoCandidates) {
		t.Fatalf("error %v, want ErrNoCandidates", err)
	}
	for _, want := range []string{"--sites", "hospital", "practice"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}
