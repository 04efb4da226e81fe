package engine

import (
	"image"
	"math"
	"slices"
	"testing"

	"backdrop/internal/engine/synth"
)

// Halo metric: Oklab ΔE between the decontaminated foreground colour and the
// product's true colour, over edge pixels — those the product partly covers
// plus a 2-pixel band inside the edge — that the cut-out keeps (alpha > 0;
// a fully transparent pixel shows none of its colour). A ΔE of 0.02 is
// about one just-noticeable difference.
const (
	minMeanIoU  = 0.97
	maxHaloMean = 0.03
	maxHaloP95  = 0.08
)

type shotScore struct {
	name          string
	iou           float64
	haloMean      float64
	haloP95       float64
	edgePixelsHit int
}

// scoreMask compares a cut-out with the shot's ground truth.
func scoreMask(s synth.Shot, m *Mask) shotScore {
	w, h := s.W, s.H
	var inter, uni int
	for i, ta := range s.Alpha {
		t := ta >= 0.5
		e := m.Alpha.Pix[i] >= 128
		if t && e {
			inter++
		}
		if t || e {
			uni++
		}
	}
	sc := shotScore{name: s.Name, iou: 1}
	if uni > 0 {
		sc.iou = float64(inter) / float64(uni)
	}
	edge := trueEdgePixels(s.Alpha, w, h)
	var des []float64
	for _, i := range edge {
		x, y := i%w, i/w
		if m.Alpha.Pix[i] == 0 || !(image.Point{x, y}).In(m.Bounds) {
			continue
		}
		p := m.Foreground.Pix[m.Foreground.PixOffset(x, y):]
		got := srgb8ToOklab(p[0], p[1], p[2])
		want := srgbToOklab(float64(s.Color[3*i]), float64(s.Color[3*i+1]), float64(s.Color[3*i+2]))
		des = append(des, float64(got.dist(want)))
	}
	sc.edgePixelsHit = len(des)
	if len(des) > 0 {
		sum := 0.0
		for _, d := range des {
			sum += d
		}
		sc.haloMean = sum / float64(len(des))
		slices.Sort(des)
		sc.haloP95 = des[int(0.95*float64(len(des)-1))]
	}
	return sc
}

// trueEdgePixels are pixels partly covered by the product, plus fully
// covered ones within 2 pixels of those.
func trueEdgePixels(alpha []float32, w, h int) []int {
	var out []int
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			a := alpha[y*w+x]
			if a <= 0 {
				continue
			}
			near := a < 1
			for yy := max(0, y-2); yy <= min(h-1, y+2) && !near; yy++ {
				for xx := max(0, x-2); xx <= min(w-1, x+2); xx++ {
					if alpha[yy*w+xx] < 1 {
						near = true
						break
					}
				}
			}
			if near {
				out = append(out, y*w+x)
			}
		}
	}
	return out
}

// scoreSet cuts out every shot and averages: mean IoU, mean halo ΔE over
// all edge pixels of the set, and the worst shot's 95th percentile.
func scoreSet(shots []synth.Shot) (meanIoU, haloMean, haloP95 float64, scores []shotScore) {
	var wsum float64
	for _, s := range shots {
		sc := scoreMask(s, cutOut(s.Image))
		scores = append(scores, sc)
		meanIoU += sc.iou
		haloMean += sc.haloMean * float64(sc.edgePixelsHit)
		wsum += float64(sc.edgePixelsHit)
		haloP95 = math.Max(haloP95, sc.haloP95)
	}
	meanIoU /= float64(len(shots))
	if wsum > 0 {
		haloMean /= wsum
	}
	return
}

func TestMaskQuality(t *testing.T) {
	shots := synth.Set(288, 256)
	meanIoU, haloMean, haloP95, scores := scoreSet(shots)
	for _, sc := range scores {
		t.Logf("%-22s IoU %.4f  halo mean %.4f p95 %.4f (%d px)", sc.name, sc.iou, sc.haloMean, sc.haloP95, sc.edgePixelsHit)
	}
	t.Logf("plain shots: mean IoU %.4f, halo mean ΔE %.4f, worst p95 ΔE %.4f", meanIoU, haloMean, haloP95)
	if meanIoU < minMeanIoU {
		t.Errorf("mean IoU %.4f < %.2f", meanIoU, minMeanIoU)
	}
	if haloMean > maxHaloMean {
		t.Errorf("halo mean ΔE %.4f > %.2f", haloMean, maxHaloMean)
	}
	if haloP95 > maxHaloP95 {
		t.Errorf("halo p95 ΔE %.4f > %.2f", haloP95, maxHaloP95)
	}
}

// TestHaloMetricCatchesHalo shows the halo check can fail: the same masks
// with the raw observed colours (no decontamination) must score worse than
// the limits on shots with a contrasting backdrop.
func TestHaloMetricCatchesHalo(t *testing.T) {
	s, _ := synth.ByName("ring-on-blue", 288, 256)
	m := cutOut(s.Image)
	raw := *m
	raw.Foreground = foregroundLayer(s.Image, m.Alpha.Pix, m.Bounds)
	good, bad := scoreMask(s, m), scoreMask(s, &raw)
	t.Logf("decontaminated p95 %.4f, raw p95 %.4f", good.haloP95, bad.haloP95)
	if bad.haloP95 <= maxHaloP95 {
		t.Errorf("raw edge colours pass the halo check (p95 %.4f): the metric is blind", bad.haloP95)
	}
	if good.haloP95 >= bad.haloP95 {
		t.Errorf("decontamination did not help: %.4f vs raw %.4f", good.haloP95, bad.haloP95)
	}
}

// TestMaskQualityLarge runs a few shots big enough that the decision is
// made on a reduced copy and the outline refined at full resolution.
func TestMaskQualityLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large pictures")
	}
	if decisionScale(1300, 1150) < 2 {
		t.Fatal("test no longer exercises the reduced-decision path")
	}
	for _, name := range []string{"mug-on-white", "grey-box-shadow-on-white", "glyphs-on-coral"} {
		s, _ := synth.ByName(name, 1300, 1150)
		sc := scoreMask(s, cutOut(s.Image))
		t.Logf("%-24s IoU %.4f halo mean %.4f p95 %.4f", name, sc.iou, sc.haloMean, sc.haloP95)
		if sc.iou < minMeanIoU || sc.haloP95 > maxHaloP95 {
			t.Errorf("%s: IoU %.4f, halo p95 %.4f", name, sc.iou, sc.haloP95)
		}
	}
}
