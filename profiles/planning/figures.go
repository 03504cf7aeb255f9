package planning

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/placeteam/placeteam/data/store"
	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/hubplan"
	"github.com/placeteam/placeteam/profiles/indicatorprofile"
	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Profile is the place profile of v. With default options it is computed
// once per version and shared: do not modify it.
func (s *Service) Profile(ctx context.Context, v Version, opts placeprofile.Options) (*placeprofile.Profile, error) {
	if opts != (placeprofile.Options{}) {
		return placeprofile.Evaluate(s.tables, v.Configuration, opts)
	}
	return s.profiles.get(ctx, v.key(), func(context.Context) (*placeprofile.Profile, error) {
		return placeprofile.Evaluate(s.tables, v.Configuration, opts)
	})
}

// Flows is v's flow matrix between teams or localities.
func (s *Service) Flows(_ context.Context, v Version, level string) (*placeprofile.FlowMatrix, error) {
	return placeprofile.Flows(s.tables, v.Configuration, level)
}

// Compare sets option b against option a.
func (s *Service) Compare(ctx context.Context, a, b Version, opts placeprofile.Options) (*compare.Result, error) {
	pa, err := s.Profile(ctx, a, opts)
	if err != nil {
		return nil, err
	}
	pb, err := s.Profile(ctx, b, opts)
	if err != nil {
		return nil, err
	}
	return compare.Compare(a.Configuration, b.Configuration, pa, pb), nil
}

// IndicatorOptions are the options of an indicator profile for lens.
func (s *Service) IndicatorOptions(lens string) indicatorprofile.Options {
	if lens == "" {
		lens = indicatorprofile.LensRegistered
	}
	return indicatorprofile.Options{Lens: lens, Tables: s.tables}
}

// Indicator profiles indicator id over v's teams, localities and city.
func (s *Service) Indicator(_ context.Context, v Version, id, lens string) (*indicatorprofile.Result, error) {
	return indicatorprofile.EvaluateWith(s.ds, v.Configuration, id, s.IndicatorOptions(lens))
}

// CompareIndicator sets indicator id under option b against option a.
func (s *Service) CompareIndicator(ctx context.Context, a, b Version, id, lens string) (ra, rb *indicatorprofile.Result, changes []indicatorprofile.OptionChange, err error) {
	if ra, err = s.Indicator(ctx, a, id, lens); err != nil {
		return nil, nil, nil, err
	}
	if rb, err = s.Indicator(ctx, b, id, lens); err != nil {
		return nil, nil, nil, err
	}
	return ra, rb, indicatorprofile.CompareOptions(ra, rb), nil
}

// Breakdown counts residents of v's teams by a characteristic's groups.
func (s *Service) Breakdown(_ context.Context, v Version, characteristic string) (*indicatorprofile.Breakdown, error) {
	return indicatorprofile.BreakdownByCharacteristic(s.ds, v.Configuration, characteristic)
}

// PracticeGroups lists the practice groups (e.g. PCNs) of v's teams.
func (s *Service) PracticeGroups(_ context.Context, v Version, kind string) []indicatorprofile.TeamGroups {
	return indicatorprofile.Groups(s.ds, v.Configuration, kind)
}

// Characteristics lists the characteristics the indicators break down by.
func (s *Service) Characteristics() []string { return indicatorprofile.Characteristics(s.ds) }

// SiteHubs runs a hub-siting plan over v's teams and, when name is not
// empty, stores it as a scenario.
func (s *Service) SiteHubs(ctx context.Context, v Version, opts hubplan.Options, name string) (*hubplan.Plan, error) {
	plan, err := hubplan.Run(ctx, s.ds, s.tables, v.Configuration, opts)
	if err != nil {
		return nil, err
	}
	plan.Version = v.Number
	if name == "" {
		return plan, nil
	}
	body, err := json.Marshal(plan)
	if err != nil {
		return nil, fmt.Errorf("planning: encode scenario %q: %w", name, err)
	}
	if err := s.store.SaveScenario(ctx, name, v.Name, body); err != nil {
		return nil, err
	}
	s.audit(ctx, "scenario.save", name, map[string]any{"configuration": v.Name, "version": v.Number})
	return plan, nil
}

// Scenario is a stored plan's JSON.
func (s *Service) Scenario(ctx context.Context, name string) (json.RawMessage, error) {
	return s.store.Scenario(ctx, name)
}

// Scenarios lists the stored plans.
func (s *Service) Scenarios(ctx context.Context) ([]store.ScenarioInfo, error) {
	list, err := s.store.Scenarios(ctx)
	if list == nil && err == nil {
		list = []store.ScenarioInfo{}
	}
	return list, err
}
