package compare

import (
	"image"
	"image/color"
)

// The checkerboard behind transparent images: light, so that a cut-out
// product reads the way it will on a white page, yet visibly not white.
const checkerCell = 8

var (
	checkerLight = color.RGBA{0xff, 0xff, 0xff, 0xff}
	checkerDark  = color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
)

// fillChecker paints the checkerboard over r of dst. Cells are fixed to the
// screen, not the image, so they do not swim while panning.
func fillChecker(dst *image.RGBA, r image.Rectangle) {
	r = r.Intersect(dst.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y):dst.PixOffset(r.Max.X, y)]
		for i, x := 0, r.Min.X; x < r.Max.X; i, x = i+4, x+1 {
			c := checkerLight
			if (x/checkerCell+y/checkerCell)%2 == 1 {
				c = checkerDark
			}
			row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, c.A
		}
	}
}

// fillColour paints dst with one opaque colour.
func fillColour(dst *image.RGBA, c color.Color) {
	rgba := color.RGBAModel.Convert(c).(color.RGBA)
	pix := dst.Pix
	if len(pix) < 4 {
		return
	}
	pix[0], pix[1], pix[2], pix[3] = rgba.R, rgba.G, rgba.B, rgba.A
	// Doubling copies fill the buffer in a handful of memmoves.
	for n := 4; n < len(pix); n *= 2 {
		copy(pix[n:], pix[:n])
	}
}
