package engine

import "image"

// Mask is a cut-out: how much of each source pixel is product, and the
// product's colours with the old backdrop removed from its edges.
type Mask struct {
	// Alpha is the coverage over the whole (possibly shrunk) source.
	Alpha *image.Alpha
	// Foreground holds the decontaminated colours with Alpha as alpha,
	// covering Bounds only (its Rect is Bounds).
	Foreground *image.NRGBA
	// Bounds is the smallest rectangle holding every pixel with Alpha > 0;
	// empty when no product was found.
	Bounds image.Rectangle
	// FromAlphaChannel tells that the source's own transparency was used.
	FromAlphaChannel bool
}

// CutOut separates the product from its backdrop. It is safe to call
// concurrently.
func CutOut(src image.Image) *Mask { return cutOut(toNRGBA(src)) }

func cutOut(img *image.NRGBA) *Mask {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if hasTransparency(img) {
		return maskFromAlpha(img)
	}
	// Decisions (what is backdrop, shadow, hole, speck) are made on a
	// copy of at most ~1100 pixels a side; the outline is then refined at
	// full resolution, where it matters.
	d := decisionScale(w, h)
	small := img
	if d > 1 {
		small = boxDownscale(img, d)
	}
	model := fitBackground(small)
	if !model.ok {
		// A busy border is not a backdrop: keep the whole picture.
		return wholeImageMask(img)
	}
	fg := hardMask(small, model)
	if d > 1 {
		fg = refineMask(img, model, fg, small.Rect.Dx(), small.Rect.Dy(), d)
	}
	alpha, edges := matteEdges(img, fg, lumaNoise(img, model))
	m := &Mask{Alpha: &image.Alpha{Pix: alpha, Stride: w, Rect: img.Rect}}
	m.Bounds = alphaBounds(alpha, w, h)
	m.Foreground = foregroundLayer(img, alpha, m.Bounds)
	fgPix := m.Foreground
	for _, e := range edges {
		x, y := int(e.i)%w, int(e.i)/w
		if !(image.Point{x, y}).In(m.Bounds) {
			continue
		}
		o := fgPix.PixOffset(x, y)
		fgPix.Pix[o], fgPix.Pix[o+1], fgPix.Pix[o+2] = e.r, e.g, e.b
	}
	return m
}

// hardMask decides product (1) or backdrop (0) per pixel of img.
func hardMask(img *image.NRGBA, model *bgModel) []uint8 {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	c := classifyPixels(img, model)
	state := c.newFloodState()
	c.flood(state, c.borderSeeds())
	c.creep(state)
	removeSpecks(c, state)
	cutBridges(c, state, bridgeRadius(w, h))
	openHoles(c, state)
	openPockets(c, state)
	trimHairs(c, state)
	removeSpecks(c, state)
	fg := make([]uint8, w*h)
	for y := 0; y < h; y++ {
		row := state[(y+1)*c.pw+1:]
		for x := 0; x < w; x++ {
			if row[x] == stateUnknown {
				fg[y*w+x] = 1
			}
		}
	}
	return fg
}

// bridgeRadius is the half-width of the widest neck cut off from the
// shadow flood; it scales with the picture.
func bridgeRadius(w, h int) int { return max(3, min(w, h)/50) }

// hasTransparency is true when enough pixels are see-through that the
// picture is already cut out (a stray semi-opaque pixel is not enough).
func hasTransparency(img *image.NRGBA) bool {
	n := 0
	limit := max(1, len(img.Pix)/4/1000)
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] < 250 {
			n++
			if n >= limit {
				return true
			}
		}
	}
	return false
}

func maskFromAlpha(img *image.NRGBA) *Mask {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	alpha := make([]uint8, w*h)
	for i := range alpha {
		alpha[i] = img.Pix[4*i+3]
	}
	m := &Mask{Alpha: &image.Alpha{Pix: alpha, Stride: w, Rect: img.Rect}, FromAlphaChannel: true}
	m.Bounds = alphaBounds(alpha, w, h)
	m.Foreground = foregroundLayer(img, alpha, m.Bounds)
	return m
}

func wholeImageMask(img *image.NRGBA) *Mask {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	alpha := make([]uint8, w*h)
	for i := range alpha {
		alpha[i] = 255
	}
	m := &Mask{Alpha: &image.Alpha{Pix: alpha, Stride: w, Rect: img.Rect}, Bounds: img.Rect}
	m.Foreground = foregroundLayer(img, alpha, m.Bounds)
	return m
}

// foregroundLayer copies the source colours inside r with alpha attached.
func foregroundLayer(img *image.NRGBA, alpha []uint8, r image.Rectangle) *image.NRGBA {
	out := image.NewNRGBA(r)
	w := img.Rect.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		src := img.Pix[img.PixOffset(r.Min.X, y):]
		dst := out.Pix[out.PixOffset(r.Min.X, y):]
		for x := 0; x < r.Dx(); x++ {
			copy(dst[4*x:4*x+3], src[4*x:4*x+3])
			dst[4*x+3] = alpha[y*w+r.Min.X+x]
		}
	}
	return out
}

// alphaBounds is the bounding box of non-zero alpha.
func alphaBounds(alpha []uint8, w, h int) image.Rectangle {
	x0, y0, x1, y1 := w, h, -1, -1
	for y := 0; y < h; y++ {
		row := alpha[y*w : y*w+w]
		first := -1
		for x, a := range row {
			if a != 0 {
				first = x
				break
			}
		}
		if first < 0 {
			continue
		}
		last := first
		for x := w - 1; x > first; x-- {
			if row[x] != 0 {
				last = x
				break
			}
		}
		x0, x1 = min(x0, first), max(x1, last)
		y0, y1 = min(y0, y), max(y1, y)
	}
	if x1 < 0 {
		return image.Rectangle{}
	}
	return image.Rect(x0, y0, x1+1, y1+1)
}
