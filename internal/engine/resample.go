package engine

import "math"

// resamplePlanes rescales float planes with a triangle (tent) filter whose
// footprint widens when shrinking, so downscaling averages instead of
// aliasing and upscaling is bilinear. It is separable: rows, then columns.
func resamplePlanes(src [4][]float32, sw, sh, dw, dh int) [4][]float32 {
	xs := filterTaps(sw, dw)
	ys := filterTaps(sh, dh)
	var out [4][]float32
	tmp := make([]float32, dw*sh)
	for c := range src {
		if src[c] == nil {
			continue
		}
		s := src[c]
		for y := 0; y < sh; y++ {
			row := s[y*sw : y*sw+sw]
			o := tmp[y*dw : y*dw+dw]
			for x, t := range xs {
				var v float32
				for k, wgt := range t.weights {
					v += row[t.first+k] * wgt
				}
				o[x] = v
			}
		}
		d := make([]float32, dw*dh)
		for y, t := range ys {
			o := d[y*dw : y*dw+dw]
			for k, wgt := range t.weights {
				r := tmp[(t.first+k)*dw : (t.first+k)*dw+dw]
				for x := range o {
					o[x] += r[x] * wgt
				}
			}
		}
		out[c] = d
	}
	return out
}

// taps are the source samples (first, first+1, ...) and weights that make
// one destination sample.
type taps struct {
	first   int
	weights []float32
}

func filterTaps(src, dst int) []taps {
	scale := float64(dst) / float64(src)
	support := 1.0
	if scale < 1 {
		support = 1 / scale
	}
	out := make([]taps, dst)
	for i := range out {
		center := (float64(i)+0.5)/scale - 0.5
		lo := int(math.Floor(center - support + 1))
		hi := int(math.Ceil(center + support - 1))
		lo, hi = max(lo, 0), min(hi, src-1)
		if hi < lo {
			lo, hi = clamp(int(center+0.5), 0, src-1), clamp(int(center+0.5), 0, src-1)
		}
		ws := make([]float32, hi-lo+1)
		var sum float64
		for k := range ws {
			d := math.Abs(float64(lo+k)-center) / support
			wgt := math.Max(0, 1-d)
			ws[k] = float32(wgt)
			sum += wgt
		}
		if sum == 0 {
			ws[0], sum = 1, 1
		}
		for k := range ws {
			ws[k] /= float32(sum)
		}
		out[i] = taps{lo, ws}
	}
	return out
}
