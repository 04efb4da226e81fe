package engine

import (
	"image"
	"math"
	"slices"
)

// bgModel predicts the old background's Oklab colour anywhere in the frame:
// one quadratic surface per channel, fitted to the border. A flat sweep, a
// gradient and a mild vignette are all quadratic enough.
type bgModel struct {
	coef  [3][6]float64 // per channel: 1, x, y, x², xy, y² (x,y in -1..1)
	w, h  int
	noise float64 // median distance of border pixels from the fit
	// chromaNoise is the median chroma distance alone.
	chromaNoise float64
	threshold   float32 // Oklab distance under which a pixel counts as background
	chromaTol   float32 // how far a shadow's chroma may stray from the backdrop's, scaled
	ok          bool    // false when the border is too busy to be a backdrop
}

type borderSample struct {
	x, y float64
	c    oklab
}

// fitBackground samples a 2-pixel frame around the image and fits the model
// robustly: parts of the product touching the border are outliers and get
// dropped as the inlier threshold tightens.
func fitBackground(img *image.NRGBA) *bgModel {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	m := &bgModel{w: w, h: h}
	samples := borderSamples(img)
	if len(samples) < 8 {
		return m
	}
	// Start from the per-channel median: it ignores a product that covers
	// less than half of the border.
	var med oklab
	vals := make([]float64, len(samples))
	for ch := 0; ch < 3; ch++ {
		for i, s := range samples {
			vals[i] = float64(channel(s.c, ch))
		}
		slices.Sort(vals)
		v := vals[len(vals)/2]
		m.coef[ch] = [6]float64{v}
		switch ch {
		case 0:
			med.L = float32(v)
		case 1:
			med.A = float32(v)
		default:
			med.B = float32(v)
		}
	}
	res := make([]float64, len(samples))
	inl := make([]borderSample, 0, len(samples))
	for _, tau := range []float64{0.16, 0.08, 0.05, 0} {
		for i, s := range samples {
			res[i] = float64(m.at(s.x, s.y).dist(s.c))
		}
		if tau == 0 {
			sorted := slices.Clone(res)
			slices.Sort(sorted)
			tau = math.Max(0.02, 4*sorted[len(sorted)/2])
		}
		inl = inl[:0]
		for i, s := range samples {
			if res[i] < tau {
				inl = append(inl, s)
			}
		}
		if len(inl) < len(samples)/3 {
			return m
		}
		m.fit(inl)
	}
	for i, s := range inl {
		res[i] = float64(m.at(s.x, s.y).dist(s.c))
	}
	r := res[:len(inl)]
	slices.Sort(r)
	m.noise = r[len(r)/2]
	// Chroma noise on its own: grain is mostly in lightness, and the
	// shadow test's chroma tolerance must not grow with it.
	for i, s := range inl {
		p := m.at(s.x, s.y)
		res[i] = math.Hypot(float64(s.c.A-p.A), float64(s.c.B-p.B))
	}
	slices.Sort(r)
	m.chromaNoise = r[len(r)/2]
	m.threshold = float32(math.Min(0.09, math.Max(0.03, 0.022+4*m.noise)))
	m.chromaTol = float32(math.Min(0.03, 0.012+2*m.chromaNoise))
	m.ok = true
	return m
}

func borderSamples(img *image.NRGBA) []borderSample {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	step := max(1, (2*(w+h))/3000)
	var out []borderSample
	add := func(x, y int) {
		p := img.Pix[img.PixOffset(x, y):]
		out = append(out, borderSample{normX(x, w), normX(y, h), srgb8ToOklab(p[0], p[1], p[2])})
	}
	for ring := 0; ring < 2 && ring < w/2 && ring < h/2; ring++ {
		for x := ring; x < w-ring; x += step {
			add(x, ring)
			add(x, h-1-ring)
		}
		for y := ring + 1; y < h-1-ring; y += step {
			add(ring, y)
			add(w-1-ring, y)
		}
	}
	return out
}

// normX maps a pixel index to -1..1.
func normX(x, w int) float64 {
	if w <= 1 {
		return 0
	}
	return 2*float64(x)/float64(w-1) - 1
}

func channel(c oklab, ch int) float32 {
	switch ch {
	case 0:
		return c.L
	case 1:
		return c.A
	}
	return c.B
}

// fit solves the least-squares normal equations with a small ridge on the
// non-constant terms, so a partly hidden border can't bend the surface
// wildly in the middle of the frame.
func (m *bgModel) fit(s []borderSample) {
	var ata [6][6]float64
	var atb [3][6]float64
	for _, p := range s {
		f := basis(p.x, p.y)
		for i := 0; i < 6; i++ {
			for j := 0; j < 6; j++ {
				ata[i][j] += f[i] * f[j]
			}
			atb[0][i] += f[i] * float64(p.c.L)
			atb[1][i] += f[i] * float64(p.c.A)
			atb[2][i] += f[i] * float64(p.c.B)
		}
	}
	ridge := 0.02 * float64(len(s))
	for i := 1; i < 6; i++ {
		ata[i][i] += ridge
	}
	for ch := 0; ch < 3; ch++ {
		if sol, ok := solve6(ata, atb[ch]); ok {
			m.coef[ch] = sol
		}
	}
}

func basis(x, y float64) [6]float64 { return [6]float64{1, x, y, x * x, x * y, y * y} }

// solve6 is Gaussian elimination with partial pivoting.
func solve6(a [6][6]float64, b [6]float64) ([6]float64, bool) {
	for c := 0; c < 6; c++ {
		p := c
		for r := c + 1; r < 6; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		if math.Abs(a[p][c]) < 1e-12 {
			return b, false
		}
		a[c], a[p] = a[p], a[c]
		b[c], b[p] = b[p], b[c]
		for r := c + 1; r < 6; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k < 6; k++ {
				a[r][k] -= f * a[c][k]
			}
			b[r] -= f * b[c]
		}
	}
	var x [6]float64
	for r := 5; r >= 0; r-- {
		v := b[r]
		for k := r + 1; k < 6; k++ {
			v -= a[r][k] * x[k]
		}
		x[r] = v / a[r][r]
	}
	return x, true
}

// at evaluates the model at normalised coordinates.
func (m *bgModel) at(x, y float64) oklab {
	f := basis(x, y)
	var v [3]float64
	for ch := range v {
		for i, c := range m.coef[ch] {
			v[ch] += c * f[i]
		}
	}
	return oklab{float32(v[0]), float32(v[1]), float32(v[2])}
}

// rowPoly returns, for row y, each channel as q0 + q1·x + q2·x², so the
// per-pixel cost is a few multiplications.
func (m *bgModel) rowPoly(y int) [3][3]float32 {
	ny := normX(y, m.h)
	var out [3][3]float32
	for ch, c := range m.coef {
		out[ch] = [3]float32{
			float32(c[0] + c[2]*ny + c[5]*ny*ny),
			float32(c[1] + c[4]*ny),
			float32(c[3]),
		}
	}
	return out
}
