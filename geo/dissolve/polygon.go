package dissolve

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
)

// polygon is one input polygon in working form: rings are open (the first
// vertex is not repeated at the end) and have no consecutive duplicates.
// rings[0] is the exterior. part and index locate it in the input for errors.
type polygon struct {
	part, index int
	rings       [][]orb.Point
}

// collect flattens parts into working polygons, cleaned of noise (see
// cleanRing). Rings with no area left are dropped, with their polygon when
// it is the exterior; a non-finite coordinate is an error.
func collect(parts []orb.MultiPolygon) ([]polygon, error) {
	var out []polygon
	for i, mp := range parts {
		for j, p := range mp {
			if len(p) == 0 {
				continue
			}
			for k, r := range p {
				for _, pt := range r {
					if !finite(pt) {
						return nil, fmt.Errorf("part %d polygon %d ring %d: %w: coordinate (%g, %g) is not finite",
							i, j, k, ErrInvalidPolygon, pt[0], pt[1])
					}
				}
			}
			exterior := cleanRing(p[0], spikes(noiseWidth))
			if exterior == nil {
				continue // no exterior, no area
			}
			w := polygon{part: i, index: j, rings: [][]orb.Point{exterior}}
			for _, r := range p[1:] {
				if hole := cleanRing(r, spikes(noiseWidth)); hole != nil {
					w.rings = append(w.rings, hole)
				}
			}
			out = append(out, w)
		}
	}
	return out, nil
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsNaN(p[1]) && !math.IsInf(p[0], 0) && !math.IsInf(p[1], 0)
}

// noiseWidth, in degrees (about 10 µm), is the mean width below which a
// ring is numerical noise rather than area: a near-collinear "triangle" from
// rounding, say. The overlay merges features closer than a few hundred ULPs
// (about 1.5e-11° at longitude 180), so such a ring could vanish inside it
// and fail it. Rings this thin are dropped on the way in and out, even when
// snapping is off.
const noiseWidth = 1e-10

// cleanRing returns r open, without repeated vertices and without each
// vertex b of a→b→c for which drop(a, b, c) holds (spike or straight). It
// returns nil when no area is left: fewer than three vertices, or a mean
// width below noiseWidth.
func cleanRing(r []orb.Point, drop func(a, b, c orb.Point) bool) []orb.Point {
	out := make([]orb.Point, 0, len(r))
	for _, p := range r {
		for {
			n := len(out)
			if n > 0 && out[n-1] == p {
				break
			}
			if n >= 2 && drop(out[n-2], out[n-1], p) {
				out = out[:n-1]
				continue
			}
			out = append(out, p)
			break
		}
	}
	// The same rules across the seam, where the ring closes.
	for len(out) >= 3 {
		n := len(out)
		if out[n-1] == out[0] || drop(out[n-2], out[n-1], out[0]) {
			out = out[:n-1]
			continue
		}
		if drop(out[n-1], out[0], out[1]) {
			out = out[1:]
			continue
		}
		break
	}
	if len(out) < 3 || isSliver(signedArea(out), perimeter(out), noiseWidth) {
		return nil
	}
	return out
}

// spikes returns a cleanRing rule that drops b of a→b→c when the ring
// doubles back there: b lies within width of the line through a and c but
// not strictly between them, or a and c coincide. Such a spike encloses
// (almost) no area, yet one that is not exactly on the line slips past
// validation and can fail the overlay. Vertices along a straight boundary
// are kept: they may be a neighbour's nodes.
func spikes(width float64) func(a, b, c orb.Point) bool {
	return func(a, b, c orb.Point) bool {
		dx, dy := c[0]-a[0], c[1]-a[1]
		length2 := dx*dx + dy*dy
		if length2 == 0 {
			return true
		}
		cross := (b[0]-a[0])*dy - (b[1]-a[1])*dx
		if math.Abs(cross) > width*math.Sqrt(length2) {
			return false
		}
		t := ((b[0]-a[0])*dx + (b[1]-a[1])*dy) / length2
		return t <= 0 || t >= 1
	}
}

// straight reports whether b lies exactly on the line through a and c,
// between them or not, so dropping it changes no area.
func straight(a, b, c orb.Point) bool {
	return (b[0]-a[0])*(c[1]-a[1])-(b[1]-a[1])*(c[0]-a[0]) == 0
}

// orb returns p as an orb.Polygon with closed rings, cleaned by cleanRing
// with spikes narrower than spikeWidth removed, or false when its exterior
// has no area left. Holes with no area left are left out.
func (p polygon) orb(spikeWidth float64) (orb.Polygon, bool) {
	if len(p.rings) == 0 {
		return nil, false
	}
	drop := spikes(max(spikeWidth, noiseWidth))
	out := make(orb.Polygon, 0, len(p.rings))
	for i, r := range p.rings {
		r = cleanRing(r, drop)
		if r == nil {
			if i == 0 {
				return nil, false
			}
			continue
		}
		out = append(out, closeRing(r))
	}
	return out, true
}

// closeRing returns the open ring r as a closed orb.Ring.
func closeRing(r []orb.Point) orb.Ring {
	out := make(orb.Ring, len(r), len(r)+1)
	copy(out, r)
	return append(out, r[0])
}

// signedArea is the planar shoelace area of a ring, open or closed:
// positive when counter-clockwise. Coordinates are taken relative to the
// first vertex to keep rounding small.
func signedArea(r []orb.Point) float64 {
	if len(r) < 3 {
		return 0
	}
	o := r[0]
	sum := 0.0
	for i := 1; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		sum += (a[0]-o[0])*(b[1]-o[1]) - (b[0]-o[0])*(a[1]-o[1])
	}
	return sum / 2
}

// perimeter is the planar length of a ring, open or closed.
func perimeter(r []orb.Point) float64 {
	sum := 0.0
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		sum += math.Hypot(b[0]-a[0], b[1]-a[1])
	}
	return sum
}
