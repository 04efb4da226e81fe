package engine

import (
	"image"
	"math"
)

// The background is found the way a designer uses a contiguous magic wand:
// start at the border and grow inwards while pixels look like the backdrop.
// Planes here carry a one-pixel frame so the flood never bounds-checks.

const (
	stateUnknown uint8 = iota
	stateBackground
	stateFrame
)

// nearChroma, in chroma tolerances, is how far from the backdrop's hue a
// pixel near its colour may stray.
const nearChroma = 1.5

// minShadowScale is the darkest shadow, as a ratio of Oklab lightness to
// the backdrop's: about a 90% black layer on white. Anything lighter that
// keeps the backdrop's hue and chroma (scaled by the same ratio) may be
// shadow; whether it is, the outline decides (see edges.go).
const minShadowScale = 0.2

// pixelClasses holds, per padded pixel, what the flood needs.
type pixelClasses struct {
	w, h, pw int
	dist     []uint8 // Oklab distance to the modelled backdrop ×1024, capped
	shadow   []uint8 // 1 where the pixel is the backdrop darkened, looseShadow loosely
	shade    []uint8 // lightness as a share of the backdrop's, ×shadeScale
	// tint is the chroma left once the backdrop's, darkened to the
	// pixel's lightness, is taken away (Oklab a and b, ×tintScale).
	tintA, tintB []int8
	edge         []uint8 // 1 on a crisp step: an outline, never a penumbra
	luma         []uint8 // for telling a cliff between neighbours
	height       []uint8 // local step height, the cliff's measure
	floor        float32 // gradient noise floor
	threshold    uint8   // dist below this is backdrop
}

const distScale = 1024

// shadeScale stores lightness ratios up to 1.27 in a byte; tintScale
// chroma differences up to ±0.25.
const (
	shadeScale = 200
	tintScale  = 512
)

func classifyPixels(img *image.NRGBA, m *bgModel) *pixelClasses {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pw, ph := w+2, h+2
	c := &pixelClasses{
		w: w, h: h, pw: pw,
		dist:   make([]uint8, pw*ph),
		shadow: make([]uint8, pw*ph),
		shade:  make([]uint8, pw*ph),
		tintA:  make([]int8, pw*ph),
		tintB:  make([]int8, pw*ph),
		// Rounded up, so that a pixel the float test calls backdrop (and so
		// never judges as shadow) is never left out by the 8-bit one.
		threshold: uint8(min(255, math.Ceil(float64(m.threshold*distScale)))),
	}
	luma := make([]uint8, w*h)
	chroma := smoothedChroma(img, m)
	parallelRows(h, func(y0, y1 int) {
		var cache oklabCache
		for y := y0; y < y1; y++ {
			q := m.rowPoly(y)
			pix := img.Pix[y*img.Stride : y*img.Stride+4*w]
			base := (y+1)*pw + 1
			for x := 0; x < w; x++ {
				r, g, b := pix[4*x], pix[4*x+1], pix[4*x+2]
				p := cache.get(r, g, b)
				if chroma != nil {
					p.A, p.B = chroma.at(y*w + x)
				}
				nx := float32(normX(x, w))
				bg := oklab{
					q[0][0] + nx*(q[0][1]+nx*q[0][2]),
					q[1][0] + nx*(q[1][1]+nx*q[1][2]),
					q[2][0] + nx*(q[2][1]+nx*q[2][2]),
				}
				d, shadow, loose := m.judge(p, bg)
				i := base + x
				c.dist[i] = uint8(min(255, d*distScale))
				luma[y*w+x] = luma8(r, g, b)
				switch {
				case shadow:
					c.shadow[i] = 1
				case loose:
					c.shadow[i] = looseShadow
				}
				if bg.L > 0 {
					s := p.L / bg.L
					c.shade[i] = uint8(min(255, s*shadeScale+0.5))
					c.tintA[i] = int8(clamp((p.A-s*bg.A)*tintScale, -127, 127))
					c.tintB[i] = int8(clamp((p.B-s*bg.B)*tintScale, -127, 127))
				}
			}
		}
	})
	for i := range c.dist[:pw] {
		c.dist[i], c.dist[(h+1)*pw+i] = 255, 255
	}
	for y := 0; y < ph; y++ {
		c.dist[y*pw], c.dist[y*pw+pw-1] = 255, 255
	}
	plain := func(x, y int) bool { return c.dist[(y+1)*pw+x+1] < c.threshold/2 }
	luma = smoothLuma(luma, w, h)
	e := newEdgeMap(luma, w, h, noiseFloor(luma, w, h, plain))
	c.edge, c.luma, c.height, c.floor = padPlane(e.crisp, w, h), padPlane(e.luma, w, h), padPlane(e.height, w, h), e.floor
	return c
}

// chromaPlanes hold Oklab a and b per pixel, ×chromaFix.
type chromaPlanes struct{ a, b []int16 }

const chromaFix = 4096

func (c *chromaPlanes) at(i int) (float32, float32) {
	return float32(c.a[i]) / chromaFix, float32(c.b[i]) / chromaFix
}

// grainyChroma is the chroma noise (Oklab) above which colours are judged
// on their 3×3 average: grain and JPEG make single pixels' chroma stray
// far enough to let a softly tinted product pass for backdrop, while a
// product's own chroma is smooth.
const grainyChroma = 0.0025

// smoothedChroma returns the 3×3 mean chroma of a grainy picture, nil for
// a clean one.
func smoothedChroma(img *image.NRGBA, m *bgModel) *chromaPlanes {
	if m.chromaNoise < grainyChroma {
		return nil
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	raw := &chromaPlanes{make([]int16, w*h), make([]int16, w*h)}
	parallelRows(h, func(y0, y1 int) {
		var cache oklabCache
		for y := y0; y < y1; y++ {
			pix := img.Pix[y*img.Stride:]
			for x := 0; x < w; x++ {
				p := cache.get(pix[4*x], pix[4*x+1], pix[4*x+2])
				raw.a[y*w+x] = int16(p.A * chromaFix)
				raw.b[y*w+x] = int16(p.B * chromaFix)
			}
		}
	})
	out := &chromaPlanes{make([]int16, w*h), make([]int16, w*h)}
	box3 := func(src, dst []int16) {
		parallelRows(h, func(y0, y1 int) {
			for y := y0; y < y1; y++ {
				for x := 0; x < w; x++ {
					s, n := 0, 0
					for yy := max(0, y-1); yy <= min(h-1, y+1); yy++ {
						for xx := max(0, x-1); xx <= min(w-1, x+1); xx++ {
							s += int(src[yy*w+xx])
							n++
						}
					}
					dst[y*w+x] = int16(s / n)
				}
			}
		})
	}
	box3(raw.a, out.a)
	box3(raw.b, out.b)
	return out
}

// padPlane copies a w×h plane into one with a one-pixel frame of zeros.
func padPlane(p []uint8, w, h int) []uint8 {
	pw := w + 2
	out := make([]uint8, pw*(h+2))
	for y := 0; y < h; y++ {
		copy(out[(y+1)*pw+1:], p[y*w:(y+1)*w])
	}
	return out
}

// passable: near the backdrop, or its shadow, and not on a crisp edge.
// The edge test keeps products out of the backdrop when their colour could
// pass for it (a pale product on white, a black one whose colour is a deep
// shadow's): their outline is a crisp step, which a shadow's penumbra never
// is, however dark the shadow.
func (c *pixelClasses) passable(i int) bool {
	return (c.dist[i] < c.threshold || c.shadow[i] == 1) && c.edge[i] == 0
}

// Next to an outline, chroma subsampling and JPEG ringing smear the
// product's colour a few pixels into its shadow, so the strict chroma test
// stops the flood short of the outline. creep lets the backdrop grow up to
// creepSteps further through pixels that are its shadow with looseChroma
// times the tolerance (never through an edge or a cliff). Being short, the
// creep cannot run along a dark base of nearly the shadow's colour.
const (
	looseShadow = 2
	looseChroma = 4
	creepSteps  = 3
)

func (c *pixelClasses) creep(state []uint8) {
	pw := int32(c.pw)
	var front []int32
	for i := range state {
		if state[i] != stateBackground {
			continue
		}
		for _, o := range [4]int32{-1, 1, -pw, pw} {
			if state[int32(i)+o] == stateUnknown {
				front = append(front, int32(i))
				break
			}
		}
	}
	c.creepFrom(state, front)
}

// lighter tells j lighter than i beyond noise. The creep runs towards the
// product, where a shadow only darkens: a lighter pixel there is the
// product's own dark base, not its shadow.
func (c *pixelClasses) lighter(i, j int32) bool {
	return float32(c.luma[j]) > float32(c.luma[i])+2*c.floor
}

// creepFrom creeps from the background pixels front.
func (c *pixelClasses) creepFrom(state []uint8, front []int32) {
	pw := int32(c.pw)
	for range creepSteps {
		var next []int32
		for _, i := range front {
			for _, o := range [4]int32{-1, 1, -pw, pw} {
				j := i + o
				if state[j] == stateUnknown && c.edge[j] == 0 && !c.cliff(i, j) && !c.lighter(i, j) &&
					(c.dist[j] < c.threshold || c.shadow[j] != 0) {
					state[j] = stateBackground
					next = append(next, j)
				}
			}
		}
		front = next
	}
}

// cliff tells a step from i to its neighbour j too abrupt for a shadow.
func (c *pixelClasses) cliff(i, j int32) bool {
	return cliff(c.luma[i], c.luma[j], c.height[j], c.floor)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// newFloodState returns the padded state plane with its frame marked.
func (c *pixelClasses) newFloodState() []uint8 {
	pw, ph := c.pw, c.h+2
	st := make([]uint8, pw*ph)
	for x := 0; x < pw; x++ {
		st[x], st[(ph-1)*pw+x] = stateFrame, stateFrame
	}
	for y := 0; y < ph; y++ {
		st[y*pw], st[y*pw+pw-1] = stateFrame, stateFrame
	}
	return st
}

// borderSeeds lists the image's outermost pixels that look like backdrop.
func (c *pixelClasses) borderSeeds() []int32 {
	var seeds []int32
	add := func(x, y int) {
		i := (y+1)*c.pw + x + 1
		if c.passable(i) {
			seeds = append(seeds, int32(i))
		}
	}
	for x := 0; x < c.w; x++ {
		add(x, 0)
		if c.h > 1 {
			add(x, c.h-1)
		}
	}
	for y := 1; y < c.h-1; y++ {
		add(0, y)
		if c.w > 1 {
			add(c.w-1, y)
		}
	}
	return seeds
}

// flood grows the background from seeds through 4-connected passable
// pixels (4-connectivity can't slip through a product's diagonal seams).
// A rejected pixel stays unknown, so a neighbour reached later may retry it.
func (c *pixelClasses) flood(state []uint8, seeds []int32) {
	queue := make([]int32, 0, len(state))
	for _, s := range seeds {
		if state[s] == stateUnknown {
			state[s] = stateBackground
			queue = append(queue, s)
		}
	}
	pw := int32(c.pw)
	for head := 0; head < len(queue); head++ {
		i := queue[head]
		for _, j := range [4]int32{i - 1, i + 1, i - pw, i + pw} {
			if state[j] == stateUnknown && c.passable(int(j)) && !c.cliff(i, j) {
				state[j] = stateBackground
				queue = append(queue, j)
			}
		}
	}
}

// oklabCache remembers recent colour conversions: a product shot repeats
// the same few hundred colours across millions of pixels, and the cube
// roots are the costly part.
type oklabCache struct {
	keys [4096]uint32 // rgb+1, so 0 means empty
	vals [4096]oklab
}

func (c *oklabCache) get(r, g, b uint8) oklab {
	k := uint32(r)<<16 | uint32(g)<<8 | uint32(b)
	slot := (k * 0x9e3779b1) >> 20
	if c.keys[slot] == k+1 {
		return c.vals[slot]
	}
	v := srgb8ToOklab(r, g, b)
	c.keys[slot], c.vals[slot] = k+1, v
	return v
}

// judge returns p's distance from the backdrop colour bg, and whether p is
// that backdrop darkened: its lightness a share s of the backdrop's
// (minShadowScale ≤ s < 1) and its chroma the backdrop's scaled by s (the
// same hue). Darkening linear light by k scales all of Oklab by ∛k, so a
// shadow of any depth keeps that form; the chroma tolerance is
// tight, so cream or sage products don't pass for shadows. loose is the
// same test with looseChroma times the tolerance (see creep).
func (m *bgModel) judge(p, bg oklab) (d float32, shadow, loose bool) {
	d = p.dist(bg)
	if d < m.threshold {
		// Near the backdrop in lightness, which grain blurs, but not in
		// hue: a pale tinted highlight is not backdrop.
		if da, db := p.A-bg.A, p.B-bg.B; da*da+db*db >= nearChroma*nearChroma*m.chromaTol*m.chromaTol {
			d = m.threshold + 1.0/distScale // past it after rounding too
		}
		return d, false, false
	}
	if bg.L <= 0 {
		return d, false, false
	}
	s := p.L / bg.L
	if s < minShadowScale || s >= 1 {
		return d, false, false
	}
	da, db := p.A-s*bg.A, p.B-s*bg.B
	e := da*da + db*db
	tol := m.chromaTol * m.chromaTol
	return d, e < tol, e < looseChroma*looseChroma*tol
}

func luma8(r, g, b uint8) uint8 {
	return uint8((77*uint32(r) + 150*uint32(g) + 29*uint32(b)) >> 8)
}

// countState is how many pixels are in state want.
func countState(state []uint8, want uint8) int {
	n := 0
	for _, s := range state {
		if s == want {
			n++
		}
	}
	return n
}
