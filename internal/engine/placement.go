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
	maxProductWidth = 0.84 // of the frame width, when re-framing
	maxUpscale      = 4.0  // beyond this a small product turns to mush
	// centreMargin is the least room kept above and below a centred
	// product, as a share of the height.
	centreMargin = 0.05
)

// Frame places the product (bounds, in the shot) in a w×h output as the
// scene's framing asks, and returns the scene with its floor laid at the
// placed product's base.
func Frame(bounds image.Rectangle, s Scene, w, h int) (Placement, Scene) {
	var pl Placement
	switch s.Framing {
	case FrameCentre:
		pl = placeCentred(bounds, s, w, h)
	case FrameFill:
		fill := s
		fill.ProductHeight = s.Fill
		pl = Place(bounds, fill, w, h)
	default:
		pl = Placement{Rect: bounds, Scale: 1}
	}
	return pl, s.standOn(pl, h)
}

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
	base := int(math.Round(math.Max(s.Base, float64(dh)/float64(h)+centreMargin) * float64(h)))
	base = min(base, h)
	x0 := (w - dw) / 2
	return Placement{Rect: image.Rect(x0, base-dh, x0+dw, base), Scale: scale}
}

// placeCentred moves the product to the middle at its own size (smaller
// only if it would not fit): standing on the floor line, or in the middle
// of the height when the scene has no floor.
func placeCentred(bounds image.Rectangle, s Scene, w, h int) Placement {
	bw, bh := float64(bounds.Dx()), float64(bounds.Dy())
	if bw <= 0 || bh <= 0 {
		return Placement{}
	}
	scale := math.Min(1, math.Min((1-2*centreMargin)*float64(h)/bh, maxProductWidth*float64(w)/bw))
	dw := max(1, int(math.Round(bw*scale)))
	dh := max(1, int(math.Round(bh*scale)))
	x0 := (w - dw) / 2
	var y0 int
	if s.Horizon == 0 {
		y0 = (h - dh) / 2
	} else {
		base := int(math.Round(math.Max(s.Base, float64(dh)/float64(h)+centreMargin) * float64(h)))
		y0 = min(base, h) - dh
	}
	return Placement{Rect: image.Rect(x0, y0, x0+dw, y0+dh), Scale: scale}
}

// standOn lays the scene's floor at the placed product's base: Base is
// the base, and the horizon sits behind the product as far above it as
// the scene's kind sets for a product of that height (keeping the
// variant's shift).
func (s Scene) standOn(pl Placement, h int) Scene {
	if pl.Rect.Empty() || h <= 0 {
		return s
	}
	base := float64(pl.Rect.Max.Y) / float64(h)
	ph := float64(pl.Rect.Dy()) / float64(h)
	s.Base, s.ProductHeight = base, ph
	if s.Horizon > 0 {
		gap := clamp(horizonGap(s)*ph, minHorizonGap, maxHorizonGap)
		s.Horizon = clamp(base-gap+s.HorizonShift, minHorizon, max(minHorizon, base-0.03))
	}
	return s
}

// Horizon limits: the floor starts at least minHorizonGap and at most
// maxHorizonGap of the height above the product's base, and never above
// minHorizon.
const (
	minHorizonGap = 0.08
	maxHorizonGap = 0.4
	minHorizon    = 0.12
)

// horizonGap is the distance from the product's base up to the horizon,
// per unit of product height: a studio sweep bends close behind the
// product, a table's edge lies further back, an open sky lower still.
func horizonGap(s Scene) float64 {
	switch s.Kind {
	case KindTabletop:
		return 0.45
	case KindOutdoor:
		if s.Moods == MoodSky {
			return 0.29
		}
		return 0.44
	}
	return 0.32
}

// productLayer is the cut-out at its placement: 8-bit RGBA over the
// placement rectangle (premultiplied when resampled, or the cut-out's own
// straight-alpha pixels when kept at its size, uncopied), plus its tight
// alpha bounds.
type productLayer struct {
	pix    []uint8
	stride int
	rect   image.Rectangle
	premul bool
	bbox   image.Rectangle
}

func newProductLayer(m *Mask, p Placement) *productLayer {
	r := p.Rect
	if r.Empty() || m.Bounds.Empty() {
		return &productLayer{rect: r, premul: true}
	}
	fg := m.Foreground
	if r.Size() == fg.Rect.Size() {
		// Kept at its size: the cut-out's own pixels, moved.
		return &productLayer{pix: fg.Pix, stride: fg.Stride, rect: r, bbox: r}
	}
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
	return &productLayer{pix: img.Pix, stride: img.Stride, rect: r, premul: true, bbox: alphaBoundsRGBA(img)}
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
	r := l.rect
	f := c.factor
	inv := 1 / float32(255*f*f)
	for y := r.Min.Y; y < r.Max.Y && len(l.pix) > 0; y++ {
		wy := y / f
		if y < 0 || wy >= c.h {
			continue
		}
		row := l.pix[(y-r.Min.Y)*l.stride:]
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
