package compare

import (
	"image"
	"image/draw"
)

// Levels stop halving once the longer side is this small: below it a level
// saves nothing worth its memory.
const mipSmallest = 64

// displaySide bounds the copies kept in memory: enough to fill a pane on a
// 4K screen. Above it the full-size pixels are read from tiles on disk,
// only where a zoomed-in pane needs them.
const displaySide = 2048

// mipChain holds an image's display copy and successively half-sized
// copies of it, so that showing a big image zoomed out filters a few
// pixels rather than millions; a larger image's full-size pixels are in
// tiles.
type mipChain struct {
	levels []*image.RGBA // levels[0] is the display copy, each next one half of it
	tiles  *tileStore    // full size, when larger than levels[0]; nil otherwise
	size   vec           // full size in pixels
	opaque bool          // no transparency: no checkerboard, plain copy
}

func newMipChain(img image.Image) *mipChain {
	base := toRGBA(img)
	m := &mipChain{
		size:   vec{float64(base.Rect.Dx()), float64(base.Rect.Dy())},
		opaque: base.Opaque(),
	}
	top := base
	if max(base.Rect.Dx(), base.Rect.Dy()) > displaySide {
		if tiles, err := newTileStore(base); err == nil {
			m.tiles = tiles
			for max(top.Rect.Dx(), top.Rect.Dy()) > displaySide {
				top = halve(top)
			}
		}
		// Without a tile file the full size stays in memory.
	}
	m.levels = []*image.RGBA{top}
	for l := top; max(l.Rect.Dx(), l.Rect.Dy()) > mipSmallest; {
		l = halve(l)
		m.levels = append(m.levels, l)
	}
	return m
}

// fullSize reports whether drawing at scale (screen pixels per full-size
// pixel) needs the full-size tiles: the display copy would be enlarged.
func (m *mipChain) fullSize(scale float64) bool {
	return m.tiles != nil && scale*m.size.x > float64(m.levels[0].Rect.Dx())
}

// level picks the copy to draw from at the given scale (screen pixels per
// full-size pixel) and returns it with its own scale. It is the smallest copy
// that is still shrunk, never enlarged, so detail is kept and at most a 2x
// reduction is left to the filter.
func (m *mipChain) level(scale float64) (*image.RGBA, float64) {
	i := 0
	for s := scale * m.size.x / float64(m.levels[0].Rect.Dx()); i+1 < len(m.levels) && s*2 <= 1; s *= 2 {
		i++
	}
	// The halved copies round odd sizes up, so rescale by the real ratio.
	l := m.levels[i]
	return l, scale * m.size.x / float64(l.Rect.Dx())
}

// toRGBA returns img as premultiplied RGBA at the origin, copying only when
// it is not already so.
func toRGBA(img image.Image) *image.RGBA {
	if rgba, ok := img.(*image.RGBA); ok && rgba.Rect.Min == (image.Point{}) {
		return rgba
	}
	b := img.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	inStrips(rgba.Rect, func(strip image.Rectangle) {
		draw.Draw(rgba, strip, img, b.Min.Add(strip.Min), draw.Src)
	})
	return rgba
}

// halve averages each 2x2 block into one pixel; an odd last row or column
// is averaged with itself.
func halve(src *image.RGBA) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, (sw+1)/2, (sh+1)/2))
	inStrips(dst.Rect, func(strip image.Rectangle) { halveRows(dst, src, strip.Min.Y, strip.Max.Y) })
	return dst
}

// halveRows fills rows y0 to y1 of dst, half the size of src.
func halveRows(dst, src *image.RGBA, y0, y1 int) {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	for y := y0; y < y1; y++ {
		r0 := src.Pix[(2*y)*src.Stride:]
		r1 := r0
		if 2*y+1 < sh {
			r1 = src.Pix[(2*y+1)*src.Stride:]
		}
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < dst.Rect.Dx(); x++ {
			a := 8 * x
			b := a + 4
			if 2*x+1 >= sw {
				b = a
			}
			for c := 0; c < 4; c++ {
				sum := uint32(r0[a+c]) + uint32(r0[b+c]) + uint32(r1[a+c]) + uint32(r1[b+c])
				out[4*x+c] = uint8((sum + 2) / 4)
			}
		}
	}
}
