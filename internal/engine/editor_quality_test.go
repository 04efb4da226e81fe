package engine

import (
	"context"
	"image"
	"testing"

	"backdrop/internal/engine/synth"
)

// The editor shots (synth.EditorSet) are ordinary product shots as a
// designer makes them: dark, touching and cast shadows, JPEG and PNG. Two
// measures: the cut-out's IoU against the true mask, and how many pixels
// of the old shadow it keeps outside the product.

const (
	// featherPixels is how far outside the true outline the cut-out's
	// soft edge may reach; past it, no old shadow may be left.
	featherPixels = 3
	// shadowZoneMin is the least share of light an old shadow must take to
	// count as visible (2.5% is about 4 levels on white).
	shadowZoneMin = 0.025
	// keptAlpha is the coverage (of 255) from which a pixel of the cut-out
	// shows on a new backdrop.
	keptAlpha = 13
)

// shadowZone lists the pixels an old shadow darkens visibly, farther than
// featherPixels from the true product.
func shadowZone(s synth.Shot) []int {
	w, h := s.W, s.H
	near := make([]uint8, w*h)
	for i, a := range s.Alpha {
		if a > 0 {
			near[i] = 1
		}
	}
	tmp := make([]uint8, w*h)
	dilateRows(near, tmp, w, h, featherPixels)
	clear(near)
	dilateCols(tmp, near, w, h, featherPixels)
	var zone []int
	for i, k := range s.Shadow {
		if k >= shadowZoneMin && near[i] == 0 {
			zone = append(zone, i)
		}
	}
	return zone
}

// shadowLeft counts the zone's pixels the cut-out keeps.
func shadowLeft(s synth.Shot, m *Mask) (left, zone int) {
	z := shadowZone(s)
	for _, i := range z {
		if m.Alpha.Pix[i] >= keptAlpha {
			left++
		}
	}
	return left, len(z)
}

func TestEditorShots(t *testing.T) {
	var shots []synth.Shot
	maxSide := 0
	if testing.Short() || raceEnabled {
		maxSide = 1100
		t.Log("4000 px shots skipped (-short or -race); bench/engine/run.sh runs them")
	}
	shots = synth.EditorSet(maxSide)
	sum, totalLeft := 0.0, 0
	for _, s := range shots {
		m := CutOut(s.Image)
		sc := scoreMask(s, m)
		left, zone := shadowLeft(s, m)
		t.Logf("%-30s %4dx%-4d %-4s IoU %.4f  halo %.4f/%.4f  shadow left %d of %d", s.Name, s.W, s.H, s.Format,
			sc.iou, sc.haloMean, sc.haloP95, left, zone)
		sum += sc.iou
		totalLeft += left
		if left > 0 {
			t.Errorf("%s: %d pixels of the old shadow kept outside the product", s.Name, left)
		}
	}
	mean := sum / float64(len(shots))
	t.Logf("editor shots: mean IoU %.4f over %d shots, %d old shadow pixels left", mean, len(shots), totalLeft)
	if mean < minMeanIoU {
		t.Errorf("mean IoU %.4f < %.2f", mean, minMeanIoU)
	}
}

// maxOldShadowDE is how much darker than the new backdrop (Oklab ΔE) a
// pixel of a painted result may be in the old shadow's zone: about a
// just-noticeable difference.
const maxOldShadowDE = 0.02

// TestNoOldShadowInPaintedResults measures what a designer sees: each
// result is compared with the same backdrop, new shadows included,
// painted without the product; in the old shadow's zone past the feather
// no pixel may be darker than it by more than maxOldShadowDE. For a
// transparent result, no pixel there may be visible at all.
func TestNoOldShadowInPaintedResults(t *testing.T) {
	e := New()
	for _, s := range synth.EditorSet(1100) {
		m := CutOut(s.Image)
		for _, prompt := range []string{"white studio", "pastel pink", "transparent background"} {
			img, _, err := e.Paint(context.Background(), s.Image, prompt, 1, nil)
			if err != nil {
				t.Fatal(err)
			}
			if left := oldShadowShown(s, m, img, prompt); left > 0 {
				t.Errorf("%s, %q: %d pixels of the old shadow show", s.Name, prompt, left)
			}
		}
	}
}

// TestOldShadowMeasureSeesShadow: a cut-out that keeps the old shadow
// (the true product plus every shadowed pixel) must be caught.
func TestOldShadowMeasureSeesShadow(t *testing.T) {
	s, _ := synth.EditorShotAt("bottle-on-white-dark-contact", 320, 320)
	m := CutOut(s.Image)
	leaky := &Mask{Alpha: image.NewAlpha(m.Alpha.Rect)}
	for i := range leaky.Alpha.Pix {
		if s.Alpha[i] > 0 || s.Shadow[i] >= shadowZoneMin {
			leaky.Alpha.Pix[i] = 255
		}
	}
	leaky.Bounds = alphaBounds(leaky.Alpha.Pix, s.W, s.H)
	leaky.Foreground = foregroundLayer(s.Image, leaky.Alpha.Pix, leaky.Bounds)
	for _, prompt := range []string{"white studio", "transparent background"} {
		var img image.Image
		if ParseScene(prompt, 1).Transparent {
			img, _ = cutOutImage(leaky)
		} else {
			pl, scene := Frame(leaky.Bounds, ParseScene(prompt, 1), s.W, s.H)
			img, _ = finishComposition(renderScene(scene, s.W, s.H), scene, newProductLayer(leaky, pl), pl)
		}
		if left := oldShadowShown(s, leaky, img, prompt); left < len(shadowZone(s))/10 {
			t.Errorf("%q: a cut-out keeping the whole shadow shows only %d of %d shadow pixels", prompt, left, len(shadowZone(s)))
		}
	}
}

// oldShadowShown counts the pixels of s's old shadow zone that show in
// img, painted for prompt from the cut-out m.
func oldShadowShown(s synth.Shot, m *Mask, img image.Image, prompt string) int {
	zone := shadowZone(s)
	left := 0
	if nrgba, ok := img.(*image.NRGBA); ok {
		for _, i := range zone {
			if nrgba.Pix[4*i+3] >= keptAlpha {
				left++
			}
		}
		return left
	}
	bare := backdropWithNewShadows(m, prompt, s.W, s.H)
	out := img.(*image.RGBA)
	for _, i := range zone {
		p, q := out.Pix[4*i:], bare.Pix[4*i:]
		got, want := srgb8ToOklab(p[0], p[1], p[2]), srgb8ToOklab(q[0], q[1], q[2])
		if got.L < want.L && got.dist(want) > maxOldShadowDE {
			left++
		}
	}
	return left
}

// backdropWithNewShadows paints variant 1 of prompt as Paint does, but
// leaves the product out.
func backdropWithNewShadows(m *Mask, prompt string, w, h int) *image.RGBA {
	pl, scene := Frame(m.Bounds, ParseScene(prompt, 1), w, h)
	c := renderScene(scene, w, h)
	layer := newProductLayer(m, pl)
	addShadows(c, scene, layer.workingAlpha(c), pl)
	return c.finish()
}
