package planning

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/placeteam/placeteam/profiles/compare"
	"github.com/placeteam/placeteam/profiles/placeprofile"
	"github.com/placeteam/placeteam/profiles/plancheck"
	"github.com/placeteam/placeteam/profiles/wardtables"
)

// maxDatedTables bounds the ward tables kept for dates other than the
// core's own (each a few MB on a city).
const maxDatedTables = 4

// ErrNoDataOnDate is wrapped when the dataset has neither list sizes nor
// registrations on a date asked for.
var ErrNoDataOnDate = errors.New("no practice data on that date")

// TablesAt are the ward tables on date: the core's own when date is zero
// or theirs, else built once per date (with the core's decay option) and
// kept in a small bounded cache.
func (s *Service) TablesAt(ctx context.Context, date time.Time) (*wardtables.Tables, error) {
	if date.IsZero() || date.Equal(s.tables.Dates.Registrations) {
		return s.tables, nil
	}
	day := date.Format(time.DateOnly)
	return s.dated.get(ctx, day, func(ctx context.Context) (*wardtables.Tables, error) {
		opts := s.tablesOptions
		opts.Date = date
		t, err := wardtables.Build(ctx, s.ds, opts)
		if errors.Is(err, wardtables.ErrNoData) {
			// The tables' words ("no registrations or list sizes dated …
			// (have …)") without their package and sentinel prefix.
			detail := err.Error()
			if _, rest, ok := strings.Cut(detail, wardtables.ErrNoData.Error()+": "); ok {
				detail = rest
			}
			return nil, fmt.Errorf("planning: %w: %s", ErrNoDataOnDate, detail)
		}
		return t, err
	})
}

// ProfileAt is the place profile of v on date (Profile when date is
// zero or the core's). A profile on another date is not cached (it takes
// microseconds once the tables are built).
func (s *Service) ProfileAt(ctx context.Context, v Version, date time.Time, opts placeprofile.Options) (*placeprofile.Profile, error) {
	t, err := s.TablesAt(ctx, date)
	if err != nil {
		return nil, err
	}
	if t == s.tables {
		return s.Profile(ctx, v, opts)
	}
	return placeprofile.Evaluate(t, v.Configuration, opts)
}

// FlowsAt is v's flow matrix on date (Flows when date is zero).
func (s *Service) FlowsAt(ctx context.Context, v Version, level string, date time.Time) (*placeprofile.FlowMatrix, error) {
	t, err := s.TablesAt(ctx, date)
	if err != nil {
		return nil, err
	}
	return placeprofile.Flows(t, v.Configuration, level)
}

// ChecksAt are the plan checks of v whose populations come from p, a
// profile of v on another date (Checks when p is the core's own).
func (s *Service) ChecksAt(ctx context.Context, v Version, p *placeprofile.Profile) (*plancheck.Report, error) {
	if p.Dates.Registrations.Equal(s.tables.Dates.Registrations) {
		return s.Checks(ctx, v, plancheck.Options{})
	}
	return s.CheckConfiguration(ctx, v.Configuration, p, plancheck.Options{})
}

// CompareAt sets option b against option a on date (Compare when date is
// zero or the core's).
func (s *Service) CompareAt(ctx context.Context, a, b Version, date time.Time, opts placeprofile.Options) (*compare.Result, error) {
	pa, err := s.ProfileAt(ctx, a, date, opts)
	if err != nil {
		return nil, err
	}
	pb, err := s.ProfileAt(ctx, b, date, opts)
	if err != nil {
		return nil, err
	}
	return compare.Compare(a.Configuration, b.Configuration, pa, pb), nil
}
