package engine

import "math"

// namedColors are the colour words product prompts use, as sRGB hex. Two-
// word names are matched before single words ("sky blue" is a colour, not
// a sky).
var namedColors = map[string]uint32{
	"white": 0xf4f3f0, "off white": 0xf1eee6, "black": 0x1d1d20, "grey": 0xb3b3b1, "gray": 0xb3b3b1,
	"silver": 0xc3c4c7, "charcoal": 0x37393d, "graphite": 0x4a4c50, "slate": 0x5f6b78,
	"red": 0xc8352f, "crimson": 0xb0203a, "burgundy": 0x7a1f2b, "maroon": 0x6e1f24, "wine": 0x6f2232,
	"cherry": 0xb8202e, "scarlet": 0xd2321e,
	"pink": 0xf2a7bd, "blush": 0xf0c8c5, "rose": 0xe58ea2, "hot pink": 0xe8458b, "magenta": 0xc2288f,
	"fuchsia": 0xd63a9a, "coral": 0xf07f67, "salmon": 0xf29c86, "peach": 0xf6c3a2,
	"orange": 0xee8434, "tangerine": 0xf28a2e, "terracotta": 0xc86b4e, "rust": 0xa8502f,
	"apricot": 0xf5b48a, "amber": 0xe0a030,
	"yellow": 0xf4d13d, "mustard": 0xd6a72c, "gold": 0xd4a93c, "golden": 0xd9ae4a, "lemon": 0xf6e27a,
	"butter": 0xf5e3a0,
	"cream":  0xf3ead7, "ivory": 0xf4efe3, "beige": 0xe2d3bb, "sand": 0xd9c4a2, "tan": 0xc8a77e,
	"khaki": 0xbfae84, "taupe": 0xa6978a, "greige": 0xc9c1b6, "brown": 0x7b5236, "chocolate": 0x5a3a28,
	"caramel": 0xb87a45, "mocha": 0x8a6a55, "nude": 0xe3c2a8, "oatmeal": 0xe0d4c0, "stone": 0xc7c0b4,
	"green": 0x4f9a5a, "sage": 0xa7b89a, "mint": 0xbfe6cf, "olive": 0x7d7c3a, "emerald": 0x2a8c61,
	"forest green": 0x2e5a3a, "lime": 0xb5d84a, "moss": 0x6f7a45, "jade": 0x3f9b7c,
	"pistachio": 0xc3d9a3, "eucalyptus": 0x8fb0a0, "bottle green": 0x1f4d36,
	"teal": 0x2a8c8c, "turquoise": 0x3cc1c0, "aqua": 0x7fd8d6, "cyan": 0x3cc8e0,
	"blue": 0x3d6fd6, "navy": 0x1f2f57, "navy blue": 0x1f2f57, "cobalt": 0x2b50b8,
	"royal blue": 0x2f55c9, "sky blue": 0x8cc6ee, "baby blue": 0xb9dcf3, "powder blue": 0xbcd6e6,
	"light blue": 0xa9cdef, "cornflower": 0x7d9be8, "denim": 0x4a6a93, "indigo": 0x3b3f8f,
	"periwinkle": 0xa3aef0, "ice": 0xdbeef6, "dodger blue": 0x1e90ff,
	"purple": 0x7a4bb0, "violet": 0x8a5cc9, "lavender": 0xc7b8e6, "lilac": 0xc9a9dc, "plum": 0x6e3a63,
	"mauve": 0xb48aa3, "aubergine": 0x4a2540,
}

// colorModifier reshapes a colour the way a designer means the adjective.
type colorModifier func(c oklab) oklab

var colorModifiers = map[string]colorModifier{
	"pastel": func(c oklab) oklab {
		return fromLCh(math.Max(0.88, float64(c.L)), math.Min(0.065, c.chroma()*0.45+0.01), c.hue())
	},
	"light": lighten, "pale": lighten, "baby": lighten,
	"dark": darkenTone, "deep": darkenTone, "rich": darkenTone,
	"soft": mute, "muted": mute, "dusty": mute, "washed": mute,
	"bright": saturate, "vivid": saturate, "neon": saturate, "bold": saturate,
	"warm": func(c oklab) oklab { return oklab{c.L, c.A + 0.01, c.B + 0.025} },
	"cool": func(c oklab) oklab { return oklab{c.L, c.A - 0.005, c.B - 0.025} },
}

func lighten(c oklab) oklab {
	return fromLCh(float64(c.L)+(0.95-float64(c.L))*0.55, c.chroma()*0.6, c.hue())
}

func darkenTone(c oklab) oklab { return fromLCh(float64(c.L)*0.68, c.chroma()*0.95, c.hue()) }

func mute(c oklab) oklab {
	return fromLCh(float64(c.L)+(0.76-float64(c.L))*0.3, c.chroma()*0.5, c.hue())
}

func saturate(c oklab) oklab { return fromLCh(float64(c.L), math.Min(0.3, c.chroma()*1.3), c.hue()) }
