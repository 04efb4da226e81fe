package engine

import (
	"bytes"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"

	"backdrop/internal/engine/synth"
)

// Phone shots carry sensor grain and JPEG blocks; the cut-out must hold up
// (grain must not read as edges, nor edges drown in it).
func TestMaskQualityWithGrainAndJPEG(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	sum, n := 0.0, 0
	for _, s := range synth.Set(640, 512) {
		if !s.Image.Opaque() {
			continue // JPEG has no alpha
		}
		img := image.NewNRGBA(s.Image.Rect)
		copy(img.Pix, s.Image.Pix)
		for i := 0; i < len(img.Pix); i += 4 {
			grain := rng.NormFloat64() * 4 // luma noise, σ = 4 levels
			for c := 0; c < 3; c++ {
				img.Pix[i+c] = clamp8(float64(img.Pix[i+c]) + grain + rng.NormFloat64()*1.3)
			}
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			t.Fatal(err)
		}
		shot, err := jpeg.Decode(&buf)
		if err != nil {
			t.Fatal(err)
		}
		iou := scoreMask(s, CutOut(shot)).iou
		t.Logf("%-26s IoU %.4f", s.Name, iou)
		sum += iou
		n++
	}
	if mean := sum / float64(n); mean < 0.97 {
		t.Fatalf("mean IoU %.4f with grain and JPEG, want ≥ 0.97", mean)
	}
}
