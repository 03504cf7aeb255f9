package demo

import (
	"math"
	"math/rand/v2"
)

// noiseField is smooth value noise on the local plane: random values on a
// coarse square lattice, interpolated with a smoothstep. It gives the
// spatially autocorrelated variation (outline, area shapes, deprivation)
// that independent draws per area would lack.
type noiseField struct {
	spacing float64
	origin  xy
	cols    int
	rows    int
	values  []float64
}

// newNoise covers a width×height rectangle centred on the origin with values
// in [0, 1) every spacing metres.
func newNoise(rng *rand.Rand, width, height, spacing float64) *noiseField {
	cols := int(math.Ceil(width/spacing)) + 2
	rows := int(math.Ceil(height/spacing)) + 2
	f := &noiseField{
		spacing: spacing,
		origin:  xy{-float64(cols-1) * spacing / 2, -float64(rows-1) * spacing / 2},
		cols:    cols,
		rows:    rows,
		values:  make([]float64, cols*rows),
	}
	for i := range f.values {
		f.values[i] = rng.Float64()
	}
	return f
}

// at returns the noise at p, in [0, 1); positions off the field are clamped
// to its edge.
func (f *noiseField) at(p xy) float64 {
	gx := clamp((p.x-f.origin.x)/f.spacing, 0, float64(f.cols-1)-1e-9)
	gy := clamp((p.y-f.origin.y)/f.spacing, 0, float64(f.rows-1)-1e-9)
	i, j := int(gx), int(gy)
	tx, ty := smoothstep(gx-float64(i)), smoothstep(gy-float64(j))
	v := func(i, j int) float64 { return f.values[j*f.cols+i] }
	a := v(i, j)*(1-tx) + v(i+1, j)*tx
	b := v(i, j+1)*(1-tx) + v(i+1, j+1)*tx
	return a*(1-ty) + b*ty
}

func smoothstep(t float64) float64 { return t * t * (3 - 2*t) }

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
