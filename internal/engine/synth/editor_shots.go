package synth

import (
	"math"
	"math/rand/v2"
)

// The editor set. Every shot has dark shadows that touch the product's
// base; between them they cover hard and soft shadows, cast shadows to one
// side and onto the wall behind a handle, dark products on white with
// black shadows, white on white, text on labels and on the product itself,
// product parts in the backdrop's own hue, JPEG at quality 75–90 and PNG,
// and 640 px and 4000 px frames.
var editorSpecs = []editorSpec{
	{name: "bottle-on-white-dark-contact", w: 640, h: 640, jpeg: 80, noise: 2,
		parts: func(w, h float64) []part {
			return photoBottle(0.46*w, 0.86*h, 0.12*w, h, Hex(0x9a5a1e), Hex(0x1c1c1c), Hex(0x3a2410), 0.6)
		},
		background: litSweep(Hex(0xfbfbfb), 0.03, 0.05),
		shadows: func(w, h float64) []shadowLayer {
			return contactLayers(0.46*w, 0.86*h, 0.12*w, h, 0.82, 0.38, 0.006)
		}},
	{name: "mug-on-light-grey-handle", w: 640, h: 480, noise: 1.5,
		parts:      func(w, h float64) []part { return photoMug(0.42*w, 0.84*h, 0.17*w, 0.4*h, h, Hex(0xc4623f)) },
		background: litSweep(Hex(0xd6d6d4), 0.06, 0.08),
		shadows: func(w, h float64) []shadowLayer {
			mug := photoMug(0.42*w, 0.84*h, 0.17*w, 0.4*h, h, Hex(0xc4623f))
			return append(contactLayers(0.42*w, 0.84*h, 0.17*w, h, 0.78, 0.4, 0.007),
				shadowLayer{shape: castSilhouette(mug, 0.84*h, 0.55, 0.8),
					blur:    growingBlur(0.006*h, 0.04*h, 0.84*h, 0.35*h),
					opacity: fadeAway(0.62, 0.42*w, 0.84*h, 0.75*h)})
		}},
	{name: "black-bottle-on-white", w: 640, h: 640, jpeg: 85, noise: 2,
		parts: func(w, h float64) []part {
			b := photoBottle(0.5*w, 0.87*h, 0.11*w, h, Hex(0x242426), Hex(0x101010), Hex(0x18181a), 1)
			// White lettering printed on the glass: the backdrop's colour,
			// enclosed by product.
			txt := textBlock(0.5*w-0.075*w, 0.87*h-0.3*h, 0.5*w+0.075*w, 0.87*h-0.17*h, 2, Hex(0xf4f4f2), 3)
			return append([]part{txt}, b...)
		},
		background: litSweep(Hex(0xfafafa), 0.03, 0.06),
		shadows: func(w, h float64) []shadowLayer {
			return contactLayers(0.5*w, 0.87*h, 0.11*w, h, 0.78, 0.42, 0.006)
		}},
	{name: "white-box-on-white", w: 640, h: 480, noise: 2,
		parts: func(w, h float64) []part {
			cx, base, hw, hh := 0.53*w, 0.83*h, 0.2*w, 0.27*h
			return []part{{sdf: roundBox(cx, base-hh, hw, hh, 0.012*h),
				shade: boxShade(Hex(0xe0dfdb), cx, hw, base-2*hh, base)}}
		},
		background: litSweep(Hex(0xfbfbfb), 0.02, 0.04),
		shadows: func(w, h float64) []shadowLayer {
			cx, base, hw, hh := 0.53*w, 0.83*h, 0.2*w, 0.27*h
			box := []part{{sdf: roundBox(cx, base-hh, hw, hh, 0.012*h)}}
			return append(contactLayers(cx, base, hw, h, 0.6, 0.3, 0.008),
				shadowLayer{shape: castSilhouette(box, base, -0.7, 0.45),
					blur:    growingBlur(0.01*h, 0.05*h, base, 0.3*h),
					opacity: fadeAway(0.45, cx, base, 0.8*h)})
		}},
	{name: "labelled-jar-on-beige", w: 640, h: 640, jpeg: 75, noise: 2.5,
		parts: func(w, h float64) []part {
			cx, base := 0.5*w, 0.85*h
			hw, bh := 0.2*w, 0.36*h
			body := roundBox(cx, base-bh/2, hw, bh/2, 0.03*h)
			lidY := base - bh - 0.045*h
			lid := roundBox(cx, lidY, hw*0.92, 0.05*h, 0.01*h)
			label := roundBox(cx, base-0.48*bh, hw*0.8, 0.3*bh, 0.006*h)
			txt := textBlock(cx-hw*0.62, base-0.7*bh, cx+hw*0.62, base-0.26*bh, 3, Hex(0x2b2622), 5)
			top, bottom := lidY-0.05*h, base
			return []part{
				txt,
				{sdf: label, shade: cylinderShade(Hex(0xf3ecdc), cx, hw, top, bottom, 0.15)},
				// The lid is the backdrop's own hue, a little deeper.
				{sdf: lid, shade: cylinderShade(Hex(0xc9b89c), cx, hw*0.92, top, bottom, 0.4)},
				{sdf: body, shade: cylinderShade(Hex(0x2e4a3a), cx, hw, top, bottom, 0.7)},
			}
		},
		background: litSweep(Hex(0xe9e0d1), 0.05, 0.07),
		shadows: func(w, h float64) []shadowLayer {
			return contactLayers(0.5*w, 0.85*h, 0.2*w, h, 0.72, 0.4, 0.007)
		}},
	{name: "box-hard-shadow-on-grey", w: 640, h: 480, jpeg: 90, noise: 1.5,
		parts: func(w, h float64) []part {
			cx, base, hw, hh := 0.4*w, 0.85*h, 0.16*w, 0.25*h
			return []part{{sdf: roundBox(cx, base-hh, hw, hh, 0.01*h),
				shade: boxShade(Hex(0x6b4bb0), cx, hw, base-2*hh, base)}}
		},
		background: litSweep(Hex(0xdcdcdc), 0.05, 0.06),
		shadows: func(w, h float64) []shadowLayer {
			cx, base, hw, hh := 0.4*w, 0.85*h, 0.16*w, 0.25*h
			box := []part{{sdf: roundBox(cx, base-hh, hw, hh, 0.01*h)}}
			return append(contactLayers(cx, base, hw, h, 0.75, 0.3, 0.004),
				shadowLayer{shape: castSilhouette(box, base, 0.8, 0.5),
					blur:    growingBlur(0.004*h, 0.012*h, base, 0.3*h),
					opacity: fadeAway(0.66, cx, base, 1.1*h)})
		}},
	{name: "bottle-soft-cast-on-gradient", w: 640, h: 800, noise: 1.5,
		parts: func(w, h float64) []part {
			return photoBottle(0.56*w, 0.88*h, 0.1*w, h, Hex(0x7f9c7a), Hex(0xd8d2c4), Hex(0x5f7a5c), 0.8)
		},
		background: func(x, y, w, h float64) RGB {
			return mixRGB(Hex(0xf3eee7), Hex(0xd8cfc2), y/h)
		},
		shadows: func(w, h float64) []shadowLayer {
			b := photoBottle(0.56*w, 0.88*h, 0.1*w, h, RGB{}, RGB{}, RGB{}, 0)
			return append(contactLayers(0.56*w, 0.88*h, 0.1*w, h, 0.7, 0.35, 0.008),
				shadowLayer{shape: castSilhouette(b, 0.88*h, -0.9, 0.3),
					blur:    growingBlur(0.008*h, 0.05*h, 0.88*h, 0.2*h),
					opacity: fadeAway(0.5, 0.56*w, 0.88*h, 0.7*h)})
		}},
	{name: "pink-bottle-on-pink", w: 640, h: 640, jpeg: 85, noise: 2,
		parts: func(w, h float64) []part {
			// Body and cap share the backdrop's hue: only their outline
			// and depth of colour tell them from its shadow.
			return photoBottle(0.5*w, 0.86*h, 0.12*w, h, Hex(0xc9788c), Hex(0xe6b3c0), Hex(0xa8606f), 0.6)
		},
		background: litSweep(Hex(0xf2c9d3), 0.04, 0.05),
		shadows: func(w, h float64) []shadowLayer {
			return contactLayers(0.5*w, 0.86*h, 0.12*w, h, 0.7, 0.38, 0.006)
		}},
	{name: "mug-on-light-grey-4000", w: 4000, h: 3000, jpeg: 90, noise: 2},
	{name: "bottle-on-white-4000", w: 3000, h: 4000, jpeg: 85, noise: 2},
}

func init() {
	// The 4000 px shots are the 640 px ones drawn large.
	for i := range editorSpecs {
		s := &editorSpecs[i]
		var from string
		switch s.name {
		case "mug-on-light-grey-4000":
			from = "mug-on-light-grey-handle"
		case "bottle-on-white-4000":
			from = "bottle-on-white-dark-contact"
		default:
			continue
		}
		for _, o := range editorSpecs {
			if o.name == from {
				s.parts, s.background, s.shadows = o.parts, o.background, o.shadows
			}
		}
	}
}

// photoBottle is a bottle standing at (cx, base): a body of half-width hw,
// shoulders, a neck, a cap, and a darker foot where it meets the floor.
func photoBottle(cx, base, hw, h float64, body, cap, foot RGB, gloss float64) []part {
	bh := 0.4 * h
	b := roundBox(cx, base-bh/2, hw, bh/2, 0.04*h)
	neck := roundBox(cx, base-bh-0.07*h, 0.38*hw, 0.1*h, 0.015*h)
	shape := smoothUnion(0.07*h, b, neck)
	capY := base - bh - 0.18*h
	top := capY - 0.05*h
	footTop := base - 0.022*h
	return []part{
		{sdf: roundBox(cx, capY, 0.46*hw, 0.05*h, 0.01*h), shade: cylinderShade(cap, cx, 0.46*hw, top, base, gloss)},
		{sdf: func(x, y float64) float64 { return math.Max(shape(x, y), footTop-y) },
			shade: cylinderShade(foot, cx, hw, top, base, gloss*0.5)},
		{sdf: shape, shade: cylinderShade(body, cx, hw, top, base, gloss)},
	}
}

// photoMug is a mug with a handle on its right whose hole shows the
// backdrop.
func photoMug(cx, base, hw, bh, h float64, c RGB) []part {
	body := roundBox(cx, base-bh/2, hw, bh/2, 0.02*h)
	hx, hy := cx+hw+0.02*h, base-0.55*bh
	handle := annulus(hx, hy, 0.12*h, 0.028*h)
	return []part{
		{sdf: body, shade: cylinderShade(c, cx, hw, base-bh, base, 0.35)},
		{sdf: handle, shade: cylinderShade(c, hx, 0.15*h, base-bh, base, 0.2)},
	}
}

// cylinderShade lights a vertical cylinder from the front left: diffuse
// falloff to the sides, a soft specular stripe and a rim, and light that
// fades towards the floor.
func cylinderShade(c RGB, cx, hw, top, base, gloss float64) func(x, y float64) RGB {
	return func(x, y float64) RGB {
		n := math.Max(-1, math.Min(1, (x-cx)/hw))
		t := math.Max(0, math.Min(1, (y-top)/(base-top)))
		diffuse := (0.7 + 0.3*math.Sqrt(1-n*n) - 0.1*n) * (1.04 - 0.12*t)
		spec := gloss * (0.5*math.Exp(-(n+0.45)*(n+0.45)/(2*0.06*0.06)) +
			0.15*math.Exp(-(n-0.75)*(n-0.75)/(2*0.04*0.04)))
		ch := func(v float64) float64 { return math.Min(1, v*diffuse+(1-v*diffuse)*spec) }
		return RGB{ch(c.R), ch(c.G), ch(c.B)}
	}
}

// boxShade lights a box's front face: brighter at the top, a touch
// darker on the right, with a bright bevel along the left edge.
func boxShade(c RGB, cx, hw, top, base float64) func(x, y float64) RGB {
	return func(x, y float64) RGB {
		n := (x - cx) / hw
		t := math.Max(0, math.Min(1, (y-top)/(base-top)))
		k := (0.99 - 0.07*t) * (1 - 0.03*n)
		bevel := 0.12 * math.Exp(-(n+0.97)*(n+0.97)/(2*0.015*0.015))
		ch := func(v float64) float64 { return math.Min(1, v*k+(1-v*k)*bevel) }
		return RGB{ch(c.R), ch(c.G), ch(c.B)}
	}
}

// textBlock sets lines of letter-like glyphs (stems, bars, bowls,
// diagonals) in the box (x0,y0)-(x1,y1), as one part.
func textBlock(x0, y0, x1, y1 float64, lines int, c RGB, seed uint64) part {
	lineH := (y1 - y0) / float64(lines)
	capH := 0.62 * lineH
	pitch := 0.78 * capH
	sw := 0.085 * capH // stroke half-width
	cols := int((x1 - x0) / pitch)
	r := rand.New(rand.NewPCG(seed, 1))
	glyphs := make([][]func(x, y float64) float64, lines*cols)
	for l := 0; l < lines; l++ {
		for k := 0; k < cols; k++ {
			gx := x0 + float64(k)*pitch + 0.12*pitch
			gy := y0 + float64(l)*lineH + 0.19*lineH
			gw := 0.62 * pitch
			glyphs[l*cols+k] = glyph(r.IntN(6), gx, gy, gw, capH, sw)
		}
	}
	return part{color: c, sdf: func(x, y float64) float64 {
		// Outside the block, its distance stands in for the glyphs'.
		if dx, dy := math.Max(math.Max(x0-x, x-x1), 0), math.Max(math.Max(y0-y, y-y1), 0); dx+dy > 0 {
			return math.Hypot(dx, dy) + 0.5
		}
		l := min(lines-1, int((y-y0)/lineH))
		k := int((x - x0) / pitch)
		d := math.Inf(1)
		for kk := max(0, k-1); kk <= min(cols-1, k+1); kk++ {
			for _, f := range glyphs[l*cols+kk] {
				d = math.Min(d, f(x, y))
			}
		}
		return d
	}}
}

func glyph(kind int, x, y, w, h, sw float64) []func(x, y float64) float64 {
	switch kind {
	case 0: // H
		return []func(x, y float64) float64{capsule(x, y, x, y+h, sw), capsule(x+w, y, x+w, y+h, sw), capsule(x, y+h/2, x+w, y+h/2, sw)}
	case 1: // O
		return []func(x, y float64) float64{func(px, py float64) float64 {
			nx, ny := (px-x-w/2)/(w/2), (py-y-h/2)/(h/2)
			return math.Abs(math.Hypot(nx, ny)-1)*math.Min(w, h)/2 - sw
		}}
	case 2: // N
		return []func(x, y float64) float64{capsule(x, y, x, y+h, sw), capsule(x, y, x+w, y+h, sw), capsule(x+w, y, x+w, y+h, sw)}
	case 3: // E
		return []func(x, y float64) float64{capsule(x, y, x, y+h, sw), capsule(x, y, x+w, y, sw), capsule(x, y+h/2, x+0.8*w, y+h/2, sw), capsule(x, y+h, x+w, y+h, sw)}
	case 4: // A
		return []func(x, y float64) float64{capsule(x, y+h, x+w/2, y, sw), capsule(x+w/2, y, x+w, y+h, sw), capsule(x+w/4, y+0.62*h, x+0.75*w, y+0.62*h, sw)}
	}
	// T
	return []func(x, y float64) float64{capsule(x, y, x+w, y, sw), capsule(x+w/2, y, x+w/2, y+h, sw)}
}
