// Package dissolve merges area polygons (wards, LSOAs) into the polygons of
// the groups they form (teams, localities): shared boundaries disappear, holes
// are kept, and a group whose members do not touch becomes a MultiPolygon.
//
// Union is a readable chain:
//
//	collect rings → snap near-shared boundaries together → overlay (union)
//	→ drop slivers → tidy rings (orientation, order) → Polygon or MultiPolygon
//
// Coordinates are lon/lat degrees and every distance and area here is planar
// in degrees. The overlay is done by simplefeatures (pure Go, exact noding);
// that library is used only behind overlayUnion and validPolygon in
// overlay.go, and orb stays the geometry model everywhere else.
//
// Boundaries that should be shared but were digitised separately rarely match
// vertex for vertex. Before the overlay, each vertex that lies within
// Options.SnapTolerance of a vertex of another polygon is moved onto it, and
// each vertex that lies within the tolerance of another polygon's edge is
// inserted into that edge, so both sides of a shared boundary end up with the
// same vertices. After the overlay, any ring whose mean width
// (2 × area ÷ perimeter) is below the tolerance is a sliver: a sliver hole is
// filled and a sliver part is dropped.
package dissolve

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// DefaultSnapTolerance is the snap tolerance, in degrees, used when
// Options.SnapTolerance is 0: 1e-5°, about 1.1 m north–south and 0.7 m
// east–west at Manchester's latitude. It closes the sub-metre gaps and
// overlaps left where neighbouring boundaries were digitised separately.
// Only boundaries within a metre or so of another polygon's boundary move,
// which in boundary files means shared ones, and they move by at most that
// much, so areas change by well under 0.01% at ward scale.
const DefaultSnapTolerance = 1e-5

// Sentinel errors. Union and Groups wrap them with the part, polygon or group
// that failed; test them with errors.Is.
var (
	// ErrEmpty: there was nothing to dissolve, or every part was a sliver.
	ErrEmpty = errors.New("no polygon area to dissolve")
	// ErrInvalidPolygon: an input polygon is not a valid OGC polygon
	// (self-intersecting ring, hole outside its shell, non-finite coordinate).
	ErrInvalidPolygon = errors.New("invalid polygon")
	// ErrOverlay: the overlay library failed on numerically degenerate input.
	ErrOverlay = errors.New("overlay failed")
	// ErrBadOptions: Options holds a value that cannot be used.
	ErrBadOptions = errors.New("bad options")
)

// Options configure Union and Groups. The zero value suits boundary files
// in lon/lat degrees.
type Options struct {
	// SnapTolerance, in degrees, is how far apart two boundaries may lie and
	// still count as one shared boundary; it is also the mean width below
	// which a hole or part counts as a sliver. 0 means DefaultSnapTolerance.
	// A negative value turns snapping and sliver removal off, giving the
	// exact union of the input as it is.
	SnapTolerance float64
}

// tolerance resolves the snap tolerance: 0 for exact mode.
func (o Options) tolerance() (float64, error) {
	t := o.SnapTolerance
	switch {
	case math.IsNaN(t) || math.IsInf(t, 0):
		return 0, fmt.Errorf("%w: snap tolerance %g", ErrBadOptions, t)
	case t == 0:
		return DefaultSnapTolerance, nil
	case t < 0:
		return 0, nil
	}
	return t, nil
}

// Union dissolves parts into one geometry: an orb.Polygon when the result is
// one part, otherwise an orb.MultiPolygon with the largest part first. Holes
// are kept; shared boundaries, slivers and duplicate or collinear vertices
// are not. Rings are closed, exteriors counter-clockwise and holes clockwise
// (RFC 7946), each starting at its lowest-longitude vertex, so the same input
// always gives the same output.
//
// Input rings may be open or closed and wound either way; polygons may
// overlap. An input polygon that is not valid even before snapping gives
// ErrInvalidPolygon; no input area, or only slivers, gives ErrEmpty; a
// polygon that passes validation yet is degenerate at the level of
// floating-point rounding (a ring touching itself within 1e-12°, say) can
// fail the overlay with ErrOverlay. A wrong or invalid geometry is never
// returned in place of an error.
func Union(ctx context.Context, parts []orb.MultiPolygon, opts Options) (orb.Geometry, error) {
	g, err := union(ctx, parts, opts)
	if err != nil {
		return nil, fmt.Errorf("dissolve: %w", err)
	}
	return g, nil
}

// union is Union without the package prefix on its errors, so Groups can
// add the group id instead.
func union(ctx context.Context, parts []orb.MultiPolygon, opts Options) (orb.Geometry, error) {
	tolerance, err := opts.tolerance()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	polygons, err := collect(parts)
	if err != nil {
		return nil, err
	}
	if len(polygons) == 0 {
		return nil, ErrEmpty
	}
	snapped := polygons
	if tolerance > 0 {
		if snapped, err = snap(ctx, polygons, tolerance); err != nil {
			return nil, err
		}
	}
	inputs, err := overlayInputs(ctx, polygons, snapped, tolerance)
	if err != nil {
		return nil, err
	}
	merged, err := overlayUnion(ctx, inputs)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	result := tidy(merged, tolerance)
	switch len(result) {
	case 0:
		return nil, fmt.Errorf("%w: every part is a sliver narrower than %g°", ErrEmpty, tolerance)
	case 1:
		return result[0], nil
	}
	return result, nil
}

// overlayInputs picks the form of each input polygon to overlay: the first
// valid one of its snapped form, its original form without spikes narrower
// than the tolerance, and its original form as given. Snapping can make a
// polygon invalid by folding a part narrower than the tolerance onto
// itself; spikes that narrow can fail the overlay. A polygon that snapping
// collapses to no area lies wholly within the tolerance of its neighbours:
// a sliver, left out. A polygon invalid in every form is an error naming
// the part and polygon.
func overlayInputs(ctx context.Context, original, snapped []polygon, tolerance float64) ([]orb.Polygon, error) {
	out := make([]orb.Polygon, 0, len(snapped))
	for i := range snapped {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p, ok := snapped[i].orb(tolerance)
		if !ok {
			continue
		}
		if validPolygon(p) != nil {
			p, ok = original[i].orb(tolerance)
			if !ok || validPolygon(p) != nil {
				p, _ = original[i].orb(0) // collect kept only polygons with area
				if err := validPolygon(p); err != nil {
					return nil, fmt.Errorf("part %d polygon %d: %w: %w", original[i].part, original[i].index, ErrInvalidPolygon, err)
				}
			}
		}
		out = append(out, p)
	}
	return out, nil
}
