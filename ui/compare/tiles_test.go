package compare

import (
	"image"
	"image/color"
	"testing"
)

// gradient is a w×h image whose every pixel differs from its neighbours,
// so any misplaced tile shows.
func gradient(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x/256*40 + y/256*7), 255})
		}
	}
	return img
}

func TestALargeImageKeepsOnlyItsDisplayCopyInMemory(t *testing.T) {
	SetTileDir(t.TempDir())
	img := gradient(4100, 2500)
	m := newMipChain(img)
	if m.tiles == nil {
		t.Fatal("no tiles for a 4100 px image")
	}
	if top := m.levels[0].Rect; max(top.Dx(), top.Dy()) > displaySide {
		t.Fatalf("the display copy is %v", top)
	}
	if m.size != (vec{4100, 2500}) {
		t.Fatalf("size %v", m.size)
	}
	// Any region read back from the tiles is the image's own pixels.
	for _, r := range []image.Rectangle{
		image.Rect(0, 0, 10, 10), image.Rect(250, 250, 700, 530), image.Rect(4000, 2400, 4100, 2500), image.Rect(0, 0, 4100, 2500),
	} {
		got, err := m.tiles.region(r, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []image.Point{r.Min, r.Max.Sub(image.Pt(1, 1)), r.Min.Add(r.Max).Div(2)} {
			want := img.NRGBAAt(p.X, p.Y)
			c := got.RGBAAt(p.X-r.Min.X, p.Y-r.Min.Y)
			if c.R != want.R || c.G != want.G || c.B != want.B {
				t.Fatalf("region %v at %v: %v, want %v", r, p, c, want)
			}
		}
	}
	if cache.cachedBytes() > tileCacheBytes {
		t.Fatalf("the tile cache holds %d bytes", cache.cachedBytes())
	}
	m.tiles.Close()
}

func TestZoomedInDrawsFullSizePixels(t *testing.T) {
	SetTileDir(t.TempDir())
	img := gradient(4096, 4096)
	m := newMipChain(img)
	s := newViewState()
	s.setRef(m.size)
	s.setViewport(vec{300, 200})
	s.zoomAt(1, vec{150, 100}) // 100 %, around the middle
	dst := image.NewRGBA(image.Rect(0, 0, 300, 200))
	drawItem(dst, m, &s, vec{300, 200}, nil)
	// At 100 % each screen pixel is one image pixel: compare a few.
	origin := s.toImage(vec{0, 0})
	x0, y0 := int(origin.x*4096+0.5), int(origin.y*4096+0.5)
	for _, p := range []image.Point{{0, 0}, {150, 100}, {299, 199}, {37, 181}} {
		want := img.NRGBAAt(x0+p.X, y0+p.Y)
		got := dst.RGBAAt(p.X, p.Y)
		if got.R != want.R || got.G != want.G || got.B != want.B {
			t.Fatalf("screen %v shows %v, want the image's %v", p, got, want)
		}
	}
}
