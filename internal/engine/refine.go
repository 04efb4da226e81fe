package engine

import (
	"image"
	"math"
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
	j := fullResJudge{img: img, model: model, w: w, h: h}
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
			if zone[k] == sure && fg[k] == 0 && j.passable(x, y) {
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
			if zone[k] == band && j.passable(n[0], n[1]) {
				zone[k] = bandBg
				fg[k] = 0
				queue = append(queue, int32(k))
			}
		}
	}
	return fg
}

// fullResJudge applies the flood's test to single full-resolution pixels.
type fullResJudge struct {
	img   *image.NRGBA
	model *bgModel
	w, h  int
	cache oklabCache
}

func (j *fullResJudge) passable(x, y int) bool {
	p := j.img.Pix[y*j.img.Stride+4*x:]
	c := j.cache.get(p[0], p[1], p[2])
	d, shadow := j.model.judge(c, j.model.at(normX(x, j.w), normX(y, j.h)))
	if d < j.model.threshold {
		return true
	}
	return shadow && j.smooth(x, y)
}

func (j *fullResJudge) luma(x, y int) int {
	x, y = clamp(x, 0, j.w-1), clamp(y, 0, j.h-1)
	p := j.img.Pix[y*j.img.Stride+4*x:]
	return int(luma8(p[0], p[1], p[2]))
}

// smooth is pixelClasses.smooth on the full-resolution picture.
func (j *fullResJudge) smooth(x, y int) bool {
	tl, t, tr := j.luma(x-1, y-1), j.luma(x, y-1), j.luma(x+1, y-1)
	ml, mr := j.luma(x-1, y), j.luma(x+1, y)
	bl, b, br := j.luma(x-1, y+1), j.luma(x, y+1), j.luma(x+1, y+1)
	gx := (tr + 2*mr + br) - (tl + 2*ml + bl)
	gy := (bl + 2*b + br) - (tl + 2*t + tr)
	return float32(abs(gx)+abs(gy)) < 8*maxShadowGradient
}
