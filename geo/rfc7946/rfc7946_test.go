package rfc7946

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func TestNormalize(t *testing.T) {
	cw := orb.Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}                          // clockwise exterior
	holeCCW := orb.Ring{{0.2, 0.2}, {0.4, 0.2}, {0.4, 0.4}, {0.2, 0.4}, {0.2, 0.2}} // counter-clockwise hole
	g := Normalize(orb.MultiPolygon{{cw, holeCCW}}).(orb.Polygon)
	if planar.Area(g[0]) <= 0 || planar.Area(g[1]) >= 0 {
		t.Errorf("orientation: exterior %v, hole %v", planar.Area(g[0]), planar.Area(g[1]))
	}
	if cw[1] != (orb.Point{0, 1}) {
		t.Error("Normalize changed its input")
	}
	p := Normalize(orb.Point{-2.123456789, 53.987654321}).(orb.Point)
	if p != (orb.Point{-2.123457, 53.987654}) {
		t.Errorf("rounded point = %v", p)
	}
	// A ring that collapses when rounded is dropped; repeated positions go.
	tiny := orb.Ring{{0, 0}, {1e-8, 0}, {1e-8, 1e-8}, {0, 0}}
	if got := Normalize(orb.Polygon{cw, tiny}).(orb.Polygon); len(got) != 1 {
		t.Errorf("collapsed hole kept: %v", got)
	}
}
