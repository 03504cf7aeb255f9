package planning

import (
	"context"
	"slices"
	"sync"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
)

// PCN is the practice-group kind the checks count splits of.
const PCN = "pcn"

// checkCity holds the wards' adjacency and measures, built on first use.
type checkCity struct {
	once sync.Once
	city *plancheck.City
	err  error
}

// CheckCity is the dataset's wards as the plan checks see them: adjacency,
// areas, perimeters (built once).
func (s *Service) CheckCity(ctx context.Context) (*plancheck.City, error) {
	s.checkCity.once.Do(func() {
		// Built for every later caller: not cut short by this one's ctx.
		s.checkCity.city, s.checkCity.err = plancheck.NewCity(context.WithoutCancel(ctx), s.ds.Wards)
	})
	return s.checkCity.city, s.checkCity.err
}

// Checks are v's plan checks against opts (those with the default options
// are computed once per version).
func (s *Service) Checks(ctx context.Context, v Version, opts plancheck.Options) (*plancheck.Report, error) {
	build := func(ctx context.Context) (*plancheck.Report, error) {
		p, err := s.Profile(ctx, v, placeprofile.Options{})
		if err != nil {
			return nil, err
		}
		return s.CheckConfiguration(ctx, v.Configuration, p, opts)
	}
	if opts != (plancheck.Options{}) {
		return build(ctx)
	}
	return s.checks.get(ctx, v.key(), build)
}

// CheckConfiguration checks a configuration, saved or not, whose profile
// is p.
func (s *Service) CheckConfiguration(ctx context.Context, c *configuration.Configuration, p *placeprofile.Profile, opts plancheck.Options) (*plancheck.Report, error) {
	city, err := s.CheckCity(ctx)
	if err != nil {
		return nil, err
	}
	return plancheck.Check(city, c, p, indicatorprofile.Groups(s.ds, c, PCN), opts), nil
}

// checkProperties are the findings a map flags a unit by.
func checkProperties(r *plancheck.Report, level, id string) map[string]any {
	if level == placeprofile.LevelLocality {
		pieces := 1
		for _, l := range r.Contiguity.Localities {
			if l.ID == id {
				pieces = len(l.Pieces)
			}
		}
		return map[string]any{"contiguous": pieces == 1, "pieces": pieces}
	}
	t, ok := r.Team(id)
	if !ok {
		return nil
	}
	props := map[string]any{
		"contiguous": t.Contiguous, "pieces": t.Pieces,
		"polsby_popper": t.PolsbyPopper, "hull_ratio": t.HullRatio,
		"resident_deviation": t.ResidentDeviation,
		"resident_balanced":  !slices.Contains(r.Resident.Outside, id), "split_pcns": len(t.SplitPCNs),
	}
	if t.RegisteredDeviation != nil {
		props["registered_deviation"] = *t.RegisteredDeviation
	}
	if t.CatchmentCoherence != nil {
		props["catchment_coherence"] = *t.CatchmentCoherence
	}
	return props
}
