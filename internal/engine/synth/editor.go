package synth

import (
	"bytes"
	"image"
	idraw "image/draw"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// Editor shots are made the way a designer makes a product shot in an image
// editor: a product with photographic shading, on a lit sweep, with shadow
// layers painted as black ellipses or silhouettes, Gaussian-blurred, at an
// opacity (a normal blend in sRGB, as editors do), then sensor noise, and
// saved as JPEG or PNG. Their shadows are dark, touch the product and fall
// on the backdrop behind holes: the cases the plain set never shows.

// shadowLayer is one blurred black layer of an editor shot.
type shadowLayer struct {
	shape func(x, y float64) float64 // signed distance in pixels, negative inside
	blur  func(x, y float64) float64 // Gaussian σ in pixels where the edge is
	// opacity is the layer's opacity at (x, y): layers fade with distance.
	opacity func(x, y float64) float64
}

// coverage of a hard shape blurred by a Gaussian of σ, at signed distance
// d from its edge (exact for a straight edge).
func blurredCoverage(d, sigma float64) float64 {
	if sigma <= 0 {
		if d < 0 {
			return 1
		}
		return 0
	}
	return 0.5 * math.Erfc(d/(sigma*math.Sqrt2))
}

type editorSpec struct {
	name       string
	w, h       int
	parts      func(w, h float64) []part
	background func(x, y, w, h float64) RGB
	shadows    func(w, h float64) []shadowLayer
	noise      float64 // sensor noise σ in 8-bit steps
	jpeg       int     // JPEG quality; 0 saves a PNG
}

// EditorNames lists the editor shots.
func EditorNames() []string {
	out := make([]string, len(editorSpecs))
	for i, s := range editorSpecs {
		out[i] = s.name
	}
	return out
}

// EditorShot draws one editor shot at its own size; ok is false for an
// unknown name. Shot.File holds the encoded file (JPEG or PNG) and Image
// its decoded pixels, artefacts included.
func EditorShot(name string) (Shot, bool) {
	for i, s := range editorSpecs {
		if s.name == name {
			return drawEditor(s, s.w, s.h, uint64(100+i)), true
		}
	}
	return Shot{}, false
}

// EditorShotAt draws an editor shot at another size, scaling everything.
func EditorShotAt(name string, w, h int) (Shot, bool) {
	for i, s := range editorSpecs {
		if s.name == name {
			return drawEditor(s, w, h, uint64(100+i)), true
		}
	}
	return Shot{}, false
}

// EditorSet draws every editor shot whose long side is at most maxSide
// (0: all of them).
func EditorSet(maxSide int) []Shot {
	var out []Shot
	for i, s := range editorSpecs {
		if maxSide > 0 && max(s.w, s.h) > maxSide {
			continue
		}
		out = append(out, drawEditor(s, s.w, s.h, uint64(100+i)))
	}
	return out
}

func drawEditor(s editorSpec, w, h int, seed uint64) Shot {
	fw, fh := float64(w), float64(h)
	parts := s.parts(fw, fh)
	var layers []shadowLayer
	if s.shadows != nil {
		layers = s.shadows(fw, fh)
	}
	shot := Shot{Name: s.name, W: w, H: h, Image: image.NewNRGBA(image.Rect(0, 0, w, h)),
		Alpha: make([]float32, w*h), Color: make([]float32, 3*w*h), Shadow: make([]float32, w*h)}
	rows := make(chan int, h)
	for y := 0; y < h; y++ {
		rows <- y
	}
	close(rows)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for y := range rows {
				// One generator per row keeps the noise independent of
				// how rows are shared out.
				noise := rand.New(rand.NewPCG(seed, uint64(y)))
				drawEditorRow(s, parts, layers, &shot, y, fw, fh, noise)
			}
		})
	}
	wg.Wait()
	encodeShot(&shot, s.jpeg)
	return shot
}

func drawEditorRow(s editorSpec, parts []part, layers []shadowLayer, shot *Shot, y int, fw, fh float64, noise *rand.Rand) {
	w := shot.W
	for x := 0; x < w; x++ {
		cx, cy := float64(x)+0.5, float64(y)+0.5
		cov, pt := coverage(parts, x, y)
		col := pt.colour(cx, cy)
		i := y*w + x
		shot.Alpha[i] = float32(cov)
		shot.Color[3*i], shot.Color[3*i+1], shot.Color[3*i+2] = float32(col.R), float32(col.G), float32(col.B)
		bg := s.background(cx, cy, fw, fh)
		// Normal blend of black layers in sRGB: each keeps (1 - o·c).
		keep := 1.0
		for _, l := range layers {
			if k := l.opacity(cx, cy); k > 0 {
				keep *= 1 - k*blurredCoverage(l.shape(cx, cy), l.blur(cx, cy))
			}
		}
		shot.Shadow[i] = float32(1 - keep)
		bg = RGB{bg.R * keep, bg.G * keep, bg.B * keep}
		// Noise is luma grain plus a little chroma, as from a sensor.
		grain := noise.NormFloat64() * s.noise / 255
		mix := func(b, f float64) uint8 {
			return q8(b*(1-cov) + f*cov + grain + noise.NormFloat64()*s.noise*0.35/255)
		}
		p := shot.Image.Pix[4*i : 4*i+4]
		p[0], p[1], p[2], p[3] = mix(bg.R, col.R), mix(bg.G, col.G), mix(bg.B, col.B), 255
	}
}

// encodeShot saves the shot as its file and replaces the pixels by what a
// reader of that file gets back.
func encodeShot(shot *Shot, quality int) {
	var buf bytes.Buffer
	if quality == 0 {
		if err := png.Encode(&buf, shot.Image); err != nil {
			panic(err)
		}
		shot.File, shot.Format = buf.Bytes(), "png"
		return
	}
	if err := jpeg.Encode(&buf, shot.Image, &jpeg.Options{Quality: quality}); err != nil {
		panic(err)
	}
	dec, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		panic(err)
	}
	idraw.Draw(shot.Image, shot.Image.Rect, dec, dec.Bounds().Min, idraw.Src)
	shot.File, shot.Format = buf.Bytes(), "jpeg"
}

// Backdrops of editor shots: a sweep lit from above with a vignette.

func litSweep(c RGB, fall, vignette float64) func(x, y, w, h float64) RGB {
	return func(x, y, w, h float64) RGB {
		dx, dy := (x/w-0.5)*2, (y/h-0.45)*2
		k := (1 - fall*y/h) * (1 - vignette*math.Min(1, (dx*dx+dy*dy)/2))
		return RGB{c.R * k, c.G * k, c.B * k}
	}
}

// Shadow shapes.

// ellipse is a signed distance to an axis-aligned ellipse, to first
// order: its implicit function over its gradient's length, good near the
// outline (where blur acts) for any flatness.
func ellipse(cx, cy, rx, ry float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		nx, ny := (x-cx)/rx, (y-cy)/ry
		g := 2 * math.Hypot(nx/rx, ny/ry)
		if g == 0 {
			return -math.Min(rx, ry)
		}
		return (nx*nx + ny*ny - 1) / g
	}
}

func constant(v float64) func(x, y float64) float64 { return func(x, y float64) float64 { return v } }

// castSilhouette is the product's silhouette thrown onto the floor and
// wall: points at height t above the base move sideways by lean·t and
// shrink by squash, as an editor's skewed shadow layer.
func castSilhouette(parts []part, base, lean, squash float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		up := base - y
		if up < 0 {
			up *= 3 // the shadow does not reach in front of the base
		}
		sy := base - up/squash
		sx := x - lean*up/squash
		d, _ := nearest(parts, sx, sy)
		return d * squash
	}
}

// fadeAway lowers a layer's opacity with distance from (cx, cy).
func fadeAway(o, cx, cy, reach float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		d := math.Hypot(x-cx, y-cy) / reach
		return o * math.Max(0, 1-d*d)
	}
}

// growingBlur widens a layer's blur with distance from the base line, as
// a penumbra does.
func growingBlur(near, far, base, reach float64) func(x, y float64) float64 {
	return func(x, y float64) float64 {
		t := math.Min(1, math.Abs(base-y)/reach)
		return near + (far-near)*t
	}
}

// contactLayers are the two layers an editor paints under a product: a
// dark, tight core where it touches the floor and a wide, soft pool.
func contactLayers(cx, base, halfWidth, h, core, pool, coreBlur float64) []shadowLayer {
	return []shadowLayer{
		{shape: ellipse(cx, base-0.004*h, halfWidth*1.02, 0.018*h), blur: constant(coreBlur * h), opacity: constant(core)},
		{shape: ellipse(cx, base, halfWidth*1.45, 0.05*h), blur: constant(0.025 * h), opacity: constant(pool)},
	}
}
