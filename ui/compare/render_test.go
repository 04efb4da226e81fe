package compare

import (
	"image"
	"image/color"
	"testing"
)

func solid(w, h int, c color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, c)
		}
	}
	return img
}

func TestMipLevels(t *testing.T) {
	m := newMipChain(solid(1000, 300, color.White))
	want := []image.Point{{1000, 300}, {500, 150}, {250, 75}, {125, 38}, {63, 19}}
	if len(m.levels) != len(want) {
		t.Fatalf("got %d levels, want %d", len(m.levels), len(want))
	}
	for i, l := range m.levels {
		if l.Rect.Size() != want[i] {
			t.Errorf("level %d is %v, want %v", i, l.Rect.Size(), want[i])
		}
	}
	tests := []struct {
		scale     float64
		wantWidth int
	}{
		{4, 1000}, {1, 1000}, {0.75, 1000}, {0.5, 500}, {0.3, 500}, {0.25, 250}, {0.001, 63},
	}
	for _, tt := range tests {
		l, s := m.level(tt.scale)
		if l.Rect.Dx() != tt.wantWidth {
			t.Errorf("level(%v) width = %d, want %d", tt.scale, l.Rect.Dx(), tt.wantWidth)
		}
		if got := s * float64(l.Rect.Dx()); !near(got, tt.scale*1000) {
			t.Errorf("level(%v) draws %v pixels wide, want %v", tt.scale, got, tt.scale*1000)
		}
	}
}

func TestHalveAverages(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 1))
	src.Pix = []uint8{0, 0, 0, 255, 200, 100, 50, 255, 10, 20, 30, 255}
	got := halve(src)
	want := []uint8{100, 50, 25, 255, 10, 20, 30, 255}
	if got.Rect.Size() != (image.Point{2, 1}) {
		t.Fatalf("size = %v", got.Rect.Size())
	}
	for i := range want {
		if got.Pix[i] != want[i] {
			t.Fatalf("pix = %v, want %v", got.Pix, want)
		}
	}
}

func TestDrawItemCoversThePlacedRect(t *testing.T) {
	m := newMipChain(solid(100, 50, color.NRGBA{255, 0, 0, 255}))
	s := viewState{zoom: 2, centre: vec{0.5, 0.5}, ref: vec{100, 50}}
	dst := image.NewRGBA(image.Rect(0, 0, 300, 200))
	drawItem(dst, m, &s, vec{300, 200}, nil)
	// The 200x100 image is centred: x 50..250, y 50..150.
	for _, p := range []struct {
		x, y int
		red  bool
	}{{49, 100, false}, {50, 100, true}, {249, 100, true}, {250, 100, false}, {150, 49, false}, {150, 50, true}, {150, 149, true}, {150, 150, false}} {
		if red := dst.RGBAAt(p.x, p.y).R == 255; red != p.red {
			t.Errorf("pixel (%d,%d) red = %v, want %v", p.x, p.y, red, p.red)
		}
	}
}

func TestTransparentShowsChecker(t *testing.T) {
	m := newMipChain(solid(64, 64, color.NRGBA{}))
	s := viewState{zoom: 1, centre: vec{0.5, 0.5}, ref: vec{64, 64}}
	dst := image.NewRGBA(image.Rect(0, 0, 64, 64))
	drawItem(dst, m, &s, vec{64, 64}, nil)
	if a, b := dst.RGBAAt(0, 0), dst.RGBAAt(checkerCell, 0); a != checkerLight || b != checkerDark {
		t.Errorf("checker cells = %v, %v", a, b)
	}
}

// Showing a 4096² image fitted in a 1000x700 pane must stay interactive.
func BenchmarkRender(b *testing.B) {
	big := image.NewRGBA(image.Rect(0, 0, 4096, 4096))
	m := newMipChain(big)
	for _, zoom := range []float64{0, 0.3, 1, 4} {
		s := newViewState()
		s.setRef(m.size)
		s.setViewport(vec{1000, 700})
		if zoom > 0 {
			s.setZoom(zoom)
		}
		dst := image.NewRGBA(image.Rect(0, 0, 1000, 700))
		b.Run("zoom", func(b *testing.B) {
			for b.Loop() {
				drawItem(dst, m, &s, vec{1000, 700}, nil)
			}
		})
	}
}

func BenchmarkMipChain4096NRGBA(b *testing.B) {
	img := image.NewNRGBA(image.Rect(0, 0, 4096, 4096))
	for b.Loop() {
		newMipChain(img)
	}
}
