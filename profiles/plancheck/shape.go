package plancheck

import (
	"math"
	"sort"

	"github.com/paulmach/orb"
)

// pieces splits wards into their connected pieces (ward codes, each piece
// in the given order, pieces ordered by their first ward). Wards the city
// does not have are left out.
func (c *City) pieces(wards []string) [][]string {
	var members []int
	for _, w := range wards {
		if i, ok := c.index[w]; ok {
			members = append(members, i)
		}
	}
	if len(members) == 0 {
		return nil
	}
	order := make(map[int]int, len(members))
	for k, i := range members {
		order[i] = k
	}
	var out [][]string
	for _, comp := range c.graph.Components(members) {
		sort.Slice(comp, func(a, b int) bool { return order[comp[a]] < order[comp[b]] })
		piece := make([]string, len(comp))
		for k, i := range comp {
			piece[k] = c.codes[i]
		}
		out = append(out, piece)
	}
	sort.Slice(out, func(a, b int) bool { return order[c.index[out[a][0]]] < order[c.index[out[b][0]]] })
	return out
}

// shape is the area (m²) and perimeter (m) of the union of wards, and the
// ratio of its area to its convex hull's.
func (c *City) shape(wards []string) (area, perimeter, hullRatio float64) {
	var members []int
	in := map[int]bool{}
	for _, w := range wards {
		if i, ok := c.index[w]; ok && !in[i] {
			in[i] = true
			members = append(members, i)
		}
	}
	if len(members) == 0 {
		return 0, 0, 0
	}
	var internal float64
	var points orb.MultiPoint
	for _, i := range members {
		area += c.areaM2[i]
		perimeter += c.perimeterM[i]
		for _, j := range c.graph.Neighbours(i) {
			if in[j] && j > i {
				internal += c.graph.Shared(i, j)
			}
		}
		points = append(points, c.outline[i]...)
	}
	perimeter = math.Max(perimeter-2*internal, 0)
	if len(points) < 3 {
		return area, perimeter, 0
	}
	centre := points.Bound().Center()
	proj := laea(centre)
	projected := make([]orb.Point, len(points))
	for k, p := range points {
		projected[k] = proj(p)
	}
	hull := convexHullArea(projected)
	if hull <= 0 {
		return area, perimeter, 0
	}
	// The team's area in the same projection: the wards' equal-area
	// projected areas (outer rings less holes).
	var projectedArea float64
	for _, i := range members {
		projectedArea += c.projectedArea(i, proj)
	}
	return area, perimeter, math.Min(projectedArea/hull, 1)
}

// projectedArea is ward i's area under proj.
func (c *City) projectedArea(i int, proj func(orb.Point) orb.Point) float64 {
	var a float64
	for _, p := range c.shapes[i] {
		for k, r := range p {
			ra := math.Abs(ringArea(r, proj))
			if k == 0 {
				a += ra
			} else {
				a -= ra
			}
		}
	}
	return a
}

func ringArea(r orb.Ring, proj func(orb.Point) orb.Point) float64 {
	var s float64
	for k := 0; k+1 < len(r); k++ {
		a, b := proj(r[k]), proj(r[k+1])
		s += a[0]*b[1] - b[0]*a[1]
	}
	return s / 2
}

// laea is the spherical (radius orb.EarthRadius, as orb/geo) Lambert azimuthal equal-area projection centred on
// centre (lon/lat degrees → metres).
func laea(centre orb.Point) func(orb.Point) orb.Point {
	lon0, lat0 := centre[0]*math.Pi/180, centre[1]*math.Pi/180
	sin0, cos0 := math.Sincos(lat0)
	return func(p orb.Point) orb.Point {
		lon, lat := p[0]*math.Pi/180, p[1]*math.Pi/180
		sinLat, cosLat := math.Sincos(lat)
		sinD, cosD := math.Sincos(lon - lon0)
		k := math.Sqrt(2 / (1 + sin0*sinLat + cos0*cosLat*cosD))
		return orb.Point{orb.EarthRadius * k * cosLat * sinD, orb.EarthRadius * k * (cos0*sinLat - sin0*cosLat*cosD)}
	}
}

// convexHullArea is the area of the convex hull of points (Andrew's
// monotone chain).
func convexHullArea(points []orb.Point) float64 {
	pts := append([]orb.Point(nil), points...)
	sort.Slice(pts, func(i, j int) bool {
		if pts[i][0] != pts[j][0] {
			return pts[i][0] < pts[j][0]
		}
		return pts[i][1] < pts[j][1]
	})
	cross := func(o, a, b orb.Point) float64 {
		return (a[0]-o[0])*(b[1]-o[1]) - (a[1]-o[1])*(b[0]-o[0])
	}
	hull := make([]orb.Point, 0, 2*len(pts))
	for _, p := range pts {
		for len(hull) >= 2 && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	lower := len(hull) + 1
	for i := len(pts) - 2; i >= 0; i-- {
		p := pts[i]
		for len(hull) >= lower && cross(hull[len(hull)-2], hull[len(hull)-1], p) <= 0 {
			hull = hull[:len(hull)-1]
		}
		hull = append(hull, p)
	}
	var s float64
	for k := 0; k+1 < len(hull); k++ {
		s += hull[k][0]*hull[k+1][1] - hull[k+1][0]*hull[k][1]
	}
	return math.Abs(s) / 2
}
