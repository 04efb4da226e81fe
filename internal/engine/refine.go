package engine

import (
	"image"
	"math"
	"slices"
)

// Large pictures are judged on a reduced copy; this file maps that
// decision back to full resolution. Far from the outline the reduced
// decision stands; in a band around it the flood is rerun on the real
// pixels, seeded from the sure backdrop, so the outline is as precise as a
// full-size cut-out at a fraction of the cost.

const decisionSide = 1100

// decisionScale is the integer reduction for deciding on a w×h picture.
func decisionScale(w, h int) int {
	return max(1, int(math.Ceil(float64(max(w, h))/decisionSide)))
}

// boxDownscale averages d×d blocks of an opaque picture.
func boxDownscale(img *image.NRGBA, d int) *image.NRGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	sw, sh := (w+d-1)/d, (h+d-1)/d
	out := image.NewNRGBA(image.Rect(0, 0, sw, sh))
	parallelRows(sh, func(y0, y1 int) {
		sum := make([]uint32, 3*sw)
		cnt := make([]uint32, sw)
		for sy := y0; sy < y1; sy++ {
			clear(sum)
			clear(cnt)
			for y := sy * d; y < min(h, sy*d+d); y++ {
				row := img.Pix[y*img.Stride:]
				for x := 0; x < w; x++ {
					k := x / d
					sum[3*k] += uint32(row[4*x])
					sum[3*k+1] += uint32(row[4*x+1])
					sum[3*k+2] += uint32(row[4*x+2])
					cnt[k]++
				}
			}
			o := out.Pix[sy*out.Stride:]
			for k := 0; k < sw; k++ {
				n := cnt[k]
				o[4*k] = uint8((sum[3*k] + n/2) / n)
				o[4*k+1] = uint8((sum[3*k+1] + n/2) / n)
				o[4*k+2] = uint8((sum[3*k+2] + n/2) / n)
				o[4*k+3] = 255
			}
		}
	})
	return out
}

// refineMask scales the reduced mask up by d and reruns the flood at full
// resolution within one reduced pixel of its outline.
func refineMask(img *image.NRGBA, model *bgModel, small []uint8, sw, sh, d int) []uint8 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	fg := make([]uint8, w*h)
	const (
		sure = iota
		band
		bandBg
	)
	zone := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		sy := min(y/d, sh-1)
		for x := 0; x < w; x++ {
			fg[y*w+x] = small[sy*sw+min(x/d, sw-1)]
		}
	}
	// Cells next to a cell of the other kind are uncertain.
	for sy := 0; sy < sh; sy++ {
		for sx := 0; sx < sw; sx++ {
			v := small[sy*sw+sx]
			edge := false
			for ny := max(0, sy-1); ny <= min(sh-1, sy+1) && !edge; ny++ {
				for nx := max(0, sx-1); nx <= min(sw-1, sx+1); nx++ {
					if small[ny*sw+nx] != v {
						edge = true
						break
					}
				}
			}
			if !edge {
				continue
			}
			for y := sy * d; y < min(h, sy*d+d); y++ {
				for x := sx * d; x < min(w, sx*d+d); x++ {
					zone[y*w+x] = band
				}
			}
		}
	}
	j := newFullResJudge(img, model)
	var queue []int32
	for i, z := range zone {
		if z != band {
			continue
		}
		fg[i] = 1
		x, y := i%w, i/w
		for _, n := range [4][2]int{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
			if n[0] < 0 || n[1] < 0 || n[0] >= w || n[1] >= h {
				continue
			}
			k := n[1]*w + n[0]
			if zone[k] == sure && fg[k] == 0 && j.passable(x, y) && !j.cliff(n[0], n[1], x, y) {
				zone[i] = bandBg
				fg[i] = 0
				queue = append(queue, int32(i))
				break
			}
		}
	}
	for head := 0; head < len(queue); head++ {
		i := int(queue[head])
		x, y := i%w, i/w
		for _, n := range [4][2]int{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
			if n[0] < 0 || n[1] < 0 || n[0] >= w || n[1] >= h {
				continue
			}
			k := n[1]*w + n[0]
			if zone[k] == band && j.passable(n[0], n[1]) && !j.cliff(x, y, n[0], n[1]) {
				zone[k] = bandBg
				fg[k] = 0
				queue = append(queue, int32(k))
			}
		}
	}
	// The creep, as at the decision scale (pixelClasses.creep).
	front := queue
	for range creepSteps * d {
		var next []int32
		for _, i32 := range front {
			i := int(i32)
			x, y := i%w, i/w
			for _, n := range [4][2]int{{x - 1, y}, {x + 1, y}, {x, y - 1}, {x, y + 1}} {
				if n[0] < 0 || n[1] < 0 || n[0] >= w || n[1] >= h {
					continue
				}
				k := n[1]*w + n[0]
				if zone[k] == band && fg[k] == 1 && j.loosePassable(n[0], n[1]) && !j.cliff(x, y, n[0], n[1]) &&
					float32(j.luma8(n[0], n[1])) <= float32(j.luma8(x, y))+2*j.floor {
					zone[k] = bandBg
					fg[k] = 0
					next = append(next, int32(k))
				}
			}
		}
		front = next
	}
	// Seeds: the sure product, and band pixels the reduced mask called
	// product (a thin part may be all band).
	seed := func(x, y int) bool { return small[min(y/d, sh-1)*sw+min(x/d, sw-1)] == 1 }
	dropLooseSpecks(fg, w, h, seed)
	return fg
}

// dropLooseSpecks clears product pixels that no path of product pixels
// joins to a seed: at full resolution a grain of noise can stop the flood
// around a pixel or two of shadow.
func dropLooseSpecks(fg []uint8, w, h int, seed func(x, y int) bool) {
	const reached = 2
	var queue []int32
	for i := range fg {
		if fg[i] == 1 && seed(i%w, i/w) {
			fg[i] = reached
			queue = append(queue, int32(i))
		}
	}
	for head := 0; head < len(queue); head++ {
		i := int(queue[head])
		x, y := i%w, i/w
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				xx, yy := x+dx, y+dy
				if xx < 0 || yy < 0 || xx >= w || yy >= h {
					continue
				}
				if k := yy*w + xx; fg[k] == 1 {
					fg[k] = reached
					queue = append(queue, int32(k))
				}
			}
		}
	}
	for i, v := range fg {
		fg[i] = v >> 1 // reached (2) → 1, unreached (1) → 0
	}
}

// fullResJudge applies the flood's test to single full-resolution pixels.
type fullResJudge struct {
	img   *image.NRGBA
	model *bgModel
	w, h  int
	floor float32 // the noise floor of gradients at full resolution
	cache oklabCache
}

func newFullResJudge(img *image.NRGBA, model *bgModel) *fullResJudge {
	j := &fullResJudge{img: img, model: model, w: img.Rect.Dx(), h: img.Rect.Dy()}
	j.floor = max(1.5, 3.5*j.medianGradient())
	return j
}

// medianGradient is the median gradient of plain backdrop a few pixels in
// from the border: the picture's noise as the edge test sees it (for noise
// of σ levels it is about σ/2).
func (j *fullResJudge) medianGradient() float32 {
	var gs []float32
	sample := func(x, y int) {
		if j.dist(x, y) < j.model.threshold/2 {
			gs = append(gs, j.gradient(x, y))
		}
	}
	step := max(1, (j.w+j.h)/2000)
	for x := 3; x < j.w-3; x += step {
		sample(x, 3)
		sample(x, j.h-4)
	}
	for y := 3; y < j.h-3; y += step {
		sample(3, y)
		sample(j.w-4, y)
	}
	if len(gs) < 50 {
		return 0
	}
	slices.Sort(gs)
	return gs[len(gs)/2]
}

// lumaNoise is the full-resolution noise σ in luma levels.
func lumaNoise(img *image.NRGBA, model *bgModel) float32 {
	j := &fullResJudge{img: img, model: model, w: img.Rect.Dx(), h: img.Rect.Dy()}
	return j.medianGradient() / 0.51
}

func (j *fullResJudge) dist(x, y int) float32 {
	d, _ := j.judge(x, y)
	return d
}

func (j *fullResJudge) judge(x, y int) (float32, bool) {
	d, shadow, _ := j.judgeLoose(x, y)
	return d, shadow
}

func (j *fullResJudge) judgeLoose(x, y int) (float32, bool, bool) {
	p := j.img.Pix[y*j.img.Stride+4*x:]
	c := j.cache.get(p[0], p[1], p[2])
	return j.model.judge(c, j.model.at(normX(x, j.w), normX(y, j.h)))
}

func (j *fullResJudge) passable(x, y int) bool {
	d, shadow := j.judge(x, y)
	return (d < j.model.threshold || shadow) && !j.crisp(x, y)
}

// loosePassable is passable with the creep's loose chroma test.
func (j *fullResJudge) loosePassable(x, y int) bool {
	d, _, loose := j.judgeLoose(x, y)
	return (d < j.model.threshold || loose) && !j.crisp(x, y)
}

func (j *fullResJudge) luma(x, y int) int {
	x, y = clamp(x, 0, j.w-1), clamp(y, 0, j.h-1)
	p := j.img.Pix[y*j.img.Stride+4*x:]
	return int(luma8(p[0], p[1], p[2]))
}

// luma8 is smoothed luma, as the edge map sees it.
func (j *fullResJudge) luma8(x, y int) uint8 { return smoothLumaAt(j.luma, x, y) }

// gradient is sobel on the full-resolution picture.
func (j *fullResJudge) gradient(x, y int) float32 {
	g, _ := stepAt(j.luma8, x, y)
	return g
}

// crisp is the edge map's test for one full-resolution pixel.
func (j *fullResJudge) crisp(x, y int) bool {
	g, height := stepAt(j.luma8, x, y)
	return g >= j.floor && g >= crispRatio*height
}

// cliff is the flood's step test between full-resolution neighbours.
func (j *fullResJudge) cliff(x0, y0, x1, y1 int) bool {
	_, height := stepAt(j.luma8, x1, y1)
	return cliff(j.luma8(x0, y0), j.luma8(x1, y1), uint8(min(255, height)), j.floor)
}
