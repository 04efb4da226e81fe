package ui

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// gallery shows the original and the variants as large tiles, each with
// its actions.
type gallery struct {
	w       *Window
	content *fyne.Container
	grid    *fyne.Container
	empty   fyne.CanvasObject
	tiles   []*tile // tiles[0] is the original
}

func newGallery(w *Window) *gallery {
	g := &gallery{w: w}
	g.grid = container.New(&tileGrid{})
	icon := widget.NewIcon(theme.MediaPhotoIcon())
	how := widget.NewLabelWithStyle("Load a product shot, write a prompt and press Generate (Ctrl+Enter). F1 lists every key.", fyne.TextAlignCenter, fyne.TextStyle{})
	how.Wrapping = fyne.TextWrapWord
	g.empty = container.NewVBox(layoutSpacerExpand(),
		container.NewCenter(container.NewGridWrap(fyne.NewSize(64, 64), icon)),
		widget.NewLabelWithStyle("Your variants appear here", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		how, layoutSpacerExpand())
	g.content = container.NewStack(g.empty, container.NewPadded(g.grid))
	return g
}

// setOriginal shows the source as the first tile (nil removes it).
func (g *gallery) setOriginal(img image.Image) {
	var variants []*tile
	for _, t := range g.tiles {
		if t.result != nil {
			variants = append(variants, t)
		}
	}
	g.tiles = nil
	if img != nil {
		g.tiles = append(g.tiles, newTile(g.w, 0, "Original", img, nil))
	}
	g.tiles = append(g.tiles, variants...)
	g.relayout()
}

// setResults shows the variants after the original; one still loading
// shows its thumbnail, if there is one yet.
func (g *gallery) setResults(results []*shownVariant) {
	var kept []*tile
	if len(g.tiles) > 0 && g.tiles[0].result == nil {
		kept = g.tiles[:1] // the original stays first
	}
	old := map[*shownVariant]*tile{}
	for _, t := range g.tiles {
		if t.result != nil {
			old[t.result] = t
		}
	}
	g.tiles = kept
	for _, r := range results {
		if t := old[r]; t != nil && t.loaded == (r.preview != nil) {
			g.tiles = append(g.tiles, t) // unchanged: keep the tile
			continue
		}
		img := r.preview
		if img == nil {
			img = g.w.thumbs.cached(r.path) // a blurred stand-in until it is loaded
		}
		g.tiles = append(g.tiles, newTile(g.w, r.n, fmt.Sprintf("Variant %d", r.n), img, r))
	}
	g.relayout()
	g.markSelected(g.w.selected)
}

func (g *gallery) relayout() {
	objs := make([]fyne.CanvasObject, len(g.tiles))
	for i, t := range g.tiles {
		objs[i] = t.content
	}
	g.grid.Objects = objs
	g.grid.Refresh()
	if len(g.tiles) == 0 && g.w.current == nil {
		g.empty.Show()
	} else {
		g.empty.Hide()
	}
}

// markSelected outlines the selected variant's tile.
func (g *gallery) markSelected(variant int) {
	for _, t := range g.tiles {
		t.setSelected(t.result != nil && t.result.n == variant)
	}
}

// tile is one image of the gallery.
type tile struct {
	content fyne.CanvasObject
	frame   *panel
	result  *shownVariant // nil for the original
	loaded  bool          // shows the display copy, not a stand-in
}

func newTile(w *Window, variant int, title string, img image.Image, result *shownVariant) *tile {
	t := &tile{result: result, loaded: result != nil && result.preview != nil}
	t.frame = newPanel(theme.ColorNameInputBackground, theme.ColorNameInputBackground)
	pic := canvas.NewImageFromImage(img)
	pic.FillMode = canvas.ImageFillContain
	pic.ScaleMode = canvas.ImageScaleSmooth
	wpx, hpx := imageSize(img)
	switch {
	case result != nil:
		wpx, hpx = result.width, result.height // the full size; img is a preview
	case w.shot != nil:
		wpx, hpx = w.shot.Width, w.shot.Height
	}
	name := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	sizeText := fmt.Sprintf("%d × %d", wpx, hpx)
	switch {
	case result != nil && result.failed != "":
		sizeText = result.failed
	case result != nil && result.preview == nil:
		sizeText = "loading…"
	}
	size := widget.NewLabel(sizeText)
	size.Importance = widget.LowImportance
	size.Truncation = fyne.TextTruncateEllipsis // gives way to the buttons
	var actions fyne.CanvasObject = layoutSpacer()
	if result != nil {
		tap := newTapArea(func() { w.selectVariant(variant) })
		tap.onDoubleTap = func() { w.compareWith(variant) }
		var shown fyne.CanvasObject = layoutSpacer()
		if img != nil {
			shown = framed(img, pic)
		}
		picture := container.NewStack(shown, tap)
		bar := container.NewHBox(
			w.iconButton(theme.DocumentSaveIcon(), fmt.Sprintf("Save variant %d as PNG or JPEG…", variant), func() { w.saveAs(result) }),
			w.iconButton(theme.ContentCopyIcon(), fmt.Sprintf("Copy variant %d to the clipboard", variant), func() { w.copyImage(result) }),
			w.iconButton(theme.VisibilityIcon(), fmt.Sprintf("Open variant %d in the system viewer", variant), func() { w.openInViewer(result) }),
			w.iconButton(theme.ViewRestoreIcon(), fmt.Sprintf("Compare variant %d with the original", variant), func() { w.compareWith(variant) }),
		)
		actions = bar
		t.content = t.assemble(picture, name, secondary(size), actions)
		return t
	}
	t.content = t.assemble(framed(img, pic), name, secondary(size), actions)
	return t
}

func (t *tile) assemble(picture fyne.CanvasObject, name, size fyne.CanvasObject, actions fyne.CanvasObject) fyne.CanvasObject {
	inner := container.New(&tileLayout{}, container.NewPadded(picture), name, size, actions)
	return container.NewStack(t.frame, container.NewPadded(inner))
}

func (t *tile) setSelected(on bool) {
	if on {
		t.frame.setStroke(theme.ColorNamePrimary)
	} else {
		t.frame.setStroke(theme.ColorNameInputBackground)
	}
}

func (w *Window) iconButton(icon fyne.Resource, tip string, tapped func()) *tipButton {
	b := w.tipButton("", icon, tip, tapped)
	b.Importance = widget.LowImportance
	return b
}

// framed shows pic over a checkerboard of exactly its size.
func framed(img image.Image, pic *canvas.Image) fyne.CanvasObject {
	w, h := imageSize(img)
	return container.New(&aspectFit{float32(w), float32(h)}, newChecker(), pic)
}

func layoutSpacer() fyne.CanvasObject { return canvas.NewRectangle(color.Transparent) }

func layoutSpacerExpand() fyne.CanvasObject { return layout.NewSpacer() }

// tileGrid lays tiles out in the number of columns that makes them
// largest for the space they have, keeping roughly square cells.
type tileGrid struct{}

func (g *tileGrid) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(objs)
	if n == 0 {
		return
	}
	cols := bestColumns(n, size)
	rows := (n + cols - 1) / cols
	pad := theme.Padding() * 2
	cw := (size.Width - pad*float32(cols-1)) / float32(cols)
	ch := (size.Height - pad*float32(rows-1)) / float32(rows)
	for i, o := range objs {
		r, c := i/cols, i%cols
		o.Move(fyne.NewPos(float32(c)*(cw+pad), float32(r)*(ch+pad)))
		o.Resize(fyne.NewSize(cw, ch))
	}
}

func (g *tileGrid) MinSize(objs []fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(200, 200)
}

// bestColumns picks the column count that gives the biggest square-ish
// image per tile.
func bestColumns(n int, size fyne.Size) int {
	best, bestSide := 1, float32(0)
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		side := float32(math.Min(float64(size.Width/float32(cols)), float64(size.Height/float32(rows))))
		if side > bestSide {
			best, bestSide = cols, side
		}
	}
	return best
}

// tileLayout puts the picture over its caption: the name, the size and the
// buttons on one line when they fit, else the buttons on a line of their
// own under the name, so that nothing overlaps in a narrow tile.
type tileLayout struct{}

func (l *tileLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	picture, name, px, actions := objs[0], objs[1], objs[2], objs[3]
	n, a := name.MinSize(), actions.MinSize()
	line := max(n.Height, a.Height)
	oneLine := n.Width+a.Width+minSizeText <= size.Width
	caption := line
	if !oneLine {
		caption = n.Height + a.Height
	}
	picture.Move(fyne.NewPos(0, 0))
	picture.Resize(fyne.NewSize(size.Width, max(0, size.Height-caption)))
	top := size.Height - caption
	name.Move(fyne.NewPos(0, top+(line-n.Height)/2*b2f(oneLine)))
	name.Resize(n)
	if oneLine {
		px.Move(fyne.NewPos(n.Width, top))
		px.Resize(fyne.NewSize(size.Width-n.Width-a.Width, line))
		actions.Move(fyne.NewPos(size.Width-a.Width, top+(line-a.Height)/2))
	} else {
		px.Move(fyne.NewPos(n.Width, top))
		px.Resize(fyne.NewSize(max(0, size.Width-n.Width), n.Height))
		actions.Move(fyne.NewPos(max(0, size.Width-a.Width), top+n.Height))
	}
	actions.Resize(a)
}

func (l *tileLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	p, n, a := objs[0].MinSize(), objs[1].MinSize(), objs[3].MinSize()
	return fyne.NewSize(max(p.Width, n.Width, a.Width), p.Height+n.Height+a.Height)
}

// minSizeText is the least room worth giving the pixel size in a caption.
const minSizeText = 60

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}
