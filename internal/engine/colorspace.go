package engine

import "math"

// Colours travel in three spaces: 8-bit sRGB at the edges (input and output),
// linear light wherever light is mixed (backdrops, shadows), and Oklab wherever
// closeness is judged, because equal Oklab distances look equally different.

// oklab is a colour in the Oklab space: L is lightness (0..1), A and B the
// green–red and blue–yellow axes.
type oklab struct{ L, A, B float32 }

// linRGB is a colour in linear-light sRGB primaries.
type linRGB struct{ R, G, B float32 }

var srgb8ToLinear [256]float32

const linToSRGBSteps = 4096

var linToSRGBTable [linToSRGBSteps + 2]float32

func init() {
	for i := range srgb8ToLinear {
		srgb8ToLinear[i] = float32(srgbToLinear(float64(i) / 255))
	}
	for i := range linToSRGBTable {
		linToSRGBTable[i] = float32(linearToSRGB(float64(i) / linToSRGBSteps))
	}
}

func srgbToLinear(v float64) float64 {
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func linearToSRGB(v float64) float64 {
	switch {
	case v <= 0:
		return 0
	case v >= 1:
		return 1
	case v <= 0.0031308:
		return v * 12.92
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

// linearToSRGBFast is a table lookup with interpolation; its error (< 1e-4)
// is far below one 8-bit step.
func linearToSRGBFast(v float32) float32 {
	if v <= 0 {
		return 0
	}
	if v >= 1 {
		return 1
	}
	f := v * linToSRGBSteps
	i := int(f)
	t := f - float32(i)
	return linToSRGBTable[i] + t*(linToSRGBTable[i+1]-linToSRGBTable[i])
}

// cbrt32 is a cube root good to ~1e-6 relative: a bit-level first guess and
// two Newton steps, several times faster than math.Cbrt on float64.
func cbrt32(x float32) float32 {
	if x <= 0 {
		if x == 0 {
			return 0
		}
		return -cbrt32(-x)
	}
	y := math.Float32frombits(math.Float32bits(x)/3 + 709921077)
	y = (2*y + x/(y*y)) * (1.0 / 3)
	y = (2*y + x/(y*y)) * (1.0 / 3)
	return y
}

func linearToOklab(r, g, b float32) oklab {
	l := cbrt32(0.4122214708*r + 0.5363325363*g + 0.0514459929*b)
	m := cbrt32(0.2119034982*r + 0.6806995451*g + 0.1073969566*b)
	s := cbrt32(0.0883024619*r + 0.2817188376*g + 0.6299787005*b)
	return oklab{
		0.2104542553*l + 0.7936177850*m - 0.0040720468*s,
		1.9779984951*l - 2.4285922050*m + 0.4505937099*s,
		0.0259040371*l + 0.7827717662*m - 0.8086757660*s,
	}
}

func oklabToLinear(c oklab) linRGB {
	l := c.L + 0.3963377774*c.A + 0.2158037573*c.B
	m := c.L - 0.1055613458*c.A - 0.0638541728*c.B
	s := c.L - 0.0894841775*c.A - 1.2914855480*c.B
	l, m, s = l*l*l, m*m*m, s*s*s
	return linRGB{
		+4.0767416621*l - 3.3077115913*m + 0.2309699292*s,
		-1.2684380046*l + 2.6097574011*m - 0.3413193965*s,
		-0.0041960863*l - 0.7034186147*m + 1.7076147010*s,
	}
}

// srgb8ToOklab converts one 8-bit sRGB pixel.
func srgb8ToOklab(r, g, b uint8) oklab {
	return linearToOklab(srgb8ToLinear[r], srgb8ToLinear[g], srgb8ToLinear[b])
}

// srgbToOklab converts an sRGB colour with channels in 0..1.
func srgbToOklab(r, g, b float64) oklab {
	return linearToOklab(float32(srgbToLinear(r)), float32(srgbToLinear(g)), float32(srgbToLinear(b)))
}

// toSRGB returns the colour as sRGB channels in 0..1, clipped to the gamut.
func (c oklab) toSRGB() (r, g, b float64) {
	l := oklabToLinear(c).clip()
	return linearToSRGB(float64(l.R)), linearToSRGB(float64(l.G)), linearToSRGB(float64(l.B))
}

func (c oklab) dist(o oklab) float32 {
	dl, da, db := c.L-o.L, c.A-o.A, c.B-o.B
	return float32(math.Sqrt(float64(dl*dl + da*da + db*db)))
}

func (c oklab) chroma() float64 { return math.Hypot(float64(c.A), float64(c.B)) }

// hue is in degrees, 0..360.
func (c oklab) hue() float64 {
	h := math.Atan2(float64(c.B), float64(c.A)) * 180 / math.Pi
	if h < 0 {
		h += 360
	}
	return h
}

// withLCh rebuilds the colour from lightness, chroma and hue (degrees).
func fromLCh(l, c, h float64) oklab {
	r := h * math.Pi / 180
	return oklab{float32(l), float32(c * math.Cos(r)), float32(c * math.Sin(r))}
}

// rotateHue turns the hue by deg degrees, keeping lightness and chroma.
func (c oklab) rotateHue(deg float64) oklab {
	return fromLCh(float64(c.L), c.chroma(), c.hue()+deg)
}

func (c oklab) lerp(o oklab, t float32) oklab {
	return oklab{c.L + (o.L-c.L)*t, c.A + (o.A-c.A)*t, c.B + (o.B-c.B)*t}
}

func (c linRGB) clip() linRGB {
	return linRGB{clamp01(c.R), clamp01(c.G), clamp01(c.B)}
}

func (c linRGB) scale(k float32) linRGB { return linRGB{c.R * k, c.G * k, c.B * k} }

func (c linRGB) add(o linRGB) linRGB { return linRGB{c.R + o.R, c.G + o.G, c.B + o.B} }

func (c linRGB) mul(o linRGB) linRGB { return linRGB{c.R * o.R, c.G * o.G, c.B * o.B} }

func (c linRGB) lerp(o linRGB, t float32) linRGB {
	return linRGB{c.R + (o.R-c.R)*t, c.G + (o.G-c.G)*t, c.B + (o.B-c.B)*t}
}

func (c linRGB) oklab() oklab { return linearToOklab(c.R, c.G, c.B) }

// hexLin turns 0xRRGGBB sRGB into linear light.
func hexLin(h uint32) linRGB {
	return linRGB{srgb8ToLinear[uint8(h>>16)], srgb8ToLinear[uint8(h>>8)], srgb8ToLinear[uint8(h)]}
}

func clamp01(v float32) float32 {
	if v < 0 {
		return 0
	}
	if v > 1 {
		return 1
	}
	return v
}

func smoothstep(e0, e1, x float32) float32 {
	t := clamp01((x - e0) / (e1 - e0))
	return t * t * (3 - 2*t)
}

func lerp32(a, b, t float32) float32 { return a + (b-a)*t }
