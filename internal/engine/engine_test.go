package engine

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"sync"
	"testing"

	"backdrop/internal/engine/synth"
)

// Small pictures keep these tests fast under -race.
const testW, testH = 240, 200

func testShot(t *testing.T, name string) synth.Shot {
	t.Helper()
	s, ok := synth.ByName(name, testW, testH)
	if !ok {
		t.Fatalf("no shot %q", name)
	}
	return s
}

func paint(t *testing.T, e *Engine, src image.Image, prompt string, v int) *image.RGBA {
	t.Helper()
	img, _, err := e.Paint(context.Background(), src, prompt, v, nil)
	if err != nil {
		t.Fatal(err)
	}
	return img.(*image.RGBA)
}

func TestPaintDeterministic(t *testing.T) {
	src := testShot(t, "bottle-on-gradient").Image
	for _, prompt := range []string{"white marble tabletop, light from the left", "sunset beach", "forest", "asdfgh"} {
		a := paint(t, New(), src, prompt, 2)
		b := paint(t, New(), src, prompt, 2)
		if !bytes.Equal(a.Pix, b.Pix) {
			t.Errorf("%q: same request gave different pixels", prompt)
		}
	}
}

func TestVariantsDiffer(t *testing.T) {
	src := testShot(t, "mug-on-white").Image
	e := New()
	for _, prompt := range []string{"pastel pink", "gradient from teal to navy", "linen", "blue sky"} {
		var prev []*image.RGBA
		for v := 1; v <= 4; v++ {
			img := paint(t, e, src, prompt, v)
			for k, p := range prev {
				if meanAbsDiff(img, p) < 1 {
					t.Errorf("%q: variants %d and %d look the same", prompt, k+1, v)
				}
			}
			prev = append(prev, img)
		}
	}
}

func meanAbsDiff(a, b *image.RGBA) float64 {
	var sum int
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		if d < 0 {
			d = -d
		}
		sum += d
	}
	return float64(sum) / float64(len(a.Pix))
}

// TestVariantsShareOneSource paints the variants of one request as the
// contract server does, concurrently and from one decoded source: they
// match variants painted alone, and the source is converted and cut out
// once.
func TestVariantsShareOneSource(t *testing.T) {
	src := testShot(t, "ring-on-blue").Image
	e := New()
	imgs := make([]image.Image, 4)
	boxes := make([]image.Rectangle, 4)
	var wg sync.WaitGroup
	for v := range 4 {
		wg.Go(func() {
			var err error
			imgs[v], boxes[v], err = e.Paint(context.Background(), src, "concrete, light from the right", v+1, nil)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for v := 1; v <= 4; v++ {
		img, box, err := New().Paint(context.Background(), src, "concrete, light from the right", v, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(img.(*image.RGBA).Pix, imgs[v-1].(*image.RGBA).Pix) || box != boxes[v-1] {
			t.Errorf("variant %d: painted with the others and alone differ", v)
		}
	}
	if n := len(e.sources.entries); n != 1 {
		t.Errorf("%d source entries for one source", n)
	}
	if n := len(e.cache.entries); n != 1 {
		t.Errorf("%d cut-outs for one source", n)
	}
	var seen []float64
	if _, _, err := e.Paint(context.Background(), src, "linen", 1, func(f float64) { seen = append(seen, f) }); err != nil {
		t.Fatal(err)
	}
	checkProgress(t, seen)
}

func checkProgress(t *testing.T, seen []float64) {
	t.Helper()
	if len(seen) < 3 || seen[0] != 0 || seen[len(seen)-1] != 1 {
		t.Fatalf("progress %v: want several reports from 0 to 1", seen)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] < seen[i-1] {
			t.Fatalf("progress went backwards: %v", seen)
		}
	}
}

func TestPaintBoxAndPlacement(t *testing.T) {
	shot := testShot(t, "green-bottle-on-white")
	var seen []float64
	img, box, err := New().Paint(context.Background(), shot.Image, "white studio", 1,
		func(f float64) { seen = append(seen, f) })
	if err != nil {
		t.Fatal(err)
	}
	checkProgress(t, seen)
	if img.Bounds() != shot.Image.Bounds() {
		t.Fatalf("output %v, want the input's size %v", img.Bounds(), shot.Image.Bounds())
	}
	if box.Empty() || !box.In(img.Bounds()) {
		t.Fatalf("bad box %v", box)
	}
	// The product keeps its place: this shot's bottle stands centred,
	// ~66% of the height (framing_test.go moves an off-centre one).
	if hf := float64(box.Dy()) / testH; hf < 0.6 || hf > 0.72 {
		t.Errorf("product fills %.2f of the height", hf)
	}
	if c := float64(box.Min.X+box.Max.X) / 2; c < testW/2-3 || c > testW/2+3 {
		t.Errorf("product centred at x=%.1f, want %d", c, testW/2)
	}
	// The bottle's dark green shows inside the box and not outside it.
	rgba := img.(*image.RGBA)
	mid := rgba.RGBAAt((box.Min.X+box.Max.X)/2, (box.Min.Y+3*box.Max.Y)/4)
	if mid.G < mid.R+20 || mid.G > 150 {
		t.Errorf("product centre colour %v is not the bottle's green", mid)
	}
	corner := rgba.RGBAAt(2, 2)
	if corner.R < 150 {
		t.Errorf("backdrop corner %v is too dark for a white studio", corner)
	}
}

func TestShadowUnderProduct(t *testing.T) {
	shot := testShot(t, "box-on-grey")
	m := CutOut(shot.Image)
	s := ParseScene("white studio", 1)
	with, box := Compose(s, m, testW, testH)
	bare := RenderBackdrop(s, testW, testH)
	// Just below the base the floor must be darker than the bare backdrop,
	// and far to the side it must not be.
	below := lum(with.RGBAAt(box.Min.X+box.Dx()/2, box.Max.Y+1)) - lum(bare.RGBAAt(box.Min.X+box.Dx()/2, box.Max.Y+1))
	side := lum(with.RGBAAt(3, box.Max.Y+1)) - lum(bare.RGBAAt(3, box.Max.Y+1))
	if below > -8 {
		t.Errorf("no contact shadow: %.1f", below)
	}
	if side < -2 {
		t.Errorf("shadow spills to the frame edge: %.1f", side)
	}
}

func lum(c color.RGBA) float64 { return 0.3*float64(c.R) + 0.59*float64(c.G) + 0.11*float64(c.B) }

func TestCastShadowFollowsLight(t *testing.T) {
	m := CutOut(testShot(t, "box-on-grey").Image)
	darkness := func(prompt string) (left, right float64) {
		s := ParseScene(prompt, 1)
		with, box := Compose(s, m, testW, testH)
		bare := RenderBackdrop(s, testW, testH)
		y := box.Max.Y - box.Dy()/12
		for d := 4; d < 20; d++ {
			left += lum(bare.RGBAAt(box.Min.X-d, y)) - lum(with.RGBAAt(box.Min.X-d, y))
			right += lum(bare.RGBAAt(box.Max.X+d, y)) - lum(with.RGBAAt(box.Max.X+d, y))
		}
		return
	}
	if l, r := darkness("white studio, light from the left"); r < l+20 {
		t.Errorf("light from the left: shadow left %.0f right %.0f, want it on the right", l, r)
	}
	if l, r := darkness("white studio, light from the right"); l < r+20 {
		t.Errorf("light from the right: shadow left %.0f right %.0f, want it on the left", l, r)
	}
}

func TestTransparentSource(t *testing.T) {
	shot := testShot(t, "bottle-transparent")
	m := CutOut(shot.Image)
	if !m.FromAlphaChannel {
		t.Fatal("alpha channel ignored")
	}
	for i, a := range shot.Alpha {
		if got := m.Alpha.Pix[i]; int(got) != int(a*255+0.5) {
			t.Fatalf("pixel %d: alpha %d, want %v", i, got, a*255)
		}
	}
}

func TestOutputCapped(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 4300, 120))
	for i := range src.Pix {
		src.Pix[i] = 240
	}
	img, _, err := New().Paint(context.Background(), src, "white", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != MaxSide || b.Dy() != 114 {
		t.Errorf("output %v, want 4096×114", b)
	}
}

func TestPaintCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := New().Paint(ctx, testShot(t, "ball-on-white").Image, "white", 1, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestEmptyAndBlankSources(t *testing.T) {
	if _, _, err := New().Paint(context.Background(), image.NewNRGBA(image.Rect(0, 0, 0, 0)), "white", 1, nil); err == nil {
		t.Error("empty image accepted")
	}
	blank := image.NewGray(image.Rect(0, 0, 64, 48))
	for i := range blank.Pix {
		blank.Pix[i] = 200
	}
	img, box, err := New().Paint(context.Background(), blank, "white", 1, nil)
	if err != nil || img == nil {
		t.Fatal(err)
	}
	if !box.Empty() {
		t.Errorf("a blank picture has no product, got box %v", box)
	}
}

// TestEveryKindRenders paints each kind of scene and checks the result is
// a real picture: no flat fill, no black holes, no blown-out white.
func TestEveryKindRenders(t *testing.T) {
	m := CutOut(testShot(t, "bottle-on-gradient").Image)
	for _, prompt := range []string{
		"pastel pink", "#1e90ff", "gradient from teal to navy", "white marble tabletop, light from the left",
		"dark wood table, sunlight from the right", "concrete", "linen, top light", "kraft paper",
		"sunset beach", "blue sky", "forest", "beach", "backlit forest at sunset", "asdfgh", "black marble", "",
	} {
		for v := 1; v <= 2; v++ {
			img, _ := Compose(ParseScene(prompt, v), m, 160, 120)
			var lo, hi, sum float64 = 255, 0, 0
			for y := 0; y < 120; y++ {
				l := lum(img.RGBAAt(5, y))
				lo, hi, sum = min(lo, l), max(hi, l), sum+l
			}
			if hi-lo < 2 || sum/120 < 20 || lo > 252 {
				t.Errorf("%q v%d: edge column lum %.0f..%.0f mean %.0f", prompt, v, lo, hi, sum/120)
			}
		}
	}
}

// TestChangedSourceIsCutOutAgain: the shared source is recognised by its
// memory, but a caller that changes the pixels gets a fresh cut-out.
func TestChangedSourceIsCutOutAgain(t *testing.T) {
	shot := testShot(t, "ball-on-white")
	src := image.NewNRGBA(shot.Image.Rect)
	copy(src.Pix, shot.Image.Pix)
	e := New()
	_, before, err := e.Paint(context.Background(), src, "grey studio", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := testShot(t, "box-on-grey")
	copy(src.Pix, other.Image.Pix)
	_, after, err := e.Paint(context.Background(), src, "grey studio", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := CutOut(other.Image).Bounds
	if after != want || after == before {
		t.Errorf("after the pixels changed: box %v, want %v (was %v)", after, want, before)
	}
}
