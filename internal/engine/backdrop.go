package engine

import (
	"image"
	"math"
)

// RenderBackdrop paints the scene alone (no product, no shadows) at w×h.
func RenderBackdrop(s Scene, w, h int) *image.RGBA {
	return renderScene(s, w, h).finish()
}

// renderScene paints the scene into a working-resolution canvas.
func renderScene(s Scene, w, h int) *canvas {
	c := newCanvas(w, h, s.Seed)
	l := newLighting(s, c.aspect())
	switch s.Kind {
	case KindGradient:
		paintGradient(c, s, l)
	case KindTabletop:
		paintTabletop(c, s, l)
	case KindOutdoor:
		paintOutdoor(c, s, l)
	default:
		paintStudio(c, s, l)
	}
	return c
}

// sceneColor is a scene colour in linear light, turned by the variant's
// hue shift.
func sceneColor(s Scene, hex uint32) linRGB {
	if s.HueShift == 0 {
		return hexLin(hex)
	}
	return oklabToLinear(srgbHexToOklab(hex).rotateHue(s.HueShift)).clip()
}

// lighting is a soft key light (a glow on the wall, a pool on the floor)
// over ambient light, with a vignette. Values are multipliers on albedo;
// the glow's centre is exactly 1, so a named colour shows as named there.
type lighting struct {
	glowX, glowY, aspect, vignette float32
	key, ambient                   linRGB
	floorX                         float32
}

func newLighting(s Scene, aspect float32) lighting {
	l := lighting{glowX: float32(s.GlowX), glowY: float32(s.GlowY), aspect: aspect,
		vignette: float32(s.Vignette),
		key:      linRGB{0.2, 0.2, 0.2}, ambient: linRGB{0.8, 0.8, 0.8}}
	if s.Sunlight {
		l.key = linRGB{0.34, 0.3, 0.24}
		l.ambient = linRGB{0.68, 0.7, 0.74}
	}
	l.floorX = lerp32(0.5, l.glowX, 0.6)
	return l
}

func (l lighting) wall(u, v float32) linRGB {
	dx, dy := (u-l.glowX)*l.aspect, v-l.glowY
	g := expNeg((dx*dx + dy*dy) / (2 * 0.34 * 0.34))
	return l.ambient.add(l.key.scale(g)).scale(l.vignetteAt(u, v))
}

// floor lights the floor more towards the camera (t = 1) and in a pool
// under the light.
func (l lighting) floor(u, t float32) linRGB {
	dx := (u - l.floorX) * l.aspect
	g := expNeg(dx * dx / (2 * 0.5 * 0.5))
	k := 0.55*g + 0.45*t
	return l.ambient.scale(1.02).add(l.key.scale(k))
}

func (l lighting) vignetteAt(u, v float32) float32 {
	dx, dy := (u-0.5)*2, (v-0.5)*2
	r := float32(math.Sqrt(float64(dx*dx+dy*dy))) / math.Sqrt2
	return 1 - 0.55*l.vignette*smoothstep(0.35, 1.05, r)
}

// paintStudio is a seamless sweep: one paper colour, lit so the wall
// falls off upwards and the floor catches the light; the bend is a smooth
// blend, never a line.
func paintStudio(c *canvas, s Scene, l lighting) {
	albedo := sceneColor(s, s.Wall)
	hz := float32(s.Horizon)
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			u, v := c.uv(x, y)
			b := smoothstep(hz-0.12, hz+0.08, v)
			illum := l.wall(u, v)
			if b > 0 {
				t := clamp01((v - hz) / (1 - hz))
				fl := l.floor(u, t).scale(l.vignetteAt(u, v))
				illum = illum.lerp(fl, b)
			}
			c.set(y*c.w+x, albedo.mul(illum))
		}
	}
	c.grain = 0.6
}

// paintGradient runs from Wall to Accent across the frame at the
// variant's angle, mixed in Oklab so the middle never turns muddy.
func paintGradient(c *canvas, s Scene, l lighting) {
	ramp := newRamp([]linRGB{sceneColor(s, s.Wall), sceneColor(s, s.Accent)})
	th := s.GradientAngle * math.Pi / 180
	cx, cy := float32(math.Cos(th)), float32(math.Sin(th))
	a := c.aspect()
	extent := float32(math.Abs(float64(a*cx))+math.Abs(float64(cy))) / 2
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			u, v := c.uv(x, y)
			t := ((u-0.5)*a*cx+(v-0.5)*cy)/(2*extent) + 0.5
			col := ramp.at(smoothstep(0, 1, t)*0.7 + t*0.3)
			dx, dy := (u-l.glowX)*a, v-l.glowY
			g := expNeg((dx*dx + dy*dy) / (2 * 0.4 * 0.4))
			c.set(y*c.w+x, col.scale((0.9+0.1*g)*l.vignetteAt(u, v)))
		}
	}
	c.grain = 0.6
}

// paintTabletop is a wall behind a table seen in perspective: texture
// coordinates come from projecting each floor pixel onto the table plane.
func paintTabletop(c *canvas, s Scene, l lighting) {
	wallAlbedo := sceneColor(s, s.Wall)
	tint := sceneColor(s, s.Floor)
	a := c.aspect()
	// Linen threads are a fixed size on the table: about 1/300 of its
	// front width.
	threadFreq := float32(2 * math.Pi * 300)
	shader := newSurfaceShader(s.Surface, tint, uint32(s.Seed>>32), threadFreq)
	hz := float32(s.Horizon)
	hzPix := hz * float32(c.h)
	for y := 0; y < c.h; y++ {
		cov := clamp01(float32(y) + 1 - hzPix) // share of this row below the horizon
		for x := 0; x < c.w; x++ {
			u, v := c.uv(x, y)
			var col linRGB
			if cov < 1 {
				occl := 1 - 0.1*expNeg((hz-v)/0.03)
				col = wallAlbedo.mul(l.wall(u, v)).scale(occl)
			}
			if cov > 0 {
				t := max(v-hz, 0.5/float32(c.h)) / (1 - hz)
				z := 1 / (t + 0.015)
				wx := (u - 0.5) * a * z
				fp := max(z*z/((1-hz)*float32(c.h)), a*z/float32(c.w))
				fl := shader(wx, z, fp)
				occl := 1 - 0.12*expNeg(t/0.03)
				fl = fl.mul(l.floor(u, t)).scale(occl * l.vignetteAt(u, v))
				col = col.lerp(fl, cov)
			}
			c.set(y*c.w+x, col)
		}
	}
	c.grain = map[Surface]float32{SurfaceMarble: 1.0, SurfaceWood: 1.4, SurfaceConcrete: 3.2,
		SurfaceLinen: 2.4, SurfacePaper: 2.0}[s.Surface]
	c.grainFrom = hz
}

// ramp is a colour gradient sampled in Oklab into a lookup table.
type ramp struct{ lut [512]linRGB }

func newRamp(stops []linRGB) *ramp {
	r := &ramp{}
	if len(stops) == 1 {
		stops = append(stops, stops[0])
	}
	labs := make([]oklab, len(stops))
	for i, s := range stops {
		labs[i] = s.oklab()
	}
	n := len(labs) - 1
	for i := range r.lut {
		t := float32(i) / float32(len(r.lut)-1) * float32(n)
		k := min(int(t), n-1)
		r.lut[i] = oklabToLinear(labs[k].lerp(labs[k+1], t-float32(k))).clip()
	}
	return r
}

func (r *ramp) at(t float32) linRGB {
	f := clamp01(t) * float32(len(r.lut)-1)
	i := int(f)
	if i >= len(r.lut)-1 {
		return r.lut[len(r.lut)-1]
	}
	return r.lut[i].lerp(r.lut[i+1], f-float32(i))
}
