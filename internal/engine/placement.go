package engine

import (
	"image"
	"math"
)

// Placement is where the product's bounding box lands in the output.
type Placement struct {
	Rect  image.Rectangle
	Scale float64
}

const (
	maxProductWidth = 0.84 // of the frame width
	maxUpscale      = 4.0  // beyond this a small product turns to mush
)

// Place centres the product horizontally with its base on the scene's
// floor line, scaled to the scene's product height unless that would make
// it too wide.
func Place(bounds image.Rectangle, s Scene, w, h int) Placement {
	bw, bh := float64(bounds.Dx()), float64(bounds.Dy())
	if bw <= 0 || bh <= 0 {
		return Placement{}
	}
	scale := s.ProductHeight * float64(h) / bh
	scale = math.Min(scale, maxProductWidth*float64(w)/bw)
	scale = math.Min(scale, maxUpscale)
	dw := max(1, int(math.Round(bw*scale)))
	dh := max(1, int(math.Round(bh*scale)))
	base := int(math.Round(s.Base * float64(h)))
	x0 := (w - dw) / 2
	return Placement{Rect: image.Rect(x0, base-dh, x0+dw, base), Scale: scale}
}

// productLayer is the cut-out resampled to its placement: premultiplied
// RGBA over the placement rectangle, plus its tight alpha bounds.
type productLayer struct {
	img  *image.RGBA
	bbox image.Rectangle
}

func newProductLayer(m *Mask, p Placement) *productLayer {
	r := p.Rect
	if r.Empty() || m.Bounds.Empty() {
		return &productLayer{img: image.NewRGBA(r)}
	}
	fg := m.Foreground
	sw, sh := fg.Rect.Dx(), fg.Rect.Dy()
	crop := &image.NRGBA{Pix: fg.Pix, Stride: fg.Stride, Rect: image.Rect(0, 0, sw, sh)}
	if fg.Stride != 4*sw {
		crop = image.NewNRGBA(image.Rect(0, 0, sw, sh))
		for y := 0; y < sh; y++ {
			copy(crop.Pix[y*4*sw:(y+1)*4*sw], fg.Pix[y*fg.Stride:])
		}
	}
	planes := resamplePlanes(nrgbaToPremulPlanes(crop), sw, sh, r.Dx(), r.Dy())
	img := image.NewRGBA(r)
	n := r.Dx() * r.Dy()
	for i := 0; i < n; i++ {
		a := to8(planes[3][i])
		if a == 0 {
			continue
		}
		// Premultiplied colour can't exceed alpha.
		img.Pix[4*i] = min(to8(planes[0][i]), a)
		img.Pix[4*i+1] = min(to8(planes[1][i]), a)
		img.Pix[4*i+2] = min(to8(planes[2][i]), a)
		img.Pix[4*i+3] = a
	}
	b := alphaBoundsRGBA(img)
	return &productLayer{img: img, bbox: b}
}

func alphaBoundsRGBA(img *image.RGBA) image.Rectangle {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	alpha := make([]uint8, w*h)
	for i := range alpha {
		alpha[i] = img.Pix[4*i+3]
	}
	return alphaBounds(alpha, w, h).Add(img.Rect.Min)
}

// workingAlpha averages the layer's alpha over each working pixel of c.
func (l *productLayer) workingAlpha(c *canvas) []float32 {
	out := make([]float32, c.w*c.h)
	r := l.img.Rect
	f := c.factor
	inv := 1 / float32(255*f*f)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		wy := y / f
		if y < 0 || wy >= c.h {
			continue
		}
		row := l.img.Pix[(y-r.Min.Y)*l.img.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			wx := x / f
			if x < 0 || wx >= c.w {
				continue
			}
			out[wy*c.w+wx] += float32(row[4*(x-r.Min.X)+3]) * inv
		}
	}
	return out
}
