package dissolve

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// FuzzUnion dissolves small random sets of polygons — rectangles (some with
// holes), star-shaped polygons, copies of earlier polygons moved by up to
// 1.5× the snap tolerance, and arbitrary rings that may cross themselves —
// laid on a 16 × 16 grid of 0.001° so that they often touch and overlap.
// Union must not panic; it may refuse an invalid polygon or an input with no
// area, but anything it returns must pass checkOutput and, when every input
// was valid, have an area between that of the largest input and the sum of
// all inputs, give or take what snapping and sliver removal may move.
//
// ErrOverlay is accepted only for inputs with arbitrary rings: a ring that
// touches itself in exact arithmetic can miss by 1e-12° in floating point,
// pass simplefeatures' validation and then fail its overlay, which nodes
// more coarsely. Polygons valid by construction must never fail it.
func FuzzUnion(f *testing.F) {
	f.Add([]byte{0, 1, 1, 4, 4, 0, 0, 5, 1, 4, 4, 0})                     // two touching rectangles
	f.Add([]byte{0, 1, 1, 8, 8, 1, 1, 3, 3, 2, 2, 1, 3, 3, 2, 2})         // rectangle with hole, then its enclave
	f.Add([]byte{1, 8, 8, 5, 200, 7, 2, 0, 128, 90, 3})                   // star, then a jittered copy
	f.Add([]byte{0, 0, 0, 5, 5, 0, 2, 0, 255, 1, 9, 0, 0, 3, 7, 6, 2, 9}) // rectangle, jittered copy, crossing ring
	f.Add([]byte{3, 5, 1, 2, 9, 14, 0, 0, 15, 6, 12, 3})                  // arbitrary ring
	f.Fuzz(func(t *testing.T, data []byte) {
		parts, allValid := fuzzPolygons(data)
		g, err := Union(context.Background(), parts, Options{})
		if err != nil {
			if errors.Is(err, ErrEmpty) || errors.Is(err, ErrInvalidPolygon) || errors.Is(err, ErrOverlay) && !allValid {
				return
			}
			t.Fatalf("Union: %v\ninput: %v", err, parts)
		}
		checkOutput(t, g)
		if !allValid {
			return
		}
		largest, sum, perimeters := 0.0, 0.0, 0.0
		for _, mp := range parts {
			a := planarArea(mp)
			largest = math.Max(largest, a)
			sum += a
			for _, p := range mp {
				for _, r := range p {
					perimeters += perimeter(r)
				}
			}
		}
		slack := 2 * DefaultSnapTolerance * perimeters
		if a := planarArea(g); a < largest-slack || a > sum+slack {
			t.Errorf("area %g outside [%g, %g] ± %g\ninput: %v\noutput: %v", a, largest, sum, slack, parts, g)
		}
	})
}

// fuzzPolygons decodes up to six polygons from data; allValid is false when
// an arbitrary (possibly self-crossing) ring was made.
func fuzzPolygons(data []byte) (parts []orb.MultiPolygon, allValid bool) {
	const unit = 0.001
	origin := orb.Point{-2.3, 53.4}
	at := func(x, y float64) orb.Point { return orb.Point{origin[0] + x*unit, origin[1] + y*unit} }
	next := func() float64 {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return float64(b)
	}
	allValid = true
	for len(data) > 0 && len(parts) < 6 {
		switch int(next()) % 4 {
		case 0: // rectangle, with a hole when the last byte is odd
			x, y := float64(int(next())%16), float64(int(next())%16)
			w, h := 1+float64(int(next())%8), 1+float64(int(next())%8)
			p := orb.Polygon{{at(x, y), at(x+w, y), at(x+w, y+h), at(x, y+h), at(x, y)}}
			if int(next())%2 == 1 && w > 2 && h > 2 {
				p = append(p, orb.Ring{at(x+1, y+1), at(x+1, y+h-1), at(x+w-1, y+h-1), at(x+w-1, y+1), at(x+1, y+1)})
			}
			parts = append(parts, orb.MultiPolygon{p})
		case 1: // star-shaped: increasing angles, positive radii, so simple
			cx, cy := float64(int(next())%16), float64(int(next())%16)
			n := 3 + int(next())%6
			var r orb.Ring
			for i := range n {
				angle := 2 * math.Pi * (float64(i) + 0.8*next()/255) / float64(n)
				radius := 0.5 + float64(int(next())%6)
				r = append(r, at(cx+radius*math.Cos(angle), cy+radius*math.Sin(angle)))
			}
			parts = append(parts, orb.MultiPolygon{{append(r, r[0])}})
		case 2: // an earlier polygon moved by up to 1.5× the snap tolerance
			if len(parts) == 0 {
				continue
			}
			src := parts[int(next())%len(parts)]
			scale := 1.5 * DefaultSnapTolerance * next() / 255
			moved := orb.Clone(src).(orb.MultiPolygon)
			for _, p := range moved {
				for _, ring := range p {
					for i := range ring[:len(ring)-1] {
						ring[i][0] += scale * (next()/255 - 0.5)
						ring[i][1] += scale * (next()/255 - 0.5)
					}
					ring[len(ring)-1] = ring[0]
				}
			}
			parts = append(parts, moved)
		case 3: // arbitrary ring of three to six vertices
			n := 3 + int(next())%4
			var r orb.Ring
			for range n {
				r = append(r, at(float64(int(next())%16), float64(int(next())%16)))
			}
			parts = append(parts, orb.MultiPolygon{{append(r, r[0])}})
			allValid = false
		}
	}
	return parts, allValid
}
