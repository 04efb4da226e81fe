package engine

import (
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// A white product on a white sweep, the hardest everyday shot: its colour is
// within the backdrop's tolerance and only its crisp outline tells it apart
// from a soft shadow (which the shot also has, under the product).
func TestPaleProductOnWhite(t *testing.T) {
	for _, noise := range []float64{0, 2} { // a clean render, a camera
		if iou := paleShotIoU(noise); iou < 0.97 {
			t.Errorf("sensor noise σ=%.0f: IoU %.4f for a white product on white", noise, iou)
		}
	}
}

func paleShotIoU(noise float64) float64 {
	const w, h = 1000, 800
	inside := func(x, y int) bool {
		fx, fy := float64(x)-500, float64(y)-420
		return fx*fx/(180*180)+fy*fy/(300*300) < 1
	}
	rng := rand.New(rand.NewPCG(7, 11))
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			shadow := math.Exp(-math.Pow((float64(x)-520)/230, 2)-math.Pow((float64(y)-720)/25, 2)) * 50
			c := [3]float64{252 - shadow, 252 - shadow, 252 - shadow}
			if inside(x, y) {
				s := 0.88 + 0.1*math.Cos((float64(x)-500)/180*1.5) // rounded shading
				c = [3]float64{245 * s, 245 * s, 242 * s}
			}
			n := rng.NormFloat64() * noise
			img.SetNRGBA(x, y, color.NRGBA{clamp8(c[0] + n), clamp8(c[1] + n), clamp8(c[2] + n), 255})
		}
	}
	m := CutOut(img)
	inter, union := 0, 0
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			got, want := m.Alpha.AlphaAt(x, y).A >= 128, inside(x, y)
			if got && want {
				inter++
			}
			if got || want {
				union++
			}
		}
	}
	return float64(inter) / float64(union)
}

func clamp8(v float64) uint8 { return uint8(math.Max(0, math.Min(255, math.Round(v)))) }
