package reproject

import (
	"math"

	"github.com/wroge/wgs84"
)

// National Grid projection constants (Ordnance Survey, "A guide to
// coordinate systems in Great Britain", section 6.5 and annex C).
const (
	gridScale         = 0.9996012717 // F0, scale factor on the central meridian
	gridOriginLat     = 49.0         // φ0, degrees north
	gridOriginLon     = -2.0         // λ0, degrees east
	gridFalseEasting  = 400000.0     // E0, metres
	gridFalseNorthing = -100000.0    // N0, metres
)

// nationalGrid is the Transverse Mercator projection of the British National
// Grid, written from the Ordnance Survey formulae. It implements
// [wgs84.Projection] so the OSGB36 datum shift can stay with that package.
//
// It replaces wgs84.OSGB36NationalGrid's projection, whose inverse
// (wgs84 v1.1.7, system.go) computes the radius of curvature with
// math.Pow(x, 3/2) — integer division, so power 1 — and uses e1² where the
// series needs e'². That moves latitudes by 6 cm in central Manchester, 0.4 m
// at Daresbury, 13.7 m at the OS guide's worked example in Norfolk and 45 m at
// St Kilda. TestNationalGridMatchesOSWorkedExamples holds this version to 1 mm.
type nationalGrid struct{}

// ellipsoid holds the quantities the OS formulae derive from a and b.
type ellipsoid struct {
	a, b, e2, n float64
}

func newEllipsoid(s wgs84.Spheroid) ellipsoid {
	a := s.A()
	b := a * (1 - 1/s.Fi())
	return ellipsoid{a: a, b: b, e2: (a*a - b*b) / (a * a), n: (a - b) / (a + b)}
}

// meridionalArc is M in the OS formulae: the scaled meridian distance from
// the true origin's latitude to lat (radians).
func (el ellipsoid) meridionalArc(lat float64) float64 {
	phi0 := gridOriginLat * math.Pi / 180
	n, n2, n3 := el.n, el.n*el.n, el.n*el.n*el.n
	d, s := lat-phi0, lat+phi0
	return el.b * gridScale * ((1+n+5.0/4*n2+5.0/4*n3)*d -
		(3*n+3*n2+21.0/8*n3)*math.Sin(d)*math.Cos(s) +
		(15.0/8*n2+15.0/8*n3)*math.Sin(2*d)*math.Cos(2*s) -
		35.0/24*n3*math.Sin(3*d)*math.Cos(3*s))
}

// radii returns ν (transverse radius of curvature), ρ (meridional radius of
// curvature), both scaled by F0, and η² = ν/ρ - 1 at lat (radians).
func (el ellipsoid) radii(lat float64) (nu, rho, eta2 float64) {
	sin := math.Sin(lat)
	w := 1 - el.e2*sin*sin
	nu = el.a * gridScale / math.Sqrt(w)
	rho = el.a * gridScale * (1 - el.e2) / (w * math.Sqrt(w))
	return nu, rho, nu/rho - 1
}

// FromLonLat projects OSGB36 lon/lat in degrees to eastings and northings.
func (nationalGrid) FromLonLat(lon, lat float64, s wgs84.Spheroid) (east, north float64) {
	el := newEllipsoid(s)
	phi := lat * math.Pi / 180
	dl := (lon - gridOriginLon) * math.Pi / 180
	sin, cos, tan := math.Sin(phi), math.Cos(phi), math.Tan(phi)
	cos3, cos5 := cos*cos*cos, cos*cos*cos*cos*cos
	tan2, tan4 := tan*tan, tan*tan*tan*tan
	nu, rho, eta2 := el.radii(phi)

	i := el.meridionalArc(phi) + gridFalseNorthing
	ii := nu / 2 * sin * cos
	iii := nu / 24 * sin * cos3 * (5 - tan2 + 9*eta2)
	iiiA := nu / 720 * sin * cos5 * (61 - 58*tan2 + tan4)
	iv := nu * cos
	v := nu / 6 * cos3 * (nu/rho - tan2)
	vi := nu / 120 * cos5 * (5 - 18*tan2 + tan4 + 14*eta2 - 58*tan2*eta2)

	dl2 := dl * dl
	north = i + dl2*(ii+dl2*(iii+dl2*iiiA))
	east = gridFalseEasting + dl*(iv+dl2*(v+dl2*vi))
	return east, north
}

// ToLonLat converts eastings and northings to OSGB36 lon/lat in degrees.
func (nationalGrid) ToLonLat(east, north float64, s wgs84.Spheroid) (lon, lat float64) {
	el := newEllipsoid(s)
	phi0 := gridOriginLat * math.Pi / 180
	aF0 := el.a * gridScale

	// Iterate for the latitude φ' whose meridional arc matches the northing,
	// to 0.01 mm as the OS guide prescribes. Non-finite input fails the
	// comparison and leaves the loop at once; the cap guards everything else.
	phi := (north-gridFalseNorthing)/aF0 + phi0
	m := el.meridionalArc(phi)
	for range 20 {
		if !(math.Abs(north-gridFalseNorthing-m) >= 1e-5) {
			break
		}
		phi += (north - gridFalseNorthing - m) / aF0
		m = el.meridionalArc(phi)
	}

	nu, rho, eta2 := el.radii(phi)
	tan := math.Tan(phi)
	tan2, tan4, tan6 := tan*tan, tan*tan*tan*tan, tan*tan*tan*tan*tan*tan
	sec := 1 / math.Cos(phi)
	nu3, nu5, nu7 := nu*nu*nu, nu*nu*nu*nu*nu, nu*nu*nu*nu*nu*nu*nu

	vii := tan / (2 * rho * nu)
	viii := tan / (24 * rho * nu3) * (5 + 3*tan2 + eta2 - 9*tan2*eta2)
	ix := tan / (720 * rho * nu5) * (61 + 90*tan2 + 45*tan4)
	x := sec / nu
	xi := sec / (6 * nu3) * (nu/rho + 2*tan2)
	xii := sec / (120 * nu5) * (5 + 28*tan2 + 24*tan4)
	xiiA := sec / (5040 * nu7) * (61 + 662*tan2 + 1320*tan4 + 720*tan6)

	de := east - gridFalseEasting
	de2 := de * de
	phi = phi - de2*(vii-de2*(viii-de2*ix))
	lambda := gridOriginLon*math.Pi/180 + de*(x-de2*(xi-de2*(xii-de2*xiiA)))
	return lambda * 180 / math.Pi, phi * 180 / math.Pi
}

// nationalGridCRS is EPSG:27700: the OSGB36 datum (Airy 1830 ellipsoid and
// the EPSG:1314 seven-parameter Helmert shift to WGS84, both from wgs84)
// with the projection above.
func nationalGridCRS() wgs84.ProjectedReferenceSystem {
	return wgs84.ProjectedReferenceSystem{Datum: wgs84.OSGB36(), Projection: nationalGrid{}}
}
