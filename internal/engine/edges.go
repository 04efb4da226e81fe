package engine

import (
	"math"
	"slices"
)

// A product's outline is a crisp step in lightness: from one side to the
// other within a pixel or two. A shadow's edge, however dark, is a ramp
// spread over its penumbra. Comparing the gradient with the height of the
// step around it tells the two apart at any contrast: a shadow ten times
// darker than another has ten times the gradient, but also ten times the
// step.

const (
	// edgeWindow is the half-size of the window the step height is
	// measured over.
	edgeWindow = 3
	// crispRatio is the least gradient (levels per pixel) per level of
	// step height that makes an outline, on luma smoothed by smoothLuma. A
	// clean step gives 0.375, one softened by anti-aliasing or JPEG about
	// 0.33; a penumbra of σ = 1.5 pixels gives 0.25, of σ = 3 pixels 0.15.
	crispRatio = 0.3
)

// edgeMap is what the flood needs to respect outlines: which pixels lie on
// a crisp step, and each pixel's luma and local step height so that a step
// between two neighbours can be judged the same way (a one-pixel slit of
// backdrop between two dark strokes has no gradient of its own, but
// stepping from it into a stroke is a cliff).
type edgeMap struct {
	crisp  []uint8 // 1 on a crisp step
	luma   []uint8
	height []uint8 // the step height (max − min) around each pixel
	floor  float32 // gradients below this are noise
}

// smoothLuma applies a [1 2 1] kernel along both axes: it takes noise down
// to 0.375 of its σ while a crisp step stays within three pixels, so a
// faint outline in a grainy shot still stands out of the noise.
func smoothLuma(l []uint8, w, h int) []uint8 {
	tmp := make([]uint16, w*h)
	for y := 0; y < h; y++ {
		row := l[y*w : (y+1)*w]
		for x := 0; x < w; x++ {
			tmp[y*w+x] = uint16(row[max(x-1, 0)]) + 2*uint16(row[x]) + uint16(row[min(x+1, w-1)])
		}
	}
	out := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		a, b, c := tmp[max(y-1, 0)*w:], tmp[y*w:], tmp[min(y+1, h-1)*w:]
		for x := 0; x < w; x++ {
			out[y*w+x] = uint8((a[x] + 2*b[x] + c[x] + 8) / 16)
		}
	}
	return out
}

// smoothLumaAt is smoothLuma at one pixel of a picture read through at.
func smoothLumaAt(at func(x, y int) int, x, y int) uint8 {
	s := 0
	for dy := -1; dy <= 1; dy++ {
		k := 2 - dy*dy
		s += k * (at(x-1, y+dy) + 2*at(x, y+dy) + at(x+1, y+dy))
	}
	return uint8((s + 8) / 16)
}

// newEdgeMap measures w×h luma; floor is the noise floor of gradients.
func newEdgeMap(luma []uint8, w, h int, floor float32) *edgeMap {
	e := &edgeMap{crisp: make([]uint8, w*h), luma: luma, height: make([]uint8, w*h), floor: floor}
	at := func(x, y int) uint8 { return luma[clamp(y, 0, h-1)*w+clamp(x, 0, w-1)] }
	parallelRows(h, func(y0, y1 int) {
		for y := y0; y < y1; y++ {
			for x := 0; x < w; x++ {
				g, height := stepAt(at, x, y)
				i := y*w + x
				e.height[i] = uint8(min(255, height))
				if g >= floor && g >= crispRatio*height {
					e.crisp[i] = 1
				}
			}
		}
	})
	return e
}

// stepAt returns the gradient at (x, y) in levels per pixel and the height
// of the step it belongs to: the range of luma over edgeWindow pixels
// either side along the gradient. Measured across the edge, the height
// ignores the product's own shading along it; measured as a range, it
// sees the whole of a shadow's ramp even at its darkest line.
func stepAt(at func(x, y int) uint8, x, y int) (g, height float32) {
	tl, t, tr := int(at(x-1, y-1)), int(at(x, y-1)), int(at(x+1, y-1))
	ml, mr := int(at(x-1, y)), int(at(x+1, y))
	bl, b, br := int(at(x-1, y+1)), int(at(x, y+1)), int(at(x+1, y+1))
	gx := (tr + 2*mr + br) - (tl + 2*ml + bl)
	gy := (bl + 2*b + br) - (tl + 2*t + tr)
	n := float32(math.Sqrt(float64(gx*gx + gy*gy)))
	if n == 0 {
		return 0, 0
	}
	ux, uy := float64(gx)/float64(n), float64(gy)/float64(n)
	hi, lo := at(x, y), at(x, y)
	for k := -edgeWindow; k <= edgeWindow; k++ {
		v := at(x+int(math.Round(ux*float64(k))), y+int(math.Round(uy*float64(k))))
		hi, lo = max(hi, v), min(lo, v)
	}
	return n / 8, float32(hi - lo)
}

// cliff reports whether going from luma a to luma b (a neighbour whose
// step height is hb) is too abrupt for a penumbra. Pair differences of
// noise run about 2.5 times its gradients.
func cliff(a, b uint8, hb uint8, floor float32) bool {
	d := float32(abs(int(a) - int(b)))
	return d >= 2.5*floor && d >= crispRatio*float32(hb)
}

// sobel is the gradient magnitude at (x, y) in levels per pixel.
func sobel(l []uint8, w, h, x, y int) float32 {
	g, _ := stepAt(func(x, y int) uint8 { return l[clamp(y, 0, h-1)*w+clamp(x, 0, w-1)] }, x, y)
	return g
}

// noiseFloor is the gradient that noise alone rarely reaches, measured on
// pixels that plainly are backdrop: 3.5 times their median gradient (the
// 99.9th percentile of pure noise's), and at least 1.5 levels per pixel.
func noiseFloor(luma []uint8, w, h int, plain func(x, y int) bool) float32 {
	step := max(1, int(math.Sqrt(float64(w*h)/20000)))
	var gs []float32
	for y := 1; y < h-1; y += step {
		for x := 1; x < w-1; x += step {
			if plain(x, y) {
				gs = append(gs, sobel(luma, w, h, x, y))
			}
		}
	}
	if len(gs) < 50 {
		return 1.5
	}
	slices.Sort(gs)
	return max(1.5, 3.5*gs[len(gs)/2])
}
