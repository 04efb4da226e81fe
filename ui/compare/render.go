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
// scratch holds the full-size pixels read for a zoomed-in view; it is
// returned, grown as needed, for the next call.
func drawItem(dst *image.RGBA, m *mipChain, s *viewState, vp vec, scratch *image.RGBA) *image.RGBA {
	scale, origin := s.placement(m.size, vp)
	if scale <= 0 {
		return scratch
	}
	// The pixels whose centres fall on the image.
	cover := image.Rect(
		int(math.Ceil(origin.x-0.5)), int(math.Ceil(origin.y-0.5)),
		int(math.Ceil(origin.x+m.size.x*scale-0.5)), int(math.Ceil(origin.y+m.size.y*scale-0.5)),
	).Intersect(dst.Bounds())
	if cover.Empty() {
		return scratch
	}
	op := draw.Src
	if !m.opaque {
		fillChecker(dst, cover)
		op = draw.Over
	}
	src, srcScale := m.level(scale)
	toScreen := f64.Aff3{srcScale, 0, origin.x, 0, srcScale, origin.y}
	if m.fullSize(scale) {
		// The full-size pixels under the cover, with a pixel of margin for
		// the filter, read from the tiles.
		need := image.Rect(
			int(math.Floor((float64(cover.Min.X)-origin.x)/scale))-1, int(math.Floor((float64(cover.Min.Y)-origin.y)/scale))-1,
			int(math.Ceil((float64(cover.Max.X)-origin.x)/scale))+1, int(math.Ceil((float64(cover.Max.Y)-origin.y)/scale))+1,
		).Intersect(image.Rect(0, 0, int(m.size.x), int(m.size.y)))
		if region, err := m.tiles.region(need, scratch); err == nil && !need.Empty() {
			scratch, src, srcScale = region, region, scale
			toScreen = f64.Aff3{scale, 0, origin.x + scale*float64(need.Min.X), 0, scale, origin.y + scale*float64(need.Min.Y)}
		}
	}
	filter := interpolatorFor(scale)
	inStrips(cover, func(strip image.Rectangle) {
		filter.Transform(dst.SubImage(strip).(*image.RGBA), toScreen, src, src.Rect, op, nil)
	})
	return scratch
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
