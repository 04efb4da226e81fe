package engine

import (
	"image"
	"image/draw"
)

// MaxSide caps the long side of the output; larger inputs are shrunk first.
const MaxSide = 4096

// toNRGBA returns src as straight-alpha 8-bit pixels with its origin at
// (0,0) and no row padding, converting once so hot loops can index Pix
// directly. A tightly packed *image.NRGBA, or an opaque *image.RGBA (the
// same bytes then), is used as is (never written to).
func toNRGBA(src image.Image) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	var out *image.NRGBA
	switch s := src.(type) {
	case *image.NRGBA:
		if b.Min == (image.Point{}) && s.Stride == 4*w {
			out = s
		} else {
			out = image.NewNRGBA(image.Rect(0, 0, w, h))
			for y := 0; y < h; y++ {
				copy(out.Pix[y*4*w:(y+1)*4*w], s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):])
			}
		}
	default:
		rgba, ok := src.(*image.RGBA)
		if !ok || b.Min != (image.Point{}) || rgba.Stride != 4*w {
			rgba = image.NewRGBA(image.Rect(0, 0, w, h))
			draw.Draw(rgba, rgba.Rect, src, b.Min, draw.Src)
		}
		if opaque(rgba.Pix) {
			// Premultiplied and straight alpha agree where alpha is 255.
			out = &image.NRGBA{Pix: rgba.Pix, Stride: rgba.Stride, Rect: rgba.Rect}
		} else {
			out = unpremultiply(rgba)
		}
	}
	if max(w, h) > MaxSide {
		out = shrinkToFit(out, MaxSide)
	}
	return out
}

// opaque reports whether every pixel of RGBA or NRGBA bytes has alpha 255.
func opaque(pix []uint8) bool {
	for i := 3; i < len(pix); i += 4 {
		if pix[i] != 255 {
			return false
		}
	}
	return true
}

// unpremultiply turns premultiplied RGBA into straight NRGBA.
func unpremultiply(src *image.RGBA) *image.NRGBA {
	out := image.NewNRGBA(src.Rect)
	s, d := src.Pix, out.Pix
	for i := 0; i+3 < len(s); i += 4 {
		a := s[i+3]
		switch a {
		case 255:
			d[i], d[i+1], d[i+2], d[i+3] = s[i], s[i+1], s[i+2], 255
		case 0:
		default:
			d[i] = uint8((uint32(s[i])*255 + uint32(a)/2) / uint32(a))
			d[i+1] = uint8((uint32(s[i+1])*255 + uint32(a)/2) / uint32(a))
			d[i+2] = uint8((uint32(s[i+2])*255 + uint32(a)/2) / uint32(a))
			d[i+3] = a
		}
	}
	return out
}

// shrinkToFit scales img down so its long side is at most side, averaging
// premultiplied colour over each destination pixel's footprint.
func shrinkToFit(img *image.NRGBA, side int) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	k := float64(side) / float64(max(w, h))
	nw, nh := max(1, int(float64(w)*k+0.5)), max(1, int(float64(h)*k+0.5))
	planes := nrgbaToPremulPlanes(img)
	res := resamplePlanes(planes, w, h, nw, nh)
	return premulPlanesToNRGBA(res, nw, nh)
}

// nrgbaToPremulPlanes splits pixels into premultiplied float planes R,G,B,A.
func nrgbaToPremulPlanes(img *image.NRGBA) [4][]float32 {
	n := img.Rect.Dx() * img.Rect.Dy()
	var p [4][]float32
	for c := range p {
		p[c] = make([]float32, n)
	}
	for i := 0; i < n; i++ {
		px := img.Pix[4*i : 4*i+4 : 4*i+4]
		a := float32(px[3]) / 255
		p[0][i] = float32(px[0]) * a
		p[1][i] = float32(px[1]) * a
		p[2][i] = float32(px[2]) * a
		p[3][i] = a * 255
	}
	return p
}

func premulPlanesToNRGBA(p [4][]float32, w, h int) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		a := p[3][i]
		if a < 0.5 {
			continue
		}
		inv := 255 / a
		out.Pix[4*i] = to8(p[0][i] * inv)
		out.Pix[4*i+1] = to8(p[1][i] * inv)
		out.Pix[4*i+2] = to8(p[2][i] * inv)
		out.Pix[4*i+3] = to8(a)
	}
	return out
}

// to8 rounds and clamps a 0..255 value.
func to8(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}
