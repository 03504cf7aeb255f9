package planning

import (
	"context"
	"errors"
	"fmt"

	"github.com/placeteam/placeteam/data/configuration"
	"github.com/placeteam/placeteam/profiles/carry"
)

// Carry carries version v of a configuration of the store's wards to
// another ward set (opts.Wards, and opts.Lookup when given): each new ward
// to the team holding most of its residents. Lookup codes are normalised
// (carry.NormaliseLookup). Nothing is written; the result's configuration
// is saved in a store of the new wards. Bad input (no wards, a bad piece
// size, an empty or clashing lookup) wraps configuration.ErrInvalid.
func (s *Service) Carry(ctx context.Context, v Version, opts carry.Options) (*carry.Result, error) {
	opts.Dataset, opts.Configuration = s.ds, v.Configuration
	lookup, err := carry.NormaliseLookup(opts.Lookup)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", configuration.ErrInvalid, err)
	}
	opts.Lookup = lookup
	r, err := carry.Carry(ctx, opts)
	if errors.Is(err, carry.ErrInput) {
		return nil, fmt.Errorf("%w: %w", configuration.ErrInvalid, err)
	}
	return r, err
}
