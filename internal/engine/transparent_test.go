package engine

import (
	"context"
	"image"
	"testing"

	"backdrop/internal/engine/synth"
)

func TestTransparentPromptReturnsTheCutOut(t *testing.T) {
	for _, p := range []string{"transparent background", "Cut out the product", "no background please"} {
		if !ParseScene(p, 1).Transparent {
			t.Errorf("%q not taken as a transparent request", p)
		}
	}
	if ParseScene("white marble", 1).Transparent {
		t.Error("white marble taken as transparent")
	}
	shot := synth.Set(288, 256)[0]
	out, box, err := New().Paint(context.Background(), shot.Image, "transparent background", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Bounds() != shot.Image.Bounds() {
		t.Fatalf("size %v, want the shot's %v", out.Bounds(), shot.Image.Bounds())
	}
	nrgba := out.(*image.NRGBA)
	inter, union := 0, 0
	for y := 0; y < 256; y++ {
		for x := 0; x < 288; x++ {
			got := nrgba.NRGBAAt(x, y).A >= 128
			want := shot.Alpha[y*shot.W+x] >= 0.5
			if got && want {
				inter++
			}
			if got || want {
				union++
			}
		}
	}
	if iou := float64(inter) / float64(union); iou < 0.95 {
		t.Fatalf("cut-out alpha IoU %.3f against the true mask", iou)
	}
	if box.Empty() || !box.In(out.Bounds()) {
		t.Fatalf("box %v", box)
	}
}
