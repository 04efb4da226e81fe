// Package synth draws synthetic product shots whose true cut-out is known
// exactly, so the engine's masks can be scored against independent ground
// truth. Shapes are signed distance fields; edge pixels are supersampled
// for true coverage; products are blended over the backdrop in sRGB, the
// way most renderers anti-alias.
package synth

import (
	"image"
	"math"
	"math/rand/v2"
)

// Shot is one synthetic product photo and its ground truth.
type Shot struct {
	Name  string
	Image *image.NRGBA
	W, H  int
	// Alpha is the product's true coverage per pixel (0..1); shadows are
	// not product.
	Alpha []float32
	// Color is the product's true colour (sRGB 0..1, 3 per pixel), valid
	// where Alpha > 0.
	Color []float32
	// Shadow is the share of light the old shadows take from the backdrop
	// per pixel (0..1); nil when the shot has no shadow record.
	Shadow []float32
	// File is the shot as saved (Format "jpeg" or "png"); nil for shots
	// that only exist as pixels.
	File   []byte
	Format string
}

// RGB is an sRGB colour with channels in 0..1.
type RGB struct{ R, G, B float64 }

// Hex makes an RGB from 0xRRGGBB.
func Hex(h uint32) RGB {
	return RGB{float64(h>>16&255) / 255, float64(h>>8&255) / 255, float64(h&255) / 255}
}

// part is one piece of a product: its shape and its paint.
type part struct {
	sdf   func(x, y float64) float64 // pixels; negative inside
	color RGB
	// A part with a half-width is shaded as a vertical cylinder of that
	// radius centred at cx, lit from the front left.
	cx, halfWidth float64
	// shade, when set, paints the part instead (photographic shading).
	shade func(x, y float64) RGB
}

// spec describes a shot before drawing.
type spec struct {
	name        string
	parts       func(w, h float64) []part
	background  func(x, y, w, h float64) RGB
	shadow      func(x, y, w, h float64) float64 // fraction of light removed
	transparent bool
	noise       float64 // sensor noise, 8-bit steps (default 1)
}

// Names lists the shots in the standard set.
func Names() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.name
	}
	return out
}

// Set draws every standard shot at w×h.
func Set(w, h int) []Shot {
	out := make([]Shot, len(specs))
	for i, s := range specs {
		out[i] = draw(s, w, h, uint64(i+1))
	}
	return out
}

// ByName draws one standard shot; ok is false for an unknown name.
func ByName(name string, w, h int) (Shot, bool) {
	for i, s := range specs {
		if s.name == name {
			return draw(s, w, h, uint64(i+1)), true
		}
	}
	return Shot{}, false
}

func draw(s spec, w, h int, seed uint64) Shot {
	fw, fh := float64(w), float64(h)
	parts := s.parts(fw, fh)
	shot := Shot{Name: s.name, W: w, H: h, Image: image.NewNRGBA(image.Rect(0, 0, w, h)),
		Alpha: make([]float32, w*h), Color: make([]float32, 3*w*h)}
	noise := rand.New(rand.NewPCG(seed, 7))
	sigma := s.noise
	if sigma == 0 {
		sigma = 1
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			cx, cy := float64(x)+0.5, float64(y)+0.5
			cov, pt := coverage(parts, x, y)
			col := pt.colour(cx, cy)
			i := y*w + x
			shot.Alpha[i] = float32(cov)
			shot.Color[3*i], shot.Color[3*i+1], shot.Color[3*i+2] = float32(col.R), float32(col.G), float32(col.B)
			p := shot.Image.Pix[4*i : 4*i+4]
			if s.transparent {
				a := math.Round(cov * 255)
				shot.Alpha[i] = float32(a / 255)
				if a == 0 {
					p[0], p[1], p[2], p[3] = 255, 0, 255, 0 // junk under zero alpha
					continue
				}
				p[0], p[1], p[2], p[3] = q8(col.R), q8(col.G), q8(col.B), uint8(a)
				continue
			}
			bg := s.background(cx, cy, fw, fh)
			if s.shadow != nil {
				k := 1 - s.shadow(cx, cy, fw, fh)
				bg = RGB{darken(bg.R, k), darken(bg.G, k), darken(bg.B, k)}
			}
			mix := func(b, f float64) uint8 {
				return q8(b*(1-cov) + f*cov + noise.NormFloat64()*sigma/255)
			}
			p[0], p[1], p[2], p[3] = mix(bg.R, col.R), mix(bg.G, col.G), mix(bg.B, col.B), 255
		}
	}
	return shot
}

// coverage is how much of pixel (x, y) the parts cover, supersampled on
// edge pixels, and the part nearest its centre.
func coverage(parts []part, x, y int) (float64, part) {
	const sub = 5 // supersamples per axis on edge pixels
	cx, cy := float64(x)+0.5, float64(y)+0.5
	d, pt := nearest(parts, cx, cy)
	switch {
	case d < -1.5:
		return 1, pt
	case d >= 1.5:
		return 0, pt
	}
	in := 0
	for sy := 0; sy < sub; sy++ {
		for sx := 0; sx < sub; sx++ {
			px := float64(x) + (float64(sx)+0.5)/sub
			py := float64(y) + (float64(sy)+0.5)/sub
			if dd, _ := nearest(parts, px, py); dd < 0 {
				in++
			}
		}
	}
	return float64(in) / sub / sub, pt
}

// nearest returns the union's distance and the part that paints (x, y):
// the first part, in list order, containing it (so a label lies on top of
// its bottle), else the closest one.
func nearest(parts []part, x, y float64) (float64, part) {
	d, c := math.Inf(1), part{}
	painted := false
	for _, p := range parts {
		v := p.sdf(x, y)
		if v < 0 && !painted {
			c, painted = p, true
		}
		if v < d {
			d = v
			if !painted {
				c = p
			}
		}
	}
	return d, c
}

// colour is the part's paint at (x, y).
func (p part) colour(x, y float64) RGB {
	if p.shade != nil {
		return p.shade(x, y)
	}
	return p.paint(x)
}

// paint is the part's colour at column x: diffuse falloff towards the
// sides and a soft highlight stripe, so products read as round.
func (p part) paint(x float64) RGB {
	if p.halfWidth == 0 {
		return p.color
	}
	n := math.Max(-1, math.Min(1, (x-p.cx)/p.halfWidth))
	diffuse := 0.78 + 0.22*math.Sqrt(1-n*n) - 0.06*n
	spec := 0.35 * math.Exp(-(n+0.42)*(n+0.42)/(2*0.07*0.07))
	ch := func(v float64) float64 { return math.Min(1, v*diffuse+(1-v*diffuse)*spec) }
	return RGB{ch(p.color.R), ch(p.color.G), ch(p.color.B)}
}

// darken removes light physically: in linear light.
func darken(v, k float64) float64 {
	lin := math.Pow(v, 2.2) * k
	return math.Pow(lin, 1/2.2)
}

func q8(v float64) uint8 {
	return uint8(math.Max(0, math.Min(255, math.Round(v*255))))
}
