package engine

import "math"

// Enclosed backdrop: the hole of a mug's handle, the inside of a ring. The
// border flood cannot reach it, so each enclosed region that could be
// backdrop (near its colour, or its shadow) is judged on its own. It is a
// hole when
//   - its outline is crisp nearly all round (a label whose shading crosses
//     the backdrop's colour, or a highlight on a lid, fades smoothly into
//     the rest of the product instead);
//   - product lies beyond that outline (else it is the inside of a pale or
//     grey product, outlined against the backdrop);
//   - it is thick enough that it is not lettering printed in the
//     backdrop's colour;
//   - and its colour is the backdrop's: where unshaded, closely; where
//     shaded (a cast shadow falling behind the handle), with the backdrop's
//     hue and no darker than the shadows around the product, and either
//     framed by product of another colour or shaded as the backdrop around
//     suggests.

// holeShares are the least shares of a hole's outline that must be crisp,
// and of what lies beyond it that must be product.
const (
	holeCrispShare   = 0.75
	holeProductShare = 0.6
	// maxShadeMismatch is the mean difference allowed between a shaded
	// hole's lightness ratio and the one predicted from the backdrop
	// around the product.
	maxShadeMismatch = 0.06
	// maxHoleTint is how far a hole's mean chroma may be from the
	// backdrop's (darkened as the hole is).
	maxHoleTint = 0.01
	// smearSteps is how far past a region its outline is looked for.
	smearSteps = 6
)

// openHoles turns enclosed regions into background when they are backdrop
// seen through the product.
func openHoles(c *pixelClasses, state []uint8) {
	fgArea := countState(state, stateUnknown)
	minArea := max(12, fgArea/400)
	thick := max(2, min(c.w, c.h)/150)
	in := make([]bool, len(state))
	var seeds []int32
	judge := func(comp []int32) {
		if len(comp) < minArea {
			return
		}
		for _, i := range comp {
			in[i] = true
		}
		frame := c.frameOf(comp, in, state)
		if frame.enclosed() && c.thickEnough(comp, thick) && c.backdropColoured(comp, in, state, frame) {
			seeds = append(seeds, comp...)
		}
		for _, i := range comp {
			in[i] = false
		}
	}
	link := func(i, j int32) bool { return !c.cliff(i, j) && !c.cliff(j, i) }
	// First the regions of the backdrop's own colour; then, for holes in
	// shadow, regions of its colour or its shadow's. (A dark product's
	// body is the colour of a shadow: joined to its counters it would
	// hide them.)
	forEachLinkedComponent(len(state), offsets4(c.pw),
		func(i int32) bool { return state[i] == stateUnknown && c.dist[i] < c.threshold && c.edge[i] == 0 },
		link, judge)
	// These are taken as they are: flooding on from them could run into a
	// dark product through one weak pixel of its outline.
	for _, i := range seeds {
		state[i] = stateBackground
	}
	opened := len(seeds)
	forEachLinkedComponent(len(state), offsets4(c.pw),
		func(i int32) bool { return state[i] == stateUnknown && c.passable(int(i)) },
		link, judge)
	// Growing from the holes in shadow takes any soft shadow around them,
	// and the creep the JPEG smear along every hole's outline.
	c.flood(state, seeds[opened:])
	c.creepFrom(state, seeds)
}

// holeFrame describes what surrounds a candidate hole.
type holeFrame struct {
	boundary, crisp int // outline pixels, and how many are crisp
	beyond, product int // pixels just past the outline, and how many are product
	coloured        int // product pixels past the outline unlike the backdrop in hue
}

// enclosed checks the first two conditions: a crisp outline, and product
// beyond it.
func (f holeFrame) enclosed() bool {
	return f.boundary > 0 && float64(f.crisp) >= holeCrispShare*float64(f.boundary) &&
		f.beyond > 0 && float64(f.product) >= holeProductShare*float64(f.beyond)
}

// colouredFrame: the product around the hole is mostly of a colour no
// shadow of the backdrop has.
func (f holeFrame) colouredFrame() bool {
	return f.product > 0 && float64(f.coloured) >= holeProductShare*float64(f.product)
}

func (c *pixelClasses) frameOf(comp []int32, in []bool, state []uint8) holeFrame {
	// The outline may lie a few pixels past the region: JPEG smears the
	// product's colour beside it, in blocks, but not its lightness. So the
	// region first grows over up to smearSteps pixels of product that are
	// not on an edge and keep its lightness.
	faint := int(faintStep * c.floor)
	var grown []int32
	front := comp
	for range smearSteps {
		var next []int32
		for _, i := range front {
			for _, o := range offsets4(c.pw) {
				if j := i + o; !in[j] && state[j] == stateUnknown && c.edge[j] == 0 && !c.cliff(i, j) &&
					abs(int(c.luma[j])-int(c.luma[i])) <= faint {
					in[j] = true
					next = append(next, j)
				}
			}
		}
		grown = append(grown, next...)
		front = next
	}
	defer func() {
		for _, i := range grown {
			in[i] = false
		}
	}()
	var f holeFrame
	visit := func(i int32) {
		for _, o := range offsets4(c.pw) {
			j := i + o
			if in[j] {
				continue
			}
			f.boundary++
			if c.edge[j] == 1 || c.cliff(i, j) {
				f.crisp++
			}
			// Step over the outline (a few pixels at most) and look.
			k := j
			for t := 0; t < 4 && c.edge[k] == 1 && state[k] != stateFrame; t++ {
				k += o
			}
			if state[k] == stateFrame {
				continue
			}
			f.beyond++
			if state[k] == stateUnknown {
				f.product++
				if c.shadow[k] == 0 && c.dist[k] >= c.threshold {
					f.coloured++
				}
			}
		}
	}
	for _, i := range comp {
		visit(i)
	}
	for _, i := range grown {
		visit(i)
	}
	return f
}

// thickEnough reports whether comp holds a (2r+1)² square.
func (c *pixelClasses) thickEnough(comp []int32, r int) bool {
	x0, y0, x1, y1 := c.bbox(comp)
	w, h := x1-x0+1, y1-y0+1
	if w <= 2*r || h <= 2*r {
		return false
	}
	out := make([]uint8, w*h)
	for i := range out {
		out[i] = 1
	}
	for _, i := range comp {
		x, y := int(i)%c.pw, int(i)/c.pw
		out[(y-y0)*w+x-x0] = 0
	}
	tmp := make([]uint8, w*h)
	dilateRows(out, tmp, w, h, r)
	clear(out)
	dilateCols(tmp, out, w, h, r)
	for _, v := range out {
		if v == 0 {
			return true
		}
	}
	return false
}

// bbox is comp's bounding box in padded coordinates (inclusive).
func (c *pixelClasses) bbox(comp []int32) (x0, y0, x1, y1 int) {
	x0, y0, x1, y1 = c.pw, len(c.dist)/c.pw, -1, -1
	for _, i := range comp {
		x, y := int(i)%c.pw, int(i)/c.pw
		x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
	}
	return
}

// backdropColoured checks the colour: mostly unshaded and close to the
// backdrop, or shaded within the shadows around the product and either
// framed by another colour or shaded as predicted.
func (c *pixelClasses) backdropColoured(comp []int32, in []bool, state []uint8, f holeFrame) bool {
	// On average the region must have the backdrop's hue exactly: grain
	// lets single pixels stray, a pale highlight or tinted label stays off.
	var ta, tb float64
	for _, i := range comp {
		ta += float64(c.tintA[i])
		tb += float64(c.tintB[i])
	}
	n := float64(len(comp)) * tintScale
	if math.Hypot(ta/n, tb/n) > maxHoleTint {
		return false
	}
	near, sum := 0, 0
	for _, i := range comp {
		if c.dist[i] < c.threshold {
			near++
			sum += int(c.dist[i])
		}
	}
	if 4*near >= len(comp) {
		return 2*sum <= int(c.threshold)*near
	}
	if !c.withinNearbyShadows(comp, in) {
		return false
	}
	return f.colouredFrame() || c.shadeMismatch(comp, state) <= maxShadeMismatch
}

// withinNearbyShadows: comp is no darker than the backdrop's shadows
// within a few hole sizes of it (pixels of its colour, flooded or not),
// so it can be one of them.
func (c *pixelClasses) withinNearbyShadows(comp []int32, in []bool) bool {
	x0, y0, x1, y1 := c.bbox(comp)
	m := 3 * max(x1-x0, y1-y0)
	ph := len(c.dist) / c.pw
	var hist [256]int
	n := 0
	for y := max(1, y0-m); y <= min(ph-2, y1+m); y++ {
		for x := max(1, x0-m); x <= min(c.pw-2, x1+m); x++ {
			if i := y*c.pw + x; !in[i] && (c.shadow[i] == 1 || c.dist[i] < c.threshold) {
				hist[c.shade[i]]++
				n++
			}
		}
	}
	if n == 0 {
		return false
	}
	// The darkest 0.5% of the backdrop nearby, less a margin.
	floor, acc := 0, 0
	for v, k := range hist {
		acc += k
		if 200*acc >= n {
			floor = v
			break
		}
	}
	floor -= shadeScale / 20
	darker := 0
	for _, i := range comp {
		if int(c.shade[i]) < floor {
			darker++
		}
	}
	return 20*darker <= len(comp)
}

// shadeMismatch is the mean difference between comp's lightness ratios and
// those interpolated from the backdrop pixels around it (a normalised
// convolution: blurred ratios over blurred weights).
func (c *pixelClasses) shadeMismatch(comp []int32, state []uint8) float64 {
	x0, y0, x1, y1 := c.bbox(comp)
	sigma := float32(max(x1-x0, y1-y0)) / 2
	m := int(3 * sigma)
	ph := len(c.dist) / c.pw
	x0, y0 = max(1, x0-m), max(1, y0-m)
	x1, y1 = min(c.pw-2, x1+m), min(ph-2, y1+m)
	w, h := x1-x0+1, y1-y0+1
	num, den := make([]float32, w*h), make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := (y+y0)*c.pw + x + x0
			if state[i] == stateBackground {
				num[y*w+x] = float32(c.shade[i]) / shadeScale
				den[y*w+x] = 1
			}
		}
	}
	gaussianBlur(num, w, h, sigma)
	gaussianBlur(den, w, h, sigma)
	sum := 0.0
	for _, i := range comp {
		x, y := int(i)%c.pw-x0, int(i)/c.pw-y0
		k := y*w + x
		if den[k] < 1e-3 {
			return math.Inf(1)
		}
		sum += math.Abs(float64(c.shade[i])/shadeScale - float64(num[k]/den[k]))
	}
	return sum / float64(len(comp))
}
