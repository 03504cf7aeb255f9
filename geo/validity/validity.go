// Package validity checks that polygon geometry is fit to store: rings closed,
// not degenerate, coordinates finite and within lon/lat range.
package validity

import (
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Sentinel errors, wrapped with the ring and position that failed.
var (
	ErrUnclosedRing   = errors.New("ring is not closed (first and last positions differ)")
	ErrDegenerateRing = errors.New("ring is degenerate (fewer than 4 positions or zero area)")
	ErrBadCoordinate  = errors.New("coordinate is not a finite lon/lat")
	ErrEmpty          = errors.New("geometry is empty")
)

// LonLat reports an error unless p is a finite WGS84 lon/lat position.
func LonLat(p orb.Point) error {
	if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) ||
		p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
		return fmt.Errorf("%w: (%g, %g)", ErrBadCoordinate, p[0], p[1])
	}
	return nil
}

// Ring checks one linear ring.
func Ring(r orb.Ring) error {
	for _, p := range r {
		if err := LonLat(p); err != nil {
			return err
		}
	}
	if len(r) < 4 {
		return fmt.Errorf("%w: %d positions", ErrDegenerateRing, len(r))
	}
	if r[0] != r[len(r)-1] {
		return ErrUnclosedRing
	}
	if planar.Area(r) == 0 {
		return fmt.Errorf("%w: area is zero", ErrDegenerateRing)
	}
	return nil
}

// Polygon checks every ring of p.
func Polygon(p orb.Polygon) error {
	if len(p) == 0 {
		return ErrEmpty
	}
	for i, r := range p {
		if err := Ring(r); err != nil {
			if i == 0 {
				return fmt.Errorf("exterior ring: %w", err)
			}
			return fmt.Errorf("interior ring %d: %w", i, err)
		}
	}
	return nil
}

// MultiPolygon checks every polygon of mp.
func MultiPolygon(mp orb.MultiPolygon) error {
	if len(mp) == 0 {
		return ErrEmpty
	}
	for i, p := range mp {
		if err := Polygon(p); err != nil {
			if len(mp) == 1 {
				return err
			}
			return fmt.Errorf("polygon %d: %w", i, err)
		}
	}
	return nil
}
