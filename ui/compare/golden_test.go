package compare

import (
	"image"
	"testing"

	"fyne.io/fyne/v2/test"
)

// redCircle is a product cut-out: a red disc on transparency.
func redCircle(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := float64(min(w, h)) * 0.4
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := float64(x)+0.5-float64(w)/2, float64(y)+0.5-float64(h)/2
			if dx*dx+dy*dy <= r*r {
				img.SetNRGBA(x, y, red)
			}
		}
	}
	return img
}

// blueSquare is a painted variant: a blue square on a yellow background.
func blueSquare(w, h int) *image.NRGBA {
	img := solid(w, h, yellow)
	side := min(w, h) * 3 / 5
	for y := (h - side) / 2; y < (h+side)/2; y++ {
		for x := (w - side) / 2; x < (w+side)/2; x++ {
			img.SetNRGBA(x, y, blue)
		}
	}
	return img
}

func goldenView(t *testing.T) *View {
	test.NewTempApp(t)
	v := New()
	v.SetItems([]Item{{Label: "Original", Image: redCircle(600, 400)}, {Label: "Variant 1", Image: blueSquare(600, 400)}})
	return v
}

func TestGoldenSideBySide(t *testing.T) {
	v := goldenView(t)
	w := showView(t, v)
	test.AssertImageMatches(t, "compare_side_by_side.png", w.Canvas().Capture())
}

func TestGoldenSplit(t *testing.T) {
	v := goldenView(t)
	v.SetMode(Split)
	w := showView(t, v)
	test.AssertImageMatches(t, "compare_split.png", w.Canvas().Capture())
}
