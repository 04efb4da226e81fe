package engine

import "math"

// Shadows ground the product. They are computed on the working canvas
// from the placed product's alpha, and multiply the light there.
//
//   - contact: a tight dark line along the product's own base, plus the
//     ambient occlusion of its footprint on the floor (the base's shape,
//     as deep as perspective makes it), softly blurred and pushed away
//     from the light;
//   - cast (only when a light direction is named): the silhouette sheared
//     away from the light and squashed onto the floor, sharp near the base
//     and softer and fainter further away, as real penumbras are.

// shadowParams are the tunables for one scene.
type shadowParams struct {
	contact, ambient float32 // opacities
	cast             float32 // opacity of the cast shadow, 0 for none
	kx, ky           float32 // cast offset per unit of height: sideways, along the floor
	down             bool    // cast shadow falls towards the camera (back light)
	sharp, soft      float32 // penumbra blur near and far, as a fraction of product height
	tint             linRGB  // how much of each channel a shadow removes
	// The footprint's occlusion: its blur and its shift away from the
	// light, as fractions of product height (y grows towards the camera).
	ambientBlur, ambientDX, ambientDY float32
}

func shadowParamsFor(s Scene) shadowParams {
	p := shadowParams{contact: 0.55, ambient: 0.34, sharp: 0.008, soft: 0.05, tint: linRGB{1, 1, 1},
		ambientBlur: 0.06, ambientDY: -0.005}
	if s.Horizon == 0 {
		// No floor: keep just enough shadow to stop the product floating.
		p.contact, p.ambient = 0.35, 0.18
	}
	switch s.Light {
	case LightLeft:
		p.cast, p.kx, p.ky = 0.36, 0.8, 0.2
		p.ambientDX = 0.1
	case LightRight:
		p.cast, p.kx, p.ky = 0.36, -0.8, 0.2
		p.ambientDX = -0.1
	case LightBack:
		p.cast, p.kx, p.ky, p.down = 0.28, float32(s.GlowX-0.5)*-0.4, 0.2, true
		p.ambientDY = 0.035
	case LightTop:
		p.contact, p.ambient = 0.7, 0.38
		p.ambientBlur, p.ambientDY = 0.04, 0
	case LightFront:
		p.ambient, p.ambientDY = 0.24, -0.025
	}
	if s.Sunlight {
		p.ambientBlur *= 0.6
		p.cast *= 1.4
		p.kx *= 1.3
		p.ky *= 1.2
		p.sharp, p.soft = 0.004, 0.025
		// Sun-lit shadows are filled by blue sky: they lose more red.
		p.tint = linRGB{1.06, 1.0, 0.88}
	}
	if s.Horizon == 0 {
		p.cast *= 0.6
	}
	return p
}

// addShadows darkens the canvas under the product placed at pl. The work
// is confined to the band of rows a shadow can reach.
func addShadows(c *canvas, s Scene, alpha []float32, pl Placement) {
	if pl.Rect.Empty() {
		return
	}
	p := shadowParamsFor(s)
	f := float32(c.factor)
	base := float32(pl.Rect.Max.Y) / f
	ph := float32(pl.Rect.Dy()) / f
	pw := float32(pl.Rect.Dx()) / f
	reach := max(3*p.soft*ph+0.1*ph, footDepth*pw+(3*p.ambientBlur+abs32(p.ambientDY))*ph) + 4
	top, bottom := base-reach, base+reach
	if p.cast > 0 {
		if p.down {
			bottom += p.ky * ph
		} else {
			top -= p.ky * ph
		}
	}
	g := shadowGrid{w: c.w, y0: clamp(int(top), 0, c.h), canvasH: c.h}
	g.h = clamp(int(bottom)+1, 0, c.h) - g.y0
	if g.h <= 0 {
		return
	}
	dark := make([]float32, g.w*g.h)
	contactShadow(g, alpha, base, ph, p, dark)
	if p.cast > 0 {
		castShadow(g, s, alpha, base, ph, p, dark)
	}
	c.shade(dark, g.y0*c.w, p.tint)
}

// shadowGrid is the band of canvas rows [y0, y0+h) that shadows touch.
type shadowGrid struct{ w, h, y0, canvasH int }

// footDepth is how deep a footprint lies on the floor per unit of its
// width, as the camera sees it from a little above.
const footDepth = 0.3

// contactShadow adds the line along the base and the footprint's
// occlusion.
func contactShadow(g shadowGrid, alpha []float32, base, ph float32, p shadowParams, dark []float32) {
	w, h := g.w, g.h
	baseRow := int(base)
	rows := max(2, int(0.04*ph))
	// The footprint: per column, the product's coverage along its bottom
	// and where that column of the product ends (its base curve).
	foot := make([]float32, w)
	bottom := make([]float32, w)
	for y := max(0, baseRow-rows); y < min(g.canvasH, baseRow+1); y++ {
		for x := 0; x < w; x++ {
			if a := alpha[y*w+x]; a > 0.05 {
				foot[x] = max(foot[x], a)
				bottom[x] = float32(y) + a
			}
		}
	}
	x0, x1 := w, -1
	for x, v := range foot {
		if v > 0.05 {
			x0, x1 = min(x0, x), max(x1, x)
		}
	}
	if x1 < 0 {
		return
	}
	// Tight contact line under each column's own bottom, blurred a touch.
	line := make([]float32, w*h)
	ry := max(1.2, 0.02*ph)
	for x := x0; x <= x1; x++ {
		if foot[x] == 0 {
			continue
		}
		for y := max(g.y0, int(bottom[x])-rows); y < min(g.y0+h, int(bottom[x]+4*ry)+1); y++ {
			k := float32(1)
			if dy := float32(y) + 0.5 - bottom[x]; dy > 0 {
				k = expNeg(dy * dy / (ry * ry))
			}
			line[(y-g.y0)*w+x] = foot[x] * k
		}
	}
	gaussianBlur(line, w, h, max(0.8, 0.012*ph))
	// Ambient occlusion: the footprint lying on the floor behind its
	// visible edge, blurred wide and shifted away from the light.
	occ := make([]float32, w*h)
	depth := max(2, footDepth*float32(x1-x0+1))
	for x := x0; x <= x1; x++ {
		if foot[x] == 0 {
			continue
		}
		for y := max(g.y0, int(bottom[x]-depth)); y < min(g.y0+h, int(bottom[x])+1); y++ {
			occ[(y-g.y0)*w+x] = foot[x]
		}
	}
	gaussianBlur(occ, w, h, max(1.5, p.ambientBlur*ph))
	peak := float32(0)
	for _, v := range occ {
		peak = max(peak, v)
	}
	if peak > 0 {
		sx, sy := int(math.Round(float64(p.ambientDX*ph))), int(math.Round(float64(p.ambientDY*ph)))
		for y := 0; y < h; y++ {
			oy := y - sy
			if oy < 0 || oy >= h {
				continue
			}
			for x := max(0, sx); x < min(w, w+sx); x++ {
				if v := occ[oy*w+x-sx]; v > 0 {
					i := y*w + x
					// Full strength from the footprint's edge inwards.
					dark[i] = 1 - (1-dark[i])*(1-p.ambient*min(1, 2*v/peak))
				}
			}
		}
	}
	for i, v := range line {
		if v > 0 {
			dark[i] = 1 - (1-dark[i])*(1-p.contact*v)
		}
	}
}

// castShadow projects the silhouette onto the floor: the point at height
// hgt above the base lands hgt·kx sideways and hgt·ky along the floor.
func castShadow(g shadowGrid, s Scene, alpha []float32, base, ph float32, p shadowParams, dark []float32) {
	w, h := g.w, g.h
	proj := make([]float32, w*h)
	rowT := make([]float32, h) // height fraction each shadow row comes from
	for ry := 0; ry < h; ry++ {
		yc := float32(ry+g.y0) + 0.5
		var hgt float32
		if p.down {
			hgt = (yc - base) / p.ky
		} else {
			hgt = (base - yc) / p.ky
		}
		if hgt < 0 || hgt > ph {
			continue
		}
		rowT[ry] = hgt / ph
		sy := base - hgt
		y0 := int(floor32(sy - 0.5))
		ty := sy - 0.5 - float32(y0)
		if y0 < 0 || y0+1 >= g.canvasH {
			continue
		}
		r0, r1 := alpha[y0*w:(y0+1)*w], alpha[(y0+1)*w:(y0+2)*w]
		out := proj[ry*w : (ry+1)*w]
		shift := hgt * p.kx
		for x := range out {
			sx := float32(x) - shift
			x0 := int(floor32(sx))
			if x0 < 0 || x0+1 >= w {
				continue
			}
			tx := sx - float32(x0)
			a0 := r0[x0] + (r0[x0+1]-r0[x0])*tx
			a1 := r1[x0] + (r1[x0+1]-r1[x0])*tx
			out[x] = a0 + (a1-a0)*ty
		}
	}
	soft := append([]float32(nil), proj...)
	gaussianBlur(proj, w, h, max(0.7, p.sharp*ph))
	gaussianBlur(soft, w, h, max(1.5, p.soft*ph))
	hz := float32(s.Horizon) * float32(g.canvasH)
	for ry := 0; ry < h; ry++ {
		y := float32(ry + g.y0)
		t := rowT[ry]
		if t == 0 {
			// Rows beyond the projection only get blur spill.
			t = 1
			if (!p.down && y > base) || (p.down && y < base) {
				t = 0
			}
		}
		onFloor := float32(1)
		if s.Kind == KindTabletop || s.Kind == KindOutdoor {
			onFloor = smoothstep(hz-1, hz+0.02*float32(g.canvasH), y)
		}
		fade := float32(0.5)
		if p.down {
			fade = 0.8 // towards the camera the shadow spreads and thins fast
		}
		k := p.cast * (1 - fade*t) * onFloor
		mix := smoothstep(0, 0.8, t)
		for x := 0; x < w; x++ {
			i := ry*w + x
			v := proj[i] + (soft[i]-proj[i])*mix
			if v > 0 {
				dark[i] = 1 - (1-dark[i])*(1-k*v)
			}
		}
	}
}
