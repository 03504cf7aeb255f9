package report

import (
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/placeteam/placeteam/profiles/placeprofile"
)

// Map size (SVG user units).
const (
	mapWidth  = 300
	mapHeight = 240
	mapPad    = 6
)

// mapView is a small map: the city's wards, with the unit's dissolved
// geometry (or, for the city, every team) drawn over them.
type mapView struct {
	Show      bool
	Width     int
	Height    int
	Wards     []mapPath
	Highlight []mapPath
	Caption   string
}

type mapPath struct {
	D     string
	Class string
	Title string
}

// projection maps lon/lat into the map's box: equirectangular, x scaled
// by the cosine of the middle latitude, north up.
type projection struct {
	minLon, maxLat, scale, kx float64
	tolerance                 float64
}

func newProjection(b orb.Bound) projection {
	mid := (b.Min[1] + b.Max[1]) / 2 * math.Pi / 180
	kx := math.Cos(mid)
	w, h := (b.Max[0]-b.Min[0])*kx, b.Max[1]-b.Min[1]
	scale := math.Min((mapWidth-2*mapPad)/nonZero(w), (mapHeight-2*mapPad)/nonZero(h))
	return projection{minLon: b.Min[0], maxLat: b.Max[1], scale: scale, kx: kx, tolerance: 0.6 / scale}
}

func nonZero(v float64) float64 {
	if v <= 0 {
		return 1e-9
	}
	return v
}

func (p projection) point(pt orb.Point) (float64, float64) {
	return mapPad + (pt[0]-p.minLon)*p.kx*p.scale, mapPad + (p.maxLat-pt[1])*p.scale
}

// path is g's outline as SVG path data, simplified to well under a pixel
// of the map.
func (p projection) path(g orb.Geometry) string {
	if g == nil {
		return ""
	}
	g = simplify.DouglasPeucker(p.tolerance).Simplify(orb.Clone(g))
	var polys []orb.Polygon
	switch x := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{x}
	case orb.MultiPolygon:
		polys = x
	default:
		return ""
	}
	var sb strings.Builder
	for _, poly := range polys {
		for _, ring := range poly {
			if len(ring) < 3 {
				continue
			}
			for i, pt := range ring {
				x, y := p.point(pt)
				if i == 0 {
					sb.WriteByte('M')
				} else {
					sb.WriteByte('L')
				}
				sb.WriteString(strconv.FormatFloat(x, 'f', 1, 64))
				sb.WriteByte(' ')
				sb.WriteString(strconv.FormatFloat(y, 'f', 1, 64))
			}
			sb.WriteByte('Z')
		}
	}
	return sb.String()
}

func (b *builder) mapOf(u placeprofile.Unit) mapView {
	if len(b.in.Wards) == 0 {
		return mapView{}
	}
	var bound orb.Bound
	first := true
	for _, w := range b.in.Wards {
		if w.Geometry == nil {
			continue
		}
		if first {
			bound, first = w.Geometry.Bound(), false
		} else {
			bound = bound.Union(w.Geometry.Bound())
		}
	}
	if first {
		return mapView{}
	}
	proj := newProjection(bound)
	m := mapView{Show: true, Width: mapWidth, Height: mapHeight}
	in := map[string]bool{}
	for _, c := range u.Wards {
		in[c] = true
	}
	for _, w := range b.in.Wards {
		class := "ward"
		if u.Level != placeprofile.LevelCity && in[w.Code] {
			class = "ward ward-in"
		}
		m.Wards = append(m.Wards, mapPath{D: proj.path(w.Geometry), Class: class, Title: w.Name})
	}
	switch u.Level {
	case placeprofile.LevelCity:
		for i, t := range b.in.Profile.Teams {
			if g := b.in.Shapes[ShapeKey(placeprofile.LevelTeam, t.ID)]; g != nil {
				m.Highlight = append(m.Highlight, mapPath{D: proj.path(g), Class: "team team-" + strconv.Itoa(i%6), Title: t.ID + " " + t.Name})
			}
		}
		m.Caption = "The city's teams over its wards."
	default:
		if g := b.in.Shapes[ShapeKey(u.Level, u.ID)]; g != nil {
			m.Highlight = append(m.Highlight, mapPath{D: proj.path(g), Class: "unit", Title: u.Name})
		}
		m.Caption = u.Name + " (shaded) among the city's wards."
	}
	return m
}
