package engine

import "image"

// Compose paints the scene at w×h with the cut-out standing in it, framed
// as the scene asks, and returns the picture and the product's bounding
// box in it.
func Compose(s Scene, m *Mask, w, h int) (*image.RGBA, image.Rectangle) {
	pl, s := Frame(m.Bounds, s, w, h)
	c := renderScene(s, w, h)
	return finishComposition(c, s, newProductLayer(m, pl), pl)
}

// finishComposition adds shadows to a rendered scene, upsamples it and lays
// the product over it.
func finishComposition(c *canvas, s Scene, layer *productLayer, pl Placement) (*image.RGBA, image.Rectangle) {
	if !pl.Rect.Empty() {
		addShadows(c, s, layer.workingAlpha(c), pl)
	}
	out := c.finish()
	composite(out, layer)
	return out, layer.bbox
}

// composite lays the layer over dst (the "over" operator).
func composite(dst *image.RGBA, l *productLayer) {
	r := l.rect.Intersect(dst.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		s := l.pix[(y-l.rect.Min.Y)*l.stride+4*(r.Min.X-l.rect.Min.X):]
		d := dst.Pix[dst.PixOffset(r.Min.X, y):]
		for x := 0; x < r.Dx(); x++ {
			a := uint32(s[4*x+3])
			switch {
			case a == 0:
			case a == 255:
				copy(d[4*x:4*x+3], s[4*x:4*x+3])
			case l.premul:
				k := 255 - a
				for ch := 0; ch < 3; ch++ {
					d[4*x+ch] = uint8(uint32(s[4*x+ch]) + (uint32(d[4*x+ch])*k+127)/255)
				}
			default:
				k := 255 - a
				for ch := 0; ch < 3; ch++ {
					d[4*x+ch] = uint8((uint32(s[4*x+ch])*a + uint32(d[4*x+ch])*k + 127) / 255)
				}
			}
		}
	}
}
