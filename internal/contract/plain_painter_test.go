package contract

import (
	"context"
	"image"
	"image/color"
	"testing"
)

func TestPlainPainter(t *testing.T) {
	src := image.NewNRGBA(image.Rect(10, 10, 110, 60)) // 100x50, offset origin
	for i := range src.Pix {
		src.Pix[i] = 0xff // opaque white
	}
	cases := []struct {
		name    string
		p       PlainPainter
		size    image.Point
		fgWidth int
	}{
		{"defaults keep the size", PlainPainter{}, image.Pt(100, 50), 84},
		{"max side shrinks", PlainPainter{MaxSide: 40}, image.Pt(40, 20), 34},
		{"margin", PlainPainter{Margin: 0.25}, image.Pt(100, 50), 50},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var last float64
			img, fg, err := c.p.Paint(context.Background(), src, "forest", 1, func(f float64) {
				if f < last {
					t.Errorf("progress went back: %v after %v", f, last)
				}
				last = f
			})
			if err != nil {
				t.Fatal(err)
			}
			if img.Bounds().Size() != c.size || last != 1 {
				t.Errorf("size %v progress %v", img.Bounds().Size(), last)
			}
			if fg.Dx() != c.fgWidth || !fg.In(img.Bounds()) {
				t.Errorf("foreground %v in %v", fg, img.Bounds())
			}
			// Aspect kept, centred; white inside, the background outside.
			if d := fg.Dx() - 2*fg.Dy(); d < -1 || d > 1 {
				t.Errorf("aspect lost: %v", fg)
			}
			mid := image.Pt((fg.Min.X+fg.Max.X)/2, (fg.Min.Y+fg.Max.Y)/2)
			if got := color.RGBAModel.Convert(img.At(mid.X, mid.Y)); got != (color.RGBA{255, 255, 255, 255}) {
				t.Errorf("centre %v", got)
			}
			if got := img.At(0, 0); got != PlainColor("forest", 1) {
				t.Errorf("corner %v", got)
			}
		})
	}
}

func TestPlainColor(t *testing.T) {
	first := PlainColor("a", 1)
	if again := PlainColor("a", 1); first != again {
		t.Error("not deterministic")
	}
	seen := map[color.RGBA]bool{}
	for v := 1; v <= 4; v++ {
		seen[PlainColor("a beach", v)] = true
	}
	seen[PlainColor("a forest", 1)] = true
	if len(seen) < 4 {
		t.Errorf("colours too alike: %v", seen)
	}
}

func TestPlainPainterCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if _, _, err := (PlainPainter{}).Paint(ctx, src, "p", 1, func(float64) {}); err == nil {
		t.Error("no error when cancelled")
	}
}

func TestTinyImage(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img, fg, err := (PlainPainter{}).Paint(context.Background(), src, "p", 1, func(float64) {})
	if err != nil || img.Bounds().Dx() != 1 || fg.Empty() {
		t.Errorf("%v %v %v", img.Bounds(), fg, err)
	}
}
