package engine

import (
	"image"
	"image/draw"
	"strings"
)

// transparentPhrases ask for no backdrop at all: the product alone.
var transparentPhrases = []string{
	"transparent", "no background", "without background", "remove background",
	"remove the background", "cut out", "cutout", "alpha", "png cut",
}

func isTransparentRequest(norm string) bool {
	for _, p := range transparentPhrases {
		if strings.Contains(norm, p) {
			return true
		}
	}
	return false
}

// cutOutImage is the product on transparency at the shot's own size and
// place, so its alpha is the mask itself.
func cutOutImage(m *Mask) (image.Image, image.Rectangle) {
	out := image.NewNRGBA(m.Alpha.Bounds())
	if !m.Bounds.Empty() {
		draw.Draw(out, m.Bounds, m.Foreground, m.Bounds.Min, draw.Src)
	}
	return out, m.Bounds
}
