package compare

import (
	"image"
	"math"
	"runtime"
	"sync"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// Above this zoom each image pixel is drawn as a sharp block, so designers
// can inspect edges pixel by pixel.
const pixelatedZoom = 2.0

// Strips thinner than this cost more to start than they save.
const minStripRows = 64

// drawItem paints one image into dst as the view places it in a viewport of
// size vp. dst may be a SubImage: that is how split mode clips each side.
func drawItem(dst *image.RGBA, m *mipChain, s *viewState, vp vec) {
	scale, origin := s.placement(m.size, vp)
	if scale <= 0 {
		return
	}
	// The pixels whose centres fall on the image.
	cover := image.Rect(
		int(math.Ceil(origin.x-0.5)), int(math.Ceil(origin.y-0.5)),
		int(math.Ceil(origin.x+m.size.x*scale-0.5)), int(math.Ceil(origin.y+m.size.y*scale-0.5)),
	).Intersect(dst.Bounds())
	if cover.Empty() {
		return
	}
	op := draw.Src
	if !m.opaque {
		fillChecker(dst, cover)
		op = draw.Over
	}
	src, srcScale := m.level(scale)
	toScreen := f64.Aff3{srcScale, 0, origin.x, 0, srcScale, origin.y}
	filter := interpolatorFor(scale)
	inStrips(cover, func(strip image.Rectangle) {
		filter.Transform(dst.SubImage(strip).(*image.RGBA), toScreen, src, src.Rect, op, nil)
	})
}

// inStrips runs paint over horizontal strips of r on all cores and returns
// when every strip is done. The strips do not overlap, so they can write to
// one image at once.
func inStrips(r image.Rectangle, paint func(strip image.Rectangle)) {
	n := min(runtime.GOMAXPROCS(0), r.Dy()/minStripRows)
	if n <= 1 {
		paint(r)
		return
	}
	var wg sync.WaitGroup
	for i := range n {
		strip := r
		strip.Min.Y = r.Min.Y + r.Dy()*i/n
		strip.Max.Y = r.Min.Y + r.Dy()*(i+1)/n
		wg.Go(func() { paint(strip) })
	}
	wg.Wait()
}

// interpolatorFor trades quality for speed: mip levels already keep the
// reduction under 2x, where bilinear is smooth enough and several times
// cheaper than Catmull-Rom.
func interpolatorFor(scale float64) draw.Transformer {
	if scale > pixelatedZoom {
		return draw.NearestNeighbor
	}
	return draw.ApproxBiLinear
}
