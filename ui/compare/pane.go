package compare

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// minPaneSize keeps a pane big enough to see something in.
var minPaneSize = fyne.NewSize(160, 120)

// One scroll-wheel notch (25 units on Linux and Windows) zooms by 2^0.25.
const scrollUnitsPerDoubling = 100

// side says what a pane draws.
type side int

const (
	sideLeft  side = iota // the left item alone
	sideRight             // the right item alone
	sideBoth              // both, split at the divider
)

// pane draws the view's images and turns drags into pans and scrolls into
// zooms, which every pane then follows.
type pane struct {
	widget.BaseWidget
	view   *View
	side   side
	raster *canvas.Raster

	// The last render, reused while nothing it depends on changed.
	rendered  *image.RGBA
	renderKey renderKey
	scratch   *image.RGBA // full-size pixels read for a zoomed-in view
}

// renderKey is everything a render depends on.
type renderKey struct {
	width, height int
	zoom          float64
	centre, ref   vec
	generation    int
	left, right   int
	divider       float64
	background    color.RGBA
}

func newPane(v *View, s side) *pane {
	p := &pane{view: v, side: s}
	p.raster = canvas.NewRaster(p.render)
	p.ExtendBaseWidget(p)
	return p
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (p *pane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.raster)
}

// MinSize keeps the pane from collapsing.
func (p *pane) MinSize() fyne.Size { return minPaneSize }

// Dragged pans all panes with the pointer.
func (p *pane) Dragged(e *fyne.DragEvent) {
	s := float64(pixelScale(p))
	p.view.pan(vec{float64(e.Dragged.DX) * s, float64(e.Dragged.DY) * s})
}

// DragEnd is part of fyne.Draggable; nothing is left to do.
func (p *pane) DragEnd() {}

// Tapped gives the view the keyboard (zoom keys, a held B).
func (p *pane) Tapped(*fyne.PointEvent) { p.view.takeFocus() }

// Scrolled zooms all panes around the pointer.
func (p *pane) Scrolled(e *fyne.ScrollEvent) {
	if e.Scrolled.DY == 0 {
		return
	}
	s := float64(pixelScale(p))
	factor := math.Exp2(float64(e.Scrolled.DY) / scrollUnitsPerDoubling)
	p.view.zoomAt(p.view.state.zoom*factor, vec{float64(e.Position.X) * s, float64(e.Position.Y) * s})
}

// render is the raster's generator: it paints the pane at the size the
// driver asks for, in screen pixels.
func (p *pane) render(w, h int) image.Image {
	v := p.view
	vp := vec{float64(w), float64(h)}
	// Only the driver knows the true pixel size: before the first paint the
	// layout had to guess the screen scale.
	if p.shown() && (math.Abs(vp.x-v.state.viewport.x) > 1 || math.Abs(vp.y-v.state.viewport.y) > 1) {
		v.state.setViewport(vp)
		v.changed()
	}
	key := renderKey{
		width: w, height: h,
		zoom: v.state.zoom, centre: v.state.centre, ref: v.state.ref,
		generation: v.generation,
		left:       -1, right: -1,
		background: backgroundFor(p),
	}
	switch p.side {
	case sideLeft:
		key.left = v.left
	case sideRight:
		key.right = v.shownRight()
	case sideBoth:
		key.left, key.right, key.divider = v.left, v.shownRight(), v.divider
	}
	if p.rendered != nil && key == p.renderKey {
		return p.rendered
	}

	if p.rendered == nil || p.rendered.Rect.Dx() != w || p.rendered.Rect.Dy() != h {
		p.rendered = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	dst := p.rendered
	fillColour(dst, key.background)
	cut := int(math.Round(key.divider * float64(w)))
	if p.side != sideBoth {
		cut = w
	}
	if m := v.mipsFor(key.left); m != nil {
		p.scratch = drawItem(dst.SubImage(image.Rect(0, 0, cut, h)).(*image.RGBA), m, &v.state, vp, p.scratch)
	}
	if p.side == sideRight {
		cut = 0
	}
	if m := v.mipsFor(key.right); m != nil {
		p.scratch = drawItem(dst.SubImage(image.Rect(cut, 0, w, h)).(*image.RGBA), m, &v.state, vp, p.scratch)
	}
	p.renderKey = key
	return dst
}

// shown reports whether the pane belongs to the current mode.
func (p *pane) shown() bool {
	return (p.side == sideBoth) == (p.view.mode == Split)
}

// backgroundFor is the pane colour around the image: the theme's neutral
// grey for disabled things, mid-dark in the dark theme and light in the light
// one, so neither the product nor the checkerboard blends into it.
func backgroundFor(w fyne.Widget) color.RGBA {
	c := color.RGBAModel.Convert(theme.ColorForWidget(theme.ColorNameDisabled, w)).(color.RGBA)
	c.A = 0xff // the raster is opaque; a translucent theme colour would show stale pixels
	return c
}
