package engine

import "math"

// Procedural materials. Everything is built from gradient noise summed
// over octaves (fbm); veins, grain and weave are shaped from it. Inputs are
// world coordinates on the table plane, so perspective comes for free.

// gradNoise is 2D gradient (Perlin-style) noise in about -0.7..0.7. The
// seed picks one of many lattices by offsetting into a permutation table,
// which is much cheaper than hashing every corner.
func gradNoise(x, y float32, seed uint32) float32 {
	x += float32(seed&1023) * 0.618
	y += float32(seed>>10&1023) * 0.382
	fx, fy := floor32(x), floor32(y)
	ix, iy := int(fx)&255, int(fy)&255
	x, y = x-fx, y-fy
	u, v := fade(x), fade(y)
	a, b := int(perm[ix])+iy, int(perm[ix+1])+iy
	n00 := gradDot(perm[a], x, y)
	n10 := gradDot(perm[b], x-1, y)
	n01 := gradDot(perm[a+1], x, y-1)
	n11 := gradDot(perm[b+1], x-1, y-1)
	nx0 := n00 + (n10-n00)*u
	nx1 := n01 + (n11-n01)*u
	return nx0 + (nx1-nx0)*v
}

// perm is a fixed shuffle of 0..255, doubled so indices up to 511 need no
// wrapping.
var perm = func() (p [514]uint8) {
	r := &rng{s: 0x9e11}
	var base [256]uint8
	for i := range base {
		base[i] = uint8(i)
	}
	for i := 255; i > 0; i-- {
		j := int(r.next() % uint64(i+1))
		base[i], base[j] = base[j], base[i]
	}
	for i := range p {
		p[i] = base[i&255]
	}
	return
}()

var gradDirs = func() (d [16][2]float32) {
	for i := range d {
		a := (float64(i) + 0.5) * 2 * math.Pi / 16
		d[i] = [2]float32{float32(math.Cos(a)), float32(math.Sin(a))}
	}
	return
}()

func gradDot(h uint8, x, y float32) float32 {
	g := gradDirs[h&15]
	return g[0]*x + g[1]*y
}

func fade(t float32) float32 { return t * t * t * (t*(t*6-15) + 10) }

func floor32(v float32) float32 {
	f := float32(int32(v))
	if f > v {
		f--
	}
	return f
}

// fbm sums octaves of noise, each twice as fine and half as strong, turning
// the lattice between octaves so no grid shows. Result is about -1..1.
func fbm(x, y float32, octaves int, seed uint32) float32 {
	var sum, amp, norm float32 = 0, 1, 0
	const c, s = 0.8, 0.6 // rotation by ~37°
	for o := 0; o < octaves; o++ {
		sum += amp * gradNoise(x, y, seed+uint32(o)*101)
		norm += amp
		x, y = (c*x-s*y)*2.03+17.1, (s*x+c*y)*2.03+3.7
		amp *= 0.5
	}
	return sum / norm * 1.4
}

// surfaceShader returns a material's linear colour at table coordinates
// (x, z). fp is the footprint of one pixel there, in the same units: each
// feature fades out (lines widen and pale) once it gets thinner than a
// pixel or two, so distant texture never aliases into dots or moiré.
type surfaceShader func(x, z, fp float32) linRGB

// resolved is 1 for features of size size that span a few pixels of
// footprint fp, falling to 0 for those under a pixel.
func resolved(size, fp float32) float32 { return smoothstep(0.7*fp, 2.5*fp, size) }

// line draws a soft line where s (≥0) is near 0: a core of half-width w in
// s units, widened to at least the pixel footprint (fpS, also in s units)
// and paled in proportion, so thin lines stay continuous far away.
func line(s, w, fpS float32) float32 {
	ew := max(w, 1.2*fpS)
	return (1 - smoothstep(0.1*ew, ew, s)) * (w / ew)
}

func newSurfaceShader(sf Surface, tint linRGB, seed uint32, threadFreq float32) surfaceShader {
	switch sf {
	case SurfaceMarble:
		return marbleShader(tint, seed)
	case SurfaceWood:
		return woodShader(tint, seed)
	case SurfaceConcrete:
		return concreteShader(tint, seed)
	case SurfaceLinen:
		return linenShader(tint, seed, threadFreq)
	case SurfacePaper:
		return paperShader(tint, seed)
	}
	return func(x, z, fp float32) linRGB {
		return tint.scale(1 + 0.015*fbm(x*1.5, z*1.5, 2, seed))
	}
}

// marbleShader: cloudy stone crossed by long meandering veins, each a
// sharp core inside a soft haze, fading in and out along its length, plus
// a second set of faint hairline veins. Dark marble gets light veins.
func marbleShader(base linRGB, seed uint32) surfaceShader {
	dark := base.oklab().L < 0.5
	vein := base.mul(linRGB{0.5, 0.51, 0.54})
	haze := base.mul(linRGB{0.8, 0.8, 0.82})
	if dark {
		vein = linRGB{0.72, 0.7, 0.66}
		haze = base.lerp(vein, 0.25)
	}
	return func(x, z, fp float32) linRGB {
		cloud := fbm(x*0.8, z*0.8, 2, seed)
		c := base.scale(1 + 0.03*cloud)
		turb := fbm(x*0.9, z*0.9, 4, seed+7)
		strength := smoothstep(-0.4, 0.35, fbm(x*0.6+3, z*0.6, 2, seed+21))
		s1 := abs32(sin32((x*1.3+z*0.5)*2.2 + turb*2.6))
		c = c.lerp(haze, (1-smoothstep(0, 0.5, s1))*0.4*strength)
		c = c.lerp(vein, line(s1, 0.07, 8*fp)*0.5*strength)
		turb2 := fbm(x*2.2, z*2.2+9, 3, seed+13)
		s2 := abs32(sin32((x*-1.1+z*2.4)*3.1 + turb2*3.5))
		return c.lerp(vein, line(s2, 0.03, 25*fp)*0.16*(1-strength*0.5))
	}
}

// woodShader: planks running left to right, each with its own tone, with
// wavy grain lines and thin darker seams.
func woodShader(base linRGB, seed uint32) surfaceShader {
	darkTone := base.mul(linRGB{0.62, 0.55, 0.5})
	const plankWidth = 0.32
	return func(x, z, fp float32) linRGB {
		pz := z / plankWidth
		plank := floor32(pz)
		ph := hash2(int32(plank), 7, seed)
		tone := 0.9 + 0.2*float32(ph&255)/255
		offset := float32(ph>>8&1023) / 37
		c := base.scale(tone)
		warp := fbm((x+offset)*0.35, z*2.5, 3, seed+3)
		ring := sin32((z*26+warp*2.2+offset)*math.Pi) * 0.5
		ring = ring*ring*4 - 0.5
		streak := fbm((x+offset)*0.8, z*40, 2, seed+5)
		g := clamp01(0.45 + 0.35*ring + 0.25*streak)
		rings := resolved(1.0/26, fp)
		g = lerp32(0.45, g, rings)
		c = c.lerp(darkTone.scale(tone), g*0.55)
		frac := pz - plank
		seamDist := min(frac, 1-frac) * plankWidth
		return c.scale(1 - 0.3*line(seamDist, 0.006, fp))
	}
}

// concreteShader: mottled cement with a few small pits.
func concreteShader(base linRGB, seed uint32) surfaceShader {
	return func(x, z, fp float32) linRGB {
		m := fbm(x*1.2, z*1.2, 4, seed)
		c := base.scale(1 + 0.07*m)
		f := fbm(x*7, z*7, 3, seed+11)
		c = c.scale(1 + 0.05*f*resolved(1.0/7, fp))
		pit := smoothstep(0.62, 0.75, gradNoise(x*38, z*38, seed+17)+0.35*f)
		return c.scale(1 - 0.22*pit*resolved(1.0/38, fp))
	}
}

// linenShader: soft folds, slubby threads and a fine over-under weave.
func linenShader(base linRGB, seed uint32, threadFreq float32) surfaceShader {
	return func(x, z, fp float32) linRGB {
		fold := fbm(x*0.9, z*1.4, 3, seed)
		c := base.scale(1 + 0.06*fold)
		slub := fbm(x*2, z*60, 2, seed+5) + fbm(x*60, z*2, 2, seed+9)
		wx := sin32(x * threadFreq)
		wz := sin32(z * threadFreq)
		weave := wx * wz
		return c.scale(1 + 0.035*slub*resolved(1.0/60, fp) + 0.04*weave*resolved(3/threadFreq, fp))
	}
}

// paperShader: nearly flat with a quiet fibre cloud.
func paperShader(base linRGB, seed uint32) surfaceShader {
	return func(x, z, fp float32) linRGB {
		f := fbm(x*2.5, z*2.5, 3, seed)
		fib := fbm(x*14, z*14, 2, seed+3)
		return base.scale(1 + 0.02*f + 0.015*fib*resolved(1.0/14, fp))
	}
}
