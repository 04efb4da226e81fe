package library

import (
	"image"
	"image/color"

	"golang.org/x/image/draw"
)

// resize scales img to w×h, flattened on white. A big image is first
// averaged down by whole blocks of pixels (fast, and exact for the pixels
// it merges) to about twice the target, then finished with Catmull-Rom: a
// filter alone over a 16-fold reduction is both slow and no sharper.
func resize(img image.Image, w, h int) *image.RGBA {
	b := img.Bounds()
	flat := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	if o, ok := img.(interface{ Opaque() bool }); ok && o.Opaque() {
		draw.Draw(flat, flat.Bounds(), img, b.Min, draw.Src) // fast for JPEG's YCbCr
	} else {
		draw.Draw(flat, flat.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		draw.Draw(flat, flat.Bounds(), img, b.Min, draw.Over)
	}
	src := flat
	if k := min(b.Dx()/(2*w), b.Dy()/(2*h)); k >= 2 {
		src = boxReduce(flat, k)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	return dst
}

// boxReduce averages each k×k block of src into one pixel (the right and
// bottom edges that do not fill a block are dropped: under k pixels).
func boxReduce(src *image.RGBA, k int) *image.RGBA {
	w, h := src.Rect.Dx()/k, src.Rect.Dy()/k
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	sums := make([]uint32, 4*w)
	area := uint32(k * k)
	for y := range h {
		clear(sums)
		for sy := y * k; sy < (y+1)*k; sy++ {
			row := src.Pix[sy*src.Stride : sy*src.Stride+4*w*k]
			for x := range w {
				s := sums[4*x : 4*x+4 : 4*x+4]
				p := row[4*x*k : 4*(x+1)*k]
				for i := 0; i+3 < len(p); i += 4 {
					s[0] += uint32(p[i])
					s[1] += uint32(p[i+1])
					s[2] += uint32(p[i+2])
					s[3] += uint32(p[i+3])
				}
			}
		}
		out := dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		for i, v := range sums {
			out[i] = uint8((v + area/2) / area)
		}
	}
	return dst
}

// fitSize is w×h scaled to fit side×side, never enlarged.
func fitSize(w, h, side int) (int, int) {
	if w <= side && h <= side {
		return w, h
	}
	if w >= h {
		return side, max(1, h*side/w)
	}
	return max(1, w*side/h), side
}
