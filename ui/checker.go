package ui

import (
	"image"
	"image/color"

	"fyne.io/fyne/v2/canvas"
)

// newChecker is the light checkerboard that shows where an image is
// transparent, as image editors do.
func newChecker() *canvas.Raster {
	light := color.NRGBA{0xf4, 0xf4, 0xf4, 0xff}
	dark := color.NRGBA{0xdc, 0xdc, 0xdc, 0xff}
	return canvas.NewRasterWithPixels(func(x, y, w, h int) color.Color {
		if (x/10+y/10)%2 == 0 {
			return light
		}
		return dark
	})
}

// imageSize is an image's pixel size.
func imageSize(img image.Image) (int, int) {
	if img == nil {
		return 1, 1
	}
	b := img.Bounds()
	return b.Dx(), b.Dy()
}
