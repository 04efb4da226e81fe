package engine

import (
	"image"
	"math"
)

// Edge matting. The hard mask is right to about a pixel; along its boundary
// each pixel is modelled as a mix C = a·F + (1-a)·B of a nearby product
// colour F and the nearby backdrop colour B (which already includes any
// shadow there). Projecting C onto the segment B→F gives the coverage a,
// and F' = (C - (1-a)·B)/a removes the old backdrop from the colour, so no
// halo of it survives on a new background. All in sRGB 0..1, the space the
// compositor blends in.

const (
	bandRadius   = 2 // pixels either side of the hard boundary that get matted
	sampleRadius = 3 // window searched for F and B samples
	// minContrast is the sRGB distance between F and B below which the
	// projection is noise; such edges fall back to a feathered hard mask.
	minContrast = 0.045
)

// edgeColour is a matted boundary pixel's decontaminated colour.
type edgeColour struct {
	i       int32
	r, g, b uint8
}

type rgbf struct{ r, g, b float32 }

func (a rgbf) sub(b rgbf) rgbf      { return rgbf{a.r - b.r, a.g - b.g, a.b - b.b} }
func (a rgbf) dot(b rgbf) float32   { return a.r*b.r + a.g*b.g + a.b*b.b }
func (a rgbf) dist2(b rgbf) float32 { d := a.sub(b); return d.dot(d) }

// matteEdges returns the alpha plane (0..255) and the colours of the matted
// edge pixels, given the hard mask fg (1 = product) and the picture's
// noise (σ, luma levels).
func matteEdges(img *image.NRGBA, fg []uint8, noise float32) ([]uint8, []edgeColour) {
	// A pixel closer to the backdrop than noise reaches shows none of the
	// product.
	minDiff := 2.5 * max(noise, 0.8) / 255
	w, h := img.Rect.Dx(), img.Rect.Dy()
	alpha := make([]uint8, w*h)
	for i, v := range fg {
		alpha[i] = v * 255
	}
	band := edgeBand(fg, w, h)
	at := func(x, y int) rgbf {
		p := img.Pix[y*img.Stride+4*x:]
		return rgbf{float32(p[0]) / 255, float32(p[1]) / 255, float32(p[2]) / 255}
	}
	var edges []edgeColour
	var bgs, fgs, rim []rgbf
	var bgw []float32
	var bgp [][2]float32
	for _, i32 := range band {
		i := int(i32)
		x, y := i%w, i/w
		bgs, fgs, bgw, bgp, rim = bgs[:0], fgs[:0], bgw[:0], bgp[:0], rim[:0]
		for yy := max(0, y-sampleRadius); yy <= min(h-1, y+sampleRadius); yy++ {
			for xx := max(0, x-sampleRadius); xx <= min(w-1, x+sampleRadius); xx++ {
				if fg[yy*w+xx] == 1 {
					// Product colour is read off pure product, not the
					// pixels touching the backdrop (mixed, or smeared by
					// JPEG), unless there is nothing else.
					if touchesBackdrop(fg, w, h, xx, yy) {
						rim = append(rim, at(xx, yy))
					} else {
						fgs = append(fgs, at(xx, yy))
					}
					continue
				}
				// The backdrop under an edge is best read close by (a
				// shadow may shade it), but not from the fringe touching
				// the product, which carries some of its colour.
				if touchesProduct(fg, w, h, xx, yy) {
					continue
				}
				dx, dy := float32(xx-x), float32(yy-y)
				bgs = append(bgs, at(xx, yy))
				bgw = append(bgw, expNeg((dx*dx+dy*dy)/(2*1.5*1.5)))
				bgp = append(bgp, [2]float32{dx, dy})
			}
		}
		if len(fgs) == 0 {
			fgs = rim
		}
		if len(fgs) == 0 {
			continue
		}
		if len(bgs) == 0 {
			if fg[i] == 1 {
				continue // deep enough inside: keep it opaque
			}
			bgs, bgw, bgp = append(bgs, at(x, y)), append(bgw, 1), append(bgp, [2]float32{})
		}
		c := at(x, y)
		B, sb := localBackdrop(bgs, bgp, bgw)
		F, _ := bestForeground(c, B, fgs)
		diff := F.sub(B)
		den := diff.dot(diff)
		// Coverage from colour is as good as the contrast between product
		// and backdrop over the noise, the local noise included: with
		// plenty, it is read off the colour; with little, off the hard
		// mask, smoothed; between, a blend of the two. So is the colour:
		// without contrast the backdrop can't be taken out of it, and the
		// edge takes the product's.
		noiseHere := max(minDiff, 2.5*sb)
		wd, wc := lumaWeighted(diff), lumaWeighted(c.sub(B))
		snr := wd.norm() / noiseHere
		var a float32
		if den >= minContrast*minContrast && snr > minSNR {
			a = colourCoverage(wd, wc, noiseHere)
		}
		t := smoothstep(minSNR, fullSNR, snr)
		if t < 1 {
			a = lerp32(featheredHard(fg, w, h, x, y), a, t)
		}
		if a >= 0.97 {
			a = 1
		} else if a <= 0.02 {
			a = 0
		}
		alpha[i] = to8(a * 255)
		edges = append(edges, decontaminate(int32(i), c, B, F, a, t))
	}
	dropGhosts(alpha, band, w, h)
	return alpha, edges
}

// dropGhosts clears partial coverage with no solid neighbour: a product's
// soft edge always borders its body, so such a pixel is noise or JPEG
// ringing, which would show as a smudge on the new backdrop.
func dropGhosts(alpha []uint8, band []int32, w, h int) {
	const solidAlpha = 200
	var ghosts []int32
	for _, i32 := range band {
		i := int(i32)
		if a := alpha[i]; a == 0 || a >= solidAlpha {
			continue
		}
		x, y := i%w, i/w
		solid := false
		for yy := max(0, y-1); yy <= min(h-1, y+1) && !solid; yy++ {
			for xx := max(0, x-1); xx <= min(w-1, x+1); xx++ {
				if alpha[yy*w+xx] >= solidAlpha {
					solid = true
					break
				}
			}
		}
		if !solid {
			ghosts = append(ghosts, i32)
		}
	}
	for _, i := range ghosts {
		alpha[i] = 0
	}
}

// edgeBand lists pixels within bandRadius of a change in the hard mask.
func edgeBand(fg []uint8, w, h int) []int32 {
	mark := make([]bool, w*h)
	markAround := func(x, y int) {
		for yy := max(0, y-bandRadius); yy <= min(h-1, y+bandRadius); yy++ {
			row := mark[yy*w:]
			for xx := max(0, x-bandRadius); xx <= min(w-1, x+bandRadius); xx++ {
				row[xx] = true
			}
		}
	}
	for y := 0; y < h; y++ {
		row := fg[y*w : y*w+w]
		for x := 0; x < w; x++ {
			v := row[x]
			if (x+1 < w && row[x+1] != v) || (y+1 < h && fg[(y+1)*w+x] != v) {
				markAround(x, y)
			}
		}
	}
	var out []int32
	for i, m := range mark {
		if m {
			out = append(out, int32(i))
		}
	}
	return out
}

// Contrast, in noise levels (minDiff), from which colour starts to tell
// coverage, and from which it alone does.
const (
	minSNR  = 3
	fullSNR = 9
)

// colourCoverage reads coverage off the colour: wc is the pixel's and wd
// the product's difference from the backdrop (lumaWeighted). Where product
// and backdrop differ mostly in luma, from luma alone; else from luma and
// half-weighted chroma (camera and JPEG chroma is coarse and noisy, luma
// precise). A pixel closer to the backdrop than noise reaches shows none
// of the product, and coverage below what noise gives is shrunk away.
func colourCoverage(wd, wc rgbf, minDiff float32) float32 {
	if wc.norm() < minDiff {
		return 0
	}
	var a float32
	if wd.r*wd.r >= 0.36*wd.dot(wd) {
		a = clamp01(wc.r / wd.r)
	} else {
		a = clamp01(wc.dot(wd) / wd.dot(wd))
	}
	an := minDiff / wd.norm()
	return clamp01((a - an) / (1 - an))
}

// lumaWeighted maps an sRGB difference to luma and half-weighted chroma.
func lumaWeighted(d rgbf) rgbf {
	y := 0.299*d.r + 0.587*d.g + 0.114*d.b
	return rgbf{y, 0.5 * (d.b - y), 0.5 * (d.r - y)}
}

func (a rgbf) norm() float32 { return float32(math.Sqrt(float64(a.dot(a)))) }

// localBackdrop estimates the backdrop under an edge pixel from samples
// around it at offsets pos. Where the samples slope clearly (a shadow
// darkening towards the product) it extrapolates a weighted plane fit to
// the pixel, so the estimate darkens too instead of taking the lighter
// samples' average; where the slope is within noise, or the samples are
// too few or in a line, it is their mean.
//
// It also returns the spread of the samples' luma about the estimate: the
// noise there, which near an edge in a JPEG is far above the flat
// backdrop's.
func localBackdrop(cs []rgbf, pos [][2]float32, ws []float32) (rgbf, float32) {
	mean := weightedMean(cs, ws)
	spread := func() float32 {
		var s, n float64
		ml := luma32(mean)
		for k, c := range cs {
			d := float64(luma32(c) - ml)
			s += float64(ws[k]) * d * d
			n += float64(ws[k])
		}
		return float32(math.Sqrt(s / n))
	}
	if len(cs) < 8 {
		return mean, spread()
	}
	// Weighted centroid and spread of the sample positions.
	var sw, mx, my float64
	for k, p := range pos {
		w := float64(ws[k])
		sw += w
		mx += w * float64(p[0])
		my += w * float64(p[1])
	}
	mx, my = mx/sw, my/sw
	var sxx, sxy, syy float64
	var sxc, syc [3]float64
	for k, p := range pos {
		w := float64(ws[k])
		dx, dy := float64(p[0])-mx, float64(p[1])-my
		sxx += w * dx * dx
		sxy += w * dx * dy
		syy += w * dy * dy
		c := [3]float64{float64(cs[k].r - mean.r), float64(cs[k].g - mean.g), float64(cs[k].b - mean.b)}
		for n := range c {
			sxc[n] += w * dx * c[n]
			syc[n] += w * dy * c[n]
		}
	}
	det := sxx*syy - sxy*sxy
	if det < 1e-6*sw*sw {
		return mean, spread()
	}
	var gx, gy [3]float64
	for n := range gx {
		gx[n] = (syy*sxc[n] - sxy*syc[n]) / det
		gy[n] = (sxx*syc[n] - sxy*sxc[n]) / det
	}
	// The slope's significance, judged on luma: its residual spread
	// against the slope's change across the samples.
	luma := func(v [3]float64) float64 { return 0.299*v[0] + 0.587*v[1] + 0.114*v[2] }
	lx, ly := luma(gx), luma(gy)
	var res float64
	for k, p := range pos {
		dx, dy := float64(p[0])-mx, float64(p[1])-my
		c := [3]float64{float64(cs[k].r - mean.r), float64(cs[k].g - mean.g), float64(cs[k].b - mean.b)}
		e := luma(c) - lx*dx - ly*dy
		res += float64(ws[k]) * e * e
	}
	sigma2 := res / sw
	// Variance of the slope estimate along its own direction.
	slope2 := lx*lx + ly*ly
	varSlope := sigma2 * (sxx + syy) / det
	if slope2 < 9*varSlope {
		return mean, spread()
	}
	return rgbf{
		clamp01(mean.r + float32(-gx[0]*mx-gy[0]*my)),
		clamp01(mean.g + float32(-gx[1]*mx-gy[1]*my)),
		clamp01(mean.b + float32(-gx[2]*mx-gy[2]*my)),
	}, float32(math.Sqrt(sigma2))
}

func luma32(c rgbf) float32 { return 0.299*c.r + 0.587*c.g + 0.114*c.b }

func weightedMean(cs []rgbf, ws []float32) rgbf {
	var s rgbf
	var n float32
	for k, c := range cs {
		s.r, s.g, s.b = s.r+c.r*ws[k], s.g+c.g*ws[k], s.b+c.b*ws[k]
		n += ws[k]
	}
	return rgbf{s.r / n, s.g / n, s.b / n}
}

func touchesBackdrop(fg []uint8, w, h, x, y int) bool {
	i := y*w + x
	return (x > 0 && fg[i-1] == 0) || (x+1 < w && fg[i+1] == 0) ||
		(y > 0 && fg[i-w] == 0) || (y+1 < h && fg[i+w] == 0)
}

func touchesProduct(fg []uint8, w, h, x, y int) bool {
	i := y*w + x
	return (x > 0 && fg[i-1] == 1) || (x+1 < w && fg[i+1] == 1) ||
		(y > 0 && fg[i-w] == 1) || (y+1 < h && fg[i+w] == 1)
}

// bestForeground picks, among the clearly-product samples, the colour that
// best explains c as a mix with the backdrop B (so a bottle's cap and body
// each get their own colour at a shared corner), then averages samples of
// that colour to beat noise.
func bestForeground(c, B rgbf, fgs []rgbf) (rgbf, float32) {
	var dmax float32
	for _, f := range fgs {
		dmax = max(dmax, f.dist2(B))
	}
	best, bestCost := fgs[0], float32(1e9)
	cb := c.sub(B)
	for _, f := range fgs {
		d := f.dist2(B)
		if d < 0.3*dmax || d == 0 {
			continue
		}
		fb := f.sub(B)
		a := clamp01(cb.dot(fb) / d)
		res := rgbf{cb.r - a*fb.r, cb.g - a*fb.g, cb.b - a*fb.b}
		// Prefer colours far from the backdrop: a half-mixed fringe pixel
		// also explains c, but would leave a halo.
		cost := res.dot(res) + 0.02*(dmax-d)
		if cost < bestCost {
			best, bestCost = f, cost
		}
	}
	var s rgbf
	var n float32
	for _, f := range fgs {
		if f.dist2(best) < 0.03*0.03*3 {
			s.r, s.g, s.b = s.r+f.r, s.g+f.g, s.b+f.b
			n++
		}
	}
	if n == 0 {
		return best, 0
	}
	mean := rgbf{s.r / n, s.g / n, s.b / n}
	var v float32
	for _, f := range fgs {
		if f.dist2(best) < 0.03*0.03*3 {
			d := luma32(f) - luma32(mean)
			v += d * d
		}
	}
	return mean, float32(math.Sqrt(float64(v / n)))
}

// featheredHard smooths a low-contrast edge: the 5×5 mean of the hard
// mask, stretched so that a straight edge ramps over about two pixels.
// Ragged steps average out; lone pixels sticking out of (or into) the
// outline vanish.
func featheredHard(fg []uint8, w, h, x, y int) float32 {
	var s, n float32
	for yy := max(0, y-2); yy <= min(h-1, y+2); yy++ {
		for xx := max(0, x-2); xx <= min(w-1, x+2); xx++ {
			s += float32(fg[yy*w+xx])
			n++
		}
	}
	// The hard mask takes in the outline's crisp pixels, so its edge lies
	// about half a pixel out: the ramp is centred a little inside.
	return clamp01((s/n-0.6)*2.5 + 0.5)
}

// decontaminate removes the backdrop's share from c. Thin coverage makes
// the division unstable, so the faintest pixels lean on F instead, as do
// all pixels where trust (the contrast over noise, 0..1) is low.
func decontaminate(i int32, c, B, F rgbf, a, trust float32) edgeColour {
	out := F
	if a > 0 && trust > 0 {
		dec := rgbf{
			clamp01(B.r + (c.r-B.r)/a),
			clamp01(B.g + (c.g-B.g)/a),
			clamp01(B.b + (c.b-B.b)/a),
		}
		t := smoothstep(0.1, 0.5, a) * trust
		out = rgbf{lerp32(F.r, dec.r, t), lerp32(F.g, dec.g, t), lerp32(F.b, dec.b, t)}
	}
	return edgeColour{i, to8(out.r * 255), to8(out.g * 255), to8(out.b * 255)}
}
