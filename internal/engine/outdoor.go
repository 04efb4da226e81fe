package engine

import "math"

// Outdoor moods are colour stories rather than photographs: a sky or a
// canopy above the horizon, water, sand or moss below, soft as if seen
// through a wide-open lens.

func paintOutdoor(c *canvas, s Scene, l lighting) {
	hz := float32(s.Horizon)
	a := c.aspect()
	seed := uint32(s.Seed >> 20)
	upper := skyPainter(s, c, seed)
	if s.Has(MoodForest) && !s.Has(MoodSky) {
		upper = canopyPainter(s, seed)
	}
	lower := groundPainter(s, l, seed)
	tint, hasTint := linRGB{}, s.Accent != 0
	if hasTint {
		tint = sceneColor(s, s.Accent)
	}
	hzPix := hz * float32(c.h)
	for y := 0; y < c.h; y++ {
		cov := clamp01(float32(y) + 1 - hzPix)
		for x := 0; x < c.w; x++ {
			u, v := c.uv(x, y)
			var col linRGB
			if cov < 1 {
				col = upper(u, v/hz, a)
			}
			if cov > 0 {
				t := max(v-hz, 0.5/float32(c.h)) / (1 - hz)
				col = col.lerp(lower(u, t, a), cov)
			}
			if hasTint {
				// A named colour washes the whole story, like a graded film.
				col = col.lerp(col.mul(tint).scale(1.6), 0.3)
			}
			c.set(y*c.w+x, col.scale(l.vignetteAt(u, v)))
		}
	}
	if s.Has(MoodForest) && !s.Has(MoodSky) {
		addBokeh(c, s, hz, seed)
	}
	c.grain = 1.2
	c.grainFrom = hz
}

// skyPainter returns the colour above the horizon at (u, t), t = 0 at the
// top of the frame and 1 at the horizon.
func skyPainter(s Scene, c *canvas, seed uint32) func(u, t, a float32) linRGB {
	sc := colorsOf(s)
	if s.Has(MoodSunset) {
		sky := newRamp([]linRGB{sc(0x2b3266), sc(0x5e4684), sc(0xc2637c),
			sc(0xf0925e), sc(0xffcf8a)})
		sunX := float32(s.GlowX)
		return func(u, t, a float32) linRGB {
			col := sky.at(t * t * (2 - t))
			dx, dy := (u-sunX)*a, (t-0.86)*0.55
			d := float32(math.Sqrt(float64(dx*dx + dy*dy)))
			sun := linRGB{1.0, 0.85, 0.55}
			col = col.add(sun.scale(0.55 * expNeg(d*d/(2*0.12*0.12))))
			col = col.add(linRGB{1.2, 1.05, 0.8}.scale(1 - smoothstep(0.03, 0.04, d)))
			streak := smoothstep(0.15, 0.6, fbm(u*a*1.4, t*14, 4, seed))
			return col.lerp(sc(0x8a4a6e).add(sun.scale(0.25*t)), streak*0.35*t)
		}
	}
	sky := newRamp([]linRGB{sc(0x3d7cc9), sc(0x86b9e6), sc(0xdbe9f2)})
	clouds := float32(0.45)
	if s.Has(MoodSky) {
		clouds = 0.2
	}
	return func(u, t, a float32) linRGB {
		col := sky.at(t)
		n := fbm(u*a*2.2, t*4.5, 5, seed)
		d := smoothstep(clouds, clouds+0.45, n+0.25*t)
		if d > 0 {
			shade := 0.82 + 0.18*smoothstep(clouds, clouds+0.6, fbm(u*a*2.2+0.05, t*4.5-0.08, 4, seed))
			col = col.lerp(linRGB{0.93, 0.94, 0.96}.scale(shade), d*0.9)
		}
		return col
	}
}

// canopyPainter is a forest seen past the product: dark leaves, light
// breaking through towards the horizon.
func canopyPainter(s Scene, seed uint32) func(u, t, a float32) linRGB {
	sc := colorsOf(s)
	depth := newRamp([]linRGB{sc(0x17301f), sc(0x2c5333), sc(0x7e9c52)})
	if s.Has(MoodSunset) {
		depth = newRamp([]linRGB{sc(0x2a2a1c), sc(0x5a5128), sc(0xd8a85a)})
	}
	return func(u, t, a float32) linRGB {
		col := depth.at(t)
		n := fbm(u*a*2.5, t*2.5, 4, seed)
		return col.scale(0.75 + 0.5*smoothstep(-0.4, 0.6, n))
	}
}

// groundPainter returns the colour below the horizon at (u, t), t = 0 at
// the horizon and 1 at the bottom.
func groundPainter(s Scene, l lighting, seed uint32) func(u, t, a float32) linRGB {
	sc := colorsOf(s)
	switch {
	case s.Has(MoodBeach) || s.Has(MoodSunset) && !s.Has(MoodForest):
		return beachPainter(s, l, seed)
	case s.Has(MoodForest):
		// A mossy bank, soft as if just behind the focus plane, fading
		// into the canopy's haze towards the horizon.
		moss, light := sc(0x4c5d2b), sc(0x7d8f42)
		haze := sc(0x7e9c52)
		return func(u, t, a float32) linRGB {
			z := 1 / (t + 0.02)
			x := (u - 0.5) * a * z
			m := smoothstep(-0.5, 0.6, fbm(x*0.9, z*0.9, 3, seed+3))
			col := moss.lerp(light, m*0.6).mul(l.floor(u, t))
			return col.lerp(haze, 0.5*(1-smoothstep(0, 0.35, t)))
		}
	}
	// Sky alone: a pale stone plinth catching the sky's colour.
	stone := sc(0xeef0f2).lerp(sc(0x9cc4ea), 0.12)
	return func(u, t, a float32) linRGB {
		occl := 1 - 0.1*expNeg(t/0.04)
		return stone.mul(l.floor(u, t)).scale(occl)
	}
}

// beachPainter: sea up to the horizon, a soft foam line, then sand.
func beachPainter(s Scene, l lighting, seed uint32) func(u, t, a float32) linRGB {
	sc := colorsOf(s)
	sunset := s.Has(MoodSunset)
	far, near := sc(0x2f7fa3), sc(0x5fb3bf)
	sand := sc(0xe6d2ab)
	sunX := float32(s.GlowX)
	if sunset {
		far, near = sc(0x4b3f6e), sc(0x9a6079)
		sand = sc(0xe0b78e)
	}
	const shore = 0.16
	return func(u, t, a float32) linRGB {
		edge := shore + 0.012*fbm(u*a*3, 1.3, 3, seed+5)
		z := 1 / (t + 0.02)
		x := (u - 0.5) * a * z
		if t < edge {
			k := t / edge
			col := far.lerp(near, k)
			streak := fbm(u*a*3, t*90, 3, seed+9)
			col = col.scale(1 + 0.06*streak)
			if sunset {
				dx := (u - sunX) * a
				glint := expNeg(dx * dx / (2 * 0.06 * 0.06))
				col = col.add(linRGB{1, 0.75, 0.45}.scale(glint * (0.25 + 0.35*smoothstep(-0.1, 0.5, streak))))
			}
			return col
		}
		// Foam is a soft band where water meets sand, then wet sand.
		dt := (t - edge) / 0.01
		foam := 0.45 * expNeg(dt*dt)
		wet := 1 - smoothstep(edge, edge+0.1, t)
		m := fbm(x*2.5, z*2.5, 3, seed+11)
		ripple := sin32(z*26+3*fbm(x*1.2, z*1.2, 2, seed+13)) * smoothstep(0.3, 0.7, t)
		col := sand.scale((1 + 0.05*m + 0.025*ripple) * (1 - 0.22*wet))
		return col.mul(l.floor(u, t)).lerp(linRGB{0.88, 0.9, 0.9}, foam)
	}
}

// addBokeh scatters soft out-of-focus discs of light over the upper frame,
// the way sun through leaves looks behind a sharp product.
func addBokeh(c *canvas, s Scene, hz float32, seed uint32) {
	sc := colorsOf(s)
	r := &rng{s: s.Seed ^ 0xb0cef00d}
	colors := []linRGB{sc(0xf4f0b0), sc(0xd8e89a), sc(0xa8d080), sc(0xfff6d8)}
	if s.Has(MoodSunset) {
		colors = []linRGB{sc(0xffd28a), sc(0xffb870), sc(0xfff0c8)}
	}
	for k := 0; k < 34; k++ {
		cu := float32(r.float())
		cv := float32(r.between(0, float64(hz)+0.04))
		rad := float32(r.between(0.015, 0.06)) * float32(c.h)
		col := colors[r.next()%uint64(len(colors))]
		op := float32(r.between(0.12, 0.45)) * (0.4 + 0.6*cv/hz)
		px, py := cu*float32(c.w), cv*float32(c.h)
		for y := max(0, int(py-rad-2)); y < min(c.h, int(py+rad+2)); y++ {
			for x := max(0, int(px-rad-2)); x < min(c.w, int(px+rad+2)); x++ {
				dx, dy := float32(x)+0.5-px, float32(y)+0.5-py
				d := float32(math.Sqrt(float64(dx*dx+dy*dy))) / rad
				if d >= 1 {
					continue
				}
				// Flat disc with a slightly brighter rim and a soft edge.
				k := (1 - smoothstep(0.86, 1, d)) * (0.85 + 0.15*smoothstep(0.6, 0.95, d))
				i := y*c.w + x
				c.set(i, c.get(i).add(col.scale(k*op)))
			}
		}
	}
}

// colorsOf turns hex colours into linear light with the variant's hue
// shift, so outdoor stories vary between variants too.
func colorsOf(s Scene) func(uint32) linRGB {
	return func(h uint32) linRGB { return sceneColor(s, h) }
}
