package areaindex

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestInteriorPoint(t *testing.T) {
	uShape := orb.Polygon{{{0, 0}, {10, 0}, {10, 10}, {8, 10}, {8, 2}, {2, 2}, {2, 10}, {0, 10}, {0, 0}}}
	donut := orb.Polygon{square(0, 0, 10, 10), reversed(square(2, 2, 8, 8))}
	// A diamond: the middle scan line would pass through two vertices.
	diamond := orb.Polygon{{{0, 5}, {5, 0}, {10, 5}, {5, 10}, {0, 5}}}
	// A comb whose teeth meet the middle height only at vertices.
	comb := orb.Polygon{{{0, 0}, {6, 0}, {6, 10}, {5, 10}, {5, 5}, {4, 5}, {4, 10}, {3, 10}, {3, 5}, {2, 5}, {2, 10}, {1, 10}, {1, 5}, {0, 5}, {0, 0}}}
	sliver := orb.Polygon{{{0, 0}, {1e-6, 0}, {0, 1}, {0, 0}}}
	lonLat := orb.Polygon{{{-2.2425, 53.4785}, {-2.2275, 53.4785}, {-2.2275, 53.4875}, {-2.2425, 53.4785}}}

	tests := []struct {
		name string
		mp   orb.MultiPolygon
		want orb.Polygon // the part the point must be strictly inside
		// centroidOutside marks shapes whose centroid misses them, which is
		// why InteriorPoint exists.
		centroidOutside bool
	}{
		{"square", orb.MultiPolygon{{square(0, 0, 1, 1)}}, orb.Polygon{square(0, 0, 1, 1)}, false},
		{"U shape", orb.MultiPolygon{uShape}, uShape, true},
		{"donut", orb.MultiPolygon{donut}, donut, true},
		{"diamond", orb.MultiPolygon{diamond}, diamond, false},
		{"comb", orb.MultiPolygon{comb}, comb, false},
		{"sliver", orb.MultiPolygon{sliver}, sliver, false},
		{"lon/lat triangle", orb.MultiPolygon{lonLat}, lonLat, false},
		{"largest part wins", orb.MultiPolygon{{square(0, 0, 1, 1)}, uShape, {square(20, 20, 22, 22)}}, uShape, false},
		{"zero-area part skipped", orb.MultiPolygon{{{{0, 0}, {1, 1}, {2, 2}, {0, 0}}}, {square(5, 5, 6, 6)}}, orb.Polygon{square(5, 5, 6, 6)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := InteriorPoint(tt.mp)
			if !polygonStrictlyContains(tt.want, p) {
				t.Fatalf("InteriorPoint = %v, not strictly inside %v", p, tt.want)
			}
			if c, _ := planar.CentroidArea(tt.want); tt.centroidOutside && planar.PolygonContains(tt.want, c) {
				t.Errorf("test shape's centroid %v is inside; the case proves nothing", c)
			}
		})
	}
}

func TestInteriorPointDegenerate(t *testing.T) {
	if p := InteriorPoint(nil); p != (orb.Point{}) {
		t.Errorf("empty: %v", p)
	}
	line := orb.MultiPolygon{{{{0, 0}, {2, 2}, {4, 4}, {0, 0}}}}
	if p := InteriorPoint(line); p != (orb.Point{2, 2}) {
		t.Errorf("zero area: %v, want the bound's centre", p)
	}
	if p := InteriorPoint(orb.MultiPolygon{{}}); p != (orb.Point{}) {
		t.Errorf("empty polygon: %v", p)
	}
}

// starPolygon builds a simple (star-shaped) ring around centre from fuzz
// bytes: vertex i sits at angle 2π(i+jitter)/n, so vertices stay in order
// and edges cannot cross.
func starPolygon(data []byte, centre orb.Point, minRadius, maxRadius float64) orb.Ring {
	n := 3 + len(data)/2
	ring := make(orb.Ring, 0, n+1)
	for i := range n {
		var jitter, radius byte
		if 2*i+1 < len(data) {
			jitter, radius = data[2*i], data[2*i+1]
		}
		angle := 2 * math.Pi * (float64(i) + float64(jitter)/256) / float64(n)
		r := minRadius + (maxRadius-minRadius)*float64(radius)/255
		ring = append(ring, orb.Point{centre[0] + r*math.Cos(angle), centre[1] + r*math.Sin(angle)})
	}
	return append(ring, ring[0])
}

// FuzzInteriorPoint checks the guarantee on random star-shaped polygons
// near Manchester, optionally with a star-shaped hole around the same
// centre (which is then outside the polygon).
func FuzzInteriorPoint(f *testing.F) {
	f.Add([]byte{}, false)
	f.Add([]byte{0, 255, 0, 0, 0, 255, 0, 0}, true)
	f.Add([]byte{128, 10, 128, 250, 128, 10, 128, 250, 128, 10, 128, 250}, true)
	f.Fuzz(func(t *testing.T, data []byte, withHole bool) {
		if len(data) > 2000 {
			return
		}
		centre := orb.Point{-2.24, 53.48}
		poly := orb.Polygon{starPolygon(data, centre, 0.005, 0.01)}
		if withHole {
			poly = append(poly, starPolygon(data[len(data)/2:], centre, 0.001, 0.0049))
		}
		p := InteriorPoint(orb.MultiPolygon{poly})
		if !polygonStrictlyContains(poly, p) {
			t.Fatalf("InteriorPoint = %v, not strictly inside %v", p, poly)
		}
		if code, ok := New([]Area{{Code: "x", Geometry: orb.MultiPolygon{poly}}}).Locate(p); !ok || code != "x" {
			t.Fatalf("Locate(InteriorPoint) = %q, %v", code, ok)
		}
	})
}
