package api

import (
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

func lsoaAreaKm2(g orb.MultiPolygon) float64 { return geo.Area(g) / 1e6 }
