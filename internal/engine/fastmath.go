package engine

import "math"

// Table-driven exp and sin for per-pixel shading: backdrops need smooth
// curves, not 15 digits, and math.Exp/math.Sin in float64 dominated the
// profile.

const (
	expRange = 16
	expSteps = 4096
	sinSteps = 4096
)

var (
	expTable [expSteps + 2]float32
	sinTable [sinSteps + 2]float32
)

func init() {
	for i := range expTable {
		expTable[i] = float32(math.Exp(-float64(i) * expRange / expSteps))
	}
	for i := range sinTable {
		sinTable[i] = float32(math.Sin(float64(i) * 2 * math.Pi / sinSteps))
	}
}

// expNeg is e^-x for x >= 0 (negative x is treated as 0).
func expNeg(x float32) float32 {
	if x <= 0 {
		return 1
	}
	if x >= expRange {
		return 0
	}
	f := x * (expSteps / expRange)
	i := int(f)
	return expTable[i] + (expTable[i+1]-expTable[i])*(f-float32(i))
}

// sin32 is sin(x) to about 1e-6.
func sin32(x float32) float32 {
	f := x * (sinSteps / (2 * math.Pi))
	f -= floor32(f/sinSteps) * sinSteps
	i := int(f)
	if i >= sinSteps {
		i, f = 0, 0
	}
	return sinTable[i] + (sinTable[i+1]-sinTable[i])*(f-float32(i))
}

func abs32(x float32) float32 {
	if x < 0 {
		return -x
	}
	return x
}
