package engine

import (
	"context"
	"image"
	"image/color"
	"math"
	"testing"

	"backdrop/internal/engine/synth"
)

// A small editor shot whose product stands off-centre, low and to the
// left, with a dark shadow touching its base.
func offCentreShot(t *testing.T) synth.Shot {
	t.Helper()
	s, ok := synth.EditorShotAt("box-hard-shadow-on-grey", 320, 240)
	if !ok {
		t.Fatal("no shot")
	}
	return s
}

func TestDefaultKeepsTheProductInPlace(t *testing.T) {
	shot := offCentreShot(t)
	m := CutOut(shot.Image)
	for _, prompt := range []string{"white marble", "pastel pink", "sunset beach", "asdfgh"} {
		img, box, err := New().Paint(context.Background(), shot.Image, prompt, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		if img.Bounds() != shot.Image.Bounds() {
			t.Fatalf("%q: output %v, want the shot's frame %v", prompt, img.Bounds(), shot.Image.Bounds())
		}
		if box != m.Bounds {
			t.Errorf("%q: product box %v, want where it stood %v", prompt, box, m.Bounds)
		}
		// Pixel for pixel: where the cut-out is solid, the result shows
		// the cut-out's own colour at the same place.
		rgba := img.(*image.RGBA)
		differ, solid := 0, 0
		for y := m.Bounds.Min.Y; y < m.Bounds.Max.Y; y++ {
			for x := m.Bounds.Min.X; x < m.Bounds.Max.X; x++ {
				if m.Alpha.AlphaAt(x, y).A != 255 {
					continue
				}
				solid++
				want := m.Foreground.NRGBAAt(x, y)
				got := rgba.RGBAAt(x, y)
				if got.R != want.R || got.G != want.G || got.B != want.B {
					differ++
				}
			}
		}
		if solid == 0 || differ > 0 {
			t.Errorf("%q: %d of %d solid product pixels moved or changed", prompt, differ, solid)
		}
	}
}

func TestFloorAndShadowAtTheRealBase(t *testing.T) {
	shot := offCentreShot(t)
	m := CutOut(shot.Image)
	for _, prompt := range []string{"white studio", "white marble tabletop", "sunset beach", "blue sky"} {
		s := ParseScene(prompt, 1)
		pl, fitted := Frame(m.Bounds, s, shot.W, shot.H)
		base := float64(pl.Rect.Max.Y) / float64(shot.H)
		if math.Abs(fitted.Base-base) > 1e-9 {
			t.Errorf("%q: scene base %.3f, product base %.3f", prompt, fitted.Base, base)
		}
		if fitted.Horizon <= 0 || fitted.Horizon >= base {
			t.Errorf("%q: horizon %.3f not above the base %.3f", prompt, fitted.Horizon, base)
		}
		// The new contact shadow darkens the floor just under the base,
		// along the product's own width, and not far to the side.
		with, _ := Compose(s, m, shot.W, shot.H)
		bare := RenderBackdrop(fitted, shot.W, shot.H)
		y := pl.Rect.Max.Y + 1
		mid := (pl.Rect.Min.X + pl.Rect.Max.X) / 2
		under := lum(bare.RGBAAt(mid, y)) - lum(with.RGBAAt(mid, y))
		far := lum(bare.RGBAAt(2, y)) - lum(with.RGBAAt(2, y))
		if under < 8 {
			t.Errorf("%q: floor under the base only %.1f darker", prompt, under)
		}
		if far > 2 {
			t.Errorf("%q: shadow reaches the frame's edge (%.1f)", prompt, far)
		}
	}
}

func TestFramingWords(t *testing.T) {
	for _, c := range []struct {
		prompt string
		f      Framing
		fill   float64
	}{
		{"white marble", FrameKeep, 0},
		{"white marble, centred", FrameCentre, 0},
		{"centered on a pastel pink backdrop", FrameCentre, 0},
		{"fill the frame, concrete", FrameFill, frameFill},
		{"oak table, fill 60%", FrameFill, 0.6},
		{"grey studio, fill", FrameFill, defaultFill},
		{"soft fill light from the left", FrameKeep, 0},
	} {
		s := ParseScene(c.prompt, 1)
		if s.Framing != c.f || s.Fill != c.fill {
			t.Errorf("%q: framing %v fill %.2f, want %v %.2f", c.prompt, s.Framing, s.Fill, c.f, c.fill)
		}
	}
	if s := ParseScene("fill light from the left", 1); s.Light != LightLeft {
		t.Errorf("a fill light lost its direction: %v", s.Light)
	}
}

func TestCentredAndFillReframe(t *testing.T) {
	shot := offCentreShot(t)
	e := New()
	_, keep, _ := e.Paint(context.Background(), shot.Image, "grey studio", 1, nil)
	_, centred, _ := e.Paint(context.Background(), shot.Image, "grey studio, centred", 1, nil)
	_, fill, _ := e.Paint(context.Background(), shot.Image, "grey studio, fill 80%", 1, nil)
	mid := func(r image.Rectangle) float64 { return float64(r.Min.X+r.Max.X) / 2 }
	if math.Abs(mid(keep)-float64(shot.W)/2) < 10 {
		t.Fatalf("the shot's product is centred already (%v): the test proves nothing", keep)
	}
	if math.Abs(mid(centred)-float64(shot.W)/2) > 1.5 {
		t.Errorf("centred: box %v not in the middle of %d", centred, shot.W)
	}
	if d := centred.Dy() - keep.Dy(); d < -1 || d > 1 {
		t.Errorf("centred changed the size: %v vs %v", centred, keep)
	}
	wantH := 0.8 * float64(shot.H)
	if math.Abs(float64(fill.Dy())-wantH) > 0.03*float64(shot.H) && float64(fill.Dx()) < maxProductWidth*float64(shot.W)-2 {
		t.Errorf("fill 80%%: box %v is %d high, want about %.0f", fill, fill.Dy(), wantH)
	}
	if math.Abs(mid(fill)-float64(shot.W)/2) > 1.5 || fill.Max.Y > shot.H {
		t.Errorf("fill: box %v not centred in the frame", fill)
	}
}

// TestContactShadowFollowsFootprintAndLight: an arch standing on two feet
// shades the floor under its feet, not under its open middle (where any
// ellipse centred on it would be darkest), and a light from one side
// pushes the shadow to the other.
func TestContactShadowFollowsFootprintAndLight(t *testing.T) {
	const w, h = 400, 300
	solid := func(x, y int, rects []image.Rectangle) bool {
		for _, r := range rects {
			if (image.Point{x, y}).In(r) {
				return true
			}
		}
		return false
	}
	product := func(rects ...image.Rectangle) *Mask {
		var b image.Rectangle
		for _, r := range rects {
			b = b.Union(r)
		}
		alpha := image.NewAlpha(image.Rect(0, 0, w, h))
		fg := image.NewNRGBA(b)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if solid(x, y, rects) {
					alpha.SetAlpha(x, y, colorAlpha(255))
					fg.Pix[fg.PixOffset(x, y)+3] = 255
				}
			}
		}
		return &Mask{Alpha: alpha, Foreground: fg, Bounds: b}
	}
	darkening := func(m *Mask, prompt string) func(x, y int) float64 {
		s := ParseScene(prompt, 1)
		with, _ := Compose(s, m, w, h)
		_, fitted := Frame(m.Bounds, s, w, h)
		bare := RenderBackdrop(fitted, w, h)
		return func(x, y int) float64 { return lum(bare.RGBAAt(x, y)) - lum(with.RGBAAt(x, y)) }
	}
	arch := product(image.Rect(100, 100, 300, 140), image.Rect(100, 140, 140, 250), image.Rect(260, 140, 300, 250))
	d := darkening(arch, "grey studio")
	if feet, gap := d(120, 252), d(200, 252); gap > 0.5*feet {
		t.Errorf("under the feet %.1f, under the open middle %.1f: the shadow ignores the footprint", feet, gap)
	}
	box := product(image.Rect(150, 100, 250, 250))
	sides := func(prompt string) (left, right float64) {
		d := darkening(box, prompt)
		for x := 0; x < w; x++ {
			if v := d(x, 253); v > 3 && x < 200 {
				left += v
			} else if v > 3 {
				right += v
			}
		}
		return
	}
	if l, r := sides("grey studio, light from the left"); r < 1.3*l {
		t.Errorf("light from the left: contact shadow left %.0f right %.0f", l, r)
	}
	if l, r := sides("grey studio, light from the right"); l < 1.3*r {
		t.Errorf("light from the right: contact shadow left %.0f right %.0f", l, r)
	}
}

func colorAlpha(a uint8) color.Alpha { return color.Alpha{A: a} }
