package contract

import (
	"context"
	"hash/fnv"
	"image"
	"image/color"
	"math"
	"strconv"

	"golang.org/x/image/draw"
)

// PlainPainter is the default Painter: the whole foreground, scaled to fit
// inside a margin and centred, on a plain colour derived from the prompt and
// the variant. It needs no model, so tests and offline use get real images
// that are the same for the same request. The zero value is ready to use.
type PlainPainter struct {
	// Margin is the share of each side kept free around the foreground
	// (0 means 0.08).
	Margin float64
	// MaxSide caps the longest side of the result (0 means 2048); below it
	// the result has the source's size.
	MaxSide int
}

const paintBands = 8 // scaling steps, so progress is real and cancelling quick

// Paint implements Painter.
func (p PlainPainter) Paint(ctx context.Context, src image.Image, prompt string, variant int, progress func(float64)) (image.Image, image.Rectangle, error) {
	if err := ctx.Err(); err != nil {
		return nil, image.Rectangle{}, err
	}
	sb := src.Bounds()
	size := p.canvasSize(sb.Size())
	canvas := image.NewRGBA(image.Rectangle{Max: size})
	draw.Draw(canvas, canvas.Bounds(), image.NewUniform(PlainColor(prompt, variant)), image.Point{}, draw.Src)
	fg := fitRect(sb.Size(), size, p.margin())
	progress(0.05)
	for i := range paintBands {
		if err := ctx.Err(); err != nil {
			return nil, image.Rectangle{}, err
		}
		y0 := fg.Min.Y + fg.Dy()*i/paintBands
		y1 := fg.Min.Y + fg.Dy()*(i+1)/paintBands
		// Scaling into a clipped destination computes only that band, with
		// the mapping of the whole rectangle.
		band := canvas.SubImage(image.Rect(fg.Min.X, y0, fg.Max.X, y1)).(*image.RGBA)
		draw.BiLinear.Scale(band, fg, src, sb, draw.Over, nil)
		progress(0.05 + 0.95*float64(i+1)/paintBands)
	}
	return canvas, fg, nil
}

func (p PlainPainter) margin() float64 {
	if p.Margin <= 0 || p.Margin >= 0.5 {
		return 0.08
	}
	return p.Margin
}

// canvasSize is the source's size, shrunk to fit MaxSide.
func (p PlainPainter) canvasSize(src image.Point) image.Point {
	limit := p.MaxSide
	if limit <= 0 {
		limit = 2048
	}
	longest := max(src.X, src.Y)
	if longest <= limit {
		return src
	}
	scale := float64(limit) / float64(longest)
	return image.Pt(max(1, int(math.Round(float64(src.X)*scale))), max(1, int(math.Round(float64(src.Y)*scale))))
}

// fitRect is the largest rectangle of src's aspect that fits in canvas less
// the margin, centred.
func fitRect(src, canvas image.Point, margin float64) image.Rectangle {
	availW := float64(canvas.X) * (1 - 2*margin)
	availH := float64(canvas.Y) * (1 - 2*margin)
	scale := math.Min(availW/float64(src.X), availH/float64(src.Y))
	w := min(canvas.X, max(1, int(math.Round(float64(src.X)*scale))))
	h := min(canvas.Y, max(1, int(math.Round(float64(src.Y)*scale))))
	x, y := (canvas.X-w)/2, (canvas.Y-h)/2
	return image.Rect(x, y, x+w, y+h)
}

// PlainColor is the background PlainPainter uses for (prompt, variant): a
// soft colour picked by hashing both, so variants differ and repeat.
func PlainColor(prompt string, variant int) color.RGBA {
	h := fnv.New64a()
	h.Write([]byte(prompt))
	h.Write([]byte{0})
	h.Write([]byte(strconv.Itoa(variant)))
	sum := h.Sum64()
	hue := float64(sum%360) / 60
	sat := 0.30 + float64((sum>>16)%30)/100 // 0.30..0.59
	val := 0.75 + float64((sum>>32)%20)/100 // 0.75..0.94
	c := val * sat
	x := c * (1 - math.Abs(math.Mod(hue, 2)-1))
	var r, g, b float64
	switch int(hue) {
	case 0:
		r, g = c, x
	case 1:
		r, g = x, c
	case 2:
		g, b = c, x
	case 3:
		g, b = x, c
	case 4:
		r, b = x, c
	default:
		r, b = c, x
	}
	m := val - c
	to8 := func(v float64) uint8 { return uint8(math.Round((v + m) * 255)) }
	return color.RGBA{to8(r), to8(g), to8(b), 255}
}
