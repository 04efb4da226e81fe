package engine

import (
	"cmp"
	"math"
)

// Gaussian blurs are three box blurs per axis (the central limit theorem does
// the rest): running sums make the cost independent of the radius.

// gaussianBlur blurs plane p (w×h) in place with standard deviation sigma
// (in pixels). Edges are extended, so borders do not darken.
func gaussianBlur(p []float32, w, h int, sigma float32) {
	if sigma < 0.3 || w == 0 || h == 0 {
		return
	}
	tmp := make([]float32, len(p))
	for _, r := range boxRadiiForSigma(sigma) {
		if r == 0 {
			continue
		}
		boxBlurH(p, tmp, w, h, r)
		boxBlurV(tmp, p, w, h, r)
	}
}

// boxRadiiForSigma picks three box widths whose combined variance matches a
// Gaussian of the given sigma (Kovesi's construction).
func boxRadiiForSigma(sigma float32) [3]int {
	const n = 3
	s := float64(sigma)
	wIdeal := math.Sqrt(12*s*s/n + 1)
	wl := int(math.Floor(wIdeal))
	if wl%2 == 0 {
		wl--
	}
	wu := wl + 2
	mIdeal := (12*s*s - n*float64(wl*wl) - 4*n*float64(wl) - 3*n) / (-4*float64(wl) - 4)
	m := int(math.Round(mIdeal))
	var r [3]int
	for i := range r {
		if i < m {
			r[i] = (wl - 1) / 2
		} else {
			r[i] = (wu - 1) / 2
		}
	}
	return r
}

// boxBlurH averages each pixel with r neighbours on either side in its row.
func boxBlurH(src, dst []float32, w, h, r int) {
	inv := 1 / float32(2*r+1)
	for y := 0; y < h; y++ {
		row := src[y*w : y*w+w]
		out := dst[y*w : y*w+w]
		var sum float32
		for k := -r; k <= r; k++ {
			sum += row[clamp(k, 0, w-1)]
		}
		for x := 0; x < w; x++ {
			out[x] = sum * inv
			sum += row[min(x+r+1, w-1)] - row[max(x-r, 0)]
		}
	}
}

// boxBlurV is the vertical pass; it keeps one running sum per column so it
// reads memory row by row.
func boxBlurV(src, dst []float32, w, h, r int) {
	inv := 1 / float32(2*r+1)
	acc := make([]float32, w)
	for k := -r; k <= r; k++ {
		row := src[clamp(k, 0, h-1)*w:]
		for x := 0; x < w; x++ {
			acc[x] += row[x]
		}
	}
	for y := 0; y < h; y++ {
		out := dst[y*w : y*w+w]
		add := src[min(y+r+1, h-1)*w:]
		sub := src[max(y-r, 0)*w:]
		for x := 0; x < w; x++ {
			out[x] = acc[x] * inv
			acc[x] += add[x] - sub[x]
		}
	}
}

// clamp keeps v within lo..hi (lo wins should they cross).
func clamp[T cmp.Ordered](v, lo, hi T) T {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
