package engine

import (
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
	if testing.Short() {
		maxSide = 1100
	}
	shots = synth.EditorSet(maxSide)
	sum := 0.0
	for _, s := range shots {
		m := CutOut(s.Image)
		sc := scoreMask(s, m)
		left, zone := shadowLeft(s, m)
		t.Logf("%-30s %4dx%-4d %-4s IoU %.4f  halo %.4f/%.4f  shadow left %d of %d", s.Name, s.W, s.H, s.Format,
			sc.iou, sc.haloMean, sc.haloP95, left, zone)
		sum += sc.iou
		if left > 0 {
			t.Errorf("%s: %d pixels of the old shadow kept outside the product", s.Name, left)
		}
	}
	mean := sum / float64(len(shots))
	t.Logf("mean IoU %.4f over %d editor shots", mean, len(shots))
	if mean < minMeanIoU {
		t.Errorf("mean IoU %.4f < %.2f", mean, minMeanIoU)
	}
}
