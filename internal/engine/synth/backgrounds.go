package synth

import "math"

func flat(c RGB) func(x, y, w, h float64) RGB {
	return func(x, y, w, h float64) RGB { return c }
}

// vertical is a light top-to-bottom gradient, like a lit paper sweep.
func vertical(top, bottom RGB) func(x, y, w, h float64) RGB {
	return func(x, y, w, h float64) RGB { return mixRGB(top, bottom, y/h) }
}

func diagonal(a, b RGB) func(x, y, w, h float64) RGB {
	return func(x, y, w, h float64) RGB { return mixRGB(a, b, (x/w+y/h)/2) }
}

func mixRGB(a, b RGB, t float64) RGB {
	return RGB{a.R + (b.R-a.R)*t, a.G + (b.G-a.G)*t, a.B + (b.B-a.B)*t}
}

// contactShadow is a soft ellipse of darkness under a product standing on
// the 85% line.
func contactShadow(strength float64) func(x, y, w, h float64) float64 {
	return func(x, y, w, h float64) float64 {
		dx := (x - w/2) / (0.3 * w)
		dy := (y - 0.85*h) / (0.07 * h)
		return strength * math.Exp(-dx*dx-dy*dy)
	}
}

// castShadow adds a long, low shadow falling to the right.
func castShadow(strength float64) func(x, y, w, h float64) float64 {
	contact := contactShadow(strength)
	return func(x, y, w, h float64) float64 {
		dx := (x - 0.72*w) / (0.28 * w)
		dy := (y - 0.8*h + 0.15*(x-0.5*w)) / (0.07 * h)
		return math.Max(contact(x, y, w, h), 0.8*strength*math.Exp(-dx*dx-dy*dy))
	}
}

var (
	white     = Hex(0xfafafa)
	lightGrey = Hex(0xd8d8d8)
	blue      = Hex(0x2b63c9)
	coral     = Hex(0xe8664d)
)

var specs = []spec{
	{name: "ball-on-white", parts: ball(Hex(0xd2453a)), background: flat(white), shadow: contactShadow(0.35)},
	{name: "box-on-grey", parts: box(Hex(0x2c3e66)), background: flat(lightGrey), shadow: contactShadow(0.35)},
	{name: "bottle-on-gradient", parts: bottle(Hex(0xb8742a), Hex(0x222222)), background: vertical(Hex(0xf3efe9), Hex(0xd6cfc3)), shadow: contactShadow(0.3)},
	{name: "mug-on-white", parts: mug(Hex(0x2f8f8a)), background: flat(white), shadow: contactShadow(0.35)},
	{name: "ring-on-blue", parts: ring(Hex(0xf2c230)), background: flat(blue)},
	{name: "glyphs-on-coral", parts: glyphs(Hex(0xf7f4ee)), background: flat(coral)},
	{name: "cream-box-on-white", parts: box(Hex(0xe6dfd0)), background: flat(white), shadow: contactShadow(0.3)},
	{name: "sage-bottle-on-grey", parts: bottle(Hex(0xbfccb2), Hex(0xa9b79c)), background: flat(Hex(0xd3d3d3))},
	{name: "grey-ball-on-white", parts: ball(Hex(0xd9d9d9)), background: flat(white)},
	{name: "pink-mug-on-diagonal", parts: mug(Hex(0xe58fa6)), background: diagonal(Hex(0xe9f1f8), Hex(0xc9d9e8)), shadow: contactShadow(0.3)},
	{name: "bottle-transparent", parts: bottle(Hex(0x3a7d44), Hex(0xd9d2c0)), transparent: true},
	{name: "ring-transparent", parts: ring(Hex(0xc0392b)), transparent: true},
	{name: "box-cast-shadow", parts: box(Hex(0x9b5de5)), background: flat(Hex(0xe4e4e4)), shadow: castShadow(0.4)},
	{name: "peach-box-on-coral", parts: box(Hex(0xf5b39c)), background: flat(coral)},
	{name: "green-bottle-on-white", parts: bottle(Hex(0x1f5a3a), Hex(0xc9a44a)), background: flat(white), shadow: contactShadow(0.4)},
	{name: "grey-box-shadow-on-white", parts: box(Hex(0xb9b9b9)), background: flat(white), shadow: castShadow(0.35)},
	{name: "labelled-bottle-on-white", parts: labelledBottle(Hex(0x6d3b2a), Hex(0xefe9dc)), background: flat(white), shadow: contactShadow(0.3)},
	{name: "noisy-mug-on-grey", parts: mug(Hex(0x4a6fa5)), background: flat(Hex(0xcfcfcf)), shadow: contactShadow(0.3), noise: 3},
	{name: "glyphs-on-grey", parts: glyphs(Hex(0x34373c)), background: flat(lightGrey), shadow: contactShadow(0.25)},
}
