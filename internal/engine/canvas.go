package engine

import (
	"image"
	"math"
	"sync"
)

// canvas is a backdrop at working resolution, in linear light. Backdrops
// are smooth, so they are painted at up to workSide pixels on the long side
// and upsampled at the end; fine texture is restored there with full-
// resolution grain, and dithering keeps gradients free of banding.
type canvas struct {
	w, h    int // working size
	ow, oh  int // output size
	factor  int // output pixels per working pixel
	r, g, b []float32

	grain     float32 // amplitude of full-resolution grain, 8-bit steps
	grainFrom float32 // grain starts at this output-height fraction
	seed      uint32
}

const workSide = 720

func newCanvas(ow, oh int, seed uint64) *canvas {
	f := max(1, int(math.Ceil(float64(max(ow, oh))/workSide)))
	w, h := (ow+f-1)/f, (oh+f-1)/f
	n := w * h
	return &canvas{w: w, h: h, ow: ow, oh: oh, factor: f,
		r: make([]float32, n), g: make([]float32, n), b: make([]float32, n), seed: uint32(seed)}
}

func (c *canvas) set(i int, v linRGB) { c.r[i], c.g[i], c.b[i] = v.R, v.G, v.B }

func (c *canvas) get(i int) linRGB { return linRGB{c.r[i], c.g[i], c.b[i]} }

// uv maps a working pixel centre to frame fractions (0..1 on both axes).
func (c *canvas) uv(x, y int) (float32, float32) {
	return (float32(x) + 0.5) / float32(c.w), (float32(y) + 0.5) / float32(c.h)
}

func (c *canvas) aspect() float32 { return float32(c.ow) / float32(c.oh) }

// shade multiplies the light by (1 - s·tint) per pixel, s starting at
// pixel offset: shadows remove light, they don't paint grey.
func (c *canvas) shade(s []float32, offset int, tint linRGB) {
	for j, k := range s {
		if k <= 0 {
			continue
		}
		i := offset + j
		c.r[i] *= 1 - k*tint.R
		c.g[i] *= 1 - k*tint.G
		c.b[i] *= 1 - k*tint.B
	}
}

// finish converts to sRGB, upsamples bilinearly to the output size, adds
// grain and triangular dither, and quantises. It converts the canvas in
// place (saving a copy per variant): the canvas is spent afterwards.
func (c *canvas) finish() *image.RGBA {
	n := c.w * c.h
	sr, sg, sb := c.r, c.g, c.b
	for i := 0; i < n; i++ {
		sr[i] = linearToSRGBFast(c.r[i]) * 255
		sg[i] = linearToSRGBFast(c.g[i]) * 255
		sb[i] = linearToSRGBFast(c.b[i]) * 255
	}
	c.r, c.g, c.b = nil, nil, nil
	out := image.NewRGBA(image.Rect(0, 0, c.ow, c.oh))
	xt := upTaps(c.ow, c.w, c.factor)
	inv := 1 / float32(c.factor)
	rowR, rowG, rowB := make([]float32, c.w), make([]float32, c.w), make([]float32, c.w)
	grainRow := int(c.grainFrom * float32(c.oh))
	noise := noiseTiles()
	off := int(c.seed % noiseTile)
	for y := 0; y < c.oh; y++ {
		sy := (float32(y)+0.5)*inv - 0.5
		y0 := int(floor32(sy))
		t := sy - float32(y0)
		y1 := min(y0+1, c.h-1)
		y0 = max(y0, 0)
		a, b := y0*c.w, y1*c.w
		for x := 0; x < c.w; x++ {
			rowR[x] = sr[a+x] + (sr[b+x]-sr[a+x])*t
			rowG[x] = sg[a+x] + (sg[b+x]-sg[a+x])*t
			rowB[x] = sb[a+x] + (sb[b+x]-sb[a+x])*t
		}
		grain := float32(0)
		if c.grain > 0 && y >= grainRow {
			grain = c.grain * smoothstep(float32(grainRow), float32(grainRow)+0.15*float32(c.oh), float32(y))
		}
		pix := out.Pix[y*out.Stride : y*out.Stride+4*c.ow]
		// Dither and grain come from pre-made noise tiles; the grain tile
		// is offset per row so its repeat never lines up.
		ty := (y + off) % noiseTile * noiseTile
		dr := noise.dither[0][ty : ty+noiseTile]
		dg := noise.dither[1][ty : ty+noiseTile]
		db := noise.dither[2][ty : ty+noiseTile]
		gy := int(hash2(int32(y), 3, c.seed) % (noiseTile * noiseTile))
		for x, tp := range xt {
			k := x & (noiseTile - 1)
			gr := grain * noise.grain[(gy+x)%(noiseTile*noiseTile)]
			i0, i1, f := tp.i0, tp.i1, tp.t
			pix[4*x] = to8(rowR[i0] + (rowR[i1]-rowR[i0])*f + dr[k] + gr)
			pix[4*x+1] = to8(rowG[i0] + (rowG[i1]-rowG[i0])*f + dg[k] + gr)
			pix[4*x+2] = to8(rowB[i0] + (rowB[i1]-rowB[i0])*f + db[k] + gr)
			pix[4*x+3] = 255
		}
	}
	return out
}

const noiseTile = 128 // power of two

type noiseTileSet struct {
	dither [3][]float32 // triangular, ±0.8 of an 8-bit step
	grain  []float32    // triangular, ±1
}

var (
	tilesOnce sync.Once
	tiles     *noiseTileSet
)

// noiseTiles returns the shared dither and grain tiles (fixed content, so
// output stays deterministic).
func noiseTiles() *noiseTileSet {
	tilesOnce.Do(func() {
		r := &rng{s: 0x5eed}
		tri := func() float32 { return float32(r.float() + r.float() - 1) }
		t := &noiseTileSet{grain: make([]float32, noiseTile*noiseTile)}
		for ch := range t.dither {
			t.dither[ch] = make([]float32, noiseTile*noiseTile)
			for i := range t.dither[ch] {
				t.dither[ch][i] = 0.8 * tri()
			}
		}
		for i := range t.grain {
			t.grain[i] = tri()
		}
		tiles = t
	})
	return tiles
}

type upTap struct {
	i0, i1 int
	t      float32
}

// upTaps precomputes bilinear source columns for upsampling by factor.
func upTaps(ow, w, factor int) []upTap {
	out := make([]upTap, ow)
	inv := 1 / float32(factor)
	for x := range out {
		sx := (float32(x)+0.5)*inv - 0.5
		x0 := int(floor32(sx))
		t := sx - float32(x0)
		out[x] = upTap{max(x0, 0), min(x0+1, w-1), t}
		if x0 < 0 {
			out[x].t = 0
		}
	}
	return out
}
