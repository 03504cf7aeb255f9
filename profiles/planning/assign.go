package planning

import (
	"context"
	"sync"

	"github.com/placeteam/placeteam/profiles/assign"
)

// assignAreas are the dataset's wards and LSOAs indexed for placing
// points, built on first use (some milliseconds) and shared by every
// version's Assigner.
type assignAreas struct {
	once  sync.Once
	areas *assign.Areas
}

// Assigner places points in the wards, LSOAs, teams and localities of
// version v (profiles/assign), for the CLI's assign and the API's
// POST …/assign. The indexes are built once; an Assigner per call only
// maps the version's wards to their teams.
func (s *Service) Assigner(_ context.Context, v Version) (*assign.Assigner, error) {
	s.assignAreas.once.Do(func() { s.assignAreas.areas = assign.NewAreas(s.ds) })
	return s.assignAreas.areas.For(v.Configuration)
}
