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

// Shadow limits: a shadow is the backdrop darkened, Oklab (L,a,b) scaled by
// s = cbrt(light kept). Below minShadowScale it is too dark to be a soft
// shadow. maxShadowGradient (8-bit luma per pixel) separates a soft shadow
// from the crisp edge of a product that happens to be a darker version of
// the backdrop (grey on white, say).
const (
	minShadowScale    = 0.45
	maxShadowGradient = 4.0
)

// pixelClasses holds, per padded pixel, what the flood needs.
type pixelClasses struct {
	w, h, pw  int
	dist      []uint8 // Oklab distance to the modelled backdrop ×1024, capped
	shadow    []uint8 // 1 where the pixel is the backdrop darkened
	luma      []uint8 // for the edge-sharpness test
	threshold uint8   // dist below this is backdrop
	// smoothLimit is the Sobel response (|gx|+|gy|) below which a pixel is
	// in a gentle gradient: a soft shadow's slope, raised for noisy shots
	// so that grain alone does not read as an edge.
	smoothLimit int
}

// lumaPerOklab converts the backdrop model's noise (Oklab distance) into
// 8-bit luma steps; measured on flat grey fields from dark to white.
const lumaPerOklab = 1 / 0.0021

const distScale = 1024

func classifyPixels(img *image.NRGBA, m *bgModel) *pixelClasses {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	pw, ph := w+2, h+2
	c := &pixelClasses{
		w: w, h: h, pw: pw,
		dist:   make([]uint8, pw*ph),
		shadow: make([]uint8, pw*ph),
		luma:   make([]uint8, pw*ph),
		// Rounded up, so that a pixel the float test calls backdrop (and so
		// never judges as shadow) is never left out by the 8-bit one.
		threshold: uint8(min(255, math.Ceil(float64(m.threshold*distScale)))),
		// Sobel of pure noise σ has |gx|+|gy| of about 5.5σ, rarely past 10σ.
		smoothLimit: max(int(8*maxShadowGradient), int(10*float64(m.noise)*lumaPerOklab)),
	}
	parallelRows(h, func(y0, y1 int) {
		var cache oklabCache
		for y := y0; y < y1; y++ {
			q := m.rowPoly(y)
			pix := img.Pix[y*img.Stride : y*img.Stride+4*w]
			base := (y+1)*pw + 1
			for x := 0; x < w; x++ {
				r, g, b := pix[4*x], pix[4*x+1], pix[4*x+2]
				p := cache.get(r, g, b)
				nx := float32(normX(x, w))
				bg := oklab{
					q[0][0] + nx*(q[0][1]+nx*q[0][2]),
					q[1][0] + nx*(q[1][1]+nx*q[1][2]),
					q[2][0] + nx*(q[2][1]+nx*q[2][2]),
				}
				d, shadow := m.judge(p, bg)
				i := base + x
				c.dist[i] = uint8(min(255, d*distScale))
				c.luma[i] = luma8(r, g, b)
				if shadow {
					c.shadow[i] = 1
				}
			}
		}
	})
	// Replicate edge luma into the frame so gradients at the border are sane.
	for y := 1; y <= h; y++ {
		c.luma[y*pw] = c.luma[y*pw+1]
		c.luma[y*pw+w+1] = c.luma[y*pw+w]
	}
	copy(c.luma[:pw], c.luma[pw:2*pw])
	copy(c.luma[(h+1)*pw:], c.luma[h*pw:(h+1)*pw])
	for i := range c.dist[:pw] {
		c.dist[i], c.dist[(h+1)*pw+i] = 255, 255
	}
	for y := 0; y < ph; y++ {
		c.dist[y*pw], c.dist[y*pw+pw-1] = 255, 255
	}
	return c
}

// smooth reports whether padded pixel i sits in a gentle gradient (a soft
// shadow) rather than on an edge. Sobel, normalised to luma steps per pixel.
func (c *pixelClasses) smooth(i int) bool {
	l, pw := c.luma, c.pw
	tl, t, tr := int(l[i-pw-1]), int(l[i-pw]), int(l[i-pw+1])
	ml, mr := int(l[i-1]), int(l[i+1])
	bl, b, br := int(l[i+pw-1]), int(l[i+pw]), int(l[i+pw+1])
	gx := (tr + 2*mr + br) - (tl + 2*ml + bl)
	gy := (bl + 2*b + br) - (tl + 2*t + tr)
	return abs(gx)+abs(gy) < c.smoothLimit
}

// passable: clearly backdrop; or near the backdrop (or its shadow) and
// not on an edge. The edge test keeps a pale product on a white sweep out
// of the backdrop: its colour may be within tolerance, but its outline is
// a crisp step that soft shadows and backdrop noise never make.
func (c *pixelClasses) passable(i int) bool {
	d := c.dist[i]
	if d < c.threshold/2 {
		return true
	}
	return (d < c.threshold || c.shadow[i] == 1) && c.smooth(i)
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
			if state[j] == stateUnknown && c.passable(int(j)) {
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
// that backdrop darkened: (L,a,b) scaled by s within minShadowScale..1.
// Shadows keep the backdrop's hue and chroma almost exactly, so the
// tolerance is tight: cream or sage products don't pass for shadows.
func (m *bgModel) judge(p, bg oklab) (float32, bool) {
	d := p.dist(bg)
	if d < m.threshold {
		return d, false
	}
	bb := bg.L*bg.L + bg.A*bg.A + bg.B*bg.B
	s := (p.L*bg.L + p.A*bg.A + p.B*bg.B) / bb
	if s < minShadowScale || s > 1 {
		return d, false
	}
	return d, p.dist(oklab{bg.L * s, bg.A * s, bg.B * s}) < m.threshold*0.5
}

func luma8(r, g, b uint8) uint8 {
	return uint8((77*uint32(r) + 150*uint32(g) + 29*uint32(b)) >> 8)
}
